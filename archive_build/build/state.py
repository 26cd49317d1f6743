"""What says the generated files are up to date: the inputs' key and the manifest of every generated tree."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from archive_build import version
from archive_build.build.result import BuildResult
from archive_build.output import Entry, matches, staging_dir, sync_tree, tree_stats
from archive_build.project import Project
from archive_build.store.cache import BuildState, FileHasher


def input_key(project: Project, hasher: FileHasher, keep_going: bool) -> str:
    """Hash of every input of a build: raw files, sidecars, annotations, gazetteer, config, code.

    Computed from ``stat`` results and remembered hashes, so it costs no file reads
    when nothing changed.
    """
    h = hashlib.sha256(version.code_version().encode())
    h.update(b"keep" if keep_going else b"strict")
    for d in (project.raw, project.annotations):
        h.update(b"\1" + project.rel(d).encode())
        _hash_tree(h, os.fspath(d), hasher)
    for p in (project.gazetteer, project.root / "mkdocs.yml"):
        h.update(b"\2" + hasher.digest(p).encode())
    # mkdocs.yml may take its site_url from the environment (citations and open data carry it).
    h.update(b"\3" + os.environ.get("SITE_URL", "").encode())
    return h.hexdigest()


def _hash_tree(h: Any, folder: str, hasher: FileHasher) -> None:
    """Every name below ``folder`` (its subfolders too: ``annotations/<id>/`` holds one file per note) and each file's digest."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        h.update(entry.name.encode() + b"\0")
        if entry.is_dir(follow_symlinks=False):
            h.update(b"/")
            _hash_tree(h, entry.path, hasher)
            h.update(b"\4")
        else:
            h.update(hasher.digest(entry.path).encode())


# The manifest's name for ``project.site_data`` (every other tree is a folder of docs/).
SITE_DATA = "@site-data"


def tree_dir(project: Project, tree: str) -> Path:
    return project.site_data if tree == SITE_DATA else project.docs / tree


def files_intact(stats: dict[str, Any], entries: dict[str, Entry]) -> bool:
    """The files on disk are exactly the ones the manifest recorded."""
    return stats.keys() == entries.keys() and all(matches(stats[rel], e) for rel, e in entries.items())


def state_holds(project: Project, state: BuildState) -> bool:
    """Every generated file is still the one the last build wrote."""
    return all(files_intact(tree_stats(tree_dir(project, tree)), entries) for tree, entries in state.manifest.items())


def write_trees(
    project: Project, result: BuildResult, state: BuildState, trees: dict[str, dict[str, Any]],
    tree_stat: dict[str, dict[str, os.stat_result]], tree_fps: dict[str, dict[str, str]],
) -> dict[str, dict[str, Entry]]:
    """Every generated tree synced to disk (only changed files written); the new manifest. Counts go into ``result``."""
    manifest: dict[str, dict[str, Entry]] = {}
    for tree, files in sorted(trees.items()):
        target = tree_dir(project, tree)
        w, u, entries = sync_tree(target, files, state.manifest.get(tree), tree_stat.get(tree), tree_fps.get(tree))
        shutil.rmtree(staging_dir(target), ignore_errors=True)  # what is left there was unchanged
        result.written += w
        result.unchanged += u
        manifest[tree] = entries
        if w:
            before = state.manifest.get(tree, {})
            # A file on disk is new when its size, modification time or hash is not the last build's.
            written = sorted(rel for rel, e in entries.items() if (old := before.get(rel)) is None or old[:3] != e[:3])
            if tree == SITE_DATA:
                result.site_data_written = written
            else:
                result.docs_written += [f"{tree}/{rel}" for rel in written]
    return manifest
