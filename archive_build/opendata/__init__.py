"""Open data: the archive as files a program can read, next to the pages a person reads.

Each article gets ``data/articles/<id>/`` with ``annotations.jsonld`` (W3C Web
Annotations), ``article.json`` (front matter, Markdown body, plain text),
``text.txt`` (the plain text alone: the resource annotation selectors point into),
``citation.json`` (CSL-JSON) and ``citation.bib`` (BibTeX); the whole archive
gets ``data/annotations.jsonld``, ``data/archive.json`` and ``data/archive.bib``.
The build writes them with the same atomic, only-what-changed ``sync_tree``
as the pages: the archive-wide files into ``docs/data/`` (MkDocs copies
them, and the hand-written pages link to them), each article's files into
packs of bundles in ``site-data/`` (``packs``), from which the MkDocs hook
unpacks them into ``site/data/articles/<id>/`` (``publish``) without
MkDocs walking them.  Like the pages, an article's files are only
regenerated when the article changed (``plan``).  Everything is a pure
function of the articles and ``mkdocs.yml``: no timestamps, keys in a fixed
order, compact JSON.
"""
from __future__ import annotations

from archive_build.opendata.files import data_files, write_files
from archive_build.opendata.plan import finish_data, plan_data, render_data
from archive_build.opendata.serialise import dump_json
from archive_build.opendata.site_info import SiteInfo, site_info

__all__ = ["SiteInfo", "data_files", "dump_json", "finish_data", "plan_data", "render_data", "site_info", "write_files"]
