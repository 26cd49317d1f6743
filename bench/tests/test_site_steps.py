"""`make bench`'s site step: every stage of `archive-build site` timed, and figures projected to a size not run."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.projection import project
from bench.site_steps import projected, run_size, stage_seconds, table


def test_a_projection_recovers_the_power_law_it_is_fitted_to() -> None:
    value, exponent = project([(1_000, 3.0), (10_000, 3.0 * 10**1.2), (30_000, 3.0 * 30**1.2)], 100_000)
    assert exponent == pytest.approx(1.2)
    assert value == pytest.approx(3.0 * 100**1.2)


def test_a_projection_needs_two_sizes() -> None:
    with pytest.raises(ValueError):
        project([(1_000, 3.0), (1_000, 4.0)], 100_000)


def test_the_stages_are_read_from_the_site_steps_timings_line() -> None:
    out = "x\narchive-build site timings: jobs 2, render 12.50 s, index 3.25 s, swap 0.01 s\n"
    assert stage_seconds(out) == {"render": 12.5, "index": 3.25, "swap": 0.01}


@pytest.mark.slow
def test_the_site_bench_times_every_stage_checks_the_no_op_and_projects(tmp_path: Path) -> None:
    rows = [run_size(n, tmp_path, plain=False, one=False, jobs=2, single=False, probe=False) for n in (6, 9)]
    assert all(step.returncode == 0 for row in rows for step in (row.build, row.site, row.noop))
    assert all({"render", "index"} <= set(row.stages) for row in rows)
    assert [row.noop_rewritten for row in rows] == [0, 0], "the no-op rewrote files in site/"
    assert len(table(rows).splitlines()) == 4
    figures = projected(rows, 100_000)
    assert set(figures) == {"build step", "site step", "build peak", "site peak"}
    assert all(value > 0 for value, _exponent in figures.values())
