"""Old trees removed in the background: a swapped-out ``site/`` is not worth waiting for.

Deleting the previous ``site/`` (tens of thousands of files at 10,000
articles) took 11.5 s of every ``archive-build site``.  The old tree is
renamed into the cache's ``trash/`` folder instead (a rename on the same
file system: instant) and a detached process deletes it after the command
has returned.  A deleter killed half-way leaves its tree in ``trash/``,
which the next one empties too.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from archive_build.output import swap_dirs
from archive_build.project import TRASH_FOLDER

FOLDER = TRASH_FOLDER


def swap_in(new: Path, target: Path, cache: Path) -> None:
    """Put the finished tree ``new`` at ``target`` (``output.swap_dirs``) and delete the old one in the background."""
    swap_dirs(new, target, discard=lambda old: discard(old, cache))


def discard(tree: Path, cache: Path) -> None:
    """Move ``tree`` into ``cache/trash/`` and empty that folder in a detached process (here, where it cannot move)."""
    folder = cache / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.rename(tree, folder / f"{tree.name.lstrip('.')}-{os.getpid()}")
    except OSError:  # another file system, or no cache folder to be had
        shutil.rmtree(tree, ignore_errors=True)
        return
    empty_later(folder)


def empty_later(folder: Path) -> None:
    """Delete everything in ``folder`` from a process of its own that outlives this one."""
    code = "import shutil, sys, os\nos.nice(10)\nfor n in os.listdir(sys.argv[1]): shutil.rmtree(os.path.join(sys.argv[1], n), ignore_errors=True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, os.fspath(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )
    except OSError:
        for name in os.listdir(folder):
            shutil.rmtree(folder / name, ignore_errors=True)
