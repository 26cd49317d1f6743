"""The scale benchmark keeps working (tiny N, no timing assertions) and its archives are valid."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from testkit.generate import generate
from bench.scale import main as bench_main

from testkit.cli import run_cli
from testkit.skeleton import copy_project

# The bench harness: whole builds and MkDocs runs at small sizes, for `make test` only.
pytestmark = pytest.mark.slow


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


def test_generated_annotations_all_anchor_without_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    generate(project, 30)
    quotes = sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))["annotations"]) for p in (project / "annotations").glob("*.yml"))
    proc = run_cli(project, "build", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert f"30 articles, {quotes} annotations" in proc.stderr
    assert " 0 errors" in proc.stderr


def test_the_bench_prints_one_table_row_per_size(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert bench_main(["--sizes", "8", "--no-browser", "--workdir", str(tmp_path), "--reference-pages", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("|")[0].strip() == "N"
    assert out[2].split("|")[0].strip() == "8"


def test_the_reference_build_is_the_issues_plain_site(tmp_path: Path) -> None:
    from bench.reference import make_reference

    project = make_reference(tmp_path / "reference", pages=3)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"] == ["index.md", "all.md"]  # the issue's short navigation
    page = (project / "docs" / "pages" / "page-00001.md").read_text(encoding="utf-8")
    assert 850 <= len(page.split()) <= 1000
    assert page.count("[^") == 6  # three footnotes, each referenced and defined
    assert "tags:" in page


def test_the_bench_times_the_reference_build_just_before_and_after_each_sizes_build_step(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert bench_main(["--sizes", "4,5", "--no-browser", "--no-mkdocs", "--workdir", str(tmp_path), "--reference-pages", "4"]) == 0
    out = capsys.readouterr().out
    assert out.count("Reference (the issue's plain MkDocs + Material build of 4 ~900-word pages") == 4
    assert "(before the build step's runs at N=4)" in out and "(after the build step's runs at N=5)" in out
    assert "no factor" in out  # only the issue's own 1,000 pages compare with its 5.6 s
    assert "The issue's targets on this machine" not in out
    assert "nan" not in out  # the MkDocs columns of a run without MkDocs are "-"


def test_the_issues_targets_scale_with_the_machines_slowness() -> None:
    from bench.scale import targets_here

    line = targets_here(2.5)
    assert "2.5 times slower than the issue's" in line
    assert ">= 200 articles/s" in line and "<= 5.0 s" in line and "<= 12.5 s" in line
    assert "2.0 times faster than the issue's" in targets_here(0.5)


def test_the_serve_latency_bench_sees_an_edit_served(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from testkit.skeleton import make_project
    from bench.serve_latency import main as serve_main

    make_project(tmp_path / "archive", 6)
    assert serve_main(["--project", str(tmp_path / "archive"), "--edits", "1", "--startup-timeout", "240"]) == 0
    out = capsys.readouterr().out
    assert "edit 1: served after" in out


def test_each_size_is_compared_with_the_targets_scaled_at_its_own_moment() -> None:
    from bench.scale import Row, Step, against_targets

    def step(seconds: float) -> Step:
        return Step(seconds, 0.0, 0, "")

    line = against_targets(Row(10_000, step(20.0), None, step(0.1), step(1.5), 0), 1.5)
    assert "cold build 500 articles/s, 1.50 of the target" in line  # the target here: 500 / 1.5 = 333/s
    assert "one annotation 1.50 s, 0.50 of the limit" in line  # the limit here: 2 s x 1.5
    small = against_targets(Row(1000, step(2.0), None, step(0.1), step(1.5), 0), 1.5)
    assert "the target is set for 10,000 articles" in small  # a small build is mostly start-up
