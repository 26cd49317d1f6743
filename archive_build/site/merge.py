"""Shard trees put together into one site, and the whole site indexed once.

Each shard (``site/plugin/shards.py``) wrote its own article pages (shard
1 also everything else) into a folder of its own, and left what its pages
gave the search in ``STATE_FOLDER`` there.  The trees are disjoint but for
files every shard writes alike (the tags plugin's ``tags.json``): a file
two shards wrote differently is an error, never a silent choice.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Iterable

from archive_build.search import index as search
from archive_build.site.plugin.shards import Shard

#: Inside a shard's folder: its search state (notes, vocabulary counts), not part of the site.
STATE_FOLDER = ".archive-shard"


class MergeError(Exception):
    """Shard folders that do not make one site (missing, from different splits, or disagreeing)."""


def shard_of(folder: Path) -> Shard:
    """The shard a folder holds, from its state file's name."""
    states = sorted((folder / STATE_FOLDER).glob("shard-*-of-*.json"))
    if len(states) != 1:
        raise MergeError(f"{folder}: not the output of one `archive-build site --shard K/N` (no {STATE_FOLDER}/shard-K-of-N.json)")
    k, _, n = states[0].stem.removeprefix("shard-").partition("-of-")
    return Shard(int(k), int(n))


def check_complete(folders: Iterable[Path]) -> list[Path]:
    """The folders in shard order; MergeError unless they are shards 1..N of one N, each once."""
    by_shard = {}
    for folder in folders:
        shard = shard_of(folder)
        if shard.k in by_shard:
            raise MergeError(f"{folder}: shard {shard} given twice")
        by_shard[shard.k] = (shard, folder)
    ns = {shard.n for shard, _ in by_shard.values()}
    if len(ns) != 1:
        raise MergeError(f"shards of different splits: {sorted(str(s) for s, _ in by_shard.values())}")
    n = ns.pop()
    missing = [k for k in range(1, n + 1) if k not in by_shard]
    if missing:
        raise MergeError(f"shards missing: {', '.join(f'{k}/{n}' for k in missing)}")
    return [by_shard[k][1] for k in range(1, n + 1)]


def move_tree(src: Path, dest: Path) -> None:
    """Every file of ``src`` (but its state folder) moved to the same place under ``dest``.

    A folder ``dest`` lacks moves whole, in one rename: most of a shard's
    folders (an article page's, an article's open data) are its own, and
    making each of them again under ``dest`` would double the folders the
    render creates.
    """
    for folder, dirs, names in os.walk(src):
        rel = os.path.relpath(folder, src)
        target = dest / rel if rel != "." else dest
        target.mkdir(parents=True, exist_ok=True)
        shared = []
        for name in sorted(dirs):
            if rel == "." and name == STATE_FOLDER:
                continue
            if not (target / name).exists():
                try:
                    os.rename(os.path.join(folder, name), target / name)
                    continue
                except OSError:  # another file system (shards downloaded elsewhere): copied file by file below
                    pass
            shared.append(name)
        dirs[:] = shared
        for name in sorted(names):
            to = target / name
            if to.exists():
                if to.read_bytes() != (Path(folder) / name).read_bytes():
                    raise MergeError(f"{Path(rel, name).as_posix()}: two shards wrote it differently")
                continue
            try:
                os.rename(os.path.join(folder, name), to)
            except OSError:  # another file system (shards downloaded elsewhere): a copy
                shutil.copy2(os.path.join(folder, name), to)


def merge(folders: list[Path], dest: Path, notes_scratch: Path, cache: Path | None = None) -> dict[str, float]:
    """Shards 1..N (any order) into ``dest``, then the search: the notes, the vocabulary, both Pagefind indexes (``cache``: see ``search.index_site``).

    Returns the seconds each step took (for ``archive-build site --timings``).
    """
    ordered = check_complete(folders)
    states = [next((f / STATE_FOLDER).glob("shard-*.json")) for f in ordered]
    dest.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for folder in ordered:
        move_tree(folder, dest)  # all but the state folders, read next
    moved = time.perf_counter()
    # The notes go to a file shard by shard: held whole (90,000 at 30,000 articles) they would
    # weigh on the index that follows, and on the notes' process forked from this one.
    search.merge_shard_states(states, notes_scratch, dest)
    laps = {"the shards' trees moved": moved - start, "the shards' notes and vocabulary": time.perf_counter() - moved}
    return {**laps, **search.index_site(dest, notes_scratch, cache)}
