"""The scale benchmark keeps working (tiny N, no timing assertions): its table, its calibration, its targets."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench import reference
from bench.scale import Row, Step, run_size, scaled_targets, standing, table
from bench.scale import main as bench_main
from bench.serve_latency import serve_latencies
from testkit.skeleton import make_project


def _cells(text: str) -> list[dict[str, str]]:
    """The rows of a bench table (a header, a rule, then `` | ``-separated cells) as {column: cell}."""
    lines = text.splitlines()
    head = [h.strip() for h in lines[0].split(" | ")]
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.split(" | ")]
        if len(cells) != len(head):
            break
        rows.append(dict(zip(head, cells)))
    return rows


def _step(seconds: float) -> Step:
    return Step(seconds, 0.0, 0, "")


@pytest.mark.slow
def test_the_bench_prints_one_table_row_per_size(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert bench_main(["--sizes", "8", "--no-browser", "--workdir", str(tmp_path), "--reference-pages", "0"]) == 0
    rows = _cells(capsys.readouterr().out)
    assert [row["N"] for row in rows] == ["8"]
    assert float(rows[0]["build s"]) > 0 and float(rows[0]["mkdocs s"]) > 0


def test_a_run_without_mkdocs_leaves_the_mkdocs_columns_empty() -> None:
    [row] = _cells(table([Row(5, _step(2.0), None, _step(0.1), _step(0.2), 0)]))
    assert row["build s"] == "2.0"
    assert [row[column] for column in ("mkdocs s", "mkdocs MB", "build/mkdocs", "site KB/art")] == ["-"] * 4


@pytest.mark.slow
def test_the_reference_build_is_the_issues_plain_site(tmp_path: Path) -> None:
    project = reference.make_reference(tmp_path / "reference", pages=3)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"] == ["index.md", "all.md"]  # the issue's short navigation
    page = (project / "docs" / "pages" / "page-00001.md").read_text(encoding="utf-8")
    assert 850 <= len(page.split()) <= 1000
    assert page.count("[^") == 6  # three footnotes, each referenced and defined
    assert "tags:" in page


@pytest.mark.slow
def test_the_reference_build_is_timed_just_before_and_just_after_a_sizes_build_step(tmp_path: Path) -> None:
    project = tmp_path / "n4"
    built_when_timed = []

    def calibrate() -> tuple[float, float | None]:
        built_when_timed.append((project / "docs" / "articles").is_dir())
        return reference.slowdown(tmp_path, 4)

    row = run_size(4, tmp_path, browser=False, query=None, mkdocs_step=False, calibrate=calibrate)
    assert built_when_timed == [False, True]
    assert len(row.calibration) == 2
    assert [factor for _seconds, factor in row.calibration] == [None, None]  # only the issue's own 1,000 pages give a factor


def test_the_issues_targets_scale_with_the_machines_slowness() -> None:
    slower = scaled_targets(2.5)
    assert (slower.articles_per_s, slower.rebuild_s, slower.serve_edit_s) == pytest.approx((200, 5.0, 12.5))
    assert scaled_targets(0.5).articles_per_s == pytest.approx(1000)


def test_each_size_is_compared_with_the_targets_scaled_at_its_own_moment() -> None:
    large = standing(Row(10_000, _step(20.0), None, _step(0.1), _step(1.5), 0), 1.5)
    assert large.articles_per_s == pytest.approx(500)
    assert large.of_target == pytest.approx(1.5)  # the target here: 500 / 1.5 = 333/s
    assert large.of_limit == pytest.approx(0.5)  # the limit here: 2 s x 1.5
    small = standing(Row(1000, _step(2.0), None, _step(0.1), _step(1.5), 0), 1.5)
    assert small.of_target is None  # the target is set for 10,000 articles; a small build is mostly start-up


@pytest.mark.slow
def test_the_serve_latency_bench_sees_an_edit_served(tmp_path: Path) -> None:
    make_project(tmp_path / "archive", 6)
    latencies = serve_latencies(tmp_path / "archive", edits=1, startup_timeout=240)
    assert latencies is not None and len(latencies) == 1
    assert latencies[0] is not None
