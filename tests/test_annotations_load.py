"""Validating an annotation file: each mistake is one file:line problem, and all are reported together."""
from __future__ import annotations

from archive_build.annotations.load import load_annotations, validate
from archive_build.safe_yaml import load_text

DISPLAY = "annotations/2024-01-01-example.yml"


def check(text: str):
    return validate(load_text(text, DISPLAY), DISPLAY, "2024-01-01-example")


GOOD = """article: 2024-01-01-example
annotations:
  - id: ok
    quote: "two"
    author: "@a"
    created: 2026-01-02
    body: A note.
"""


def test_a_valid_file_gives_its_annotations_with_defaults_and_no_problems():
    specs, problems = check(GOOD)
    assert not problems and specs[0].kind == "note" and specs[0].created == "2026-01-02" and specs[0].line == 3


def test_the_article_key_must_match_the_file_name():
    _, problems = check(GOOD.replace("article: 2024-01-01-example", "article: 2024-01-01-other"))
    assert problems[0].line == 1 and "does not match the file name" in problems[0].message


def test_an_id_that_is_not_a_slug_is_refused():
    _, problems = check(GOOD.replace("id: ok", "id: Not OK"))
    assert problems[0].line == 3 and "lower-case letters" in problems[0].message


def test_links_must_be_a_list_of_article_ids():
    _, problems = check(GOOD + "    links: {a: b}\n")
    assert problems[0].line == 8 and "links must be a list of article ids" in problems[0].message


def test_an_unknown_top_level_key_is_named():
    _, problems = check(GOOD + "annotation: []\n")
    assert problems[0].line == 8 and "unknown key 'annotation' (did you mean 'annotations'?)" in problems[0].message


def test_every_mistake_of_every_annotation_is_reported_in_one_pass():
    text = GOOD + "  - id: b\n    quote: x\n    kind: rumour\n    created: soon\n"
    specs, problems = check(text)
    messages = [(p.line, p.message.split(" (")[0].split(";")[0]) for p in problems]
    assert [s.id for s in specs] == ["ok"]
    assert (8, "missing required field 'author'") in messages and (8, "missing required field 'body'") in messages
    assert any(line == 10 and "kind 'rumour'" in m for line, m in messages)
    assert any(line == 11 and "is not a date" in m for line, m in messages)


def test_an_empty_file_has_no_annotations_and_no_problems(tmp_path):
    p = tmp_path / "x.yml"
    p.write_text("")
    assert load_annotations(p, DISPLAY, "2024-01-01-example") == ([], [])


def test_an_imported_from_field_is_allowed_for_hypothesis_imports():
    specs, problems = check(GOOD + "    imported_from: hypothesis:abc123\n")
    assert not problems and specs[0].imported_from == "hypothesis:abc123"


def test_a_created_time_is_kept_in_utc():
    specs, problems = check(GOOD.replace("created: 2026-01-02", "created: 2024-03-01T23:30:00-05:00"))
    assert not problems and specs[0].created == "2024-03-02T04:30:00Z"
