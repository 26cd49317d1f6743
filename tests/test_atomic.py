"""Atomic output: a build killed with SIGKILL at a random point leaves the previous output complete.

``archive-build build`` writes each generated tree beside the old one and
swaps it in (``output.sync_tree``); ``archive-build site`` (what ``make
site`` runs) does the same for MkDocs' ``site/``.  Each test builds once,
changes every input, starts a second build, kills its whole process group
at a random moment, and checks that the tree on disk is exactly the old one
or exactly the new one, never a mixture or a gap; then a rerun completes.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import copy_project, run_cli

BIN = Path(sys.executable).parent
N_ARTICLES = 150
KILLS = 3

pytestmark = pytest.mark.slow


def snapshot(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def write_articles(project: Path, edition: int) -> None:
    for i in range(N_ARTICLES):
        paras = "\n\n".join(
            f"Paragraph {j} of article {i}, edition {edition}: officials in Kyiv said on Tuesday that the grain corridor kept working." for j in range(12)
        )
        (project / "raw" / f"2024-01-01-article-{i:04d}.txt").write_text(f"Article {i} headline\n\nBy Anna Brandt\n\nJanuary 1, 2024\n\n{paras}\n", "utf-8")


def kill_at_random(cmd: list[str], project: Path, seconds: float, rng: random.Random) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(rng.uniform(0, seconds))
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its worker processes, nothing else
    except ProcessLookupError:
        pass
    proc.wait()


def timed(cmd: list[str], project: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=True, capture_output=True)
    return time.perf_counter() - start


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    p = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    write_articles(p, 1)
    return p


def test_a_killed_build_leaves_the_previous_articles_complete(project: Path, tmp_path: Path) -> None:
    build = [str(BIN / "archive-build"), "build", "--quiet"]
    timed(build, project)
    old = snapshot(project / "docs" / "articles")
    reference = copy_project(tmp_path / "reference", raw=False, annotations=False, entities=False)
    write_articles(reference, 2)
    seconds = timed(build, reference)
    new = snapshot(reference / "docs" / "articles")
    assert old.keys() == new.keys() and old != new
    write_articles(project, 2)
    rng = random.Random(7)
    for _ in range(KILLS):
        shutil.rmtree(project / ".cache", ignore_errors=True)  # so every attempt redoes the work
        kill_at_random(build, project, seconds, rng)
        now = snapshot(project / "docs" / "articles")
        assert now in (old, new), "docs/articles/ is a mixture of two builds or incomplete"
    run_cli(project, "build", "--quiet", check=True)
    assert snapshot(project / "docs" / "articles") == new


def _pages(tree: dict[str, bytes]) -> set[str]:
    """The files of a site whose names do not depend on their content (Pagefind's are hashes of theirs, in every part)."""
    return {name for name in tree if not name.startswith("pagefind")}


def _search_index_complete(tree: dict[str, bytes]) -> bool:
    """Each Pagefind bundle has the page list its entry file names."""
    import json

    for bundle in ("pagefind", "pagefind-notes"):
        entry = json.loads(tree[f"{bundle}/pagefind-entry.json"])
        if not all(f"{bundle}/pagefind.{info['hash']}.pf_meta" in tree for info in entry["languages"].values()):
            return False
    return True


def test_a_killed_site_build_leaves_the_previous_site_complete(project: Path) -> None:
    run_cli(project, "build", "--quiet", check=True)
    site = [str(BIN / "archive-build"), "site"]
    seconds = timed(site, project)
    old = snapshot(project / "site")
    write_articles(project, 2)
    run_cli(project, "build", "--quiet", check=True)
    rng = random.Random(11)
    for _ in range(KILLS):
        kill_at_random(site, project, seconds, rng)
        now = snapshot(project / "site")
        assert now == old or (_pages(now) == _pages(old) and b"edition 2" in now["articles/2024-01-01-article-0000/index.html"]), "site/ is incomplete"
        assert _search_index_complete(now), "site/'s search index is incomplete"
        if now != old:
            old = now
    timed(site, project)
    assert b"edition 2" in (project / "site" / "articles" / "2024-01-01-article-0000" / "index.html").read_bytes()
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")], "temporaries left after a complete build"


def test_an_old_tree_left_by_a_kill_between_renames_is_put_back(tmp_path: Path) -> None:
    from archive_build.output import clean_stale_temps

    (tmp_path / ".articles.old-123").mkdir()
    (tmp_path / ".articles.old-123" / "a.md").write_text("kept", "utf-8")
    (tmp_path / ".browse.tmp-123").mkdir()
    clean_stale_temps(tmp_path)
    assert (tmp_path / "articles" / "a.md").read_text("utf-8") == "kept"
    assert not (tmp_path / ".browse.tmp-123").exists()


def test_cleaning_the_cache_leaves_the_trash_folder_to_its_deleter(tmp_path: Path) -> None:
    from archive_build.output import clean_stale_temps
    from archive_build.project import TRASH_FOLDER

    stale = tmp_path / "articles" / "cards" / ".x.tmp-123"
    stale.parent.mkdir(parents=True)
    stale.write_text("left by a killed build", "utf-8")
    in_trash = tmp_path / TRASH_FOLDER / "site.old-1-2" / "articles" / ".y.tmp-123"
    in_trash.parent.mkdir(parents=True)
    in_trash.write_text("an old site's file, not walked", "utf-8")
    clean_stale_temps(tmp_path, recursive=True, skip={TRASH_FOLDER})
    assert not stale.exists()
    assert in_trash.exists()
