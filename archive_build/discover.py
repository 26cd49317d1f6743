"""Finding the raw articles and refusing files that must not be read."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .project import Project
from .readers import RAW_EXTENSIONS, article_id
from .readers.decode import MAX_RAW_BYTES
from .sidecar import SIDECAR_SUFFIX, sidecar_path

_ID = re.compile(r"^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*$", re.I)


@dataclass(frozen=True)
class RawFile:
    id: str
    path: Path
    display: str
    sidecar: Path | None


def discover(project: Project) -> tuple[list[RawFile], list[Problem]]:
    problems: list[Problem] = []
    found: dict[str, list[RawFile]] = {}
    raw_root = project.raw.resolve()
    if not project.raw.is_dir():
        return [], [Problem(project.rel(project.raw), None, "no raw/ directory: put raw articles there")]
    for path in sorted(project.raw.iterdir()):
        name = path.name
        display = project.rel(path)
        if name.startswith(".") or name.endswith(SIDECAR_SUFFIX) or name in ("README.md",):
            continue
        if path.is_symlink():
            target = path.resolve()
            if raw_root not in target.parents:
                problems.append(Problem(display, None, "symlink pointing outside raw/ refused"))
                continue
        if path.is_dir():
            continue
        if path.suffix.lower() not in RAW_EXTENSIONS:
            problems.append(Problem(display, None, f"not a raw article (expected one of {', '.join(RAW_EXTENSIONS)})"))
            continue
        aid = article_id(path)
        if not _ID.match(aid):
            problems.append(Problem(display, None, "file name must be ASCII letters, digits, '-', '_' or '.' (no spaces, no '..'); name raw files YYYY-MM-DD-short-title.ext"))
            continue
        try:
            size = path.stat().st_size
        except OSError as exc:  # a dangling symlink, a file removed while we look
            problems.append(Problem(display, None, f"cannot read file: {exc.strerror or exc}"))
            continue
        if size > MAX_RAW_BYTES:
            # Refused from its size alone: a huge file is never read into memory.
            problems.append(Problem(display, None, f"file is {size:,} bytes; the limit for a raw article is {MAX_RAW_BYTES:,} bytes"))
            continue
        side = sidecar_path(path)
        found.setdefault(aid.lower(), []).append(RawFile(aid, path, display, side if side.exists() else None))
    files: list[RawFile] = []
    for aid, group in sorted(found.items()):
        if len(group) > 1:
            names = ", ".join(f.display for f in group)
            for f in group:
                problems.append(Problem(f.display, None, f"two raw files have the id {group[0].id!r}: {names}"))
            continue
        files.append(group[0])
    for path in sorted(project.raw.glob("*" + SIDECAR_SUFFIX)):
        if path.name[: -len(SIDECAR_SUFFIX)].lower() not in found:
            problems.append(Problem(project.rel(path), None, "sidecar without a raw article of the same name", "warning"))
    return files, problems
