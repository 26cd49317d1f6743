"""`make bench-hooks`: the archive's plugin and overrides against plain MkDocs + Material, in CPU seconds."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.hooks import main


@pytest.mark.slow
def test_the_hooks_bench_builds_both_ways_and_prints_the_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--n", "4", "--rounds", "1", "--workdir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| plain MkDocs + Material |" in out and "| with the archive's plugin and overrides |" in out
    assert "CPU, archive / plain:" in out
    assert not list(tmp_path.glob("hooks-out-*")), "the output folders are left behind"
