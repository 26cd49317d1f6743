"""Hostile inputs of any size: the shapes that made the cleaner or the site slow down super-linearly.

Each shape is a function of a size in bytes that returns one raw article's
text (and its extension), made of ordinary characters in unusual runs: what
an attacker, or an unlucky curator pasting a broken export, can put in a
pull request.  The shapes come from issue 25 (text without sentence
terminators, runs of spaces, nested or unclosed brackets, Markdown link
openers, bare URLs, footnote-like markers, bidi and zero-width characters,
a one-line text, a Markdown file of backslashes) and from the classic
regular-expression denial-of-service inputs (a long run of one character
that a pattern nearly matches, followed by the character that makes it fail).

``tests/test_hostile_inputs.py`` runs them small in ``make test`` (growth
ratios and the budget, never absolute times); ``bench/hostile.py`` runs
them at 25-400 KB in ``make bench-hostile`` and fits the exponent of each.
"""
from __future__ import annotations

from typing import Callable, NamedTuple


class Shape(NamedTuple):
    name: str
    ext: str  # ".txt", ".md" or ".html"
    make: Callable[[int], str]  # size in bytes -> the raw article's text
    note: str


def fill(unit: str, size: int) -> str:
    """``unit`` repeated up to ``size`` characters (cut in the middle of a unit if need be)."""
    return (unit * (size // max(1, len(unit)) + 1))[:size]


def _titled(body: str) -> str:
    return "A hostile article\n\n" + body + "\n"


def _no_terminator(n: int) -> str:
    return _titled(fill("the word and more words without any end ", n))


def _space_runs(n: int) -> str:
    return _titled(fill("a" + " " * 300, n // 2) + "\n\n" + fill("b  ", n // 2))


def _brackets(n: int) -> str:
    return _titled(fill("([{<(\"'«‘ ", n // 2) + fill("(a [b {c", n // 2))


def _link_openers(n: int) -> str:
    return _titled(fill("[a ", n // 3) + fill("[", n // 3) + fill("![x](", n // 3))


def _bare_urls(n: int) -> str:
    return _titled(fill("see https://example.org/a/b?c=d&e=f www.example.com/x ", n // 2) + fill("http://", n // 2))


def _footnote_markers(n: int) -> str:
    return _titled(fill("word[1] ", n // 4) + fill("[^1]: ", n // 4) + fill("¹ ² ³ *1 ", n // 4) + fill("1. ", n // 4))


def _bidi(n: int) -> str:
    return _titled(fill("a\u202e b\u200b\u200d c\u2066\u2069\ufeff ", n // 2) + fill("\u200b", n // 2))


def _one_line(n: int) -> str:
    return fill("Word, words; and words: more of them - without any stop ", n)


def _backslashes(n: int) -> str:
    return _titled(fill("\\", n // 2) + "\n\n" + fill("\\*", n // 2))


def _markdown_emphasis(n: int) -> str:
    return _titled(fill("*a _b **c __d ", n // 2) + fill("`", n // 4) + fill("~~=", n // 4))


def _html_like(n: int) -> str:
    return _titled(fill("<a <b x= <!-- &amp &#", n))


def _lines(n: int) -> str:
    """Many short lines: headings, list items, quotes and table rows that never close."""
    return fill("#\n> > > x\n- - - y\n| a | b\n---\n1)\n", n)


def _one_char(n: int) -> str:
    return "a" * n + "!"


def _space_then_fail(n: int) -> str:
    return "x" + " " * n + "\x00x"


def _tabs_and_dashes(n: int) -> str:
    return _titled(fill("\t", n // 3) + "\n" + fill("-", n // 3) + "x\n" + fill("=_", n // 3))


def _digits_and_dates(n: int) -> str:
    return _titled(fill("1, 2023 12:00 ", n // 2) + fill("0", n // 2))


def _fences_and_backticks(n: int) -> str:
    return _titled(fill("```\n", n // 2) + fill("`a``b```c", n // 2))


SHAPES: tuple[Shape, ...] = (
    Shape("no sentence terminator", ".txt", _no_terminator, "one paragraph of words, no full stop"),
    Shape("runs of spaces", ".txt", _space_runs, "300-space runs, then double spaces"),
    Shape("nested/unclosed brackets", ".txt", _brackets, "brackets and quotes opened, never closed"),
    Shape("Markdown link openers", ".md", _link_openers, "'[' alone, '[a ', '![x]('"),
    Shape("bare URLs", ".txt", _bare_urls, "URLs, then 'http://' repeated"),
    Shape("footnote-like markers", ".txt", _footnote_markers, "[1], [^1]:, superscripts, list numbers"),
    Shape("bidi / zero-width", ".txt", _bidi, "RLO, ZWSP, ZWJ, isolates, BOM"),
    Shape("one line", ".txt", _one_line, "a whole text on one line, no full stop"),
    Shape("backslashes", ".md", _backslashes, "Markdown of backslashes"),
    Shape("emphasis and code marks", ".md", _markdown_emphasis, "'*', '_', '`', '~~' never closed"),
    Shape("HTML-like text", ".md", _html_like, "'<a', '<!--', '&#' never closed"),
    Shape("block openers", ".md", _lines, "headings, quotes, lists, tables, rules"),
    Shape("fence lines and backtick runs", ".md", _fences_and_backticks, "'```' lines never closed, backtick runs"),
    Shape("one character, then a mismatch", ".txt", _one_char, "classic ReDoS: 'aaaa…!'"),
    Shape("spaces, then a mismatch", ".txt", _space_then_fail, "classic ReDoS: 'x    …\\0x'"),
    Shape("tabs, dashes, underlines", ".txt", _tabs_and_dashes, "classic ReDoS: runs of \\t, '-', '=_'"),
    Shape("digits and date fragments", ".txt", _digits_and_dates, "date-like fragments, digit runs"),
)

SIZES_KB = (25, 50, 100, 200, 400)


def shape(name: str) -> Shape:
    return next(s for s in SHAPES if s.name == name)
