"""`archive-build site`: renders only when an input changed, indexes after MkDocs, keeps or deletes the old tree.

The old tree is kept for the next incremental render (``site/spare.py``) or deleted in the background.

Real builds of the archive's own content with the real MkDocs and Pagefind.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import copy_project, run_cli

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _files(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def _mtimes(tree: Path) -> dict[str, int]:
    return {p.relative_to(tree).as_posix(): p.stat().st_mtime_ns for p in tree.rglob("*")}


def _site(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH}
    return subprocess.run([str(BIN / "archive-build"), "site"], cwd=project, capture_output=True, text=True, env=env, timeout=900, check=True)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("publish"))
    run_cli(project, "build", "--quiet", check=True)
    _site(project)
    return project


def test_with_nothing_changed_the_site_is_not_rendered_and_no_file_is_rewritten(published: Path) -> None:
    before = _mtimes(published / "site")
    proc = _site(published)
    assert "nothing changed" in proc.stderr
    assert "Building documentation" not in proc.stderr
    assert _mtimes(published / "site") == before


def test_a_changed_hand_written_page_renders_the_site_again(published: Path) -> None:
    about = published / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nA sentence added for the test.\n", "utf-8")
    proc = _site(published)
    assert "nothing changed" not in proc.stderr
    assert "A sentence added for the test." in (published / "site" / "about" / "index.html").read_text("utf-8")


def test_a_removed_site_is_rendered_again(published: Path) -> None:
    import shutil

    shutil.rmtree(published / "site")
    _site(published)
    assert (published / "site" / "index.html").is_file()


def test_the_site_is_the_one_mkdocs_build_makes_with_its_search_index(published: Path, tmp_path: Path) -> None:
    _site(published)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH}
    subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / "plain")], cwd=published, env=env, capture_output=True, check=True, timeout=900)
    assert _files(published / "site") == _files(tmp_path / "plain")


def _trash_emptied(project: Path) -> bool:
    """Whether the background deleter has emptied the cache's trash (a wait for it, not a measurement)."""
    trash = project / ".cache" / "archive-build" / "trash"
    deadline = time.monotonic() + 120
    while trash.is_dir() and any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not trash.is_dir() or not any(trash.iterdir())


def test_after_a_whole_render_the_old_tree_is_deleted_and_the_spare_is_the_new_site_s_files(published: Path) -> None:
    config = published / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\n# An edit that renders every page.\n", "utf-8")
    _site(published)
    assert _trash_emptied(published)
    assert not [p for p in published.iterdir() if p.name.startswith(".site.")]
    spare = published / ".cache" / "archive-build" / "site-spare"
    deadline = time.monotonic() + 120
    while not spare.is_dir() and time.monotonic() < deadline:
        time.sleep(0.1)
    inodes = lambda tree: {p.relative_to(tree): p.stat().st_ino for p in tree.rglob("*") if p.is_file()}  # noqa: E731
    assert inodes(spare) == inodes(published / "site")  # hard links: nothing copied


def test_after_an_incremental_render_the_old_tree_is_kept_for_the_next_and_the_one_before_deleted(published: Path) -> None:
    spare = published / ".cache" / "archive-build" / "site-spare"
    for edition in (1, 2):
        (published / "docs" / "about.md").write_text(f"# About\n\nEdition {edition}.\n", "utf-8")
        live = published / "site" / "about" / "index.html"
        before = (live.stat().st_ino, live.read_bytes())
        _site(published)
        kept = spare / "about" / "index.html"
        assert (kept.stat().st_ino, kept.read_bytes()) == before  # the tree just swapped out
        assert f"Edition {edition}.".encode() in live.read_bytes()
    assert _trash_emptied(published)
    assert not [p for p in published.iterdir() if p.name.startswith(".site.")]
