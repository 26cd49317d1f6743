"""make serve, end to end: an edited annotation and a new article reach the served site without a restart."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.cli import run_cli
from testkit.serve import prepend_to_first_note, serving, wait_for
from testkit.skeleton import make_project

pytestmark = pytest.mark.slow  # a real `mkdocs serve` over a small generated archive


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = tmp_path / "archive"
    make_project(project, 6, seed=5)
    run_cli(project, "build", "--quiet", check=True)
    with serving(project, tmp_path / "serve.log") as base:
        yield project, base


def _log(project: Path) -> str:
    return (project.parent / "serve.log").read_text("utf-8")[-2000:]


def test_an_edited_annotation_is_served_without_a_restart(served: tuple[Path, str]) -> None:
    project, base = served
    annotation = sorted((project / "annotations").glob("*.yml"))[0]
    page = f"{base}articles/{annotation.stem}/"
    assert wait_for(page, "<article", 600) is not None, _log(project)
    for edit in ("first", "second"):  # the first rebuild after the served one, and one after that
        prepend_to_first_note(annotation, f"Served-live-{edit}-edit ")
        assert wait_for(page, f"Served-live-{edit}-edit", 120) is not None, _log(project)


def test_a_new_article_is_served_without_a_restart(served: tuple[Path, str]) -> None:
    project, base = served
    raw = sorted((project / "raw").iterdir())[0]
    assert wait_for(f"{base}articles/{raw.stem}/", "<article", 600) is not None, _log(project)
    (project / "raw" / f"zz-added-live{raw.suffix}").write_bytes(raw.read_bytes())
    assert wait_for(f"{base}articles/zz-added-live/", "<article", 120) is not None, _log(project)
