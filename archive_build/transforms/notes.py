"""The article's own notes and bare URLs, turned into real Markdown.

Raw copies flatten an article's footnotes: markers become ``[1]``, ``(1)``,
``¹`` or a number glued to a word, and the notes sit at the end under
"Notes", "References"… as ``[1] …``, ``1. …`` or ``¹ …``.  ``convert_notes``
finds the notes section first and only then looks for markers, so a number
is taken as a note marker only when a note with that number exists: "the
1990s", "$2 billion" or "Article 5" never match a marker shape, and the
looser shapes (glued numbers, ``(1)``, superscripts) must also appear in
order.  Whatever does not pair up stays as text and is listed in the
article's warnings; nothing is dropped.

Both steps run on the Markdown body: plain-text articles are backslash-
escaped there (``\\[1\\]``, ``a\\_b``), Markdown articles keep their syntax,
so every pattern accepts both spellings and never touches code, links or
footnotes already present.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive_build.markdown.escape import escape_text
from archive_build.markdown.tokens import Regions, protected_regions
from archive_build.model import Article

NOTE_LABEL = '<span class="ab-note-label">Author’s note</span>'
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(_SUPERSCRIPTS, "0123456789")
# Backslash escapes as markdown_text.escape_text writes them.
_UNESCAPE = re.compile(r"\\([\\`*_\[\]{}<>&=^~|#+\-.!:()])")

# --- what must never be rewritten -------------------------------------------------

class _Mask:
    """Spans of a text that the note and URL passes must leave alone."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.regions: Regions | None = None  # read on the first question: most texts are never asked

    def hides(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches code, a link, a footnote marker or markup (``tokens.PROTECTED``)."""
        if self.regions is None:
            self.regions = protected_regions(self.text)
        return self.regions.overlaps(start, end)


# --- the notes section ---------------------------------------------------------------

_NOTES_WORDS = r"(?:(?:foot|end)?notes|references|sources|citations)"
_HEADING = re.compile(
    rf"^(?:#{{1,6}}[ \t]+)?(?:\\?[*_]){{0,2}}[ \t]*(?P<word>{_NOTES_WORDS}(?:[ \t]*(?:,|and|\\?&)[ \t]*{_NOTES_WORDS})?)"
    r"[ \t]*:?[ \t]*(?:\\?[*_]){0,2}[ \t]*$",
    re.I,
)
_RULE = re.compile(r"^[ \t]*\\?([-*_])(?:[ \t]*\\?\1){2,}[ \t]*$")
_HASHES = re.compile(r"^#{1,6}[ \t]+")

# Entry labels, each with the number in group "n".
_ENTRY_STYLES: dict[str, str] = {
    "bracket": r"\\?\[(?P<n>\d{1,3})\\?\](?!\(|:)[ \t]*",
    "super": r"(?P<n>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})[ \t]*",
    "dot": r"\\?(?P<n>\d{1,3})\\?[.)][ \t]+",
    "paren": r"\((?P<n>\d{1,3})\)[ \t]+",
}
_ENTRY_AT_START = {k: re.compile(v) for k, v in _ENTRY_STYLES.items()}
# Inside a block: a label at a line start or after whitespace (wrapped lines are joined).
_ENTRY_INSIDE = {k: re.compile(r"(?:(?<=\s)|^)" + v, re.M) for k, v in _ENTRY_STYLES.items()}


def _number(text: str) -> int:
    return int(text.translate(_SUPER_TO_DIGIT))


@dataclass
class _Entry:
    number: int
    raw: str  # the entry as it stood, label included
    label: str  # its number as written ("12", "¹²")
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Section:
    start: int  # index of the first block belonging to it (rule or heading or first entry)
    end: int  # index after the last block belonging to it
    entries: list[_Entry]
    removed: list[tuple[str, str]]  # (text, reason) for the heading and the rule


def _label_at_start(text: str) -> tuple[str, re.Match[str]] | None:
    body = _HASHES.sub("", text.lstrip())
    for style, rx in _ENTRY_AT_START.items():
        m = rx.match(body)
        if m:
            return style, m
    return None


def _split_entries(text: str, style: str, expected: int) -> list[_Entry]:
    """One block → the entries it holds, labels in sequence from ``expected``."""
    text = _HASHES.sub("", text.strip())
    cuts: list[tuple[int, int, int, str]] = []  # (label start, text start, number, number as written)
    for m in _ENTRY_INSIDE[style].finditer(text):
        if _number(m.group("n")) == expected and (cuts or m.start() == 0):
            cuts.append((m.start(), m.end(), expected, m.group("n")))
            expected += 1
    entries = []
    for i, (start, body_start, n, label) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
        raw = text[start:stop].rstrip()
        entries.append(_Entry(n, raw, label, [text[body_start:stop].strip()]))
    return entries


def _parse_entries(blocks: list[str], first: int, loose_ok: bool) -> tuple[list[_Entry], int]:
    """Entries starting at block ``first``; returns them and the index after the last block used."""
    found = _label_at_start(blocks[first]) if first < len(blocks) else None
    if not found:
        return [], first
    style, _ = found
    if not loose_ok and style not in ("bracket", "super"):
        return [], first
    entries: list[_Entry] = []
    pending: list[str] = []  # paragraphs without a label: a note's continuation, or the end
    end = first
    for j in range(first, len(blocks)):
        expected = entries[-1].number + 1 if entries else _number(found[1].group("n"))
        label = _label_at_start(blocks[j])
        if label and label[0] == style and _number(label[1].group("n")) == expected:
            if pending and entries:
                entries[-1].paragraphs.extend(pending)
                entries[-1].raw += "\n\n" + "\n\n".join(pending)
            pending = []
            entries.extend(_split_entries(blocks[j], style, expected))
            end = j + 1
        elif entries and not label and blocks[j].strip() and not _HEADING.match(blocks[j].strip()):
            pending.append(blocks[j].strip())
        else:
            break
    return entries, end


def _as_written(block: str) -> str:
    """A heading or rule as the raw article had it: no ``##`` added by the cleaner, no escapes."""
    return _UNESCAPE.sub(r"\1", _HASHES.sub("", block.strip()))


def _find_section(blocks: list[str]) -> _Section | None:
    """The last heading/rule that opens numbered notes, or a trailing run of ``[1]``-style notes."""
    for i in range(len(blocks) - 2, -1, -1):
        text = blocks[i].strip()
        if _HEADING.match(text):
            entries, end = _parse_entries(blocks, i + 1, loose_ok=True)
            if entries:
                removed = [(_as_written(text), "notes section heading (replaced by the footnote block)")]
                start = i
                if i > 0 and _RULE.match(blocks[i - 1].strip()):
                    removed.insert(0, (_as_written(blocks[i - 1]), "rule before the notes section (replaced by the footnote block)"))
                    start = i - 1
                return _Section(start, end, entries, removed)
    for i in range(len(blocks) - 2, -1, -1):
        if _RULE.match(blocks[i].strip()):
            entries, end = _parse_entries(blocks, i + 1, loose_ok=True)
            if entries and end == len(blocks):
                return _Section(i, end, entries, [(_as_written(blocks[i]), "rule before the notes section (replaced by the footnote block)")])
    # No heading, no rule: only the unmistakable labels, running to the end.
    for i in range(len(blocks) - 1, 0, -1):
        label = _label_at_start(blocks[i])
        if label and _number(label[1].group("n")) == 1:
            entries, end = _parse_entries(blocks, i, loose_ok=False)
            if entries and end == len(blocks):
                return _Section(i, end, entries, [])
            break
    return None


# --- markers in the text --------------------------------------------------------------

_MARKERS: dict[str, re.Pattern[str]] = {
    # \[1\] in escaped prose, [1] in Markdown (not [1](…), [x][1] or [1]:).
    "bracket": re.compile(r"\\\[(?P<n>\d{1,3})\\\]|(?<![\]!\\])\[(?P<m>\d{1,3})\](?![(\[:])"),
    # <sup>1</sup> in Markdown comes out of the sanitiser as \<sup>1\</sup>.
    "sup": re.compile(r"\\<sup>(?P<n>\d{1,3})\\</sup>"),
    "super": re.compile(r"(?<=[^\s\d⁰¹²³⁴⁵⁶⁷⁸⁹])(?P<n>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})(?![⁰¹²³⁴⁵⁶⁷⁸⁹\w])"),
    # "said (1)." or "said(1)"; not "two demands: (1) a ceasefire" (lower-case word after it).
    "paren": re.compile(r"(?:(?<=\S)|(?<=\S[ ]))\((?P<n>\d{1,3})\)(?=$|[.,;:!?)”\"’\\]|\s+(?![a-z]))", re.M),
    # "reported.12 The" or "reported12 The": a number glued to a word or its punctuation.
    "glued": re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=[^\W\d_][.,;:!?”\"’)]))(?P<n>\d{1,3})(?=$|[\s.,;:!?)”\"’\\])", re.M),
}
# Marker shapes that are notes even without a notes section, and that must appear in order.
_STRONG = ("bracket", "sup")
_UNIT = re.compile(r"(?:\b(?:[kcmdµ]?m|ft|in|mi|yd|sq|cu)|[=+\-*/^)])$")
_GLUED_PREFIX = re.compile(r"(?:^|[^\w\-])[^\W\d_]*[a-z][^\W\d_]*$|[^\W\d_][.,;:!?”\"’)]$")
_MAX_GAP = 3  # a loose marker may skip at most this many note numbers


@dataclass
class _Marker:
    start: int
    end: int
    number: int
    text: str


_REF_LABEL = re.compile(r"^[ ]{0,3}\[(\d{1,3})\]:", re.M)


# A character every marker of the shape contains: a text without it is not scanned.
_MARKER_CHAR = {"bracket": "[", "sup": "<sup>"}


def _candidates(text: str, mask: _Mask, style: str, refs: set[str]) -> list[_Marker]:
    """Every marker of one shape outside code and links (``refs``: labels of reference links)."""
    out: list[_Marker] = []
    if style in _MARKER_CHAR and _MARKER_CHAR[style] not in text:
        return out
    for m in _MARKERS[style].finditer(text):
        if mask.hides(m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if style == "super" and _UNIT.search(before):
            continue  # km², m³, x²: units and powers
        if style == "glued" and (not _GLUED_PREFIX.search(before) or re.search(r"\d[.,]$", before)):
            continue
        n = m.group("n") or m.groupdict().get("m")
        if m.groupdict().get("m") and m.group("m") in refs:
            continue  # [1] with a "[1]: url" definition is a Markdown reference link
        out.append(_Marker(m.start(), m.end(), _number(n), m.group(0)))
    return out


def _in_order(markers: list[_Marker], notes: set[int]) -> list[_Marker]:
    """Loose markers count only when they cite the notes in order (repeats allowed)."""
    kept: list[_Marker] = []
    seen: set[int] = set()
    top = 0
    for mk in markers:
        if mk.number in seen or (mk.number in notes and top < mk.number <= top + _MAX_GAP):
            kept.append(mk)
            seen.add(mk.number)
            top = max(top, mk.number)
    return kept


def _choose_markers(text: str, notes: set[int], refs: set[str]) -> tuple[str | None, list[_Marker]]:
    """The marker shape that pairs up with most notes (strong shapes win ties), plus strays in other shapes.

    A copy often mixes shapes (one ``<sup>`` kept as ``[2]``, another
    flattened to ``strike.1``).  A note the main shape misses is taken from
    another shape only where it sits between its neighbours' markers.
    """
    mask = _Mask(text)
    by_style: dict[str, list[_Marker]] = {}
    best: tuple[int, str | None] = (0, None)
    for style in ("bracket", "sup", "super", "paren", "glued"):
        found = _candidates(text, mask, style, refs)
        if style not in _STRONG:
            found = _in_order(found, notes)
        by_style[style] = found
        score = len({m.number for m in found} & notes)
        if score > best[0]:
            best = (score, style)
    if best[1] is None:
        return None, []
    chosen = [m for m in by_style[best[1]] if m.number in notes]
    first: dict[int, int] = {}  # note number → position of its first marker
    source: dict[int, str] = {}  # note number → the shape its markers have
    for m in chosen:
        first.setdefault(m.number, m.start)
        source[m.number] = best[1]
    for style, found in by_style.items():
        if style == best[1]:
            continue
        for m in found:
            if m.number not in notes or source.get(m.number, style) != style:
                continue
            if m.number not in first:
                after = max((pos for n, pos in first.items() if n < m.number), default=-1)
                before = min((pos for n, pos in first.items() if n > m.number), default=len(text))
                if not after < m.start < before:
                    continue
            chosen.append(m)  # shapes never overlap: each starts on a different character
            first.setdefault(m.number, m.start)
            source[m.number] = style
    chosen.sort(key=lambda m: m.start)
    return best[1], chosen


def _listing(numbers: set[int] | list[int]) -> str:
    return ", ".join(str(n) for n in sorted(set(numbers)))


def _warn_stray_markers(article: Article, text: str, notes: set[int], refs: set[str]) -> None:
    """Bracketed markers with no note behind them: kept as text, but worth a look."""
    mask = _Mask(text)
    stray = sorted({m.number for shape in _STRONG for m in _candidates(text, mask, shape, refs) if m.number not in notes})
    if stray:
        shown = ", ".join(f"[{n}]" for n in stray)
        article.warn(f"note marker{'s' if len(stray) > 1 else ''} {shown} without a note in the article (kept as text)")


def _replace(text: str, markers: list[_Marker], numbers: set[int]) -> str:
    parts: list[str] = []
    pos = 0
    for mk in markers:
        if mk.number in numbers:
            parts.append(text[pos : mk.start])
            parts.append(f"[^note-{mk.number}]")
            pos = mk.end
    parts.append(text[pos:])
    return "".join(parts)


def _description_without_markers(description: str | None, text: str, markers: list[_Marker], numbers: set[int]) -> str | None:
    """The description was taken from the first sentences before notes were found: drop their markers.

    A marker is dropped only where the description has it right after the
    same words as the body, so a number that merely looks alike stays.
    """
    if not description:
        return description
    for mk in markers:
        if mk.number not in numbers:
            continue
        before = _UNESCAPE.sub(r"\1", text[max(0, mk.start - 24) : mk.start])
        before = before.rsplit("\n", 1)[-1]
        written = _UNESCAPE.sub(r"\1", mk.text)
        if before and before + written in description:
            description = description.replace(before + written, before, 1)
    return description


def _definition(entry: _Entry) -> str:
    paragraphs = [p for p in entry.paragraphs if p] or [""]
    first = f"[^note-{entry.number}]: {NOTE_LABEL} {paragraphs[0]}".rstrip()
    rest = ["    " + p.replace("\n", "\n    ") for p in paragraphs[1:]]
    return "\n\n".join([first.replace("\n", "\n    "), *rest])


_EXISTING_FOOTNOTES = re.compile(r"^[ ]{0,3}\[\^[^\]\s]+\]:", re.M)


def convert_notes(article: Article) -> Article:
    """Turn the article's own note markers and notes section into Markdown footnotes.

    Definitions go to ``article.footnotes`` (labelled "Author's note", class
    ``ab-note-label``); the heading and any rule before it are recorded as
    removed; unpaired markers and notes stay in the body as text, with a
    warning.  Articles that already use Markdown footnotes are left alone.
    """
    body = article.body
    # (Both patterns start at line starts, where the regex engine cannot skip
    # ahead: a text without the substring each needs is not scanned.)
    if "[^" in body and _EXISTING_FOOTNOTES.search(body):
        return article
    refs = set(_REF_LABEL.findall(body)) if "]:" in body else set()
    blocks = body.split("\n\n")
    section = _find_section(blocks)
    if section is None:
        _warn_stray_markers(article, body, set(), refs)
        return article
    notes = {e.number for e in section.entries}
    text = "\n\n".join(blocks[: section.start])
    _, markers = _choose_markers(text, notes, refs)
    paired = {m.number for m in markers} & notes
    if not paired:
        _warn_stray_markers(article, text, set(), refs)
        article.warn(f"notes {_listing(notes)} have no marker in the text (kept as text)")
        return article
    _warn_stray_markers(article, text, notes, refs)
    unpaired = [e for e in section.entries if e.number not in paired]
    if unpaired:
        article.warn(
            f"note{'s' if len(unpaired) > 1 else ''} {_listing([e.number for e in unpaired])} "
            f"{'have' if len(unpaired) > 1 else 'has'} no marker in the text (kept as text)"
        )
    for removed_text, reason in section.removed:
        article.remove(removed_text, reason)
    superscripts = [m.text for m in markers if m.number in paired and m.text[0] in _SUPERSCRIPTS]
    superscripts += [e.label for e in section.entries if e.number in paired and e.label[0] in _SUPERSCRIPTS]
    article.remove(" ".join(superscripts), "superscript note numbers (shown as footnote numbers)")
    article.description = _description_without_markers(article.description, text, markers, paired)
    head = _replace(text, markers, paired)
    tail = [e.raw for e in unpaired] + blocks[section.end :]
    article.body = "\n\n".join([p for p in [head] if p] + tail).rstrip("\n") + "\n"
    article.footnotes.extend(_definition(e) for e in section.entries if e.number in paired)
    return article


# --- bare URLs -------------------------------------------------------------------------

# A run of URL characters starting with a scheme or "www.", not inside a word or an address.
_BARE_URL = re.compile(r"(?<![\w/@.\-\\:])(?:(?i:https?://)|(?i:www\.))[^\s<>\[\]\"“”‘’«»`|{}]+")
_TRAILING = ".,;:!?'*_~…"


def _trim(raw: str) -> str:
    """Drop trailing punctuation that belongs to the sentence, keeping balanced ``)``.

    Cuts an index, not the string, and counts the parentheses once: an
    address ending in a long run of them was counted again for each.
    """
    end = len(raw)
    opened, closed = raw.count("("), raw.count(")")
    while end:
        last = raw[end - 1]
        if last == "\\":
            end -= 1
        elif end >= 2 and raw[end - 2] == "\\" and last in _TRAILING + ")":
            closed -= last == ")"
            end -= 2
        elif last in _TRAILING:
            end -= 1
        elif last == ")" and opened < closed:
            closed -= 1
            end -= 1
        else:
            break
    return raw[:end]


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "()":
            depth += 1 if ch == "(" else -1
            if depth < 0:
                return False
    return depth == 0


def _link(raw: str) -> str | None:
    """The Markdown link for one bare address as written in the body, or None."""
    url = _UNESCAPE.sub(r"\1", raw)
    host = re.sub(r"^(?i:https?://)", "", url).split("/")[0].split("?")[0].split("#")[0]
    if "." not in host.strip(".") or host.startswith(".") or "\\" in url:
        return None
    target = url if re.match(r"(?i)https?://", url) else "https://" + url
    if not _nested(target):  # Markdown link targets may hold only properly nested parentheses
        target = target.replace("(", "%28").replace(")", "%29")
    return f"[{escape_text(url)}]({target})"


def _link_urls_in(text: str) -> str:
    if "://" not in text and "www." not in text.lower():
        return text  # no address can start anywhere (the pattern's scan is the slow part)
    mask = _Mask(text)
    parts: list[str] = []
    pos = 0
    for m in _BARE_URL.finditer(text):
        if mask.hides(m.start(), m.end()):
            continue
        raw = _trim(m.group(0))
        link = _link(raw) if raw else None
        if link is None:
            continue
        parts.append(text[pos : m.start()])
        parts.append(link)
        pos = m.start() + len(raw)
    parts.append(text[pos:])
    return "".join(parts)


def link_bare_urls(article: Article) -> Article:
    """Turn bare ``https://…`` and ``www.`` addresses in prose (and in notes) into links.

    The link text is the address as written; the target is the real address
    (escapes undone, ``www.`` given ``https://``).  Sentence punctuation
    after an address is not part of it; a closing parenthesis is, when the
    address opened one (Wikipedia's ``Foo_(bar)``).
    """
    article.body = _link_urls_in(article.body)
    article.footnotes = [_link_urls_in(f) for f in article.footnotes]
    return article
