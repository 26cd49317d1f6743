"""`archive-build site` after a change renders only the pages it changed, and makes the site a whole render makes, byte for byte.

One generated archive is rendered once; each test changes it, runs the
build step and the site step in place (an incremental render from the site
the previous step left), then renders the same inputs whole, in one
process, in a copy without the old site, and compares the two trees.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from testkit.serve import prepend_to_first_note
from testkit.skeleton import make_project

from .conftest import run_cli

BIN = Path(sys.executable).parent
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}

pytestmark = pytest.mark.slow


def _files(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def _inodes(tree: Path) -> dict[str, int]:
    return {p.relative_to(tree).as_posix(): p.stat().st_ino for p in tree.rglob("*") if p.is_file()}


def _site(project: Path) -> str:
    """``archive-build site -j 1 --timings``: its stderr."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH}
    proc = subprocess.run(
        [str(BIN / "archive-build"), "site", "-j", "1", "--timings"], cwd=project, capture_output=True, text=True, env=env, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr


def _build_and_site(project: Path) -> str:
    run_cli(project, "build", "--quiet", check=True)
    return _site(project)


def _whole_render(project: Path, tmp: Path) -> dict[str, bytes]:
    """The site one whole render makes of ``project``'s inputs (in a copy without its site or the records of it)."""
    copy = tmp / "whole"
    ignore = shutil.ignore_patterns("site", ".site.*", "site-pages.jsonl", "site-inputs", "trash", "site-spare", "*.tmp-*")
    shutil.copytree(project, copy, symlinks=True, ignore=ignore)
    out = _site(copy)
    assert ", whole," in out
    return _files(copy / "site")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive (every raw shape, annotations, entities, tags), built and rendered whole once."""
    root = tmp_path_factory.mktemp("incremental") / "archive"
    make_project(root, 14, seed=5)
    assert ", whole," in _build_and_site(root)
    return root


def _rendered_pages(out: str) -> int:
    m = re.search(r"archive: rendering (\d+) pages; (\d+) unchanged", out)
    assert m, out[-2000:]
    return int(m.group(1))


def test_one_edited_annotation_renders_a_few_pages_and_makes_the_site_a_whole_render_makes(project: Path, tmp_path: Path) -> None:
    before = _inodes(project / "site")
    note = sorted((project / "annotations").glob("*.yml"))[0]
    data = yaml.safe_load(note.read_text("utf-8"))
    data["annotations"][0]["body"] = "An edited note. " + str(data["annotations"][0]["body"])
    note.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    out = _build_and_site(project)

    assert ", incremental," in out
    assert _files(project / "site") == _whole_render(project, tmp_path)
    after = _inodes(project / "site")
    page = f"articles/{note.stem}/index.html"
    assert after[page] != before[page]
    kept = [p for p in before if p.startswith("articles/") and p != page and p.endswith("index.html") and after.get(p) == before[p]]
    assert len(kept) >= 10  # the other articles' pages are the old site's files, not rendered again
    assert _rendered_pages(out) < 10


def _edit_first_note(project: Path, words: str) -> Path:
    note = sorted((project / "annotations").glob("*.yml"))[0]
    prepend_to_first_note(note, words)
    return note


def _wait_for_spare(project: Path) -> None:
    spare = project / ".cache" / "archive-build" / "site-spare"
    deadline = time.monotonic() + 120
    while not spare.is_dir() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert spare.is_dir()


def test_the_first_edit_after_a_whole_render_is_made_of_a_spare_linked_meanwhile(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    make_project(root, 6, seed=7)
    assert ", whole," in _build_and_site(root)
    _wait_for_spare(root)
    _edit_first_note(root, "An edit after a whole render. ")
    out = _build_and_site(root)
    assert ", incremental," in out and "made of the spare tree" in out
    assert _files(root / "site") == _whole_render(root, tmp_path)


def test_edits_in_a_row_make_each_site_of_the_one_before_last_and_match_a_whole_render(project: Path, tmp_path: Path) -> None:
    _edit_first_note(project, "First of two edits. ")
    assert ", incremental," in _build_and_site(project)
    live = _inodes(project / "site")
    note = _edit_first_note(project, "Second of two edits. ")

    out = _build_and_site(project)

    assert ", incremental," in out and "made of the spare tree" in out
    assert _files(project / "site") == _whole_render(project, tmp_path)
    after = _inodes(project / "site")
    page = f"articles/{note.stem}/index.html"
    assert after[page] != live[page]
    kept = [p for p in live if p.startswith(("articles/", "data/articles/")) and p != page and after.get(p) == live[p]]
    assert len(kept) >= 20  # the unchanged pages and open data are the live site's files, not rendered or copied again


def test_an_added_article_is_rendered_with_the_pages_that_list_it(project: Path, tmp_path: Path) -> None:
    (project / "raw" / "2024-03-05-a-late-addition.txt").write_text(
        "A late addition\n\nA short article added after the site was rendered, naming nobody in particular.\n", "utf-8",
    )

    out = _build_and_site(project)

    assert ", incremental," in out
    assert "articles/2024-03-05-a-late-addition/index.html" in (site := _files(project / "site"))
    assert site == _whole_render(project, tmp_path)


def test_a_removed_article_leaves_the_site_with_its_pages_and_data(project: Path, tmp_path: Path) -> None:
    gone = sorted((project / "raw").glob("*.txt"))[-1]
    gone.unlink()
    for note in (project / "annotations").glob(f"{gone.stem}*"):
        shutil.rmtree(note) if note.is_dir() else note.unlink()

    out = _build_and_site(project)

    assert ", incremental," in out
    site = _files(project / "site")
    assert not any(gone.stem in path for path in site)
    assert site == _whole_render(project, tmp_path)


def test_a_changed_mkdocs_yml_renders_every_page(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_name: Reading Archive", "site_name: Another Archive"), "utf-8")

    out = _site(project)

    assert ", whole," in out
    site = _files(project / "site")
    assert b"Another Archive" in site[next(p for p in site if p.startswith("articles/") and p.endswith("/index.html") and p != "articles/index.html")]
    assert site == _whole_render(project, tmp_path)
