"""Finding the raw articles and refusing files that must not be read."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Callable, NamedTuple

from archive_build.errors import Problem
from archive_build.ingest import RAW_EXTENSIONS
from archive_build.ingest.decode import MAX_RAW_BYTES
from archive_build.ingest.sidecar import SIDECAR_SUFFIX
from archive_build.project import Project

_ID = re.compile(r"^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*$", re.I)

#: Article ids the site's own pages use (any case), each with the page that has it.
RESERVED_IDS = {
    "index": "docs/articles/index.md (the list of all articles)",
    "tags": "docs/browse/tags.md (the tags page)",
    "search": "search/ folder (the search index)",
    "404": "404.html (the page for a missing address)",
    "timeline": "docs/browse/timeline.md (the timeline)",
    "sources": "docs/browse/sources.md (the sources page)",
    "authors": "docs/browse/authors.md (the authors page)",
    "annotations": "docs/browse/annotations.md (the annotations page)",
    "entities": "docs/entities/index.md (the entities page)",
    "feed": "feed.xml (the Atom feed)",
    "sitemap": "sitemap.xml (the sitemap)",
}


class RawFile(NamedTuple):
    # A named tuple of plain strings: 10,000 of them are made on every rebuild
    # (three times faster than a frozen dataclass; pathlib objects for the paths
    # were a third of this function's time).
    id: str
    path: str
    display: str
    sidecar: str | None  # path of the sidecar file, if there is one


def discover(project: Project, sizes: Callable[[str], int | None] | None = None) -> tuple[list[RawFile], list[Problem]]:
    """The raw articles under ``raw/``, and a problem for every file that is refused.

    One ``scandir`` of the folder: its entries carry their type, so 10,000
    raw files cost one ``stat`` each, not four, and none when ``sizes``
    (path → size, or None when unknown) already knows it from this build's
    input key (``cache.FileHasher.size``).
    """
    problems: list[Problem] = []
    found: dict[str, list[RawFile]] = {}
    raw = project.raw
    if not raw.is_dir():
        return [], [Problem(project.rel(raw), None, "no raw/ directory: put raw articles there")]
    raw_root = raw.resolve()
    prefix = project.rel(raw) + "/"
    raw_path = os.fspath(raw) + os.sep
    with os.scandir(raw) as it:
        entries = sorted(it, key=lambda e: e.name)
    names = {e.name for e in entries}
    for entry in entries:
        name = entry.name
        display = prefix + name
        if name.startswith(".") or name.endswith(SIDECAR_SUFFIX) or name in ("README.md",):
            continue
        path = raw_path + name
        if entry.is_symlink():
            target = Path(path).resolve()
            if raw_root not in target.parents:
                problems.append(Problem(display, None, "symlink pointing outside raw/ refused"))
                continue
        try:
            if entry.is_dir():
                continue
            if not entry.is_file() and os.path.exists(path):
                # A fifo would block the build, /dev/zero would fill its memory.
                problems.append(Problem(display, None, "is not a regular file (a device, fifo or socket): refused"))
                continue
        except OSError:
            pass
        suffix = os.path.splitext(name)[1]
        if suffix.lower() not in RAW_EXTENSIONS:
            problems.append(Problem(display, None, f"not a raw article (expected one of {', '.join(RAW_EXTENSIONS)})"))
            continue
        aid = name[: -len(suffix)]
        if not _ID.match(aid):
            problems.append(Problem(display, None, "file name must be ASCII letters, digits, '-', '_' or '.' (no spaces, no '..'); name raw files YYYY-MM-DD-short-title.ext"))
            continue
        try:
            size = sizes(entry.path) if sizes is not None else None
            if size is None:
                size = entry.stat().st_size
        except OSError as exc:  # a dangling symlink, a file removed while we look
            problems.append(Problem(display, None, f"cannot read file: {exc.strerror or exc}"))
            continue
        if size > MAX_RAW_BYTES:
            # Refused from its size alone: a huge file is never read into memory.
            problems.append(Problem(display, None, f"file is {size:,} bytes; the limit for a raw article is {MAX_RAW_BYTES:,} bytes"))
            continue
        reserved = RESERVED_IDS.get(aid.casefold())
        if reserved is not None:
            problems.append(Problem(display, None, f"the id {aid!r} is reserved: the site's {reserved} has it; rename the raw file"))
            continue
        side = aid + SIDECAR_SUFFIX
        # Ids that differ only in case or Unicode form would be one file on a
        # case-insensitive file system (and one URL for many readers).
        found.setdefault(unicodedata.normalize("NFKC", aid).casefold(), []).append(RawFile(aid, path, display, raw_path + side if side in names else None))
    files: list[RawFile] = []
    for aid, group in sorted(found.items()):
        if len(group) > 1:
            names_shown = ", ".join(f.display for f in group)
            for f in group:
                problems.append(Problem(f.display, None, f"two raw files have the id {group[0].id!r}: {names_shown}"))
            continue
        files.append(group[0])
    for name in sorted(names):
        if name.endswith(SIDECAR_SUFFIX) and not name.startswith(".") and name[: -len(SIDECAR_SUFFIX)].lower() not in found:
            problems.append(Problem(prefix + name, None, "sidecar without a raw article of the same name", "warning"))
    return files, problems
