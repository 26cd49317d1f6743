"""Putting anchored annotations into the article: highlights and footnotes.

A passage becomes ``<mark class="ab-ann ab-ann-<kind> ab-ann-for-<id>" id="ann-<id>">``
followed by a footnote reference ``[^ann-<id>]``; the footnote holds a kind
badge, author, date, a permalink, the annotated words linked back to the
passage and the (sanitised) body, so the note reads on its own wherever the
page shows it: in the margin, in a tooltip, opened in place on a phone, or in
the list at the end (``docs/javascripts/notes.js``).  The ``ab-ann-for-<id>``
class tells every piece of a passage which note it belongs to.  Overlapping passages are cut at every boundary
into pieces that each carry one nested ``<mark>`` per annotation covering
them, so the HTML always nests properly; a piece that crosses inline
formatting (emphasis, a link) is split again so no tag straddles Markdown
syntax.  Only the first piece of an annotation carries its id.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace

from archive_build.annotations.load import Spec
from archive_build.markdown.escape import escape_text, sanitize_markdown
from archive_build.markdown.linear_scan import code_spans
from archive_build.markdown.plaintext import PlainMap
from archive_build.transforms.bound import bound_markdown

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
KIND_LABELS = {"note": "Note", "correction": "Correction", "context": "Context", "source": "Source", "question": "Question"}


@dataclass
class Placed:
    """An annotation with its passage in plain-text coordinates."""

    id: str
    kind: str
    start: int
    end: int


def human_date(iso: str) -> str:
    """``2026-11-20`` (or ``2026-11-20T14:03:11Z``: the day is shown) → ``20 November 2026``."""
    try:
        d = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return iso
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _after_atomic(pos: int, atomic_starts: list[int], atomic: list[tuple[int, int]]) -> int:
    """Move an insertion point out of a link or code span it falls inside."""
    # Spans never overlap except a code span inside a link's text, so the
    # containing spans are among the last few that start before ``pos``.
    i = bisect.bisect_left(atomic_starts, pos) - 1
    for j in range(i, max(-1, i - 4), -1):
        s, e = atomic[j]
        if s < pos < e:
            pos = e
    return pos


def _trimmed_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over the whitespace that ends ``text[start:end]`` (not past its first character)."""
    while end - 1 > start and text[end - 1].isspace():
        end -= 1
    return end


def highlight(md: str, pmap: PlainMap, placed: list[Placed]) -> str:
    """``md`` with every placed passage marked and followed by its footnote reference."""
    if not placed:
        return md
    # A passage ends at its last visible character: with a line break at its
    # end, its reference would start the next line (an attr_list line, say).
    text = pmap.text
    placed = [replace(p, end=_trimmed_end(text, p.start, p.end)) for p in placed]
    inserts: list[tuple[int, int, int, str]] = []  # (source position, 0 close / 1 ref / 2 open, sequence, text)
    seq = 0
    order = sorted(range(len(placed)), key=lambda i: (placed[i].start, -placed[i].end, i))
    bounds = sorted({p.start for p in placed} | {p.end for p in placed})
    by_start: dict[int, list[int]] = {}
    for i in order:
        by_start.setdefault(placed[i].start, []).append(i)
    active: list[int] = []
    opened: set[int] = set()
    for lo, hi in zip(bounds, bounds[1:]):
        active = [i for i in active if placed[i].end > lo] + by_start.get(lo, [])
        if not active:
            continue
        for ra, rb in pmap.runs(lo, hi):
            opens, closes = [], []
            for i in active:
                p = placed[i]
                ident = "" if i in opened else f' id="ann-{p.id}"'
                opened.add(i)
                opens.append(f'<mark class="ab-ann ab-ann-{p.kind} ab-ann-for-{p.id}"{ident}>')
                closes.append("</mark>")
            inserts.append((ra, 2, seq, "".join(opens)))
            inserts.append((rb, 0, seq, "".join(closes)))
            seq += 1
    atomic = sorted(pmap.atomic)
    atomic_starts = [s for s, _ in atomic]
    for i in order:
        p = placed[i]
        if p.end <= p.start:
            continue
        pos = _after_atomic(pmap.source_end(p.end - 1), atomic_starts, atomic)
        inserts.append((pos, 1, seq, f"[^ann-{p.id}]"))
        seq += 1
    inserts.sort()
    out: list[str] = []
    last = 0
    for pos, _, _, text in inserts:
        out.append(md[last:pos])
        out.append(text)
        last = pos
    out.append(md[last:])
    return "".join(out)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))


_UNESCAPED = r"(?<!\\)((?:\\\\)*)"  # an even run of backslashes (possibly none) before the match


def _neutralise_text(text: str) -> str:
    # (Each pattern begins with a look-behind or a line start, which the regex
    # engine tries at every character: a note without the characters a pattern
    # needs is not scanned for it.)
    # attr_list needs no colon ("{ onclick=… }") and would set attributes on the article's elements.
    if "{" in text:
        text = re.sub(_UNESCAPED + r"\{", r"\1\\{", text)
    # A footnote reference or definition of its own would reach into the article's footnotes.
    if "[^" in text:
        text = re.sub(_UNESCAPED + r"\[\^", r"\1\\[^", text)
    # An abbreviation definition ("*[Putin]: …") applies to the whole page.
    if "*[" in text:
        text = re.sub(r"^([ \t]*)\*\[", r"\1\\*[", text, flags=re.M)
    return text


def _neutralise(md: str) -> str:
    """Escape the syntax that lets a footnote body change the rest of the page (outside code spans)."""
    out: list[str] = []
    last = 0
    for m in code_spans(md):  # CODE_SPAN's matches, in linear time
        out.append(_neutralise_text(md[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_neutralise_text(md[last:]))
    return "".join(out)


QUOTE_WORDS = 14  # a longer quote is shortened to its first words: the note names its passage, the page shows it


def short_quote(quote: str, words: int = QUOTE_WORDS) -> str:
    """The annotated words on one line, cut after ``words`` words with an ellipsis."""
    parts = quote.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:.") + "…"


def footnote(spec: Spec, dropped: list[str], anchored: bool = True) -> str:
    """The Markdown footnote definition for one annotation.

    Its first paragraph says what kind of note it is, who wrote it and when,
    with a permalink to the note itself; the second quotes the annotated
    words, linked back to the highlighted passage, so a note read anywhere
    (in the margin, the list at the end, a phone's popover) says what it is
    about.  The body is a stranger's Markdown: sanitised (no raw HTML, only
    safe link schemes), footnote syntax neutralised, and indented four
    spaces so several paragraphs stay inside the footnote.
    """
    kind = KIND_LABELS.get(spec.kind, spec.kind.title())
    head = (
        f'<span class="ab-ann-kind ab-ann-kind-{spec.kind}">{kind}</span> '
        f'<span class="ab-ann-by">{escape_text(spec.author)} · {human_date(spec.created)}</span> '
        f'<a class="ab-ann-permalink" href="#fn:ann-{spec.id}" title="Link to this annotation">¶</a>'
    )
    words = f"“{escape_text(short_quote(spec.quote))}”"
    # An unanchored note has no passage to go back to (it is listed under "Unanchored notes").
    quoted = f'<a class="ab-ann-quote" href="#ann-{spec.id}" title="Go to the annotated passage">{words}</a>' if anchored else f'<span class="ab-ann-quote">{words}</span>'
    body = _neutralise(sanitize_markdown(spec.body.replace("\r\n", "\n").strip(), dropped))
    body, _ = bound_markdown(body)  # a very long paragraph cut, as in the article (transforms/bound.py)
    return f"[^ann-{spec.id}]: {head}\n\n{_indent(quoted)}\n\n{_indent(body)}"


def see_also(links: list[tuple[str, str]]) -> str:
    """The footnote paragraph linking an annotation to other articles: (id, title) pairs."""
    items = ", ".join(f"[{escape_text(title)}]({aid}.md)" for aid, title in links)
    return _indent(f"See also: {items}")


def unanchored_section(lost: list[tuple[Spec, str]]) -> str:
    """Notes that could not be placed in the text, kept at the end of the article so none is lost.

    Each says why: its quote is ambiguous, not found, or the note could not be
    read at all (``reason`` "unread: …", with the file's problem).
    """
    lines = [
        "## Unanchored notes",
        "",
        "These reader notes could not be placed in the text of this version of the article.",
        "",
    ]
    for spec, reason in lost:
        quote = " ".join(spec.quote.split())
        shown = f"“{escape_text(quote)}”" if quote else "(no quote)"
        if reason == "ambiguous":
            why = "ambiguous: the quote occurs more than once"
        elif reason.startswith("unread: "):
            why = "not read: the annotation file has a mistake (" + escape_text(" ".join(reason[len("unread: ") :].split())[:200]) + ")"
        else:
            why = "not found in the text"
        lines.append(f"- {shown}[^ann-{spec.id}] — {why}")
    section, _ = bound_markdown("\n".join(lines))  # a list of very long quotes cut, as the article is
    return section + "\n"
