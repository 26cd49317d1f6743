"""Every mistake in an annotation file is reported at its line, with how to fix it in plain words."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive_build.annotations.load import read_annotations

ID = "2024-01-01-example"
HEAD = f"article: {ID}\nannotations:\n"


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / f"{ID}.yml"
    path.write_text(text)
    return [str(p) for p in read_annotations(path, f"annotations/{ID}.yml", ID).problems]


def item(**fields: str) -> str:
    base = {"id": "a", "quote": '"Some words"', "author": '"@a"', "created": "2026-11-20", "body": "x"}
    base.update(fields)
    lines = [f"  - {k}: {v}" if i == 0 else f"    {k}: {v}" for i, (k, v) in enumerate(base.items())]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (HEAD + "  - id: a\n\tquote: x\n", ":4: error: YAML error: a tab character: indent with spaces"),
        (HEAD + item(author="@bob"), ":5: error: YAML error: a value cannot start with '@' unless it is quoted: write author: \"@bob\""),
        (HEAD + item(quote="`code`"), ":4: error: YAML error: a value cannot start with '`' unless it is quoted"),
        (HEAD + item(quote="%done"), ":4: error: YAML error: a value cannot start with '%' unless it is quoted"),
        (HEAD + item(quote="Note: this matters"), ":4: error: YAML error: a value holds ': ' (a colon and a space), which YAML reads as a new key: put the whole value in double quotes"),
        (HEAD + item(quote='"he said "no" twice"'), ':4: error: YAML error: a " inside a double-quoted value ends the value early: write it as \\"'),
        (HEAD + item(quote="'it's here'"), ":4: error: YAML error: an apostrophe inside a single-quoted value ends the value early: write it twice ('')"),
        (HEAD + item(body="|\n      First line.\n     second line\n    kind: note"), ":9: error: YAML error: this line is less indented than the body that starts under line 7"),
        (HEAD + item(created="2026-13-45"), ":6: error: YAML error: '2026-13-45' is not a valid date (month must be in 1..12); write dates as YYYY-MM-DD"),
        (HEAD + item(created='"2023-05"'), ":6: error: created 2023-05 is not a date; write it as YYYY-MM-DD"),
    ],
    ids=["tab", "at", "backtick", "percent", "colon-space", "double-quote-inside", "apostrophe-inside", "less-indented-body", "impossible-date", "month-only-date"],
)
def test_each_yaml_mistake_has_its_line_and_its_fix(tmp_path, text, expected):
    assert any(expected in p for p in problems(tmp_path, text)), problems(tmp_path, text)


def test_an_unclosed_quote_is_reported_where_it_opens_not_past_the_end_of_the_file(tmp_path):
    text = HEAD + "  - id: a\n    quote: \"the words\n    author: \"@a\"\n"  # 5 lines
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(f"annotations/{ID}.yml:4: error: YAML error: the quoted value that starts on this line is not closed on it")


def test_an_item_indented_under_the_previous_body_is_an_error_saying_to_dedent_it(tmp_path):
    text = HEAD + item(body="|\n      The first note.\n      - id: b\n        quote: \"Other words\"")
    found = problems(tmp_path, text)
    assert any(
        p.startswith(f"annotations/{ID}.yml:9: error: this line looks like a new annotation, but it is indented under the 'body: |' of line 7")
        and "dedent its '- '" in p
        for p in found
    ), found


def test_a_field_indented_under_the_body_is_a_warning(tmp_path):
    text = HEAD + "  - id: a\n    quote: \"Some words\"\n    created: 2026-11-20\n    author: \"@a\"\n    body: |\n      A note.\n      kind: correction\n"
    assert f"annotations/{ID}.yml:9: warning: 'kind:' is indented under the 'body: |' of line 7" in "\n".join(problems(tmp_path, text))


def test_a_plain_quote_cut_at_a_hash_is_an_error_saying_to_quote_it(tmp_path):
    found = problems(tmp_path, HEAD + item(quote="Hey #Russia is trending"))
    assert (
        f"annotations/{ID}.yml:4: error: YAML reads ' #' as the start of a comment, so this quote is only \"Hey\": "
        "put the whole value in double quotes (quote: \"Hey #Russia is trending\")"
    ) in "\n".join(found)


def test_a_comment_after_a_kind_is_not_reported(tmp_path):
    assert problems(tmp_path, HEAD + item(kind="correction  # the typo")) == []


def test_a_quoted_value_with_a_hash_is_not_reported(tmp_path):
    assert problems(tmp_path, HEAD + item(quote='"Hey #Russia"')) == []
