"""MkDocs hooks: the last line of defence against hostile input.

Generated Markdown is already escaped and sanitised by the build step; this
hook sanitises the rendered HTML of every page once more with an allowlist
(nh3), so that a bug in escaping can never put a script or an event handler
from a raw article or an annotation onto the site.  Theme templates are not
touched: they are ours.
"""
from __future__ import annotations

import re
from typing import Any

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "dl", "dt", "dd", "cite", "time",
}
_ATTRS = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "time": {"datetime"},
}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    _html_safety.rendering_generated_page(False)  # slugs made after rendering (the tags plugin's) are not namespaced
    if _is_generated(page):
        _relative_links.skip_anchor_check(page)
    html = _html_safety.guard_attributes(sanitize_html(html), _is_generated(page))
    return _reading_page_content(html, page)


# --- Ids, classes and titles the theme reads (archive_build/html_safety.py).
from archive_build import html_safety as _html_safety
from archive_build.collection import relative_links as _relative_links

#: The folders of docs/ the build writes from contributed text.
_GENERATED_PAGES = ("articles/", "entities/", "browse/")


def _is_generated(page: Any) -> bool:
    return page.file.src_uri.startswith(_GENERATED_PAGES)


def _build_on_serve() -> bool:
    """Whether this is ``make serve``, which runs the build step inside MkDocs' rebuilds."""
    import os

    return os.environ.get("ARCHIVE_BUILD_ON_SERVE") == "1"


def on_pre_build(config: Any) -> None:
    """Under ``make serve``, rerun the build step so edits to raw/ show up live.

    In a process of its own, not in this one: in a serve process holding
    10,000 pages the same rebuild took twice as long (5.2-7.7 s against 2.7 s
    on its own), it left its objects for this process's collector, and its
    worker processes would be forked from a process with threads.  Its
    problems and summary go to the same terminal; the open-data files it
    wrote come back in its report, for on_post_build to place.
    """
    if not _build_on_serve():
        return
    import gc
    import json
    import subprocess
    import sys
    import tempfile

    # The cyclic collector's passes over a 10,000-page serve process cost 0.4-1.5 s
    # per rebuild; it runs once, after the rebuild is served (on_post_build).
    gc.disable()
    root = _project(config).root
    with tempfile.TemporaryDirectory(prefix="archive-build-") as tmp:
        report = _Path(tmp) / "report.json"
        subprocess.run([sys.executable, "-m", "archive_build", "--root", str(root), "build", "--keep-going", "--report", str(report)], check=False)
        try:
            written = json.loads(report.read_text("utf-8"))["site_data_written"]
        except (OSError, ValueError, KeyError, TypeError):
            written = None  # no report (the build failed): on_post_build places every open-data file
    _SERVE["site_data_written"] = written


def _collect_garbage_soon(delay: float = 1.0) -> None:
    """One full collection shortly after a `make serve` rebuild, once the browser has reloaded."""
    import gc
    import threading

    timer = threading.Timer(delay, gc.collect)
    timer.daemon = True
    timer.start()


def _project(config: Any) -> Any:
    """The archive project whose ``mkdocs.yml`` MkDocs is building."""
    from archive_build.project import Project

    return Project(_Path(config["config_file_path"]).parent)


# What the serve-mode build step tells on_post_build, and the site folders already published into.
_SERVE: dict[str, Any] = {"published": set()}


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Under ``make serve``, watch the hand-written pages but not the generated ones.

    The build step (``on_pre_build``) writes the generated pages as part of
    the very rebuild that serves them; if MkDocs also watched them, every
    edit would set off a second, useless rebuild, and its polling watcher
    would stat 10,000+ generated files twice a second.  ``raw/``,
    ``annotations/`` and ``entities.yml`` are watched through ``--watch``.
    """
    import os

    from archive_build.project import GENERATED_DOCS

    if not _build_on_serve():
        return server
    docs = config["docs_dir"]
    server.unwatch(docs)
    for name in sorted(os.listdir(docs)):
        if name not in GENERATED_DOCS and not name.startswith("."):
            server.watch(os.path.join(docs, name))
    project = _project(config)
    _watch_natively(server, _take_from_polling(config, [os.fspath(project.raw), os.fspath(project.annotations)]))
    return server


def _take_from_polling(config: Any, folders: list[str]) -> list[str]:
    """The ``folders`` asked for with ``--watch``, taken out of ``config["watch"]``.

    MkDocs schedules its ``--watch`` paths on its polling observer after
    ``on_serve`` returns; what is taken out here it never polls.
    """
    import os

    wanted = {os.path.realpath(f): f for f in folders}
    taken: list[str] = []
    watch = config["watch"]
    for item in list(watch):
        real = os.path.realpath(item)  # a relative --watch path is relative to where mkdocs runs, as for MkDocs
        if real in wanted:
            watch.remove(item)
            taken.append(wanted.pop(real))
    return taken


def _watch_natively(server: Any, folders: list[str]) -> None:
    """Watch the big input folders with the system's file watcher instead of MkDocs' polling.

    MkDocs polls every watched file twice a second: with 10,000 raw files and
    3,000 annotation files its polling thread held the interpreter for most
    of a rebuild (62% of the serve process's samples, py-spy).  inotify
    (watchdog's native observer) costs nothing while idle.  Single files
    (``mkdocs.yml``, ``entities.yml``) stay polled: a native watch on a file
    is lost when an editor saves by renaming.
    """
    import functools
    import os

    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileClosedEvent]
    if not folders:
        return
    polling, native = server.observer, Observer()
    # Changes only: inotify also reports files being opened and read, and the
    # build reads the files it is rebuilt for, which set off a second rebuild.
    native.schedule = functools.partial(Observer.schedule, native, event_filter=changes)  # type: ignore[method-assign]
    try:
        native.start()  # started first: a watch that cannot be set up then fails at once, below
    except OSError:
        native = polling
    for f in folders:
        if not os.path.isdir(f):
            server.watch(f)  # as MkDocs would have (it warns about a missing path)
            continue
        server.observer = native  # server.watch schedules on server.observer
        try:
            server.watch(f)
        except OSError:  # no inotify watch to be had (a system limit): MkDocs' polling, as before
            server._watched_paths.pop(f, None)
            server.observer = polling
            server.watch(f)
        finally:
            server.observer = polling


# --- Reading: paragraph permalinks, template filters, Atom feed.
# The work is in archive_build/reading.py and collection/feed.py; these hooks
# only carry state between MkDocs events.
from pathlib import Path as _Path

from archive_build import reading as _reading
from archive_build.collection import feed as _feed

_READING: dict[str, Any] = {"dirty": False}


def on_startup(command: str, dirty: bool) -> None:
    _READING["dirty"] = dirty
    _SEARCH["command"] = command


# --- Search: Pagefind (archive_build/search.py builds the index, search_record.py
# decides what each page tells it besides its text).
from archive_build import search as _search
from archive_build import search_record as _search_record

_SEARCH: dict[str, Any] = {"command": "build", "indexed": False}


def on_config(config: Any) -> None:
    if _build_on_serve():
        # A preview needs no sitemap: rendering one for 10,000 pages on every live reload costs a fifth of a second.
        config["theme"].static_templates.discard("sitemap.xml")
    _READING["names"] = _reading.load_entity_names(_project(config).gazetteer)
    _READING["kinds"] = _reading.load_entity_kinds(_project(config).gazetteer)
    _READING["feed"] = []
    _SEARCH["notes"] = []
    _SEARCH["vocabulary"] = _search.Vocabulary()
    _SEARCH["vocabulary"].add_names(n for spellings in _READING["names"].values() for n in spellings)


def on_env(env: Any, config: Any, files: Any) -> Any:
    import jinja2

    env.filters.update(_reading.jinja_filters())
    # Filters that read the gazetteer loaded for this build (on_config).
    env.filters["ab_in_article"] = lambda entities: _reading.in_this_article(entities, _READING.get("names", {}), _READING.get("kinds", {}))
    env.filters["ab_share_name"] = lambda feature: _reading.share_name(feature, _READING.get("names", {}))
    # MkDocs makes a new Jinja environment for every build, which compiles the
    # theme's templates again: 0.4-0.6 s of every `make serve` rebuild.  The
    # compiled templates are kept by source checksum (and Jinja's version).
    cache = _project(config).cache / "jinja"
    cache.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    return env


def _reading_page_content(html: str, page: Any) -> str:
    html = _reading.add_link_previews(html)
    if not _reading.is_article(page.meta):
        return html
    html = _reading.add_paragraph_anchors(html)
    return _reading.number_outside_links(_reading.caption_figures(html))


def _page_search_record(page: Any) -> Any:
    """The page's search record, or None for a page the search leaves out (a collection page)."""
    src = page.file.src_uri
    names = _READING.get("names", {})
    if _reading.is_article(page.meta):
        return _search_record.article_record(page.meta, names, page.content or "")
    if src.startswith("entities/") and src != "entities/index.md" and isinstance(page.meta.get("entity"), dict):
        return _search_record.entity_record(page.meta, names)
    if src.startswith(("articles/", "entities/", "browse/")) or page.is_homepage:
        return None
    return _search_record.page_record()


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Attach the page's search record and mark up what the index should see."""
    if page.toc:
        _html_safety.escape_toc_titles(page.toc)  # plugins (tags) add entries whose titles are not escaped
    record = _page_search_record(page)
    page.ab_search = record
    vocabulary = _SEARCH.get("vocabulary")
    if record is not None and record.kind == "Article":
        page.content = _search_record.add_note_headings(page.content, page.meta.get("annotations"))
        _SEARCH["notes"].extend(_search_record.note_records(page.meta, page.url, record))
        if vocabulary is not None:
            vocabulary.add_text(str(page.meta.get("title") or ""))
            vocabulary.add_text(page.content)
    elif record is not None and record.kind == "Entity":
        page.content = _search_record.ignore_entity_lists(page.content)
    if _reading.is_article(page.meta):
        _READING.setdefault("feed", []).append(_feed.FeedEntry.from_meta(page.meta, page.canonical_url or page.abs_url or page.url))
    return context


def on_post_build(config: Any) -> None:
    """Place the per-article open data and write feed.xml.

    Under a dirty `mkdocs serve` rebuild only some pages ran, so the old feed is kept.
    """
    from archive_build.opendata.packs import publish

    if _build_on_serve():
        _collect_garbage_soon()
    site_data = _project(config).site_data
    site_dir = config["site_dir"]
    # A dirty rebuild of `make serve` keeps site/: after the first full placing,
    # only the files this rebuild's build step wrote need placing.
    written = _SERVE.pop("site_data_written", None)
    only = written if _READING["dirty"] and site_dir in _SERVE["published"] and written is not None else None
    publish(site_data, _Path(site_dir) / "data", only)
    _SERVE["published"].add(site_dir)
    if not (_SEARCH["command"] == "serve" and _SEARCH["indexed"]):
        # Under `mkdocs serve` only the first build is indexed: re-indexing 10,000
        # pages on every live reload would cost more than the rebuild itself.
        _search.build_index(_Path(config["site_dir"]))
        _search.build_notes_index(_Path(config["site_dir"]), _SEARCH["notes"])
        _search.write_vocabulary(_Path(config["site_dir"]), _SEARCH["vocabulary"])
        _SEARCH["indexed"] = True
    if _READING["dirty"] and _READING.get("feed") is not None and len(_READING["feed"]) < 2:
        return
    site_url = config.get("site_url") or ""
    data = _feed.atom_feed(
        _feed.newest(_READING.get("feed", [])),
        site_name=config["site_name"],
        site_url=site_url,
        feed_url=site_url.rstrip("/") + "/feed.xml" if site_url else "feed.xml",
    )
    out = _Path(config["site_dir"]) / "feed.xml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


#: Marker in hand-written pages replaced by a generated list (docs/.generated/<name>.md).
#: A hook rather than pymdownx.snippets: snippets would also expand "--8<--"
#: lines written by strangers in raw articles and annotations.
_GENERATED_MARKER = re.compile(r"<!-- archive:([a-z-]+) -->")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    _html_safety.rendering_generated_page(_is_generated(page))  # heading ids: html_safety.slugify
    _relative_links.check_links_strictly(config, strict=not _is_generated(page))  # contributed links: the build checks them
    if _is_generated(page):
        return markdown
    generated = _Path(config["docs_dir"]) / ".generated"

    def include(m: "re.Match[str]") -> str:
        path = generated / f"{m.group(1)}.md"
        return path.read_text("utf-8") if path.is_file() else "*Not built yet: run `archive-build build`.*"

    return _GENERATED_MARKER.sub(include, markdown)
