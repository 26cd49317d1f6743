"""Writing generated trees atomically, touching only files whose bytes changed.

A build writes each generated directory into a temporary sibling and swaps
it into place with ``rename``; a build killed half-way leaves the previous
tree complete.  Unchanged files are hard-linked from the old tree, so their
modification times stay put and ``mkdocs serve --dirtyreload``, rsync and
deploy tools see only what really changed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def sync_tree(target: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Make ``target`` hold exactly ``files`` (relative POSIX path → bytes).

    Returns (files written, files unchanged).  If nothing changed, the tree is
    left as it is (not even swapped).
    """
    written = unchanged = 0
    existing: set[str] = set()
    if target.is_dir():
        for p in target.rglob("*"):
            if p.is_file():
                existing.add(p.relative_to(target).as_posix())
        if existing == set(files) and all(_same(target / rel, data) for rel, data in files.items()):
            return 0, len(files)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for rel in sorted(files):
        data = files[rel]
        dest = tmp / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = target / rel
        if rel in existing and _same(old, data):
            try:
                os.link(old, dest)
                unchanged += 1
                continue
            except OSError:
                pass
        dest.write_bytes(data)
        written += 1
    old_tree = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old_tree)
    os.rename(tmp, target)
    if old_tree.exists():
        shutil.rmtree(old_tree, ignore_errors=True)
    return written, unchanged


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace one file, only when its bytes change."""
    if _same(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def clean_stale_temps(parent: Path) -> None:
    """Remove temporaries left by a build that was killed."""
    if not parent.is_dir():
        return
    for p in parent.iterdir():
        if p.name.startswith(".") and (".tmp-" in p.name or ".old-" in p.name):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
