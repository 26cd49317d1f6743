"""Finding an annotation's quote in an article's plain text.

This is the W3C text-quote selector (exact + prefix + suffix), anchored the
way Hypothesis anchors it: exact match first, on text with whitespace, curly
quotes and dashes normalised; prefix/suffix pick one of several matches; if
the quote is no longer in the text (the article was re-cleaned, or the quote
has a typo), approximate matching with rapidfuzz finds the nearest passage
and re-anchors to it when it is close enough.  Nothing here raises: the
caller gets an ``Anchor`` or a ``Miss`` that says why, with the candidates.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Below this similarity (0-100) the nearest passage is reported, not used.
FUZZY_THRESHOLD = 85.0
# How closely (0-100) a prefix/suffix must match the text around one occurrence to choose it.
CONTEXT_THRESHOLD = 80.0
CONTEXT = 32  # characters of prefix/suffix kept with an anchored annotation
MAX_LISTED = 10  # occurrences listed in an "ambiguous" message
# Work bounds for a stranger's quote: occurrences of it weighed by prefix and suffix (a quote
# found more often is ambiguous among the first ones), and the longest quote searched for
# approximately (rapidfuzz's alignment takes time proportional to both lengths).
MAX_OCCURRENCES = 1000
MAX_FUZZY_QUOTE = 5000

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    }
)
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_SPACE = re.compile(r"\s+")


class Normalised:
    """Normalised text and the way back from each of its characters to the original.

    The map is kept as pieces (normalised start, original start, one-to-one
    or all from one character) rather than one index per character: only the
    two ends of an anchored quote are ever looked up.
    """

    __slots__ = ("text", "_starts", "_pieces")

    def __init__(self, text: str, pieces: list[tuple[int, int, bool]]) -> None:
        self.text = text
        self._starts = [p[0] for p in pieces]
        self._pieces = pieces

    def origin(self, i: int) -> int:
        """Index in the original text of normalised character ``i``."""
        start, orig, one_to_one = self._pieces[bisect_right(self._starts, i) - 1]
        return orig + (i - start) if one_to_one else orig


# Whitespace other than the plain space (all of what ``\s`` matches but " ";
# a test checks the list against the regex engine).
_OTHER_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_DROPS = "".join(sorted(_DROP))
# Where normalising has work to do: "…", or a run of whitespace and dropped
# characters from its first character that is not a plain space (the spaces
# before it are taken into the run by ``normalise``).  A plain space cannot
# start a match: the regex engine stops at a pattern's every possible first
# character, and at each of an article's thousand spaces that cost more than
# all the rest of normalising.
# (Written as one character class first, so the engine skips ahead to candidates in C.)
_RUN = re.compile(f"[{_OTHER_SPACE}{_DROPS}\u2026](?:(?<=\u2026)|[\\s{_DROPS}]*)")
# Runs that are only plain spaces, in a text with "  " (rare: the cleaner collapses them).
_RUN_WITH_SPACES = re.compile(f"\u2026|[\\s{_DROPS}]{{2,}}|[{_OTHER_SPACE}{_DROPS}]")
# Each folded character and its fold, for ``_fold``.
_FOLD_PAIRS = tuple((chr(code), fold) for code, fold in _FOLD.items())


def _fold(text: str) -> str:
    """Quotes and dashes folded, one character for one.

    One ``str.replace`` per character present: ``str.translate`` with a
    dict looks up every character of the text in Python's mapping protocol,
    ten times as slow on an article.
    """
    for char, fold in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, fold)
    return text


def normalise(text: str) -> Normalised:
    """Fold quotes and dashes, drop soft hyphens and zero-width characters, collapse whitespace."""
    folded = _fold(text)  # one-to-one, so offsets into it are offsets into the text
    parts: list[str] = []
    pieces: list[tuple[int, int, bool]] = []
    n = 0  # length of the normalised text so far
    pos = 0
    for m in (_RUN_WITH_SPACES if "  " in text else _RUN).finditer(text):
        start, end = m.start(), m.end()
        ellipsis = m.group() == "\u2026"
        if not ellipsis:
            while start > pos and text[start - 1] == " ":  # the spaces that begin the run
                start -= 1
        if start > pos:
            parts.append(folded[pos:start])
            pieces.append((n, pos, True))
            n += start - pos
        if ellipsis:  # … → ...
            parts.append("...")
            pieces.append((n, start, False))
            n += 3
        else:  # one space, from the run's first whitespace character (none if the run is all dropped characters)
            for k in range(start, end):
                if text[k].isspace():
                    parts.append(" ")
                    pieces.append((n, k, False))
                    n += 1
                    break
        pos = end
    if pos < len(text):
        parts.append(folded[pos:])
        pieces.append((n, pos, True))
    return Normalised("".join(parts), pieces)


def normalise_str(text: str) -> str:
    return normalise(text).text


@dataclass
class Anchor:
    start: int
    end: int
    similarity: float  # 100 for an exact (normalised) match


@dataclass
class Miss:
    reason: str  # "ambiguous" | "not-found" | "empty"
    occurrences: list[tuple[int, int]] = field(default_factory=list)  # ambiguous: every match
    nearest: tuple[int, int] | None = None  # not-found: best approximate passage
    similarity: float = 0.0  # not-found: of the nearest passage; ambiguous: of the best prefix/suffix match


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _span(norm: Normalised, plain: str, a: int, b: int) -> tuple[int, int]:
    """Normalised [a, b) → original [start, end), whitespace trimmed."""
    start = norm.origin(a)
    end = norm.origin(b - 1) + 1
    while start < end and plain[start].isspace():
        start += 1
    while end > start and plain[end - 1].isspace():
        end -= 1
    return start, end


def anchor(plain: str, quote: str, prefix: str = "", suffix: str = "", *, norm: Normalised | None = None, fuzzy: bool = True) -> Anchor | Miss:
    """Anchor ``quote`` in ``plain``; ``norm`` may be passed to reuse ``normalise(plain)``."""
    norm = norm or normalise(plain)
    q = normalise_str(quote).strip()
    if not q:
        return Miss("empty")
    hay = norm.text
    found: list[int] = []
    pos = hay.find(q)
    while pos != -1 and len(found) < MAX_OCCURRENCES:
        found.append(pos)
        pos = hay.find(q, pos + 1)
    if len(found) == 1:
        s, e = _span(norm, plain, found[0], found[0] + len(q))
        return Anchor(s, e, 100.0)
    if found:
        chosen, score = _choose(hay, found, len(q), normalise_str(prefix).strip(), normalise_str(suffix).strip())
        if chosen is None:
            return Miss("ambiguous", [_span(norm, plain, f, f + len(q)) for f in found], similarity=score)
        s, e = _span(norm, plain, chosen, chosen + len(q))
        return Anchor(s, e, 100.0)
    if not fuzzy or not hay.strip() or len(q) > MAX_FUZZY_QUOTE:
        return Miss("not-found")
    return _fuzzy(plain, norm, q, normalise_str(prefix).strip(), normalise_str(suffix).strip())


def _choose(hay: str, found: list[int], length: int, prefix: str, suffix: str) -> tuple[int | None, float]:
    """The one occurrence whose surroundings match prefix/suffix, and its context similarity (0-100).

    Each occurrence's text just before and after it is compared with the
    prefix and suffix (rapidfuzz's ratio, case-insensitive, on windows of
    their length); the best occurrence is chosen only when its similarity
    reaches ``CONTEXT_THRESHOLD`` and no other occurrence scores as well.
    Otherwise the quote stays ambiguous (``None``): a context that shares a
    character or two with some occurrence does not pick it.
    """
    if not prefix and not suffix:
        return None, 0.0
    from rapidfuzz import fuzz  # only a quote that occurs more than once, with context, needs it

    p, s = prefix.lower(), suffix.lower()
    scored = []
    for f in found:
        parts = []
        if p:
            before = hay[max(0, f - len(p) - 1) : f].rstrip().lower()[-len(p) :]
            parts.append(fuzz.ratio(p, before))
        if s:
            after = hay[f + length : f + length + len(s) + 1].lstrip().lower()[: len(s)]
            parts.append(fuzz.ratio(s, after))
        scored.append((sum(parts) / len(parts), f))
    scored.sort(key=lambda sf: (-sf[0], sf[1]))
    best = scored[0][0]
    if best < CONTEXT_THRESHOLD or (len(scored) > 1 and scored[1][0] >= best):
        return None, round(best, 1)
    return scored[0][1], round(best, 1)


def _fuzzy(plain: str, norm: Normalised, q: str, prefix: str, suffix: str) -> Anchor | Miss:
    """Nearest passage by rapidfuzz's best partial alignment (case-insensitive)."""
    # Imported here: only a quote that is no longer in the text needs it, and
    # its import is a tenth of a second of every rebuild (and `make serve` edit).
    from rapidfuzz import fuzz

    hay = norm.text
    al = fuzz.partial_ratio_alignment(q.lower(), hay.lower())
    if al is None or al.dest_end <= al.dest_start:
        return Miss("not-found")
    best: tuple[float, int, int] | None = None
    # The alignment may cut words in two; also try the span widened to whole words.
    for a, b in ((al.dest_start, al.dest_end), _whole_words(hay, al.dest_start, al.dest_end)):
        s, e = _span(norm, plain, a, b)
        # Punctuation the quote does not have at its ends is not part of the passage.
        while s < e and not plain[s].isalnum() and q[:1].isalnum():
            s += 1
        while e > s and not plain[e - 1].isalnum() and q[-1:].isalnum():
            e -= 1
        if e <= s:
            continue
        # Score the whole quote against the passage found, not just the aligned part.
        score = fuzz.ratio(q.lower(), normalise_str(plain[s:e]).lower())
        if best is None or score > best[0]:
            best = (score, s, e)
    if best is None:
        return Miss("not-found")
    score, s, e = best
    if score >= FUZZY_THRESHOLD:
        return Anchor(s, e, round(score, 1))
    wa, wb = _whole_words(hay, al.dest_start, al.dest_end)
    return Miss("not-found", nearest=_span(norm, plain, wa, wb), similarity=round(score, 1))


def _whole_words(hay: str, a: int, b: int) -> tuple[int, int]:
    while a > 0 and hay[a - 1].isalnum() and hay[a].isalnum():
        a -= 1
    while b < len(hay) and hay[b - 1].isalnum() and hay[b].isalnum():
        b += 1
    return a, b


def context(plain: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The prefix and suffix kept with an anchored annotation (W3C TextQuoteSelector)."""
    return plain[max(0, start - width) : start], plain[end : end + width]


def excerpt(plain: str, start: int, end: int, width: int = 30) -> str:
    """One-line view of a passage with some context, the passage in [brackets]."""
    before = plain[max(0, start - width) : start]
    after = plain[end : end + width]
    text = f"{'…' if start > width else ''}{before}[{plain[start:end]}]{after}{'…' if end + width < len(plain) else ''}"
    return _SPACE.sub(" ", text)
