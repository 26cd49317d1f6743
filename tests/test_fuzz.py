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
from archive_build.safe_yaml import load_text

FUZZ = Path(__file__).resolve().parent / "fuzz"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "realistic"


@pytest.mark.skipif(not os.environ.get("CI"), reason="fuzzing runs in CI only (60 s per target)")
@pytest.mark.parametrize("target", ["fuzz_clean.py", "fuzz_yaml.py"])
def test_a_fuzz_target_finds_no_crash_in_a_minute(target: str, tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    crashes = FUZZ / "crashes"
    crashes.mkdir(exist_ok=True)
    corpus = tmp_path / "corpus"  # libFuzzer adds to its first corpus directory: a copy, never the fixtures
    corpus.mkdir()
    if target == "fuzz_clean.py":
        for i, path in enumerate(sorted(CORPUS.iterdir())):
            ext_byte = bytes([{".txt": 0, ".md": 1, ".html": 2}.get(path.suffix, 0)])
            (corpus / f"seed-{i}").write_bytes(ext_byte + path.read_bytes())
    proc = subprocess.run(
        [sys.executable, str(FUZZ / target), "-max_total_time=60", "-rss_limit_mb=2048", "-timeout=20", f"-artifact_prefix={crashes}/", str(corpus)],
        capture_output=True, text=True, timeout=600,
    )
    tail = proc.stderr[-3000:]
    print(tail)  # "Done N runs in 60 second(s)": the executions per target
    assert proc.returncode == 0, tail


@pytest.mark.parametrize("path", sorted((FUZZ / "crashes").glob("*")) if (FUZZ / "crashes").is_dir() else [], ids=lambda p: p.name)
def test_a_kept_fuzz_crash_is_fixed(path: Path) -> None:
    data = path.read_bytes()
    for ext in (".txt", ".md", ".html"):
        try:
            clean_article(data, f"raw/2024-01-01-crash{ext}")
        except InputError:
            pass
    try:  # what fuzz_yaml.py drives: the same bytes as a sidecar
        load_text(data.decode("utf-8", "replace"), "raw/x.meta.yml")
    except InputError:
        pass
