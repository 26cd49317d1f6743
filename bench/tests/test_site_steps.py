"""`make bench`'s site step: every stage of `archive-build site` timed, and figures projected to a size not run."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.projection import project
from bench.site_steps import main as site_bench_main, stage_seconds


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
def test_the_site_bench_times_every_stage_checks_the_no_op_and_projects(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert site_bench_main(["--sizes", "6,9", "--workdir", str(tmp_path), "--no-plain", "--no-one", "-j", "2"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip().startswith(("6 ", "9 "))]
    assert len(lines) == 2
    assert all(line.split("|")[9].strip() == "0" for line in lines), "the no-op rewrote files in site/"
    assert "site step at N=100,000" in out
    assert "exited" not in out
