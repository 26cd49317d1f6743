"""Markdown body → the plain text a reader sees, with a map back to the source.

Annotations count their ``start``/``end`` in this plain text, so it must not
change when the build inserts its own markup into the body: highlights
(``<mark>`` tags), footnote references (``[^ann-x]``) and entity links
(``[Kyiv](../entities/kyiv.md)``) all vanish from the plain text, exactly as
they vanish from what the reader reads.  The map (source start and end of
every plain character) lets the renderer put markup around a passage without
ever cutting through an escape, a link target or a code span.

This is a scanner for the Markdown the cleaner produces (escaped prose,
sanitised Markdown), not a full CommonMark parser: no Markdown library
reports character positions for inline text, and offsets are the whole
point.  It runs in one pass and copies ordinary text in bulk, so its cost is
linear in the body's length.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from archive_build.markdown import tokens as md_tokens
from archive_build.markdown.tokens import Token, tokenize

# Tokens the reader does not see at all.
_HIDDEN = frozenset({md_tokens.FOOTREF, md_tokens.TAG, md_tokens.ATTR})
_ATTR_LINE = re.compile(r"[ \t]*\{:?[^{}\n]*\}[ \t]*$")
_RULE_LINE = re.compile(r"[ ]{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$")
# Container and heading markers at the start of a line.
_LINE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}(?:[ \t]+|$))?")
_HEADING_TRAIL = re.compile(r"[ \t]+#+[ \t]*$")
# Characters that may start markup; everything between them is copied in bulk.
_SPECIAL = re.compile(r"[\\`\[!<{*_=\n]")


class PlainMap:
    """Plain text plus, for each of its characters, where it comes from in the source.

    ``starts[i]``/``ends[i]``: the source span of plain character ``i`` (two
    characters for an escape such as ``\\*``).  ``markable[i]``: inline HTML
    may be put around it (false inside code and for line breaks).  ``atomic``:
    source spans (links, code spans) inside which nothing may be inserted
    after their text, such as a footnote reference.  The per-character lists
    are built on first use from compact segments: most articles have no
    annotations and need only ``text``.
    """

    def __init__(self, text: str, segments: list[tuple[int, int, int, bool]], atomic: list[tuple[int, int]]):
        self.text = text
        self.segments = segments  # (source start, source end or -1 for one char per char, length, markable)
        self.atomic = atomic
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._markable: list[bool] = []
        self._plain_starts: list[int] | None = None

    def _expand(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        markable: list[bool] = []
        for start, end, length, mark in self.segments:
            if end < 0:
                starts.extend(range(start, start + length))
                ends.extend(range(start + 1, start + length + 1))
            else:
                starts.append(start)
                ends.append(end)
            markable.extend([mark] * length)
        self._starts, self._ends, self._markable = starts, ends, markable

    def _segment_starts(self) -> list[int]:
        """Plain offset at which each segment begins (built on first use)."""
        if self._plain_starts is None:
            offsets, pos = [], 0
            for seg in self.segments:
                offsets.append(pos)
                pos += seg[2]
            self._plain_starts = offsets
        return self._plain_starts

    def source_end(self, i: int) -> int:
        """Where plain character ``i`` ends in the source (``ends[i]`` without building ``ends``)."""
        offsets = self._segment_starts()
        k = bisect_right(offsets, i) - 1
        while self.segments[k][2] == 0:  # an empty segment shares its offset with the next one
            k += 1
        start, end, _, _ = self.segments[k]
        return start + (i - offsets[k]) + 1 if end < 0 else end

    def runs(self, a: int, b: int) -> list[tuple[int, int]]:
        """Source spans covering plain ``[a, b)`` that inline HTML can wrap without cutting markup.

        A run is a stretch of markable characters whose sources follow each
        other with nothing between them; runs of only whitespace are left
        out.  Walks segments, not characters.
        """
        runs: list[tuple[int, int]] = []
        offsets = self._segment_starts()
        text = self.text
        run: list[int] | None = None  # [plain start, plain end, source start, source end]
        k = max(0, bisect_right(offsets, a) - 1)
        for k in range(k, len(self.segments)):
            lo = offsets[k]
            if lo >= b:
                break
            start, end, length, mark = self.segments[k]
            hi = lo + length
            if hi <= a or length == 0:
                continue
            p0, p1 = max(a, lo), min(b, hi)
            s0, s1 = (start + p0 - lo, start + p1 - lo) if end < 0 else (start, end)
            if run is not None and mark and run[3] == s0:
                run[1], run[3] = p1, s1
                continue
            if run is not None and text[run[0] : run[1]].strip():
                runs.append((run[2], run[3]))
            run = [p0, p1, s0, s1] if mark else None
        if run is not None and text[run[0] : run[1]].strip():
            runs.append((run[2], run[3]))
        return runs

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._expand()
        return self._starts  # type: ignore[return-value]

    @property
    def ends(self) -> list[int]:
        if self._starts is None:
            self._expand()
        return self._ends

    @property
    def markable(self) -> list[bool]:
        if self._starts is None:
            self._expand()
        return self._markable


def plain_text(markdown: str) -> tuple[str, list[int]]:
    """The plain text of ``markdown`` and, for each position, its source offset.

    ``offsets`` has one entry per plain character plus one for the end.
    """
    m = scan(markdown)
    offsets = list(m.starts)
    offsets.append(m.ends[-1] if m.ends else 0)
    return m.text, offsets


def scan(md: str) -> PlainMap:
    out: list[str] = []
    segments: list[tuple[int, int, int, bool]] = []
    atomic: list[tuple[int, int]] = []
    n = len(md)

    def emit(text: str, start: int, end: int = -1, mark: bool = True) -> None:
        """Copy ``text`` found at ``start``; one source char per plain char unless ``end`` says otherwise."""
        out.append(text)
        segments.append((start, end, len(text), mark))

    # Where code, links, footnote markers, tags and attribute lists lie (``markdown.tokens``), by start.
    at: dict[int, Token] = {t.start: t for t in tokenize(md) if t.kind != md_tokens.TEXT} if md else {}
    label_ends: dict[int, int] = {}  # end of an open link's label → end of the link
    in_footdef = False
    heading_end = -1  # where a heading's trailing #'s begin, on the current line
    i = 0
    at_line_start = True
    while i < n:
        if at_line_start:
            at_line_start = False
            line_end = md.find("\n", i)
            if line_end == -1:
                line_end = n
            line = md[i:line_end]
            skip_line = False
            fence = at.get(i)
            if fence is not None and fence.kind == md_tokens.FENCE:
                # The code lines only, as the page shows them: not the fence lines nor the line break after.
                if fence.inner[1] > fence.inner[0]:
                    emit(md[fence.inner[0] : fence.inner[1]], fence.inner[0], mark=False)
                i = fence.end + 1
                at_line_start = True
                continue
            first = i + len(line) - len(line.lstrip(" "))
            if (d := at.get(first)) is not None and d.kind == md_tokens.FOOTDEF:
                in_footdef = True
                skip_line = True
            elif in_footdef and (not line.strip() or line.startswith(("    ", "\t"))):
                skip_line = True
            elif _ATTR_LINE.match(line) or _RULE_LINE.match(line) and line.strip():
                in_footdef = False
                skip_line = True
            else:
                in_footdef = False
            if skip_line:
                i = line_end + 1
                at_line_start = True
                continue
            pm = _LINE_PREFIX.match(md, i, line_end)
            if pm and "#" in pm.group(0):
                tm = _HEADING_TRAIL.search(line)
                heading_end = i + tm.start() if tm else -1
            else:
                heading_end = -1
            i = pm.end() if pm else i
            continue
        if i == heading_end:
            i = md.find("\n", i)
            if i == -1:
                break
            continue
        if i in label_ends:
            i = label_ends.pop(i)
            continue
        sm = _SPECIAL.search(md, i)
        j = sm.start() if sm else n
        if heading_end > i and j > heading_end:
            j = heading_end
        if j > i:
            # Stop at the end of an open link's label, if it comes first.
            stop = min((e for e in label_ends if i < e < j), default=j)
            emit(md[i:stop], i)
            i = stop
            continue
        c = md[i]
        if c == "\n":
            emit("\n", i, mark=False)
            i += 1
            at_line_start = True
            continue
        if c == "\\":
            if i + 1 < n and md[i + 1] != "\n":
                emit(md[i + 1], i, i + 2)
                i += 2
            else:
                i += 1  # a backslash before a line end is a hard break
            continue
        token = at.get(i)
        if c in "`[!<{":
            if token is None or token.kind == md_tokens.AUTOLINK:  # an autolink shows its "<" and ">"
                emit(c, i)  # a backtick that opens nothing, a bracket, "!", "<" or "{" the reader sees
            elif token.kind == md_tokens.CODE:
                emit(md[token.inner[0] : token.inner[1]], token.inner[0], mark=False)
                atomic.append((i, token.end))
                i = token.end
                continue
            elif token.kind in (md_tokens.LINK, md_tokens.IMAGE):
                atomic.append((token.start, token.end))
                label_ends[token.inner[1]] = token.end
                i = token.inner[0]
                continue
            elif token.kind in _HIDDEN:
                i = token.end
                continue
            else:
                emit(c, i)
            i += 1
            continue
        # Emphasis and ==mark== delimiters.
        k = _run_end(md, i, c)
        if _is_delimiter(md, i, k, c):
            i = k
        else:
            emit(md[i:k], i)
            i = k
    return PlainMap("".join(out), segments, atomic)


def _run_end(md: str, i: int, c: str) -> int:
    k = i
    while k < len(md) and md[k] == c:
        k += 1
    return k


def _is_delimiter(md: str, i: int, k: int, c: str) -> bool:
    """Would Python-Markdown read this run of ``*``, ``_`` or ``=`` as markup?

    A run with spaces on both sides is literal text ("5 * 3"); ``_`` inside a
    word is literal (snake_case); ``=`` is markup only doubled (pymdownx.mark).
    """
    before = md[i - 1] if i > 0 else " "
    after = md[k] if k < len(md) else " "
    if before.isspace() and after.isspace():
        return False
    if c == "_":
        return not (before.isalnum() and after.isalnum())
    if c == "=":
        return k - i >= 2
    return True
