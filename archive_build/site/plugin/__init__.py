"""The MkDocs side of the archive: one plugin (``plugin.ArchivePlugin``, ``plugins: - archive`` in mkdocs.yml).

Each concern lives in a module of its own and keeps its state on an
object the plugin owns, so two builds in one process (``mkdocs serve``'s
rebuilds, tests) never share it by accident:

* ``sanitise``   the allowlist HTML sanitiser and the id/title guard on every page
* ``includes``   generated lists in hand-written pages (``<!-- archive:name -->``)
* ``reading``    reading features on article pages, the theme's Jinja filters and cache, the Atom feed
* ``search``     what each page tells Pagefind, the notes and the "Did you mean" vocabulary
* ``opendata``   the per-article open data unpacked into ``site/data/``
* ``serve``      ``make serve``: the build step on every rebuild, native watching of the inputs
* ``shards``     the article pages one ``mkdocs build`` renders when the site is built in shards
"""
