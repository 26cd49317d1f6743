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
every time.  Every other page is neither read nor written: its record gives
MkDocs what other pages read of it (``SHARED_META``: its title, tags and
feed entry; its ids, for the anchor check), and its file is linked from the
old site into the new tree, as are the open-data folders of the packs that
did not change (``Reuse``), or, with the tree ``site/`` replaced last time
at hand, left in place there (``site/spare.py``).  A Markdown file whose identity (size,
modification time, inode) is the one its record names is not read to key it
either: the build step replaces a file only when its bytes change.  The
records of every page, rendered or reused, go to the new records file
(``site/page_records.py``).
"""
from __future__ import annotations

import hashlib
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

#: What other pages and the site-wide files read of a page's front matter, kept in its record for a render that
#: reuses it: its title (links, the tags listings), its tags (the tags plugin), ``sha256`` (``reading.is_article``)
#: and its feed entry's fields (``feed.FeedEntry.from_meta``).  The tests compare an incremental render with a
#: whole one byte for byte: a template that reads another field of other pages shows up there.
SHARED_META = ("title", "tags", "sha256", "id", "date", "description", "authors", "source", "updated")


def shared_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The part of a page's front matter other pages read (``SHARED_META``)."""
    return {name: meta[name] for name in SHARED_META if name in meta}


def file_identity(path: str) -> str:
    """Size, modification time and inode: the build step replaces a file (a new inode) only when its bytes change."""
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


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
    """Every page's key, the site-wide key, and the pages rendered whatever their key.

    With the records of the previous render (``previous``), a page whose
    file has the identity its record names keeps the record's key unread,
    unless it held a tags listing or titles a navigation entry (their bytes
    make the global key) or the global key changed.
    """

    def __init__(self, site_key: str, files: Any, nav: Any, previous: Records | None = None) -> None:
        self.paths = {f.src_uri: f.abs_src_path for f in files.documentation_pages()}
        self.idents = {src: file_identity(path) for src, path in self.paths.items()}
        # A navigation entry without a title of its own shows its page's title (front matter or first heading) on every page.
        titled_by_page = {p.file.src_uri for p in nav.pages if "title" not in vars(p)}
        unread: set[str] = set()
        if previous is not None:
            listed = set(previous.header.listings)
            unread = {
                src for src, ident in self.idents.items()
                if src not in titled_by_page and src not in listed and previous.ident(src) == ident
            }
        listings = {}
        for src in self.paths:
            if src not in unread and b"material/tags" in (data := self.source(src)):
                listings[src] = b"\0".join(LISTING.findall(data))
        h = hashlib.sha256(f"site {site_key}\n".encode())
        for src in sorted(listings):
            h.update(f"listing {src}\n".encode() + listings[src] + b"\n")
        for src in sorted(titled_by_page):
            h.update(f"nav {src}\n".encode() + (self.source(src) if src in self.paths else b"") + b"\n")
        self.global_key = h.hexdigest()
        self.listings = sorted(listings)
        # Hand-written pages may include generated lists (``includes``): few, and always rendered.
        self.always = {src for src in self.paths if src in listings or src in titled_by_page or not src.startswith(GENERATED_PAGES)}
        if previous is None or previous.header.global_key != self.global_key:
            unread = set()  # the previous keys were made with another global key
        self.keys = {src: previous.key(src) if src in unread and previous is not None else self._key(src) for src in self.paths}

    def source(self, src: str) -> bytes:
        """The page's Markdown file's bytes, read again each time: the archive's Markdown does not fit a shard's memory."""
        return _read(self.paths[src])

    def _key(self, src: str) -> str:
        return hashlib.sha256(f"{self.global_key}\0{src}\0".encode() + self.source(src)).hexdigest()

    def mentioning(self, names: Iterable[str]) -> set[str]:
        """The pages whose Markdown contains any of ``names`` (file names that appeared or disappeared)."""
        words = sorted({n.encode("utf-8") for n in names if n})
        if not words:
            return set()
        pattern = re.compile(b"|".join(re.escape(w) for w in words))
        return {src for src in self.paths if pattern.search(self.source(src))}


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


class Reuse:
    """Which pages this render converts and writes, and the rest linked from the old site (``REUSE_ENV``)."""

    renders_collection = True

    def __init__(self, previous: Records, old_site: Path, keys: PageKeys, files: Any) -> None:
        self.previous = previous
        self.old_site = os.fspath(old_site)
        now = sorted(f.src_uri for f in files)
        appeared_or_gone = set(now).symmetric_difference(previous.header.files)
        names = {posix.rsplit("/", 1)[-1] for posix in appeared_or_gone}
        pages = set(keys.keys)
        self.render = {src for src in pages if keys.keys[src] != previous.key(src)} | (keys.always & pages) | keys.mentioning(names)
        self.reused = pages - self.render
        self._records: dict[str, dict[str, Any]] = {}
        self.made: set[str] = set()  # folders of the new tree made so far

    def record(self, src_uri: str) -> dict[str, Any]:
        """A reused page's record (parsed once)."""
        record = self._records.get(src_uri)
        if record is None:
            record = self._records[src_uri] = self.previous.page(src_uri)
        return record

    def skips(self, page: Any) -> bool:
        """A page whose file comes from the old site: neither read nor converted."""
        return page.file.src_uri in self.reused

    def read_from_record(self, page: Any) -> None:
        """Make ``page.read_source`` give the page's front matter as its record keeps it (``SHARED_META``), and no Markdown.

        Reading and parsing the YAML front matter of every page was most of
        an incremental render.
        """
        meta = self.record(page.file.src_uri).get("meta") or {}

        def read_source(config: Any) -> None:
            page.markdown, page.meta = "", dict(meta)

        page.read_source = read_source

    def exclude_others(self, files: Any, *, assets: bool = False) -> None:
        """Leave the reused pages out of the writing (after the sitemap has listed them)."""
        for f in files.documentation_pages():
            if f.src_uri in self.reused:
                f.inclusion = InclusionLevel.EXCLUDED

    def anchors(self, src_uri: str) -> set[str]:
        """The ids the page had when it was rendered, for MkDocs' check of links into it."""
        return set(self.record(src_uri)["anchors"])

    def reused_records(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """Each reused page's record line, and what it gave the search (``Search.add_page`` takes it)."""
        for src in sorted(self.reused):
            yield self.previous.lines[src], self.previous.search(src)

    def link(self, site_dir: Path, site_data: Path, packs: Iterable[str]) -> None:
        """Link every reused page's file, and the article folders of the unchanged ``packs``, from the old site.

        Mostly waiting on the file system (a ``mkdir`` per folder): run in a
        thread while the build does the rest of its work.
        """
        self.link_pages(site_dir)
        self.link_packs(site_data, packs, site_dir / "data")

    def link_pages(self, site_dir: Path) -> None:
        """Link each reused page's file from the old site."""
        new_site = os.fspath(site_dir)
        for src in sorted(self.reused):
            dest = self.record(src)["dest"]
            link_file(f"{self.old_site}/{dest}", f"{new_site}/{dest}", self.made)

    def reused_files(self, site_data: Path, packs: Iterable[str], data_dir: str) -> dict[str, int]:
        """What ``link`` would link, as ``spare.make_site`` takes it: each file's path in the site and its inode in the old site."""
        files: dict[str, int] = {}
        try:
            for src in self.reused:
                dest = self.record(src)["dest"]
                files[dest] = os.stat(f"{self.old_site}/{dest}").st_ino
        except FileNotFoundError as exc:
            raise PluginError(f"the site in place lacks {exc.filename}: render it whole") from exc
        for folder in self._pack_folders(site_data, packs):
            try:
                with os.scandir(f"{self.old_site}/{data_dir}/{folder}") as it:
                    for e in it:
                        files[f"{data_dir}/{folder}/{e.name}"] = e.inode()
            except OSError as exc:
                raise PluginError(f"the site in place lacks {self.old_site}/{data_dir}/{folder}: {exc}") from exc
        return files

    @staticmethod
    def _pack_folders(site_data: Path, packs: Iterable[str]) -> Iterable[str]:
        """The article folders (under the site's ``data/``) of the open-data packs ``packs``."""
        for name in packs:
            ids = read_index(site_data / name)
            if ids is None:
                raise PluginError(f"{site_data / name}: not a whole open-data pack")
            for article_id in ids:
                yield article_dir(article_id)

    def unchanged_packs(self, packs: dict[str, str]) -> tuple[list[str], list[str]]:
        """(packs to unpack, packs whose folders are linked from the old site)."""
        before = self.previous.header.packs
        same = [name for name, ident in packs.items() if before.get(name) == ident]
        return [name for name in packs if name not in same], same

    def link_packs(self, site_data: Path, names: Iterable[str], data_dir: Path) -> None:
        """Every article folder of the unchanged packs ``names``, linked from the old site's ``data/``."""
        old_data, new_data = f"{self.old_site}/{data_dir.name}", os.fspath(data_dir)
        for folder in self._pack_folders(site_data, names):
            try:
                entries = sorted(os.listdir(f"{old_data}/{folder}"))
            except OSError as exc:
                raise PluginError(f"the site in place lacks {old_data}/{folder}: {exc}") from exc
            for entry in entries:
                link_file(f"{old_data}/{folder}/{entry}", f"{new_data}/{folder}/{entry}", self.made)


def link_file(src: str, dest: str, made: set[str]) -> None:
    """``dest`` as a hard link to ``src`` (a copy across file systems); PluginError if ``src`` is missing.

    Paths as strings, ``/``-separated: ``pathlib`` cost more than the links.

    ``made``: the folders already made (a ``mkdir`` per file cost a tenth of an incremental render).
    """
    parent = dest.rpartition("/")[0]
    if parent not in made:
        try:
            os.mkdir(parent)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(parent, exist_ok=True)
        made.add(parent)
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

    def page(
        self, src_uri: str, key: str, ident: str, dest: str, anchors: Iterable[str], meta: dict[str, Any], search: dict[str, Any] | None,
    ) -> None:
        self.file.write(page_records.page_line(src_uri, key, ident, dest, anchors, meta, search))

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
        site_key = os.environ.get(page_records.KEY_ENV, "")
        previous_path, old_site = os.environ.get(page_records.REUSE_ENV), os.environ.get(page_records.REUSE_SITE_ENV)
        previous = page_records.read(Path(previous_path)) if allow_reuse and previous_path and old_site else None
        if previous is not None and previous.header.site_key != site_key:
            previous = None
        self.keys = PageKeys(site_key, files, nav, previous)
        header = Header(
            site_key=site_key, global_key=self.keys.global_key, files=sorted(f.src_uri for f in files),
            packs=pack_identities(site_data), listings=self.keys.listings,
        )
        if previous is not None and old_site and previous.header.global_key == header.global_key:
            self.reuse = Reuse(previous, Path(old_site), self.keys, files)
            log.info(f"archive: rendering {len(self.reuse.render)} pages; {len(self.reuse.reused)} unchanged, linked from {old_site}")
        self.writer = RecordWriter(Path(out), header)

    def rendered(self, page: Any, search: dict[str, Any] | None) -> None:
        """Record a page this render wrote."""
        if self.writer is None or self.keys is None:
            return
        src = page.file.src_uri
        keys = self.keys
        self.writer.page(src, keys.keys[src], keys.idents[src], page.file.dest_uri, page.present_anchor_ids or (), shared_meta(page.meta), search)

    def finish(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
