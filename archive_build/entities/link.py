"""Linking the first mention of each entity in an article's Markdown body.

The body is Markdown that other steps have already shaped: plain text is
backslash-escaped, annotations are ``<mark>`` tags and ``[^ann-x]`` refs,
captions and datelines carry attr_list lines.  Matching on that source
directly would see ``\\[`` and tags as words, so the body is first read into
*visible text*: escapes become the character they stand for, and everything
that must never hold a link (headings, code, existing links, footnotes, HTML
tags and their attributes, attr_lists, URLs, emphasis markers) becomes a NUL
separator that no alias can span.  Each mention found in the visible text maps
back to an exact source range, so a link wraps the source as it was written,
escapes included, and never cuts a tag or an emphasis in half.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Any

from archive_build.markdown.escape import escape_text
from archive_build.markdown.tokens import (
    ATTR,
    AUTOLINK,
    CODE,
    ESCAPE,
    FENCE,
    FOOTREF,
    IMAGE,
    LINK,
    REFLINK,
    TAG,
    Regions,
    tokenize,
)
from archive_build.model import Article

SEP = "\x00"

# Block-level constructs, tried only at line starts.  Inline ones below never
# run across a blank line or into a heading, as Markdown's own blocks do not.
_LINE = re.compile(
    r"""
    (?P<heading>^[ ]{0,3}\#{1,6}(?:[ \t][^\n]*)?$)
   |(?P<setext>^(?=[^\n]*\S)[^\n]*\n[ ]{0,3}(?:=+|-+)[ \t]*$)
   |(?P<fndef>^[ ]{0,3}\[\^[^\]\n]+\]:[^\n]*(?:\n(?![ \t]*(?:\n|$))[^\n]*|\n(?=[ \t]*\n[ \t]))*)
   |(?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[^\n]*$)
   |(?P<abbr>^\*\[[^\]\n]+\]:[^\n]*$)
   |(?P<attrline>^[ \t]*\{[ \t]*[:#.][^\n]*\}[ \t]*$)
   |(?P<admonition>^[ \t]*(?:!!!|\?\?\?\+?)[^\n]*$)
   |(?P<htmlblock>^<(?:div|figure|table|pre|section|aside|details|ul|ol|dl|p|blockquote|script|style)\b[^\n]*(?:\n[^\n]*\S[^\n]*)*)
    """,
    re.M | re.X,
)
# An indented code block: only after a blank line (or at the start), and it runs on across blank lines.
_INDENTED = re.compile(r"(?:(?:[ ]{4}|\t)[^\n]*(?:\n|\Z)|[ \t]*\n(?=[ ]{4}|\t))+")
_BLOCK_END_LINE = re.compile(r"[ \t]*|[ ]{0,3}(?:\#{1,6}(?:[ \t].*)?|=+[ \t]*|-+[ \t]*)")


def _ends_block(previous_line: str) -> bool:
    """Whether an indented line after this one starts a code block (not a lazy continuation)."""
    return _BLOCK_END_LINE.fullmatch(previous_line) is not None


# Inline constructs the tokenizer does not read (it reads escapes, code, links, footnote
# references, tags and attribute lists), tried only where _TRIGGER finds one of their first characters.
# (HTML anchors and comments are read by ``_html_span``: as patterns, "<a <a <a …" made
# every opener scan to the end of the text.)
_INLINE = re.compile(
    r"""
    (?P<entity>&(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)
   |(?P<url>(?:https?://|www\.)[^\s<>\[\]()`*]+)
   |(?P<mark>\*+|(?<!\w)_+|_+(?!\w)|~~|==|\^\^|\+\+|[\[\]])
    """,
    re.X,
)
# Tokens that hold no word to link: each is one separator (an escape is its character).
_HIDDEN = frozenset({CODE, FENCE, LINK, IMAGE, REFLINK, FOOTREF, TAG, AUTOLINK, ATTR, ESCAPE})
_ANCHOR_START = re.compile(r"<a\b")
_ANCHOR_END = re.compile(r"</a\s*>")


class _Span:
    """An HTML anchor or comment found by ``_html_span``, read like a match of ``_INLINE``."""

    __slots__ = ("_start", "_end", "lastgroup")

    def __init__(self, start: int, end: int, kind: str) -> None:
        self._start, self._end, self.lastgroup = start, end, kind

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


class _Seeker:
    """``text.find(sub, pos)`` for positions that only grow, each answer reused while it lies ahead.

    The scan asks where the next ">", "</a>" or "-->" is from every opener: a
    fresh search each time would read the rest of the text once per opener.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, int] = {}

    def find(self, sub: str, pos: int) -> int:
        at = self.found.get(sub)
        if at is None or (at != -1 and at < pos):
            at = self.text.find(sub, pos)
            self.found[sub] = at
        return at


def _html_span(body: str, start: int, seek: _Seeker) -> _Span | None:
    """The HTML comment ``<!--…-->`` or anchor ``<a …>…</a>`` that starts at ``start``, if it closes."""
    if body.startswith("<!--", start):
        close = seek.find("-->", start + 4)
        return _Span(start, close + 3, "comment") if close != -1 else None
    if not _ANCHOR_START.match(body, start):
        return None
    gt = seek.find(">", start + 2)
    close = seek.find("</a", gt + 1) if gt != -1 else -1
    while close != -1:
        m = _ANCHOR_END.match(body, close)
        if m:
            return _Span(start, m.end(), "anchor")
        close = seek.find("</a", close + 3)
    return None

# Scanning only from these positions keeps the cost near one pass of a simple regex.
# (One character class first, so the engine skips ahead in C: "h" and "w" count
# only as the start of "http(s)://" and "www.".)
_TRIGGER = re.compile(r"[\n\\`\[\]<&{*_~=^+!hw](?:(?<=h)ttps?://|(?<=w)ww\.|(?<=[^hw]))")
# The same without the URL starts, for a body with no "http" or "www." (most):
# the engine then no longer stops at every "h" and "w" of the text.
_TRIGGER_NO_URL = re.compile(r"[\n\\`\[\]<&{*_~=^+!]")
# What a line must start with for ``_LINE`` to match it: the first character
# of a block construct, or (a setext heading) a next line of "=" or "-".
# Checked first, as ``_LINE`` tries every branch on every line.
_BLOCK_HEAD = re.compile(r"[ \t]*[`~#\[*{!?<]")
_UNDERLINE_HEAD = re.compile(r"[ ]{0,3}[=-]")


def _may_open_block(body: str, pos: int) -> bool:
    """Whether ``_LINE`` may match at line start ``pos`` (false only where it cannot)."""
    if _BLOCK_HEAD.match(body, pos):
        return True
    end = body.find("\n", pos)
    return end != -1 and _UNDERLINE_HEAD.match(body, end + 1) is not None


def _previous_line(body: str, pos: int) -> str:
    """The line before the one that starts at ``pos`` ("" at the start)."""
    return body[body.rfind("\n", 0, max(0, pos - 1)) + 1 : max(0, pos - 1)]


class Visible:
    """The visible text of a Markdown body, with a map back to source offsets."""

    def __init__(self, body: str):
        parts: list[str] = []
        self._vis: list[int] = []  # visible offset where each piece starts
        self._src: list[int] = []  # source offset where it starts
        self._esc: list[bool] = []  # piece is one escaped character (2 source chars)
        self.unclosed: list[int] = []
        vpos = 0
        last = 0

        def piece(text: str, src: int, esc: bool = False) -> None:
            nonlocal vpos
            self._vis.append(vpos)
            self._src.append(src)
            self._esc.append(esc)
            parts.append(text)
            vpos += len(text)

        def token(start: int, end: int, kind: str | None) -> None:
            nonlocal last
            if start > last:
                piece(body[last:start], last)
            if body[end - 1 : end] == "]" and body[end : end + 1] in ("(", "[") and not (kind == FOOTREF and _next_is_footref(end)):
                self.unclosed.append(start)  # "](" that is not a whole link: Markdown may close it later
            if kind == "esc":
                piece(body[start + 1], start, True)
            else:
                piece(SEP, start, True)  # never part of a match; its source length is irrelevant
            last = end

        n = len(body)
        pos, line_start, after_block = 0, True, False
        # Code, links, markers, tags and escapes as the renderer reads them (``markdown.tokens``), by start.
        at = {t.start: t for t in tokenize(body) if t.kind in _HIDDEN}

        def _next_is_footref(pos: int) -> bool:  # "[^a][^b]": two markers, no link left open
            nxt = at.get(pos)
            return nxt is not None and nxt.kind == FOOTREF
        fences = Regions(sorted((t.start, t.end) for t in at.values() if t.kind == FENCE))
        cuts = Regions(sorted((t.start, t.start + 1) for t in at.values()))
        trigger = _TRIGGER if "http" in body or "www." in body else _TRIGGER_NO_URL
        seek = _Seeker(body)
        while pos < n:
            if line_start:
                line_start = False
                fence = at.get(pos)
                if fence is not None and fence.kind == FENCE:
                    token(fence.start, fence.end, "fence")
                    pos, after_block = fence.end, True
                    continue
                m = _LINE.match(body, pos) if _may_open_block(body, pos) else None
                starts_block = pos == 0 or after_block
                after_block = False
                if m is not None and m.lastgroup == "setext" and not starts_block and _previous_line(body, pos).strip():
                    m = None  # Python-Markdown reads a setext heading only as the first lines of a block
                if m is None and body.startswith(("    ", "\t"), pos) and _ends_block(_previous_line(body, pos)):
                    m = _INDENTED.match(body, pos)
                if m and m.end() > pos:
                    token(m.start(), m.end(), m.lastgroup)
                    pos = m.end()
                    after_block = True  # what follows a heading, fence or definition starts a block of its own
                    continue
            t = trigger.search(body, pos)
            if t is None:
                break
            if t.group() == "\n":
                pos, line_start = t.end(), True
                continue
            tok = at.get(t.start())
            if tok is not None and tok.kind != FENCE and not (tok.kind == TAG and _ANCHOR_START.match(body, t.start())):
                token(tok.start, tok.end, "esc" if tok.kind == ESCAPE else tok.kind)
                pos = tok.end
                continue
            if t.group() == "<":
                m = _html_span(body, t.start(), seek)
            else:
                m = _INLINE.match(body, t.start()) if t.group() != "`" else None
            if m and m.lastgroup == "url" and cuts.crosses(m.start(), m.end()):
                token(m.start(), cuts.next_start(m.start()), "url")  # an address runs up to the token that cuts it
                pos = last
                continue
            if m and cuts.spans and (cuts.crosses(m.start(), m.end()) or fences.crosses(m.start(), m.end())):
                m = None  # a token read first (code, a link…) cuts it; a fence interrupts the paragraph
            skip_to = t.start() + 1
            if m and m.end() > t.start():
                token(m.start(), m.end(), m.lastgroup)
                pos = m.end()
            else:
                if t.group() == "`":  # unmatched backticks may still open a code span Markdown closes later
                    self.unclosed.append(t.start())
                pos = skip_to
        if last < len(body):
            piece(body[last:], last)
        self.text = "".join(parts)

    def _locate(self, pos: int) -> int:
        return bisect.bisect_right(self._vis, pos) - 1

    def source_start(self, pos: int) -> int:
        i = self._locate(pos)
        return self._src[i] if self._esc[i] else self._src[i] + (pos - self._vis[i])

    def source_end(self, end: int) -> int:
        """Source offset just after the visible character ``end - 1``."""
        i = self._locate(end - 1)
        return self._src[i] + 2 if self._esc[i] else self._src[i] + (end - self._vis[i])


def entity_href(entity_id: str) -> str:
    """Link from an article page (articles/<id>.md) to an entity page."""
    return f"../entities/{entity_id}.md"


_UNESCAPED_BRACE = re.compile(r"(?<!\\)(?:\\\\)*(\})")
# A line-start attribute list with more inline text after it on its line
# (``{: .dateline }[Kyiv](…)``): attr_list gives it to the paragraph only
# while it ends the paragraph's leading text, which a link before it changes.
_ATTR_THEN_INLINE = re.compile(r"\n[ ]{0,3}\{:?[^}\n]*\}[ \t]*\S")
# A complete emphasis right before an attr_list: the caption credit, ``*Credit*{: .credit }``.
_EMPHASIS_THEN_ATTR = re.compile(r"(?<![\\*])\*[^*\s\\](?:[^*\n]*[^*\s\\])?\*\{[^{}\n]*$")


# Inline delimiters whose meaning depends on whether a word character touches them.
_WORD_BOUND_DELIMITERS = "_=~^"


def _escaped(body: str, i: int) -> bool:
    """Whether ``body[i]`` is backslash-escaped: an odd number of backslashes right before it."""
    j = i
    while j and body[j - 1] == "\\":
        j -= 1
    return (i - j) % 2 == 1


def _linkable(body: str, start: int, end: int) -> bool:
    """Whether wrapping ``body[start:end]`` in a link keeps the rest of the line's meaning.

    "!" just before would make the link an image; "{" just after would make
    the following text an attr_list of the link; an adjacent "_", "=", "~"
    or "^" would no longer sit inside a word, so it could start or end
    emphasis, a highlight (pymdownx.mark), a deletion or a superscript.  And Python-Markdown reads
    the link's ``{ .ab-entity }`` up to the *last* "}" of the text that
    follows it, so a later unescaped "}" on the line is only harmless behind
    another element (in practice the caption credit, ``*Credit*{: .credit }``).
    """
    before = body[start - 1] if start else ""
    if before and before in _WORD_BOUND_DELIMITERS + "!" and not _escaped(body, start - 1):
        return False  # an image, or an underscore that would now open or close emphasis
    after = body[end : end + 1]
    if after and after in _WORD_BOUND_DELIMITERS + "{":
        return False
    # (``str.find`` first: most paragraphs hold no "}" at all, and the regex scan is slow.)
    para_start = body.rfind("\n\n", 0, start) + 1
    if body.find("}", para_start, start) != -1 and _UNESCAPED_BRACE.search(body, para_start, start):
        return False  # after an attr_list in the same paragraph, what the text means is already unclear
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end == -1 else para_end
    if body.find("{", end, para_end) != -1 and _ATTR_THEN_INLINE.search(body, end, para_end):
        return False
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    if body.find("}", end, line_end) == -1:
        return True
    m = _UNESCAPED_BRACE.search(body, end, line_end)
    return m is None or _EMPHASIS_THEN_ATTR.search(body, end, m.start()) is not None


def _after_unclosed(body: str, unclosed: list[int], start: int) -> bool:
    """Whether an unfinished ``](`` or backtick earlier in the paragraph could swallow our link."""
    i = bisect.bisect_left(unclosed, start) - 1
    return i >= 0 and body.find("\n\n", unclosed[i], start) == -1


_MARK_TAG = re.compile(r"<mark\b[^>]*>|</mark>")
_CAPTION_ATTR = re.compile(r"\n\{: \.caption \}")


def _quiet_ranges(body: str) -> list[tuple[int, int]]:
    """Source ranges where no entity is linked: highlighted passages and photo captions.

    A link inside a highlight competes with the annotation for the reader's
    tap; a caption is not the text.  Each pair of ``<mark>`` tags (nested
    ones count once) and each paragraph marked ``{: .caption }`` is one range.
    """
    ranges: list[tuple[int, int]] = []
    if "<mark" in body:
        depth, opened = 0, 0
        for m in _MARK_TAG.finditer(body):
            if m.group().startswith("</"):
                depth = max(0, depth - 1)
                if depth == 0:
                    ranges.append((opened, m.end()))
            else:
                if depth == 0:
                    opened = m.start()
                depth += 1
    if "{: .caption }" in body:
        for m in _CAPTION_ATTR.finditer(body):
            ranges.append((body.rfind("\n\n", 0, m.start()) + 1, m.end()))
    ranges.sort()
    return ranges


def _inside(ranges: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ranges[i][1]


def link_body(body: str, matcher: Any) -> tuple[str, Counter[str]]:
    """Link the first mention of each entity where a link helps; count every mention.

    A mention inside a highlighted passage or a caption is not linked, nor a
    second one in a sentence that already has a link: a later mention of the
    same entity may be linked instead.  (Entities that appear in most of the
    archive's articles lose their links when the page is written:
    ``writer.unlink_entities``.)
    """
    visible = Visible(body)
    quiet = _quiet_ranges(body)
    quiet_starts = [s for s, _ in quiet]
    counts: Counter[str] = Counter()
    linked: set[str] = set()
    out: list[str] = []
    last = 0
    sentence_end = -1  # where the sentence of the last link ends (visible offset); -1: no link yet
    for mention in matcher.find(visible.text):
        counts[mention.entity] += 1
        if mention.entity in linked or (sentence_end != -1 and mention.start < sentence_end):
            continue
        start, end = visible.source_start(mention.start), visible.source_end(mention.end)
        if quiet and _inside(quiet, quiet_starts, start):
            continue
        if not _linkable(body, start, end) or _after_unclosed(body, visible.unclosed, start):
            continue  # a later mention may still be linked
        linked.add(mention.entity)
        out.append(body[last:start])
        out.append(f"[{body[start:end]}]({entity_href(mention.entity)}){{ .ab-entity }}")
        last = end
        m = _SENTENCE_END.search(visible.text, mention.end)
        sentence_end = m.start() if m else len(visible.text)
    out.append(body[last:])
    return "".join(out), counts


# A sentence's end: ".!?…" with closing quotes or brackets and a space, a
# blank line, or a line break (written with its possible first characters as
# one class, so the regex engine skips ahead to them in C).
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=[.!?…])[”\"’')\]]*\s+|(?<=\n)\s*\n|(?<=\n))")
MAX_KWIC = 280


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around ``[start, end)``, trimmed to a readable length."""
    lo = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - MAX_KWIC), start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    hi = m.start() + len(m.group().rstrip()) if m else len(text)
    hi = min(hi, len(text))
    sentence = text[lo:hi].replace(SEP, " ")
    sentence = " ".join(sentence.split())
    if len(sentence) > MAX_KWIC:
        offset = start - lo
        a = max(0, offset - MAX_KWIC // 2)
        sentence = ("… " if a else "") + sentence[a : a + MAX_KWIC].strip() + " …"
    return sentence


def kwic_markdown(text: str, start: int, end: int) -> str:
    """The sentence around a mention as escaped Markdown, the mention in bold.

    Built in the worker, so entity pages only paste it in: escaping 100,000
    sentences once per build is work the process pool should do.
    """
    lo = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - MAX_KWIC), start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    hi = min(m.start() + len(m.group().rstrip()) if m else len(text), len(text))
    raw_before, raw_after = text[lo:start].replace(SEP, " "), text[end:hi].replace(SEP, " ")
    before, mention, after = (" ".join(t.split()) for t in (raw_before, text[start:end], raw_after))
    room = max(0, MAX_KWIC - len(mention))
    if len(before) + len(after) > room:
        keep = max(room // 2, room - len(after))
        if len(before) > keep:
            before = "… " + before[len(before) - keep :].lstrip()
        if len(after) > room - min(len(before), keep):
            after = after[: max(0, room - min(len(before), keep))].rstrip() + " …"
    space_before = " " if before and raw_before[-1:].isspace() else ""
    space_after = " " if after and raw_after[:1].isspace() else ""
    return escape_text(before) + space_before + "**" + escape_text(mention) + "**" + space_after + escape_text(after)


# What the fallback plain text leaves out: markers, tags and attribute lists (a link keeps its text).
_UNSEEN = frozenset({FOOTREF, TAG, AUTOLINK, ATTR})


def plain_fallback(body: str) -> str:
    """Plain text when the annotations step has not set ``article.plain`` (a rough one: for sentences to quote).

    Links, footnote markers, tags and attribute lists as ``markdown.tokens``
    reads them; heading marks, escapes and emphasis marks then go too.
    """
    parts: list[str] = []
    skip_to = 0  # the end of the last link: its destination is not text
    label_ends: list[tuple[int, int]] = []  # (end of a link's text, end of the link)
    for t in tokenize(body):
        while label_ends and t.start >= label_ends[-1][0]:
            skip_to = max(skip_to, label_ends.pop()[1])
        if t.start < skip_to:
            continue
        if t.kind in (LINK, IMAGE, REFLINK):
            label_ends.append((t.inner[1], t.end))
        elif t.kind not in _UNSEEN:
            parts.append(body[t.start : t.end])
    text = re.sub(r"^#{1,6}[ \t]+", "", "".join(parts), flags=re.M)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return re.sub(r"(?<![\\\w])[*_]+|[*_]+(?!\w)", "", text)


def keyword_sentences(article: Article, matcher: Any) -> tuple[dict[str, str], Counter[str]]:
    """Every mention counted, and one keyword-in-context sentence per entity (its first), as Markdown."""
    plain = article.plain or plain_fallback(article.body)
    out: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for mention in matcher.find(plain):
        counts[mention.entity] += 1
        if mention.entity not in out:
            out[mention.entity] = kwic_markdown(plain, mention.start, mention.end)
    return out, counts
