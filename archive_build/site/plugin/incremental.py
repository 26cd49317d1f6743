"""An incremental render: only the pages whose inputs changed are converted; the rest come from the old ``site/``.

A page's HTML depends on its own Markdown file (front matter and body) and
on what every page shares: the theme, ``overrides/``, ``mkdocs.yml``, the
plugin's code, the gazetteer, the installed versions and the environment
(``site_key``, from ``archive-build site``), the titles of navigation
entries that take their page's title, and where the tags plugin's listings
are (every tagged page links into them).  Everything else a page shows of
other pages (titles, note counts, backlinks, related reading, neighbours)
the build step wrote into its Markdown.  So each page's key is a digest of
the site-wide key and its Markdown file's bytes (``PageKeys``).

A page is rendered when its key is new, when it is always rendered (a
hand-written page, which may include generated lists; a page holding a tags
listing, which lists every page; a navigation entry titled by its page), or
when its Markdown names a file that appeared or disappeared (a link MkDocs
resolves, or leaves as written, by whether its target exists).  The sitemap,
the 404 page, the feed, the theme's assets and the search index are made
every time.  Every other page is read for its front matter only (its title,
tags and feed entry, as a shard does), is not written, and its file is
linked from the old site into the new tree, as are the open-data folders of
the packs that did not change (``Reuse``).  The records of every page, rendered
or reused, go to the new records file (``site/page_records.py``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import IO, Any, Iterable

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from archive_build.opendata.packs import SUFFIX, article_dir, read_index
from archive_build.site import page_records
from archive_build.site.page_records import Header, Records
from archive_build.site.plugin.sanitise import GENERATED_PAGES

log = logging.getLogger("mkdocs.plugins.archive")

#: A tags listing in a page's Markdown (the tags plugin's default directive).
LISTING = re.compile(rb"<!--\s*material/tags.*?-->", re.S)


def pack_identities(site_data: Path) -> dict[str, str]:
    """Each open-data pack's identity: its size, modification time and inode (the build step replaces a pack it changes)."""
    out: dict[str, str] = {}
    try:
        entries = list(os.scandir(site_data))
    except OSError:
        return out
    for e in entries:
        if e.name.endswith(SUFFIX) and not e.name.startswith(".") and e.is_file(follow_symlinks=False):
            st = e.stat()
            out[e.name] = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
    return dict(sorted(out.items()))


class PageKeys:
    """Every page's key, the site-wide key, and the pages rendered whatever their key."""

    def __init__(self, site_key: str, files: Any, nav: Any) -> None:
        # Each page is read twice (its listings, then its key) rather than kept: the archive's Markdown does not fit a shard's memory.
        self.paths: dict[str, str] = {f.src_uri: f.abs_src_path for f in files.documentation_pages()}
        listings = {src: b"\0".join(LISTING.findall(data)) for src, data in self._sources() if b"material/tags" in data}
        # A navigation entry without a title of its own shows its page's title (front matter or first heading) on every page.
        titled_by_page = {p.file.src_uri for p in nav.pages if "title" not in vars(p)}
        h = hashlib.sha256(f"site {site_key}\n".encode())
        for src in sorted(listings):
            h.update(f"listing {src}\n".encode() + listings[src] + b"\n")
        for src in sorted(titled_by_page):
            h.update(f"nav {src}\n".encode() + (_read(self.paths[src]) if src in self.paths else b"") + b"\n")
        self.global_key = h.hexdigest()
        # Hand-written pages may include generated lists (``includes``): few, and always rendered.
        self.always = {src for src in self.paths if src in listings or src in titled_by_page or not src.startswith(GENERATED_PAGES)}
        self.keys = {src: hashlib.sha256(f"{self.global_key}\0{src}\0".encode() + data).hexdigest() for src, data in self._sources()}

    def _sources(self) -> Iterable[tuple[str, bytes]]:
        """Each page's Markdown file's bytes, one page at a time."""
        for src, path in self.paths.items():
            yield src, _read(path)

    def mentioning(self, names: Iterable[str]) -> set[str]:
        """The pages whose Markdown contains any of ``names`` (file names that appeared or disappeared)."""
        words = sorted({n.encode("utf-8") for n in names if n})
        if not words:
            return set()
        pattern = re.compile(b"|".join(re.escape(w) for w in words))
        return {src for src, data in self._sources() if pattern.search(data)}


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


class Reuse:
    """Which pages this render converts and writes, and the rest linked from the old site (``REUSE_ENV``)."""

    renders_collection = True

    def __init__(self, previous: Records, old_site: Path, keys: PageKeys, files: Any) -> None:
        self.previous = previous
        self.old_site = old_site
        now = sorted(f.src_uri for f in files)
        appeared_or_gone = set(now).symmetric_difference(previous.header.files)
        names = {posix.rsplit("/", 1)[-1] for posix in appeared_or_gone}
        pages = set(keys.keys)
        self.render = {src for src in pages if keys.keys[src] != previous.key(src)} | (keys.always & pages) | keys.mentioning(names)
        self.reused = pages - self.render
        self.made: set[Path] = set()  # folders of the new tree made so far

    def skips(self, page: Any) -> bool:
        """A page whose file comes from the old site: only its front matter is read."""
        return page.file.src_uri in self.reused

    def exclude_others(self, files: Any, *, assets: bool = False) -> None:
        """Leave the reused pages out of the writing (after the sitemap has listed them)."""
        for f in files.documentation_pages():
            if f.src_uri in self.reused:
                f.inclusion = InclusionLevel.EXCLUDED

    def anchors(self, src_uri: str) -> set[str]:
        """The ids the page had when it was rendered, for MkDocs' check of links into it."""
        return set(self.previous.page(src_uri)["anchors"])

    def link_pages(self, site_dir: Path) -> Iterable[tuple[str, dict[str, Any]]]:
        """Link each reused page's file from the old site; yields (record line, its search part)."""
        for src in sorted(self.reused):
            line = self.previous.lines[src]
            record = json.loads(line)
            link_file(self.old_site / record["dest"], site_dir / record["dest"], self.made)
            yield line, record.get("search") or {}

    def unchanged_packs(self, packs: dict[str, str]) -> tuple[list[str], list[str]]:
        """(packs to unpack, packs whose folders are linked from the old site)."""
        before = self.previous.header.packs
        same = [name for name, ident in packs.items() if before.get(name) == ident]
        return [name for name in packs if name not in same], same

    def link_packs(self, site_data: Path, names: Iterable[str], data_dir: Path) -> None:
        """Every article folder of the unchanged packs ``names``, linked from the old site's ``data/``."""
        old_data = self.old_site / data_dir.name
        for name in names:
            ids = read_index(site_data / name)
            if ids is None:
                raise PluginError(f"{site_data / name}: not a whole open-data pack")
            for article_id in ids:
                folder = article_dir(article_id)
                try:
                    entries = sorted(os.listdir(old_data / folder))
                except OSError as exc:
                    raise PluginError(f"the site in place lacks {old_data / folder}: {exc}") from exc
                for entry in entries:
                    link_file(old_data / folder / entry, data_dir / folder / entry, self.made)


def link_file(src: Path, dest: Path, made: set[Path]) -> None:
    """``dest`` as a hard link to ``src`` (a copy across file systems); PluginError if ``src`` is missing.

    ``made``: the folders already made (a ``mkdir`` per file cost a tenth of an incremental render).
    """
    if dest.parent not in made:
        dest.parent.mkdir(parents=True, exist_ok=True)
        made.add(dest.parent)
    try:
        os.link(src, dest)
    except FileNotFoundError as exc:
        raise PluginError(f"the site in place lacks {src}: render it whole") from exc
    except OSError:
        import shutil

        shutil.copy2(src, dest)


class RecordWriter:
    """The records file of this render (``RECORD_ENV``): the header, then a line per page."""

    def __init__(self, path: Path, header: Header) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file: IO[str] = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.file.write(page_records.header_line(header))

    def page(self, src_uri: str, key: str, dest: str, anchors: Iterable[str], search: dict[str, Any] | None) -> None:
        self.file.write(page_records.page_line(src_uri, key, dest, anchors, search))

    def line(self, line: str) -> None:
        self.file.write(line)

    def close(self) -> None:
        self.file.close()


class Incremental:
    """The plugin's side of page records and reuse, for one ``mkdocs build``."""

    def __init__(self) -> None:
        self.keys: PageKeys | None = None
        self.reuse: Reuse | None = None
        self.writer: RecordWriter | None = None

    def start(self, files: Any, nav: Any, site_data: Path, *, allow_reuse: bool) -> None:
        """Key every page; with ``REUSE_ENV`` set (and ``allow_reuse``), choose the pages to render."""
        out = os.environ.get(page_records.RECORD_ENV)
        self.keys = self.reuse = self.writer = None
        if not out:
            return
        self.keys = PageKeys(os.environ.get(page_records.KEY_ENV, ""), files, nav)
        header = Header(
            site_key=os.environ.get(page_records.KEY_ENV, ""), global_key=self.keys.global_key,
            files=sorted(f.src_uri for f in files), packs=pack_identities(site_data),
        )
        previous_path, old_site = os.environ.get(page_records.REUSE_ENV), os.environ.get(page_records.REUSE_SITE_ENV)
        if allow_reuse and previous_path and old_site:
            previous = page_records.read(Path(previous_path))
            if previous is not None and previous.header.global_key == header.global_key and previous.header.site_key == header.site_key:
                self.reuse = Reuse(previous, Path(old_site), self.keys, files)
                log.info(f"archive: rendering {len(self.reuse.render)} pages; {len(self.reuse.reused)} unchanged, linked from {old_site}")
        self.writer = RecordWriter(Path(out), header)

    def rendered(self, page: Any, search: dict[str, Any] | None) -> None:
        """Record a page this render wrote."""
        if self.writer is None or self.keys is None:
            return
        src = page.file.src_uri
        self.writer.page(src, self.keys.keys[src], page.file.dest_uri, page.present_anchor_ids or (), search)

    def finish(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
