"""The synthetic archives the tests and benches build (``testkit.generate``) are varied, deterministic and valid."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from testkit.generate import generate

from .conftest import copy_project, run_cli


def test_generated_archives_have_every_raw_shape_and_a_500_entity_gazetteer(tmp_path: Path) -> None:
    generate(tmp_path, 20)
    suffixes = {p.suffix for p in (tmp_path / "raw").iterdir()}
    assert suffixes == {".txt", ".md", ".html"}
    entities = yaml.safe_load((tmp_path / "entities.yml").read_text(encoding="utf-8"))["entities"]
    assert len(entities) == 500


def test_generation_is_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", 12)
    generate(tmp_path / "b", 12)
    for p in sorted((tmp_path / "a").rglob("*")):
        if p.is_file():
            assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes()


@pytest.mark.slow
def test_generated_annotations_all_anchor_without_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    generate(project, 30)
    quotes = sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))["annotations"]) for p in (project / "annotations").glob("*.yml"))
    proc = run_cli(project, "build", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert f"30 articles, {quotes} annotations" in proc.stderr
    assert " 0 errors" in proc.stderr
