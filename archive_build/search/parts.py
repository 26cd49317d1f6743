"""A Pagefind index built in parts of a bounded number of pages, merged by the search box at query time.

Pagefind's indexer holds the whole index in memory until it writes it,
about 0.5 MB per article page: one index of a 10,000-article site took
4.25 GB, of 30,000 three times that.  Indexing the pages in parts of at
most ``pages_per_index()`` pages, one part after another, bounds that
memory whatever the archive's size.  The first part is an ordinary bundle
(``pagefind/``: the runtime, the WebAssembly, its pages' index); every
further part (``pagefind-part-2/`` …) holds only its index files, and the
first bundle's ``parts.json`` lists them, for ``docs/javascripts/search.js``
to add with Pagefind's ``mergeIndex`` (the merged parts use the first
part's WebAssembly, so each costs a first query only its page list and the
chunks of the query's words).

The pages of a part are contiguous in the order of their paths, so the
same pages make the same parts and the same bytes on every run.  A part is
indexed from a scratch folder of hard links to its pages at their paths
under the site, so Pagefind records the pages' own addresses.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Sequence

#: Pages per Pagefind run: 2,500 article pages took about 1.3 GB.
DEFAULT_PAGES_PER_INDEX = 2_500
#: Notes per Pagefind run: a note's page is a paragraph, about a tenth of an article page.
DEFAULT_NOTES_PER_INDEX = 20_000
#: Override the pages and the notes per run (a low value splits a small test archive into several parts).
PAGES_ENV = "ARCHIVE_BUILD_PAGES_PER_INDEX"
NOTES_ENV = "ARCHIVE_BUILD_NOTES_PER_INDEX"
#: In the first part's folder: the folders of the other parts, relative to the site's root.
MANIFEST = "parts.json"
#: What a part other than the first keeps: its page list, word index, fragments and facets.
_INDEX_FILES = ("pagefind-entry.json", "index", "fragment", "filter")
#: A page Pagefind indexes: one with a ``data-pagefind-body`` element (the page text of
#: strangers is escaped, so only the site's own templates make one).
_BODY = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s=>]")


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

    ``skip``: top-level folders left out (earlier search bundles).
    """
    found = []
    for folder, dirs, names in os.walk(site_dir):
        rel = os.path.relpath(folder, site_dir)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip]
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    if _BODY.search(f.read()):
                        found.append(Path(os.path.relpath(path, site_dir)).as_posix())
    return sorted(found)


def split(pages: Sequence[str], limit: int) -> list[list[str]]:
    """``pages`` in contiguous runs of at most ``limit``, as even as that allows (none empty, at least one)."""
    count = max(1, -(-len(pages) // limit))
    size, extra = divmod(len(pages), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(list(pages[start:end]))
        start = end
    return out


def part_folder(bundle: str, k: int) -> str:
    """The folder of part ``k`` (from 1) of the bundle named ``bundle``: the bundle itself for part 1."""
    return bundle if k == 1 else f"{bundle}-part-{k}"


def remove_parts(site_dir: Path, bundle: str) -> None:
    """Every folder of a previous index in parts of ``bundle`` (``mkdocs serve`` indexes into the same site)."""
    shutil.rmtree(site_dir / bundle, ignore_errors=True)
    for old in site_dir.glob(f"{bundle}-part-*"):
        shutil.rmtree(old, ignore_errors=True)


def run_pagefind(source: Path, out: Path, extra: Sequence[str] = ()) -> None:
    """One Pagefind run over the HTML files under ``source`` into the bundle ``out``; a failure is a RuntimeError naming it."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(out), *extra, "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError(f"{out}: pagefind failed: {detail[-1] if detail else proc.returncode}")


def link_pages(source: Path, pages: Sequence[str], scratch: Path) -> None:
    """``pages`` of ``source`` at the same paths under ``scratch``: hard links, or copies across file systems."""
    for rel in pages:
        target = scratch / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / rel, target)
        except OSError:
            shutil.copyfile(source / rel, target)


def index_in_parts(source: Path, pages: Sequence[str], site_dir: Path, bundle: str, limit: int, extra: Sequence[str] = ()) -> list[Path]:
    """Index ``pages`` (relative to ``source``) in parts of at most ``limit``, one run after another, into ``site_dir``.

    Returns the parts' folders, the first one's ``parts.json`` listing the
    others.  A single part is indexed from ``source`` itself, which must
    then hold no other page with a ``data-pagefind-body``.
    """
    remove_parts(site_dir, bundle)
    parts = split(pages, limit)
    folders = [site_dir / part_folder(bundle, k) for k in range(1, len(parts) + 1)]
    if len(parts) == 1:
        run_pagefind(source, folders[0], extra)
    else:
        scratch = site_dir.parent / f".{site_dir.name}.index-part.tmp-{os.getpid()}"
        try:
            for part, out in zip(parts, folders):
                shutil.rmtree(scratch, ignore_errors=True)
                link_pages(source, part, scratch)
                run_pagefind(scratch, out, extra)
                if out != folders[0]:
                    keep_index_only(out)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    manifest = {"parts": [f"{f.name}/" for f in folders[1:]]}
    (folders[0] / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")), "utf-8")
    return folders


def keep_index_only(bundle: Path) -> None:
    """Drop a further part's copy of the runtime, WebAssembly and UI: the search box loads the first part's."""
    for path in bundle.iterdir():
        if path.name in _INDEX_FILES or path.suffix == ".pf_meta":
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
