"""What a contributor sees from `archive-build check`, `build` and `annotate`: file:line messages, all at once."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import copy_project, run_cli

STERN = "2023-05-30-drone-attacks-on-moscow-stern"
WSWS = "2023-05-30-drone-attack-on-moscow"
MILITANT = "2025-06-09-moscow-escalates-bombing-of-civilians"
ANNIVERSARY = "2026-02-27-ukraine-war-fourth-anniversary-statements"

# Line numbers matter: the tests below name them.
STERN_BAD = f"""article: {STERN}
annotations:
  - id: one
    qoute: "Panzir anti-aircraft complex"
    author: "@a"
    created: 2026-11-20
    body: x
  - id: two
    quote: "Ternopol"
    created: 2026-11-20
    body: x
  - id: two
    quote: "Ternopol"
    author: "@a"
    created: 2026-11-20
    body: x
  - id: three
    quote: "Ternopol"
    author: "@a"
    created: "20 November"
    kind: remark
    body: x
  - id: four
    quote: "the Kremlin chief was delighted by cats"
    author: "@a"
    created: 2026-11-20
    body: x
  - id: five
    quote: "Kiev"
    author: "@a"
    created: 2026-11-20
    body: x
  - id: six
    quote: "Five more were shot down by the Pantsir anti-aircraft complex"
    author: "@a"
    created: 2026-11-20
    body: x
"""

WSWS_SYNTAX = f"""article: {WSWS}
annotations:
  - id: one
    quote: "the WSWWS noted
    author: "@a"
"""

MILITANT_ALIAS = f"""article: {MILITANT}
annotations:
  - &first
    id: one
    quote: "Hamburg and Dresden"
    author: "@a"
    created: 2026-11-20
    body: x
  - *first
"""

ANNIVERSARY_BAD_DATE = f"""article: {ANNIVERSARY}
annotations:
  - id: one
    quote: "Maria Llova-Belova"
    author: "@a"
    created: 2026-02-30
    body: x
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> tuple[Path, str, int]:
    """A copy of the seeds whose annotation files hold every kind of mistake; `check` run once."""
    project = copy_project(tmp_path_factory.mktemp("broken"), annotations=False)
    ann = project / "annotations"
    (ann / f"{STERN}.yml").write_text(STERN_BAD)
    (ann / f"{WSWS}.yml").write_text(WSWS_SYNTAX)
    (ann / f"{MILITANT}.yml").write_text(MILITANT_ALIAS)
    (ann / f"{ANNIVERSARY}.yml").write_text(ANNIVERSARY_BAD_DATE)
    (ann / "2099-01-01-no-such-article.yml").write_text("article: 2099-01-01-no-such-article\nannotations: []\n")
    proc = run_cli(project, "check")
    return project, proc.stderr, proc.returncode


def line(stderr: str, prefix: str) -> str:
    found = [l for l in stderr.splitlines() if l.startswith(prefix)]
    assert found, f"no line starting with {prefix!r} in:\n{stderr}"
    return found[0]


def test_check_exits_non_zero_and_never_shows_a_traceback(broken):
    _, stderr, rc = broken
    assert rc == 1 and "Traceback" not in stderr


def test_an_unknown_key_names_its_line_and_the_key_it_probably_meant(broken):
    assert "unknown key 'qoute' (did you mean 'quote'?)" in line(broken[1], f"annotations/{STERN}.yml:4: error:")


def test_a_missing_required_field_names_the_annotation_line(broken):
    assert "missing required field 'author'" in line(broken[1], f"annotations/{STERN}.yml:8: error:")


def test_a_duplicate_id_names_both_lines(broken):
    assert "duplicate id 'two' (first used on line 8)" in line(broken[1], f"annotations/{STERN}.yml:12: error:")


def test_a_bad_date_and_an_unknown_kind_are_each_reported_at_their_line(broken):
    assert "is not a date" in line(broken[1], f"annotations/{STERN}.yml:20: error:")
    assert "kind 'remark' is not one of: note, correction, context, source, question" in line(broken[1], f"annotations/{STERN}.yml:21: error:")


def test_a_quote_not_found_shows_the_nearest_passage_with_its_similarity(broken):
    msg = line(broken[1], f"annotations/{STERN}.yml:24: error:")
    assert "quote not found in article" in msg and re.search(r'nearest: ".+" \(\d+%\)', msg)


def test_an_ambiguous_quote_lists_each_occurrence_with_its_context(broken):
    stderr = broken[1]
    assert "occurs 5 times" in line(stderr, f"annotations/{STERN}.yml:29: error:")
    assert "1. …f “terror”. The leadership in [Kiev] rejects" in stderr


def test_a_close_quote_is_re_anchored_with_a_warning_that_gives_the_similarity(broken):
    msg = line(broken[1], f"annotations/{STERN}.yml:34: warning:")
    assert "re-anchored to \"Five more were shot down by the Panzir anti-aircraft complex\"" in msg and re.search(r"\(\d\d% similar\)", msg)


def test_a_yaml_syntax_error_gives_the_line_of_the_mistake(broken):
    # Line 4 opens a quote that is never closed; PyYAML notices on line 5.
    assert "the quoted value that starts on this line is not closed" in line(broken[1], f"annotations/{WSWS}.yml:4: error:")


def test_yaml_aliases_and_anchors_are_refused(broken):
    assert "anchors (&name) are not allowed" in line(broken[1], f"annotations/{MILITANT}.yml:3: error:")


def test_an_impossible_date_is_an_error_not_a_traceback(broken):
    assert "not a valid date" in line(broken[1], f"annotations/{ANNIVERSARY}.yml:6: error:")


def test_annotations_for_an_article_that_does_not_exist_are_an_error(broken):
    assert "does not exist" in line(broken[1], "annotations/2099-01-01-no-such-article.yml:1: error:")


def test_build_fails_the_same_way_as_check(broken):
    project, stderr, _ = broken
    proc = run_cli(project, "build", "--quiet")
    assert proc.returncode == 1
    errors = lambda s: sorted(l for l in s.splitlines() if ": error:" in l)
    assert errors(proc.stderr) == errors(stderr)


def test_a_file_over_256_kb_and_a_custom_yaml_tag_are_refused(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\n#" + "x" * 300_000 + "\nannotations: []\n")
    (project / "annotations" / f"{WSWS}.yml").write_text(f"article: {WSWS}\nannotations: !!python/object:os.system []\n")
    proc = run_cli(project, "check")
    assert proc.returncode == 1 and f"annotations/{STERN}.yml: error: file is" in proc.stderr and "256 KB" in proc.stderr
    assert f"annotations/{WSWS}.yml:2: error: YAML tag tag:yaml.org,2002:python/object:os.system is not allowed" in proc.stderr


def test_keep_going_builds_and_lists_the_unanchored_note_at_the_end_of_its_article(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(
        f"article: {STERN}\nannotations:\n  - id: lost\n    quote: \"words that were never in this article at all\"\n"
        "    author: \"@a\"\n    created: 2026-11-20\n    body: Kept anyway.\n"
    )
    proc = run_cli(project, "build", "--quiet", "--keep-going")
    assert proc.returncode == 0 and f"annotations/{STERN}.yml:4: warning: quote not found" in proc.stderr
    page = (project / "docs" / "articles" / f"{STERN}.md").read_text()
    assert "## Unanchored notes" in page and "[^ann-lost]: " in page and "Kept anyway." in page


def test_switching_keep_going_reuses_the_processed_articles_and_changes_only_the_severity(tmp_path):
    from archive_build.build import build
    from archive_build.project import Project

    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(
        f"article: {STERN}\nannotations:\n  - id: lost\n    quote: \"words that were never in this article at all\"\n"
        "    author: \"@a\"\n    created: 2026-11-20\n    body: Kept anyway.\n"
    )
    strict = build(Project(project), progress=False, workers=1)
    lenient = build(Project(project), keep_going=True, progress=False, workers=1)  # what `make serve` runs
    again = build(Project(project), progress=False, workers=1)
    assert strict.processed > 0 and lenient.processed == 0 and again.processed == 0
    assert [p.severity for p in strict.problems if "quote not found" in p.message] == ["error"]
    assert [p.severity for p in lenient.problems if "quote not found" in p.message] == ["warning"]
    assert [p.severity for p in again.problems if "quote not found" in p.message] == ["error"]


def test_annotate_writes_a_note_file_with_prefix_and_suffix_when_the_quote_is_ambiguous(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    proc = run_cli(project, "annotate", STERN, "Kiev", "--kind", "correction", "--author", "@me")
    assert proc.returncode == 0, proc.stderr
    text = (project / "annotations" / STERN / "kiev.yml").read_text()
    assert 'quote: "Kiev"' in text and 'prefix: "' in text and 'suffix: "' in text and "kind: correction" in text
    assert re.search(rf"annotations/{STERN}/kiev.yml:\d+: added annotation 'kiev'; write its body", proc.stdout)
    # Until the body is written, check says exactly where.
    check = run_cli(project, "check")
    assert check.returncode == 1 and "missing required field 'body'" in check.stderr


def test_annotate_refuses_a_quote_that_is_not_in_the_article(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    proc = run_cli(project, "annotate", STERN, "a sentence nobody ever wrote here")
    assert proc.returncode == 1 and "quote not found" in proc.stderr and "nearest:" in proc.stderr
    assert not (project / "annotations" / f"{STERN}.yml").exists() and not (project / "annotations" / STERN).exists()


def test_the_seed_annotations_all_anchor_exactly(tmp_path):
    project = copy_project(tmp_path / "p")
    proc = run_cli(project, "check")
    assert proc.returncode == 0, proc.stderr
    assert "annotations/" not in proc.stderr


def test_a_links_entry_to_no_article_is_an_error_and_a_body_link_to_none_a_warning_at_their_line(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(
        f"article: {STERN}\nannotations:\n  - id: a\n    quote: \"Ternopol\"\n    author: \"@a\"\n    created: 2026-11-20\n"
        f"    body: See [the other report]({WSWS}.md) and [a typo](2023-05-30-no-such.md).\n"
        "    links: [2099-01-01-nowhere]\n"
    )
    proc = run_cli(project, "check")
    assert proc.returncode == 1
    assert f"annotations/{STERN}.yml:3: error: links: no article '2099-01-01-nowhere' in the archive" in proc.stderr
    assert f"annotations/{STERN}.yml:3: warning: link '2023-05-30-no-such.md' in the body of 'a' leads to no page" in proc.stderr
    assert f"{WSWS}.md'" not in proc.stderr
