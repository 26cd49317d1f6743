"""Markdown reader: front matter wins, syntax is kept, no line is promoted."""
from __future__ import annotations

import pytest

from archive_build.errors import InputError
from tests.helpers import clean


def test_front_matter_fields_win_over_detected_ones():
    a = clean("---\ntitle: From front matter\ndate: 2020-02-03\n---\n# Heading title\n\nBy Jane Roe\n\nBody text of the article goes here.\n", "2020-02-03-x.md")
    assert a.title == "From front matter" and a.date == "2020-02-03" and a.authors == ["Jane Roe"]


def test_first_heading_becomes_the_title():
    a = clean("# The real title\n\nBody text of the article, long enough to read.\n", "x.md")
    assert a.title == "The real title" and "# The real title" not in a.body


def test_emphasis_links_lists_and_quotes_are_kept():
    src = "# T\n\nSome *emphasis* and a [link](https://example.org/a).\n\n- one\n- two\n\n> quoted words\n"
    a = clean(src, "x.md")
    assert "*emphasis*" in a.body and "[link](https://example.org/a)" in a.body and "- one\n- two" in a.body and "> quoted words" in a.body


def test_a_plain_short_line_is_never_promoted_to_a_heading():
    a = clean("# T\n\nFirst paragraph of text that is long and ends.\n\nShort standalone line\n\nAnother paragraph that is long and ends here.\n", "x.md")
    assert "## Short standalone line" not in a.body and "Short standalone line" in a.body


def test_raw_html_in_markdown_is_escaped():
    a = clean("# T\n\nHello <script>alert(1)</script> world.\n", "x.md")
    assert "<script>" not in a.body.replace("\\<", "")


def test_malformed_front_matter_names_the_file_and_line():
    with pytest.raises(InputError) as exc:
        clean("---\ntitle: [unclosed\n---\nBody.\n", "bad.md")
    assert "raw/bad.md:" in str(exc.value)
