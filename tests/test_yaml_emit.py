"""The front matter writer: whatever text it is given, YAML reads back exactly that."""
from __future__ import annotations

import datetime

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_build.yaml_emit import dump
from testkit.examples import examples

# Every code point, surrogates and controls included (they arrive in raw files and annotations).
any_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",)))
scalars = st.one_of(any_text, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4), max_leaves=20)


@given(st.dictionaries(any_text, values, min_size=1, max_size=6))
# No speed check on input generation either (the deadline is off for the suite, tests/conftest.py):
# on a host shared by many builds Hypothesis drew 9 inputs in a second and failed the test.
@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow])
def test_any_mapping_reads_back_as_written(data):
    assert yaml.safe_load(dump(data)) == data


@given(st.lists(values, min_size=1, max_size=4))
def test_any_list_reads_back_as_written(data):
    assert yaml.safe_load(dump(data)) == data


def test_text_that_yaml_would_read_as_another_type_is_quoted():
    for text in ("yes", "No", "on", "null", "~", "1_000", "0x1f", "1.5", "2024-05-01", "=", ".inf", "<<"):
        assert yaml.safe_load(dump({"k": text})) == {"k": text}, text


def test_ordinary_text_is_written_plain_and_multiline_text_as_a_block():
    out = dump({"title": "A plain title, with a comma.", "body": "First line\nsecond line\n"})
    assert out == "title: A plain title, with a comma.\nbody: |\n  First line\n  second line\n"


def test_nested_lists_and_mappings_take_pyyaml_block_layout():
    out = dump({"related": [{"id": "a", "score": 0.5, "tags": ["x"]}], "entities": {"e1": 2}, "none": []})
    assert out == "related:\n- id: a\n  score: 0.5\n  tags:\n  - x\nentities:\n  e1: 2\nnone: []\n"


def test_small_floats_keep_their_type():
    assert yaml.safe_load(dump({"score": 1e-05})) == {"score": 1e-05}


def test_values_it_does_not_write_itself_go_through_pyyaml():
    data = {"when": datetime.date(2024, 5, 1), "title": "x"}
    assert yaml.safe_load(dump(data)) == data
