"""The site before last, kept as the frame of the next incremental render instead of being deleted.

An incremental render links every unchanged file of ``site/`` into a new
tree: at 10,000 articles 20,000 folders made and 60,000 links, and as many
entries deleted with the old tree afterwards, all of it waiting on the
file system (seconds on a busy disk).  The tree that ``site/`` replaced
last time already has those folders, and most of its files are the very
files (the same inodes) of ``site/``.  So ``archive-build site`` keeps that
tree (``FOLDER`` in the cache) after an incremental render, and the next
one makes it into the new site (``make_site``): what is already right
is left alone, and only what differs is linked, moved in or removed.

Nothing in the spare is ever written to: a file that differs is replaced
(a new directory entry), so a file shared with ``site/`` by a hard link
stays as it is there.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from archive_build.project import SPARE_FOLDER

#: The spare tree, in the cache folder.
FOLDER = SPARE_FOLDER


def spare_dir(cache: Path) -> Path:
    return cache / FOLDER


def keep(tree: Path, cache: Path, discard: Callable[[Path], None]) -> None:
    """Keep ``tree`` (just swapped out of ``site/``) as the spare, the previous spare going to ``discard``."""
    spare = spare_dir(cache)
    aside = spare.with_name(f".{FOLDER}.old-{os.getpid()}")
    try:
        if spare.exists():
            os.rename(spare, aside)
        os.rename(tree, spare)
    except OSError:
        discard(tree)
    if aside.exists():
        discard(aside)


def forget(cache: Path, discard: Callable[[Path], None]) -> None:
    """No spare: after a whole render the old tree shares no file with the new one."""
    spare = spare_dir(cache)
    if spare.exists():
        aside = spare.with_name(f".{FOLDER}.old-{os.getpid()}")
        try:
            os.rename(spare, aside)
        except OSError:
            return
        discard(aside)


def make_later(site: Path, cache: Path) -> None:
    """After a whole render: make a spare of ``site`` (hard links) in a process of its own that outlives this one.

    A whole render's old tree shares no file with the new site, so there
    is no spare to keep; without one the next incremental render links all
    of the site's files into a new tree itself (about 3 s at 10,000
    articles).  The spare appears only once complete; a render that starts
    before does without.
    """
    try:
        subprocess.Popen(
            [sys.executable, "-m", "archive_build.site.spare", os.fspath(site), os.fspath(spare_dir(cache))],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
        )
    except OSError:
        pass


def link_tree(site: str, spare: str) -> None:
    """``site``'s folders and hard links to its files at ``spare``, which appears only once complete (and if not there yet)."""
    parent, name = os.path.split(spare)
    tmp = os.path.join(parent, f".{name}.tmp-{os.getpid()}")
    try:
        os.makedirs(tmp)
        for path in _files(site):
            folder = path.rpartition("/")[0]
            if folder:
                os.makedirs(f"{tmp}/{folder}", exist_ok=True)
            os.link(f"{site}/{path}", f"{tmp}/{path}")
        os.rename(tmp, spare)  # fails if a spare is there already: an incremental render kept its own
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def _files(top: str) -> list[str]:
    """Every file under ``top``, relative to it."""
    out: list[str] = []
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(f"{top}/{rel}" if rel else top) as it:
            for e in it:
                path = f"{rel}/{e.name}" if rel else e.name
                (stack if e.is_dir(follow_symlinks=False) else out).append(path)
    return out


def make_site(spare: str, fresh: str, old_site: str, reused: dict[str, int], discard: str) -> None:
    """Make the tree ``spare`` hold exactly ``fresh``'s files and the ``reused`` files of ``old_site``.

    ``reused``: each file taken from the old site, by its path relative to
    the site, with its inode there.  A file of the spare that is that very
    inode stays; the rest is moved into the folder ``discard`` (for a
    background process to delete: freeing a file's blocks took up to 4 ms
    a file on a busy disk, renaming it a tenth of that); what is missing is
    linked (from the old site) or moved in (from ``fresh``, which is left
    with its folders).
    """
    os.makedirs(discard, exist_ok=True)
    gone = 0

    def throw_away(path: str) -> None:
        nonlocal gone
        os.rename(path, f"{discard}/{gone}")
        gone += 1

    wanted: dict[str, int | None] = dict(reused)  # None: from fresh
    for path in _files(fresh):
        wanted[path] = None
    folders = {""}
    for path in wanted:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    existing: set[str] = set()
    right: set[str] = set()
    stack = [""]
    while stack:
        rel = stack.pop()
        existing.add(rel)
        with os.scandir(f"{spare}/{rel}" if rel else spare) as it:
            entries = list(it)
        for e in entries:
            path = f"{rel}/{e.name}" if rel else e.name
            if e.is_dir(follow_symlinks=False):
                if path in folders:
                    stack.append(path)
                else:
                    throw_away(e.path)
            elif wanted.get(path, -1) == e.inode():
                right.add(path)
            else:
                throw_away(e.path)
    for path, inode in wanted.items():
        if path in right:
            continue
        parent = path.rpartition("/")[0]
        if parent not in existing:
            os.makedirs(f"{spare}/{parent}", exist_ok=True)
            while parent not in existing:
                existing.add(parent)
                parent = parent.rpartition("/")[0]
        if inode is None:
            os.replace(f"{fresh}/{path}", f"{spare}/{path}")
        else:
            os.link(f"{old_site}/{path}", f"{spare}/{path}")


if __name__ == "__main__":  # make_later's process
    os.nice(10)
    link_tree(sys.argv[1], sys.argv[2])
