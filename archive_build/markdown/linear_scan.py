"""Linear-time readings of the Markdown patterns that backtrack on hostile text.

Python's ``re`` tries a pattern at every candidate position and scans on
from each: ``\\[([^\\]]*)\\]\\(`` from every ``[`` of a text full of ``[``
and no ``]``, a code span from every backtick of a long run, scan to the end
of the text each time, and an article of such characters took minutes.  The
functions here find exactly the matches of those patterns (each says which;
``tests/test_linear_scan.py`` pins them to the pattern on random texts),
but look at each character a bounded number of times: the regex engine only
ever matches from a position already known to be a candidate.
"""
from __future__ import annotations

import bisect
import re
from typing import Callable, Iterator, NamedTuple


class Found(NamedTuple):
    """A match: its span and groups, with the methods of ``re.Match`` its callers use."""

    span_: tuple[int, int]
    groups_: tuple[str | None, ...]
    text: str
    group_spans: tuple[tuple[int, int], ...] = ()  # where each group lies, for ``start(i)``/``end(i)``

    def start(self, index: int = 0) -> int:
        return self.span_[0] if index == 0 else self.group_spans[index - 1][0]

    def end(self, index: int = 0) -> int:
        return self.span_[1] if index == 0 else self.group_spans[index - 1][1]

    def span(self) -> tuple[int, int]:
        return self.span_

    def groups(self) -> tuple[str | None, ...]:
        return self.groups_

    def group(self, index: int = 0) -> str | None:
        return self.text[self.span_[0] : self.span_[1]] if index == 0 else self.groups_[index - 1]


def substitute(text: str, matches: Iterator[Found], replace: Callable[[Found], str]) -> str:
    """``text`` with each match replaced by ``replace(match)``, as ``Pattern.sub`` with a function."""
    out: list[str] = []
    last = 0
    for m in matches:
        out.append(text[last : m.start()])
        out.append(replace(m))
        last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# ------------------------------------------------------------------ simple links

def simple_links(text: str) -> Iterator[Found]:
    """The matches of ``\\[([^\\]]*)\\]\\([^)]*\\)`` (group 1: the label).

    Every ``[`` between two ``]`` meets the same first ``]``: if the first of
    them fails, all do, and the next candidate is past that ``]``.
    """
    find = text.find
    i = find("[")
    while i >= 0:
        close = find("]", i + 1)
        if close < 0:
            return
        if text.startswith("(", close + 1):
            end = find(")", close + 2)
            if end < 0:
                return  # no ")" after here: no later link either
            yield Found((i, end + 1), (text[i + 1 : close],), text)
            i = find("[", end + 1)
        else:
            i = find("[", close + 1)


def strip_simple_links(text: str) -> str:
    """``\\[([^\\]]*)\\]\\([^)]*\\)`` replaced by its label, in linear time."""
    return substitute(text, simple_links(text), lambda m: m.groups_[0] or "")


# ------------------------------------------------------------------ inline links

# After a link's label: ``](``, the target, an optional title, ``)`` (markdown_text.LINK's tail).
_LINK_TAIL = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(\s+\"[^\"]*\")?\s*\)")
_LABEL_PLAIN = re.compile(r"[^\[\]\\]+")


class _LabelEnds:
    """Where a link label read from a position stops (``markdown_text.LINK``'s label), remembered.

    The label ``(?:[^\\[\\]\\\\]|\\\\.|\\[[^\\]]*\\])*`` reads one way only
    (each alternative starts with a different character), so from any
    position there is one place it stops: a ``]`` (the label may end there)
    or a character it cannot take (no link).  Each position's stop is
    remembered, and a later read that reaches a position already read
    takes its stop: every position is read once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[int, int] = {}
        self.closers = [m.start() for m in re.finditer(r"\]", text)] if "]" in text else []

    def _next_closer(self, i: int) -> int:
        k = bisect.bisect_left(self.closers, i)
        return self.closers[k] if k < len(self.closers) else -1

    def stop(self, i: int) -> int:
        """The ``]`` where a label starting at ``i`` may end, or -1."""
        text, memo, n = self.text, self.memo, len(self.text)
        visited: list[int] = []
        while True:
            known = memo.get(i)
            if known is not None:
                stop = known
                break
            visited.append(i)
            m = _LABEL_PLAIN.match(text, i)
            if m is not None:
                i = m.end()
            if i >= n:
                stop = -1
                break
            c = text[i]
            if c == "]":
                stop = i
                break
            if c == "\\":
                if i + 1 < n and text[i + 1] != "\n":  # "\\." ("." is not a line break)
                    i += 2
                    continue
                stop = -1
                break
            close = self._next_closer(i + 1)  # "[" opens a nested "[...]"
            if close < 0:
                stop = -1
                break
            i = close + 1
        for v in visited:
            memo[v] = stop
        return stop


def inline_links(text: str) -> Iterator[Found]:
    """The matches of ``markdown_text.LINK`` (groups: opening, label, target, title), in linear time."""
    if "](" not in text:
        return
    labels = _LabelEnds(text)
    tails: dict[int, re.Match[str] | None] = {}  # many "[" can share a label's end: its tail is read once
    find = text.find
    pos = 0
    i = find("[")
    while i >= 0:
        stop = labels.stop(i + 1)
        if stop in tails:
            tail = tails[stop]
        else:
            tail = tails[stop] = _LINK_TAIL.match(text, stop) if stop >= 0 else None
        if tail is None:
            i = find("[", i + 1)
            continue
        start = i - 1 if i - 1 >= pos and text[i - 1] == "!" else i
        yield Found(
            (start, tail.end()), (text[start : i + 1], text[i + 1 : stop], tail.group(1), tail.group(2)), text,
            ((start, i + 1), (i + 1, stop), tail.span(1), tail.span(2)),
        )
        pos = tail.end()
        i = find("[", pos)


# ------------------------------------------------------------------ code spans

_RUN = re.compile(r"`+")


def code_spans(text: str) -> Iterator[Found]:
    """The matches of ``markdown_text.CODE_SPAN``, ``(``*)(.+?)\\1`` over the whole text (groups: ticks, code).

    From a backtick starting a run of ``r`` more, the pattern tries closing
    runs of ``r``, ``r - 1`` … 1 backticks, each searched for from one
    character past the opening: within the opening run itself when it is
    at least twice as long plus one, else in the first later run as long.
    Later runs are looked up by length (the longest after each run is
    known), so no width is searched for in vain.
    """
    if "`" not in text:
        return
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    # Longest run from each run on (index k: runs[k:]).
    longest = [0] * (len(runs) + 1)
    for k in range(len(runs) - 1, -1, -1):
        longest[k] = max(longest[k + 1], runs[k][1] - runs[k][0])
    pos = 0
    k = 0
    while k < len(runs):
        run_start, run_end = runs[k]
        p = max(run_start, pos)
        if p >= run_end:
            k += 1
            continue
        width = run_end - p
        later = longest[k + 1]
        inside = (width - 1) // 2  # closing runs that fit in the opening run after one code character
        ticks = min(width, max(inside, later))
        if ticks < 1:
            # No closing run: the engine then tries the next positions of this run, which fail alike.
            pos = run_end
            k += 1
            continue
        if ticks <= inside:
            end = p + 2 * ticks + 1
            yield Found((p, end), (text[p : p + ticks], text[p + ticks : end - ticks]), text)
            pos = end
            continue
        j = k + 1
        while runs[j][1] - runs[j][0] < ticks:
            j += 1
        close = runs[j][0]
        yield Found((p, close + ticks), (text[p : p + ticks], text[p + ticks : close]), text)
        pos = close + ticks
        k = j
