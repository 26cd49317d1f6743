"""The fuzz target runs for 60 s per format family in CI only (``CI`` set); locally it is skipped.

Any crash atheris finds is written to ``tests/fuzz/crashes/`` and must be
kept as a regression case below.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive_build.errors import InputError
from archive_build.pipeline import clean_article

FUZZ = Path(__file__).resolve().parent / "fuzz"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "realistic"


@pytest.mark.skipif(not os.environ.get("CI"), reason="fuzzing runs in CI only (60 s)")
def test_the_cleaner_survives_a_minute_of_fuzzing(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    crashes = FUZZ / "crashes"
    crashes.mkdir(exist_ok=True)
    proc = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz_clean.py"), "-max_total_time=60", "-rss_limit_mb=2048", f"-artifact_prefix={crashes}/", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    tail = proc.stderr[-3000:]
    print(tail)
    assert proc.returncode == 0, tail


@pytest.mark.parametrize("path", sorted((FUZZ / "crashes").glob("*")) if (FUZZ / "crashes").is_dir() else [], ids=lambda p: p.name)
def test_a_kept_fuzz_crash_is_fixed(path: Path) -> None:
    data = path.read_bytes()
    for ext in (".txt", ".md", ".html"):
        try:
            clean_article(data, f"raw/2024-01-01-crash{ext}")
        except InputError:
            pass
