"""The HTML and copy-paste accuracy bench keeps working, and its labels say where they come from."""
from __future__ import annotations

import pytest
import yaml

from bench.html_extraction import COPYPASTE, CORPORA, GOLD, main

# The bench harness, for `make test` only.
pytestmark = pytest.mark.slow


def test_every_hand_correction_of_the_snapshots_says_why():
    gold = yaml.safe_load((GOLD / "readability.yml").read_text(encoding="utf-8"))
    assert gold and all(isinstance(entry.get("why"), str) and entry["why"].strip() for entry in gold.values())


def test_every_copy_paste_fixture_has_its_text_its_expected_fields_and_the_shape_it_follows():
    expected = yaml.safe_load((COPYPASTE / "expected.yml").read_text(encoding="utf-8"))
    assert len(expected) >= 10
    for name, want in expected.items():
        assert (COPYPASTE / f"{name}.txt").exists(), name
        assert want.get("shape") and want.get("title") and "authors" in want, name


def test_the_table_has_a_row_per_source_and_extractor(capsys):
    if not (CORPORA / "readability-test-pages").is_dir():
        pytest.skip("the shared corpora are not on this machine")
    assert main(["--limit", "2"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and not line.startswith("| source")]
    assert [(r.split("|")[1].strip(), r.split("|")[3].strip()) for r in rows] == [
        ("readability", "archive-build"),
        ("readability", "trafilatura"),
        ("copy-paste", "archive-build"),
    ]
