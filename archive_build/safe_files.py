"""Reading an input file only if it is a regular file inside the repository.

Raw articles, sidecars, annotation files and ``entities.yml`` arrive through
pull requests, and a pull request can add a symlink: one to ``/etc/passwd``
or a private key would have its content published, one to ``/dev/zero`` or
a fifo would read until memory runs out or block forever.  Every channel
reads through ``read_regular``: the file is opened without blocking (a fifo
then opens at once), checked with ``fstat`` on the descriptor that is read
(so it cannot be swapped between the check and the read), and refused
unless it is a regular file; a symlink is followed only when its target lies
inside ``root``.  A file named on the command line (a Hypothesis export) may
be anywhere (``root=None``) but must still be a regular file.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from archive_build.errors import InputError


def inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether ``path``, every symlink resolved, lies inside ``root`` (also resolved)."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def project_root(path: str | os.PathLike[str]) -> Path | None:
    """The nearest folder above ``path`` (not resolving it) holding ``mkdocs.yml`` or ``raw/``."""
    here = Path(os.path.abspath(path)).parent
    for d in (here, *here.parents):
        if (d / "mkdocs.yml").exists() or (d / "raw").is_dir():
            return d
    return None


def refuse_outside(path: str | os.PathLike[str], display: str, root: str | os.PathLike[str] | None) -> None:
    """Refuse a symlink whose target lies outside ``root`` (or, when ``root`` is None, outside the file's project)."""
    if not os.path.islink(path):
        return
    base = root if root is not None else project_root(path)
    if base is None or not inside(path, base):
        raise InputError(display, "is a symlink to a file outside the repository: refused (only files inside the repository are read)")


def read_regular(
    path: str | os.PathLike[str], display: str, *, limit: int, limit_message: str,
    root: str | os.PathLike[str] | None = None, anywhere: bool = False,
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else an ``InputError`` naming ``display``.

    A symlink must resolve inside ``root`` (default: the path's own project,
    the folder with ``mkdocs.yml``), unless ``anywhere`` (a file named on the
    command line).  ``limit_message`` is the error for a larger file, with
    ``{size}`` for its size.
    """
    if not anywhere:
        refuse_outside(path, display, root)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(display, f"cannot read file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(display, f"is not a regular file ({_kind(st.st_mode)}): refused")
        if st.st_size > limit:
            raise InputError(display, limit_message.format(size=f"{st.st_size:,}"))
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, max(1, min(1 << 20, limit + 1 - size)))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew while being read
                raise InputError(display, limit_message.format(size=f"over {limit:,}"))
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(display, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a fifo"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
