"""A failed system call during a build, as one line naming the path and what to do.

The build's own files (``docs/``' generated folders, ``site-data/``, the
cache) can be made unwritable, replaced or filled up by the world around
it; each such failure is reported as a ``Problem`` for the first path the
user can act on, never as a traceback.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import Problem
from .project import Project

_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


def _unwritable_folder(path: Path) -> Path | None:
    """The nearest existing folder holding ``path`` that this process may not write to."""
    for d in (path, *path.parents):
        if d.is_dir():
            return None if os.access(d, os.W_OK) else d
    return None


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest part of ``path`` that exists but is not a folder."""
    for d in reversed((path, *path.parents)):
        if d.exists() and not d.is_dir():
            return d
    return None


def os_problem(project: Project, exc: OSError) -> Problem:
    """The one-line report of ``exc``, raised while the build wrote or read its own files."""
    raw = exc.filename2 if exc.errno in _NOT_WRITABLE and exc.filename2 else exc.filename
    path = Path(os.fsdecode(raw)) if raw is not None else project.root
    if not path.is_absolute():
        path = project.root / path
    reason = exc.strerror or str(exc)
    if exc.errno in _NOT_WRITABLE:
        folder = _unwritable_folder(path.parent if not path.is_dir() else path) or path
        where = project.rel(folder)
        return Problem(where, None, f"{where} is not writable ({reason}): make it writable and build again")
    if exc.errno == errno.ENOSPC:
        where = project.rel(path)
        return Problem(where, None, f"no space left on the device writing {where}: free some space and build again")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = _file_in_the_way(path)
        if blocker is not None:
            where = project.rel(blocker)
            return Problem(where, None, f"{where} is not a folder: remove it")
    if exc.errno == errno.EISDIR:
        where = project.rel(path)
        return Problem(where, None, f"{where} is a folder where a file belongs: remove it")
    where = project.rel(path)
    return Problem(where, None, f"{reason}: check {where} and build again")
