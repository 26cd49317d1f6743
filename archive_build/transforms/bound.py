"""Paragraphs cut to a size Python-Markdown renders in bounded time.

Python-Markdown's inline processing copies a paragraph's remaining text for
every construct it replaces (each escape, emphasis, code span) and, for every
link, reads the rest of the paragraph again to pair its brackets: rendering
a paragraph takes time proportional to its length times the constructs in
it.  A normal paragraph is a few hundred characters with a few links; a
contributed 400 KB paragraph of escapes or links took minutes in MkDocs.
So a paragraph over ``MAX_CHARS``, or whose links times its length exceed
``MAX_LINK_WORK``, is cut into paragraphs that are not: at white space
outside links and code spans, before a letter or an escape (a character
that could start a list, a quote or a definition never starts a new one),
and the article warns that it was.  The site then renders it in time
linear in its length.  No character is lost: only white space between two
pieces becomes a paragraph break.
"""
from __future__ import annotations

import bisect
import re

from archive_build.markdown.linear_scan import code_spans, inline_links
from archive_build.model import Article

MAX_CHARS = 8000
# A piece's links ("](") times its length: Python-Markdown reads the rest of the paragraph for each.
MAX_LINK_WORK = 40_000
# Where a stretch without white space is longer, it may be cut anywhere (every this many characters).
HARD_STRIDE = 200
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_CUT = re.compile(r"[ \t]*\n[ \t]*|[ \t]+")
# What may start a paragraph as text: not a character that opens a block at a line's start
# (heading, quote, list, rule, table, definition, admonition, details, fence, attribute list,
# link reference), nor a digit (an ordered list), nor white space (code).
_UNSAFE_START = frozenset("#>-+*=:!?|[`~_<{&%^\\ \t\n0123456789")


def _needs_cut(text: str) -> bool:
    n = len(text)
    return n > MAX_CHARS or text.count("](") * n > MAX_LINK_WORK


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans a cut must not fall in: code spans (as sanitize_markdown protects them) and inline links."""
    spans = [m.span() for m in code_spans(text)] + [m.span() for m in inline_links(text)]
    spans.sort()
    return spans


def _candidates(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where ``text`` may be cut: (end of the piece before, start of the piece after), in order.

    A cut at a line break starts the next piece where a line already started.

    At white space (dropped), and in a stretch without white space longer
    than ``HARD_STRIDE``, every ``HARD_STRIDE`` characters (nothing dropped);
    never inside a protected span, nor between a backslash and what it escapes.
    """
    starts = [s for s, _ in protected]
    slashes = [m.span() for m in re.finditer(r"\\+", text)] if "\\" in text else []
    slash_starts = [s for s, _ in slashes]

    opening = set(starts)

    def blocked(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos - 1) - 1
        if k >= 0 and protected[k][1] > pos:
            return True
        # An odd run of backslashes right before pos escapes the character at pos.
        k = bisect.bisect_right(slash_starts, pos - 1) - 1
        return k >= 0 and slashes[k][1] >= pos and (pos - slashes[k][0]) % 2 == 1

    out: list[tuple[int, int]] = []
    last = 0
    for m in [*_CUT.finditer(text), None]:
        gap_end = m.start() if m is not None else len(text)
        for pos in range(last + HARD_STRIDE, gap_end - 1, HARD_STRIDE):
            if not blocked(pos) and pos not in opening:
                out.append((pos, pos))
        if m is None or m.end() >= len(text):
            break
        if not blocked(m.start()) and m.end() not in opening:  # (escaping its first character would undo a link)
            out.append((m.start(), m.end()))
        last = m.end()
    return out


def _piece(text: str, start: int, end: int) -> str:
    """``text[start:end]`` as a paragraph of its own: its first character escaped if it would open a block.

    Not at a line's start: what opens a block there did so before the cut
    (a list item stays one, in a list of its own).
    """
    piece = text[start:end]
    if start and piece[:1] in _UNSAFE_START and not piece.startswith("\\") and not _at_line_start(text, start):
        return "\\" + piece
    return piece


def _at_line_start(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] == "\n"


def cut_paragraph(text: str) -> list[str]:
    """``text`` in pieces each within the limits (as far as its cut points allow), in order.

    The white space at a cut is dropped; a piece whose first character
    could open a block gets it backslash-escaped (``pymdownx.escapeall``
    renders it as itself).
    """
    if not _needs_cut(text):
        return [text]
    links = [m.start() for m in re.finditer(r"\]\(", text)]
    pieces: list[str] = []
    start = 0
    best: tuple[int, int] | None = None
    for cut, resume in _candidates(text, _protected(text)):
        length = cut - start
        work = (bisect.bisect_left(links, cut) - bisect.bisect_left(links, start)) * length
        if best is not None and best[0] > start and (length > MAX_CHARS or work > MAX_LINK_WORK):
            pieces.append(_piece(text, start, best[0]))
            start = best[1]
        best = (cut, resume)
    if best is not None and best[0] > start and _needs_cut(text[start:]):
        pieces.append(_piece(text, start, best[0]))
        start = best[1]
    pieces.append(_piece(text, start, len(text)))
    return pieces


def _blocks(body: str) -> list[str]:
    return body.split("\n\n")


def bound_markdown(md: str) -> tuple[str, int]:
    """``md`` with its paragraphs that Python-Markdown would render in super-linear time cut; how many cuts.

    Code fences, tables, indented code and footnote definitions are left as they are.
    """
    if len(md) <= MAX_CHARS and md.count("](") * len(md) <= MAX_LINK_WORK:
        return md, 0
    out: list[str] = []
    fence: str | None = None
    cuts = 0
    for block in _blocks(md):
        first = block.lstrip("\n").split("\n", 1)[0]
        if fence is None and (m := _FENCE.match(first)) is not None:
            fence = m.group(1)
        if fence is not None:
            out.append(block)
            # The fence closes on a line of the same run (``render`` writes code blocks whole).
            lines = block.rstrip("\n").split("\n")
            if len(lines) > 1 and lines[-1].strip().startswith(fence):
                fence = None
            continue
        if first.startswith(("|", "    ", "\t", "[^")) or not _needs_cut(block):
            out.append(block)  # tables, indented code, footnote definitions: as they are
            continue
        pieces = cut_paragraph(block)
        cuts += len(pieces) - 1
        out.extend(pieces)
    return ("\n\n".join(out), cuts) if cuts else (md, 0)


# Material's search plugin finds each heading's entry by walking the table of contents:
# a page's indexing time grows with the square of its headings (6,000 headings: 35 s).
MAX_HEADINGS = 200
_HEADING_LINE = re.compile(r"^[ ]{0,3}(?:#{1,6}(?=[ \t]|$)|(?:=+|-+)[ \t]*$)", re.M)


def bound_headings(md: str) -> tuple[str, int]:
    """``md`` with the headings after the ``MAX_HEADINGS``-th shown as text (their first character escaped); how many.

    ATX headings and setext underlines (which may be rules: counted all the
    same) outside code fences.
    """
    if md.count("\n#") + md.count("\n=") + md.count("\n-") <= MAX_HEADINGS:
        return md, 0
    out: list[str] = []
    seen = escaped = 0
    fence: str | None = None
    for line in md.split("\n"):
        stripped = line.lstrip(" ")
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
        elif (m := _FENCE.match(line)) is not None:
            fence = m.group(1)
        elif _HEADING_LINE.match(line):
            seen += 1
            if seen > MAX_HEADINGS:
                line = line[: len(line) - len(stripped)] + "\\" + stripped
                escaped += 1
        out.append(line)
    return ("\n".join(out), escaped) if escaped else (md, 0)


def bound_paragraphs(article: Article) -> Article:
    """Cut the body's paragraphs that Python-Markdown would render in super-linear time (see the module)."""
    article.body, cuts = bound_markdown(article.body)
    article.body, headings = bound_headings(article.body)
    if headings:
        article.warn(
            f"{headings} heading(s) after the {MAX_HEADINGS}th shown as text, so that the site indexes the page "
            "in bounded time"
        )
    if cuts:
        article.warn(
            f"{cuts} paragraph break(s) added inside very long paragraphs, so that the site renders them in "
            f"bounded time (a paragraph is cut at {MAX_CHARS:,} characters, sooner when it holds many links)"
        )
    return article
