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

from archive_build.errors import Problem
from archive_build.project import Project

_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


def _unwritable_folder(path: Path) -> Path | None:
    """``path`` if it is a folder this process may not write to, else the nearest existing folder holding it, if unwritable."""
    for d in (path, *path.parents):
        if d.is_dir():
            return None if os.access(d, os.W_OK) else d
    return None


def _absolute(project: Project, name: str | bytes | int) -> Path:
    path = Path(os.fsdecode(name)) if not isinstance(name, int) else project.root
    return path if path.is_absolute() else project.root / path


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest part of ``path`` that exists but is not a folder."""
    for d in reversed((path, *path.parents)):
        if d.exists() and not d.is_dir():
            return d
    return None


def os_problem(project: Project, exc: OSError) -> Problem:
    """The one-line report of ``exc``, raised while the build wrote or read its own files."""
    paths = [_absolute(project, name) for name in (exc.filename, exc.filename2) if name is not None] or [project.root]
    path = paths[0]
    reason = exc.strerror or str(exc)
    if exc.errno in _NOT_WRITABLE:
        # (A rename names two paths; either's folder may be the one that is not writable.)
        folders = [_unwritable_folder(p) for p in paths]
        where = project.rel(next((f for f in folders if f is not None), path))
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
