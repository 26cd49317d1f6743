"""One Pagefind index built in parts of a bounded number of pages, each part cached by its pages' bytes.

Pagefind's indexer holds the whole index in memory until it writes it,
about 0.5 MB per article page: one run over a 10,000-article site took
4.25 GB, over 30,000 three times that.  Indexing the pages in parts of at
most ``pages_per_index()`` pages, a run per core at once, bounds that
memory whatever the archive's size; ``search/combine.py`` then merges the
parts into the one bundle the search box loads, in a stream.

A part's run is kept in the project's cache under a hash of its pages'
paths and bytes (and of Pagefind's version and arguments), so a build
that changed a few pages runs Pagefind only over the parts holding them.
That needs parts that stay put as pages come and go: a part ends after a
page whose path hashes to a cut point (one path in ``limit / 2``), or
after ``limit`` pages, so adding an article moves only its own part's
boundaries.  A part is indexed from a scratch folder of hard links to its
pages at their paths under the site, so Pagefind records the pages' own
addresses.  A part of which only a few pages changed is derived from its
last run and a run over just those pages (``search/delta.py``).
"""
from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from archive_build.output import link_or_copy
from archive_build.project import SEARCH_CHUNKS_FOLDER, SEARCH_PARTS_FOLDER
from archive_build.search import delta
from archive_build.search.combine import combine
from archive_build.store.cache import dump_pickle, load_pickle

#: Pages per Pagefind run at most (about 0.5 GB of memory for 1,000 article pages); parts average half of
#: it, so that re-indexing the part of a changed page takes a few seconds.
DEFAULT_PAGES_PER_INDEX = 1_000
#: Notes per Pagefind run at most: a note's page is a paragraph, about a tenth of an article page,
#: so a run of 2,000 notes takes about what one of 200 article pages does.
DEFAULT_NOTES_PER_INDEX = 4_000
#: Override the pages and the notes per run (a low value splits a small test archive into several parts).
PAGES_ENV = "ARCHIVE_BUILD_PAGES_PER_INDEX"
NOTES_ENV = "ARCHIVE_BUILD_NOTES_PER_INDEX"
#: The folder of the project's cache holding the parts' Pagefind runs, one folder per bundle.
CACHE_FOLDER = SEARCH_PARTS_FOLDER
#: Where the combined bundles' compressed word chunks are kept (``search/combine.py``).
CHUNKS_FOLDER = SEARCH_CHUNKS_FOLDER
#: A page Pagefind indexes: one with a ``data-pagefind-body`` element (the page text of
#: strangers is escaped, so only the site's own templates make one).
_BODY = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=>]")
_BODY_WORD = b"data-pagefind-body"


def pages_per_index() -> int:
    """The most article, entity and hand-written pages one Pagefind run indexes (``ARCHIVE_BUILD_PAGES_PER_INDEX``)."""
    return _limit(PAGES_ENV, DEFAULT_PAGES_PER_INDEX)


def notes_per_index() -> int:
    """The most notes one Pagefind run indexes (``ARCHIVE_BUILD_NOTES_PER_INDEX``)."""
    return _limit(NOTES_ENV, DEFAULT_NOTES_PER_INDEX)


def _limit(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return max(1, int(value)) if value.isdigit() else default


def searchable_pages(site_dir: Path, skip: Sequence[str] = ()) -> list[str]:
    """Paths (relative, POSIX, sorted) of the site's HTML pages with a ``data-pagefind-body`` element.

    ``skip``: top-level folders left out (the search bundles).
    """
    return list(scan_pages(site_dir, skip))


def scan_pages(site_dir: Path, skip: Sequence[str] = (), memo: Path | None = None) -> dict[str, bytes]:
    """``searchable_pages`` (in their order), each with a hash of its bytes: read once for both.

    ``memo``: a file remembering each page's answer by its inode, size and
    modification time, so that a page an incremental render linked from the
    old site (the same inode) is not read again.
    """
    loaded = load_pickle(memo, {}) if memo is not None else {}
    known: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    seen: dict[str, tuple[tuple[int, int, int, int], bytes | None]] = {}  # a page's stamp, and its hash if searchable
    for folder, dirs, names in os.walk(site_dir):
        rel = os.path.relpath(folder, site_dir)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip]
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                page = Path(os.path.relpath(path, site_dir)).as_posix()
                remembered = known.get(page)
                if remembered is not None and remembered[0] == _stamp(os.stat(path)):
                    seen[page] = remembered
                    continue
                with open(path, "rb") as f:
                    stamp = _stamp(os.fstat(f.fileno()))
                    data = f.read()
                seen[page] = (stamp, hashlib.sha256(data).digest() if has_search_body(data) else None)
    if memo is not None:
        dump_pickle(memo, seen)
    return {page: digest for page, (_stamp, digest) in sorted(seen.items()) if digest is not None}


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def has_search_body(html: bytes) -> bool:
    """Whether the page has an element with ``data-pagefind-body``: a fast search for the word, then its tag checked."""
    at = html.find(_BODY_WORD)
    while at >= 0:
        start = html.rfind(b"<", 0, at)
        if start >= 0 and _BODY.match(html, start):
            return True
        at = html.find(_BODY_WORD, at + 1)
    return False


def _is_cut_point(page: str, period: int) -> bool:
    return int.from_bytes(hashlib.sha256(page.encode("utf-8")).digest()[:8], "big") % period == 0


def split(pages: Sequence[str], limit: int) -> list[list[str]]:
    """``pages`` in contiguous runs of at most ``limit``, cut where the paths say (none empty, at least one)."""
    period = max(1, limit // 2)
    out: list[list[str]] = [[]]
    for page in pages:
        if len(out[-1]) >= limit:
            out.append([])
        out[-1].append(page)
        if _is_cut_point(page, period):
            out.append([])
    if len(out) > 1 and not out[-1]:
        out.pop()
    return out


def remove_parts(site_dir: Path, bundle: str) -> None:
    """The bundle ``bundle`` and any folder of an older layout's further parts (``mkdocs serve`` indexes into the same site)."""
    shutil.rmtree(site_dir / bundle, ignore_errors=True)
    for old in site_dir.glob(f"{bundle}-part-*"):
        shutil.rmtree(old, ignore_errors=True)


@functools.cache
def _pagefind_command() -> tuple[str, ...]:
    """Pagefind's binary, run directly: ``python -m pagefind`` costs a Python start (0.1 s of CPU) per run, hundreds of runs a large site."""
    try:
        from pagefind.service import get_executable

        binary = get_executable()
    except ImportError:
        binary = None
    return (str(binary),) if binary is not None and os.access(binary, os.X_OK) else (sys.executable, "-m", "pagefind")


def run_pagefind(source: Path, out: Path, extra: Sequence[str] = ()) -> None:
    """One Pagefind run over the HTML files under ``source`` into the bundle ``out``; a failure is a RuntimeError naming it."""
    cmd = [*_pagefind_command(), "--site", str(source), "--output-path", str(out), *extra, "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError(f"{out}: pagefind failed: {detail[-1] if detail else proc.returncode}")


def link_pages(source: Path, pages: Sequence[str], scratch: Path) -> None:
    """``pages`` of ``source`` at the same paths under ``scratch``: hard links, or copies across file systems."""
    for rel in pages:
        target = scratch / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(source / rel, target)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "unknown"


class SiteFiles:
    """Pages to index that are files of a rendered site, with their hashes (``scan_pages``)."""

    def __init__(self, root: Path, digests: Mapping[str, bytes]) -> None:
        self.root = root
        self.digests = digests

    def names(self) -> list[str]:
        return list(self.digests)

    def digest(self, name: str) -> bytes:
        return self.digests[name]

    def put(self, names: Sequence[str], scratch: Path) -> None:
        link_pages(self.root, names, scratch)


class PagesInMemory:
    """Pages to index made by the build itself (the notes'): written out only for a run that needs them."""

    def __init__(self, pages: Mapping[str, bytes]) -> None:
        self.pages = pages
        self.digests: dict[str, bytes] = {}  # each asked for by the part's key, its plan and its manifest

    def names(self) -> list[str]:
        return list(self.pages)

    def digest(self, name: str) -> bytes:
        found = self.digests.get(name)
        if found is None:
            found = self.digests[name] = hashlib.sha256(self.pages[name]).digest()
        return found

    def put(self, names: Sequence[str], scratch: Path) -> None:
        for name in names:
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.pages[name])


class Pages(Protocol):
    """Pages to index by name: their hashes, and the pages themselves written out for a run that needs them."""

    def names(self) -> list[str]: ...

    def digest(self, name: str) -> bytes: ...

    def put(self, names: Sequence[str], scratch: Path) -> None: ...


def part_key(source: Pages, pages: Sequence[str], extra: Sequence[str]) -> str:
    """What a part's Pagefind run depends on, hashed: Pagefind's version and arguments, its pages' paths and bytes."""
    h = hashlib.sha256(f"pagefind {_pagefind_version()}\0{chr(0).join(extra)}\0".encode("utf-8"))
    for name in pages:
        h.update(name.encode("utf-8") + b"\0")
        h.update(source.digest(name))
    return h.hexdigest()[:32]


def index_in_parts(
    source: Pages | Mapping[str, bytes], site_dir: Path, bundle: str, limit: int,
    extra: Sequence[str] = (), cache: Path | None = None, laps: dict[str, float] | None = None,
) -> Path:
    """Index the pages of ``source`` (by path, in order) in parts of at most ``limit`` into the one bundle ``site_dir/bundle``.

    ``source``: a site's files (``SiteFiles``) or pages as bytes by path.
    With ``cache`` (the project's cache folder) a part whose pages are
    unchanged reuses its last run, and runs no longer used are removed.
    ``laps``: where the seconds of the Pagefind runs and of the combine go.
    """
    if isinstance(source, Mapping):
        source = PagesInMemory(source)
    remove_parts(site_dir, bundle)
    store = cache / CACHE_FOLDER / bundle if cache is not None else site_dir.parent / f".{site_dir.name}.{bundle}-parts.tmp-{os.getpid()}"
    store.mkdir(parents=True, exist_ok=True)
    scratch = site_dir.parent / f".{site_dir.name}.index-part.tmp-{os.getpid()}"
    try:
        split_pages = split(source.names(), limit)
        runs = [store / part_key(source, part, extra) for part in split_pages]
        missing = [(part, run) for part, run in zip(split_pages, runs) if not delta.is_complete(run)]
        bases = delta.Bases(store) if cache is not None and missing else None
        # Pagefind indexes mostly on one core: on every core a run at once (about 0.5 GB each at most).
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            done = [
                pool.submit(_index_part, source, part, run, scratch / str(k), extra, bases.plan(source, part) if bases else None)
                for k, (part, run) in enumerate(missing)
            ]
            derived = sum(future.result() for future in done)
        ran = time.perf_counter()
        combine(runs, site_dir / bundle, cache / CHUNKS_FOLDER / bundle if cache is not None else None)
        if laps is not None:
            laps[f"{len(missing)} of {len(runs)} Pagefind runs ({derived} of changed pages only)"] = ran - start
            laps["combine"] = time.perf_counter() - ran
        if cache is not None:
            used = {run.name for run in runs}
            for old in store.iterdir():
                if old.name not in used:
                    shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if cache is None:
            shutil.rmtree(store, ignore_errors=True)
    return site_dir / bundle


def _index_part(source: Pages, pages: Sequence[str], run: Path, scratch: Path, extra: Sequence[str], plan: delta.Plan | None) -> bool:
    """Index ``pages`` into ``run``, which appears only once complete: from ``plan``'s last run and a run over its
    changed pages where that gives the part a whole run would (True), else one Pagefind run over them all."""
    shutil.rmtree(scratch, ignore_errors=True)
    tmp = run.with_name(f"{run.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        derived = plan is not None and _derive(source, pages, plan, tmp, scratch, extra)
        if not derived:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(parents=True)
            source.put(pages, scratch)
            run_pagefind(scratch, tmp, extra)
        delta.write_manifest(tmp, {name: source.digest(name) for name in pages})
        shutil.rmtree(run, ignore_errors=True)
        os.rename(tmp, run)
        return derived
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def _derive(source: Pages, pages: Sequence[str], plan: delta.Plan, out: Path, scratch: Path, extra: Sequence[str]) -> bool:
    """The part from ``plan`` (``search/delta.py``) into ``out``: a Pagefind run over the changed pages only."""
    changes = scratch / "run"
    if plan.changed:
        site = scratch / "site"
        site.mkdir(parents=True)
        source.put(plan.changed, site)
        run_pagefind(site, changes, extra)
    return delta.derive(plan, changes if plan.changed else None, pages, out)
