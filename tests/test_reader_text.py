"""Plain-text reader and the encodings every reader accepts."""
from __future__ import annotations

import pytest

from archive_build.errors import InputError
from archive_build.ingest.decode import decode
from tests.helpers import clean


def test_one_paragraph_per_line_copy_keeps_each_line_as_a_paragraph():
    first = "First paragraph as a browser copies it: one long line per paragraph, well past any wrapping width, ending properly."
    second = "Second paragraph, also one long line of a full sentence of text, longer than an email client would ever wrap it."
    a = clean(f"Title here\n\n{first}\n{second}\n")
    assert "properly.\n\nSecond" in a.body


def test_hard_wrapped_lines_inside_a_paragraph_are_joined():
    para = (
        "The committee met on Tuesday to discuss the budget for the coming\n"
        "year, and after a long debate it agreed to raise spending on the\n"
        "library by ten percent, which members welcomed.\n"
    )
    a = clean("A wrapped newsletter\n\n" + para + "\nAnother paragraph follows here and ends well.\n")
    assert "coming year, and after a long debate it agreed to raise spending on the library" in a.body


def test_utf8_bom_is_dropped():
    assert decode("Hello".encode("utf-8-sig"), "x.txt") == "Hello"


def test_windows_1252_text_is_decoded_with_its_curly_quotes():
    raw = "\u201cCaf\u00e9\u201d \u2013 na\u00efve r\u00e9sum\u00e9 costs \u20ac5".encode("cp1252")
    assert decode(raw, "x.txt") == "\u201cCaf\u00e9\u201d \u2013 na\u00efve r\u00e9sum\u00e9 costs \u20ac5"


def test_latin_1_text_is_decoded():
    raw = "Gr\u00fc\u00dfe aus M\u00fcnchen, sch\u00f6ne Stra\u00dfe, d\u00e9j\u00e0 vu".encode("latin-1")
    assert decode(raw, "x.txt") == "Gr\u00fc\u00dfe aus M\u00fcnchen, sch\u00f6ne Stra\u00dfe, d\u00e9j\u00e0 vu"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_become_newlines(newline):
    assert decode(f"a{newline}b{newline}".encode(), "x.txt") == "a\nb\n"


def test_text_is_normalised_to_nfc():
    assert decode("Cafe\u0301".encode(), "x.txt") == "Caf\u00e9"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ],
)
def test_unusable_files_raise_a_clear_error_naming_the_file(data, message):
    with pytest.raises(InputError) as exc:
        decode(data, "raw/bad.txt")
    assert "raw/bad.txt" in str(exc.value) and message in str(exc.value)


def test_plain_text_markdown_characters_render_literally():
    a = clean("Title\n\nA *star* and _under_ and <b>bold</b> and [brackets] here.\n# not a heading in the middle of text, really.\n1. not a list, this is prose.\n> not a quote, just a greater-than sign.\n")
    assert r"\*star\*" in a.body and r"\_under\_" in a.body and r"\<b\>bold\</b\>" in a.body and r"\[brackets\]" in a.body
    assert "\n\\# not a heading" in a.body and "\n\\1. not a list" in a.body and "\n\\> not a quote" in a.body
