"""One build at a time per project: a lock file that names the running build's process.

Two builds writing one ``docs/`` and one cache at once undo each other's
work (one removes the other's staging folder as a leftover, both rewrite
the same cache shards).  So a build, ``check`` and ``site`` first take
``.cache/archive-build/build.lock``: an advisory ``flock`` on the file,
which the operating system releases when the holder dies, so a lock left by
a killed build is never mistaken for a running one.  The file holds the
holder's pid, for the message that names it.

The lock is re-entrant within one process (``collect`` inside ``build``).
"""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Callable, Iterator

from archive_build.errors import InputError
from archive_build.project import Project

LOCK_NAME = "build.lock"

# The lock held by this process: (file descriptor, depth of nesting).
_HELD: dict[str, list[int]] = {}


class BuildRunning(InputError):
    """Another build holds the lock and the caller would not wait."""


def ensure_cache_dir(project: Project) -> Path:
    """``project.cache``, created if missing; an ``InputError`` when something else is in its way.

    The cache's root (and ``.cache``) may be the user's: something there
    that is not a folder is theirs to remove, not ours.
    """
    cache = project.cache
    for d in (cache.parent, cache):
        if d.exists() and not d.is_dir():
            raise InputError(project.rel(d), f"{project.rel(d)} is not a folder: remove it")
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(project.rel(cache), f"cannot create the cache folder ({exc.strerror or exc}): make {project.rel(cache.parent)} writable") from None
    return cache


def holder(path: Path) -> int | None:
    """The pid written in a lock file, if any."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _try_lock(fd: int, block: bool) -> bool:
    if sys.platform == "win32":  # pragma: no cover - the build runs on Linux and macOS
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if block else msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX if block else fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except IsADirectoryError:  # inside the cache: ours to replace
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


@contextlib.contextmanager
def build_lock(project: Project, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's build lock while the block runs.

    ``wait``: wait for a running build to finish (telling ``on_wait`` once
    why); otherwise raise ``BuildRunning`` naming the holder.
    """
    path = ensure_cache_dir(project) / LOCK_NAME
    key = os.fspath(path)
    if key in _HELD:
        _HELD[key][1] += 1
        try:
            yield
        finally:
            _HELD[key][1] -= 1
        return
    try:
        fd = _open(path)
    except OSError as exc:
        raise InputError(project.rel(path), f"cannot open the build lock ({exc.strerror or exc}): make {project.rel(path.parent)} writable") from None
    try:
        if not _try_lock(fd, block=False):
            pid = holder(path)
            running = f"another build is running (pid {pid})" if pid else "another build is running"
            if not wait:
                raise BuildRunning(project.rel(path), f"{running}: wait for it to finish, or stop it")
            if on_wait is not None:
                on_wait(f"{project.rel(path)}: {running}; waiting for it to finish")
            _try_lock(fd, block=True)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD[key] = [fd, 1]
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)  # (unlocked by closing it)
    finally:
        os.close(fd)


def forget_in_child() -> None:
    """In a forked child: close its copies of the lock, so that only the build itself holds it.

    A child's copy of the descriptor would keep the lock taken after the
    build that holds it is gone.
    """
    for fd, _depth in _HELD.values():
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()
