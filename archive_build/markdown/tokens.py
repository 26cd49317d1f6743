"""One reading of a Markdown body: where its code, links, footnote markers and tags are.

Every pass that must leave some syntax alone (the plain text a reader sees,
the entity linker, the article's own notes, links between articles, the
sanitiser) asks this module where that syntax lies, so that all of them
agree with each other and with the renderer, Python-Markdown with the
extensions in ``mkdocs.yml``:

- a **fence** is what ``pymdownx.superfences`` takes for one: an opening
  line of three or more backticks or tildes with at most a language and
  options, closed by a line of the same fence at the same indentation; a
  fence that never closes is paragraph text (and no later fence opens);
- a **code span** is what Python-Markdown's backtick pattern reads: the whole
  run of backticks opens it, the first later run of the same length in the
  paragraph closes it, failing that the longest later run if it is shorter
  (the opening's extra backticks are then code); a backslash-escaped
  backtick opens nothing, and after a run that opens nothing the search goes
  on twice its length further (as ``BacktickInlineProcessor`` does);
- code is read first, as Python-Markdown's backtick pattern runs before all
  others: a link or tag that a code span cuts through is no link or tag;
- a **link** or **image** is ``[text](destination "title")`` as
  Python-Markdown's link pattern reads it: the text runs to the bracket
  that balances its ``[``, the destination to the parenthesis that balances
  its ``(`` (spaces and line breaks allowed), within one paragraph;
- the rest: **footnote references** ``[^label]``, **reference links**
  ``[text][ref]``, **raw tags**, **autolinks** ``<scheme:…>``, **attribute
  lists** ``{: .class}``, **escapes** ``\\*``, hard breaks (a backslash
  before a line end); at line starts, **footnote definitions** (their label)
  and **reference definitions**.

The scan is linear in the length of the text: backtick runs, brackets and
parentheses are paired once per paragraph, every other pattern is tried
only where its first character stands and stops at a line end or at the
next character of its kind, so hostile input (a hundred thousand backticks
or brackets) costs what ordinary text does.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterable, NamedTuple

# Token kinds.
FENCE = "fence"
CODE = "code"
LINK = "link"
IMAGE = "image"
REFLINK = "reflink"
FOOTREF = "footref"
FOOTDEF = "footdef"
REFDEF = "refdef"
TAG = "tag"
AUTOLINK = "autolink"
ATTR = "attr"
ESCAPE = "escape"
BREAK = "break"
TEXT = "text"

#: What the passes that rewrite prose must never touch: code, links, footnote markers, markup.
PROTECTED = frozenset({FENCE, CODE, LINK, IMAGE, REFLINK, FOOTREF, FOOTDEF, REFDEF, TAG, AUTOLINK, ATTR})
#: Code: what the page shows as written, never as words to link or annotate.
CODE_KINDS = frozenset({FENCE, CODE})


class Token(NamedTuple):
    """One piece of the body: its kind, its source span and, where it has them, two inner ranges.

    ``inner``: a code span's code, a fence's code lines, a link's, image's
    or reference link's text (between the brackets).  ``dest``: a link's or image's destination
    (without its angle brackets).  Both are ``(start, end)`` source offsets,
    ``(-1, -1)`` where the kind has none.  Tokens inside a link's text
    follow the link token in the list.
    """

    kind: str
    start: int
    end: int
    inner: tuple[int, int] = (-1, -1)
    dest: tuple[int, int] = (-1, -1)


# ------------------------------------------------------------------ blocks

# What ends a paragraph after a line break: a blank line, or a line that starts a
# heading, a quote, a footnote definition or a rule.  No inline construct runs past it.
PARAGRAPH_BREAK = r"[ \t]*\n|[ ]{0,3}(?:\#|>|\[\^[^\]\n]+\]:|(?:[-*_][ ]{0,2}){3,}\n)"
_PARAGRAPH_END = re.compile(f"\\n(?={PARAGRAPH_BREAK})")

# A fence's opening line after its indentation, as superfences reads it: the fence, an
# optional language, then attributes in braces or options (name or name="value"), nothing else.
_FENCE_OPEN = re.compile(
    r"""(?x)
    (?P<fence>~{3,}|`{3,})
    (?:[ \t]*\.?(?P<lang>[\w\#.+-]+)(?=[\t ]|$))?
    (?:[ \t]*(\{(?P<attrs>[^\n]*)\})
      |(?P<options>(?:(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$))+)
      |(?P<unrecognized>(?:[ \t]*[^\s]+(?=[\t ]|$))+)
    )?[ \t]*$
    """
)
_FENCE_HEAD = re.compile(r"[ \t]*[`~]{3}")
# The options superfences knows (the highlighter takes them); any other makes the line no fence.
_KNOWN_OPTIONS = frozenset({"hl_lines", "linenums", "title", "title_mode"})
_OPTION_NAME = re.compile(r"(?:^|[ \t])([a-zA-Z][a-zA-Z0-9_]*)(?:=(\"|').*?\2)?(?=[\t ]|$)")


def _opens_fence(line: str) -> tuple[str, int] | None:
    """The fence and its indentation width if ``line`` opens a fenced block, else None."""
    content = line.lstrip(" \t")
    ws = line[: len(line) - len(content)]
    m = _FENCE_OPEN.fullmatch(content)
    if m is None or m.group("unrecognized"):
        return None
    options = m.group("options")
    if options and any(o.group(1) not in _KNOWN_OPTIONS for o in _OPTION_NAME.finditer(options)):
        return None
    return m.group("fence"), len(ws.expandtabs(4))


def _after_indent(line: str, width: int) -> str | None:
    """``line`` without its first ``width`` columns of indentation, or None if it is indented less."""
    col = 0
    for k, c in enumerate(line):
        if col >= width:
            return line[k:]
        if c == "\t":
            col += 4 - col % 4
        elif c == " ":
            col += 1
        else:
            return None
    return "" if col >= width else None


def fences(text: str) -> list[tuple[int, int, int, int]]:
    """Each fenced block as ``(start, end, code start, code end)``: the opening line's start, the closing line's end.

    One pass over the lines, as superfences makes it: an opening line that
    reads as a fence starts one; a line holding the same fence (and spaces)
    at the opening's indentation ends it; a non-blank line indented less
    abandons it; a fence still open at the end was never one, and the lines
    after its opening are not searched again.
    """
    if "```" not in text and "~~~" not in text:
        return []
    found: list[tuple[int, int, int, int]] = []
    pos, n = 0, len(text)
    opened: tuple[int, int, str, int] | None = None  # (line start, code start, fence, indentation)
    while pos <= n:
        end = text.find("\n", pos)
        end = n if end == -1 else end
        if opened is None:
            if _FENCE_HEAD.match(text, pos, end):
                head = _opens_fence(text[pos:end])
                if head is not None:
                    opened = (pos, min(end + 1, n), head[0], head[1])
        else:
            line = text[pos:end]
            if line.strip():
                content = _after_indent(line, opened[3])
                if content is None:
                    opened = None  # indented less than the opening line: no fence
                elif content.startswith(opened[2]) and not content[len(opened[2]) :].strip(" \t"):
                    found.append((opened[0], end, opened[1], pos))
                    opened = None
        pos = end + 1
    return found


# A heading's line ends its block too: an ATX heading ("# x") or a setext underline ("===", "---").
_HEADING_LINE_END = re.compile(r"(?m)^[ ]{0,3}(?:\#[^\n]*|=+[ \t]*|-+[ \t]*)(\n)")


def paragraph_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where paragraphs end in ``text[start:end]`` (each a line break no inline construct runs past)."""
    end = len(text) if end is None else end
    ends = {m.start() for m in _PARAGRAPH_END.finditer(text, start, end)}
    ends.update(m.start(1) for m in _HEADING_LINE_END.finditer(text, start, end))
    return sorted(ends)


# ------------------------------------------------------------------ code spans

_BACKTICKS = re.compile(r"`+")


class CodeSpanAt(NamedTuple):
    """A code span: where it ends (after its closing backticks) and where its code lies."""

    end: int
    code_start: int
    code_end: int


class _Runs:
    """The backtick runs of one paragraph, indexed so that finding a span's closing run costs a lookup."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, start, end)]
        self.starts = [s for s, _ in self.runs]
        self.by_width: dict[int, list[int]] = {}
        for k, (s, e) in enumerate(self.runs):
            self.by_width.setdefault(e - s, []).append(k)
        # best[k]: index of the first longest run among runs[k:] (-1 past the end).
        self.best = [-1] * (len(self.runs) + 1)
        for k in range(len(self.runs) - 1, -1, -1):
            b = self.best[k + 1]
            s, e = self.runs[k]
            if b == -1 or e - s >= self.runs[b][1] - self.runs[b][0]:
                self.best[k] = k
            else:
                self.best[k] = b

    def span_at(self, p: int) -> tuple[CodeSpanAt | None, int]:
        """The code span opened by the backticks from ``p`` to the end of their run, and that run's end."""
        k = bisect_right(self.starts, p) - 1
        run_end = self.runs[k][1]
        width = run_end - p
        same = self.by_width.get(width)
        if same:
            j = bisect_right(same, k)
            if j < len(same):
                s, e = self.runs[same[j]]
                return CodeSpanAt(e, run_end, s), run_end
        b = self.best[k + 1]
        if b != -1:
            s, e = self.runs[b]
            if e - s < width:
                return CodeSpanAt(e, run_end - (width - (e - s)), s), run_end
        return None, run_end


# ------------------------------------------------------------------ inline tokens

_FOOTREF = re.compile(r"\[\^[^\]\s]+\]")
# (Its second bracket is no footnote reference: those are read first.)
_REFLINK = re.compile(r"\[((?:[^\[\]\\\n]|\\.)*)\]\[(?!\^)[^\[\]\n]*\]")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.\-]{1,31}):[^\s<>]*>")
_ATTR = re.compile(r"\{:?\s*[:.#][^{}\n]*\}")
_FOOTDEF = re.compile(r"[ ]{0,3}(\[\^[^\]\n]+\]:)")
# A reference definition as Python-Markdown's ReferenceProcessor reads one (on one line): a label, an
# address without spaces and an optional title, nothing else; any other "[x]: …" line is paragraph text.
_REFDEF = re.compile(r"""[ ]{0,3}\[[^\[\]\n^][^\[\]\n]*\]:[ ]*\S+[ ]*(?:(["'])[^\n]*\1[ ]*|\([^\n]*\)[ ]*)?(?=\n|\Z)""")
# Characters that may start a token; everything between them is text.
_SPECIAL = re.compile(r"[\\`\[!<{\n]")


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span's characters replaced by one that no link syntax uses (as a stash placeholder)."""
    out: list[str] = []
    last = 0
    for s, e in spans:
        out.append(text[last:s])
        out.append("\x02" * (e - s))
        last = e
    out.append(text[last:])
    return "".join(out)


def tokenize(text: str) -> list[Token]:
    """Every token of ``text`` in order; text tokens fill the gaps, so their spans tile the text.

    Tokens inside a link's, image's or reference link's text come right after it
    (whose span covers them): a reader of top-level tokens skips every token
    that starts before the end of the last one it took.
    """
    blocks = fences(text)
    # A fenced block stands in its paragraph as one placeholder (superfences stashes it first):
    # a code span may run across it, and its own backticks and blank lines are not the paragraph's.
    fenced = _masked(text, [(s, e) for s, e, _, _ in blocks]) if blocks else text
    code: dict[int, CodeSpanAt] = {}  # opening position → span
    paragraphs = _paragraphs(fenced)
    if "`" in fenced:
        for p0, p1 in paragraphs:
            if fenced.find("`", p0, p1) != -1:
                _code_spans(fenced, p0, p1, code)
    links: dict[int, _Link] = {}  # by its "["
    if "](" in text:
        masked_spans = _merged([(s, e) for s, e, _, _ in blocks] + [(p, c.end) for p, c in code.items()])
        masked = _masked(text, masked_spans) if masked_spans else text
        if "\\" in masked:
            masked = _masked(masked, _escapes(masked))
        for p0, p1 in paragraphs:  # no link runs past its paragraph
            if masked.find("](", p0, p1) != -1:
                _links(masked, p0, p1, links)
    tokens: list[Token] = []
    fence_at = {s: (s, e, cs, ce) for s, e, cs, ce in blocks}
    _Scanner(text, tokens, code, links, fence_at).run()
    return tokens


class _Link(NamedTuple):
    start: int  # its "[" (or the "!" before it)
    end: int
    text_start: int
    text_end: int
    dest_start: int
    dest_end: int


# A destination in angle brackets, with an optional title (``LinkInlineProcessor.RE_LINK``).
_ANGLE_DEST = re.compile(r"""\(\s*(<[^<>]*>)\s*(?:('[^']*'|"[^"]*")\s*)?\)""")
_BRACKETS = re.compile(r"[\[\]()]")
_SPACE = frozenset(" \t\n\r\f\v")


def _escapes(text: str) -> list[tuple[int, int]]:
    """Each backslash escape (a backslash and the character after it, not a line break), left to right."""
    out: list[tuple[int, int]] = []
    i = text.find("\\")
    n = len(text)
    while i != -1:
        if i + 1 < n and text[i + 1] != "\n":
            out.append((i, i + 2))
            i = text.find("\\", i + 2)
        else:
            i = text.find("\\", i + 1)
    return out


def _links(masked: str, start: int, end: int, out: dict[int, _Link]) -> None:
    """The links and images of one paragraph, as Python-Markdown's link and image patterns read them.

    ``masked`` has code, fences and escapes replaced (as Python-Markdown's
    placeholders stand for them by the time links are read).  A link's text
    runs to the bracket that balances its ``[`` (``getText``); ``(`` must
    follow, and the destination runs to the parenthesis that balances it
    (``getLink``), or is ``<…>``; a quoted title at its end is the title.
    Brackets and parentheses are paired once per paragraph, so each
    candidate costs a lookup.  (Python-Markdown also lets a quote keep an
    unbalanced parenthesis inside a title; that rare shape is read without.)
    """
    close_bracket: dict[int, int] = {}
    close_paren: dict[int, int] = {}
    brackets: list[int] = []
    parens: list[int] = []
    for m in _BRACKETS.finditer(masked, start, end):
        c, k = m.group(), m.start()
        if c == "[":
            brackets.append(k)
        elif c == "]":
            if brackets:
                close_bracket[brackets.pop()] = k
        elif c == "(":
            parens.append(k)
        elif parens:
            close_paren[parens.pop()] = k
    found: dict[int, _Link] = {}
    images: list[int] = []
    for i, close in close_bracket.items():
        image = i > start and masked[i - 1] == "!"
        opening = close + 1
        if opening >= end or masked[opening] != "(":
            continue
        m = _ANGLE_DEST.match(masked, opening, end)
        if m is not None:
            link_end, dest = m.end(), (m.start(1) + 1, m.end(1) - 1)
        else:
            shut = close_paren.get(opening)
            if shut is None:
                continue
            link_end, dest = shut + 1, _destination(masked, opening + 1, shut)
        found[i] = _Link(i - 1 if image else i, link_end, i + 1, close, dest[0], dest[1])
        if image:
            images.append(i)
    # Python-Markdown reads links before images: a link that starts in an image's
    # text and runs past its closing bracket takes that bracket, and the image is text.
    for i in images:
        image = found[i]
        if any(j in found and j not in images and found[j].end > image.text_end for j in range(image.text_start, image.text_end)):
            del found[i]
    out.update(found)


def _destination(masked: str, a: int, b: int) -> tuple[int, int]:
    """Where the destination lies in a link's parentheses ``masked[a:b]``: spaces and a closing quoted title left out."""
    while a < b and masked[a] in _SPACE:
        a += 1
    last = b
    while last > a and masked[last - 1] in _SPACE:
        last -= 1
    if last > a and masked[last - 1] in "\"'":
        quote = masked[last - 1]
        first = masked.find(quote, a, last - 1)
        if first != -1:  # a title: the destination ends before its opening quote
            b = first
    while b > a and masked[b - 1] in _SPACE:
        b -= 1
    return a, b


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` as ``(start, end)``: no inline construct runs from one into the next."""
    out, p0 = [], 0
    for p1 in paragraph_ends(text) + [len(text)]:
        out.append((p0, p1))
        p0 = p1
    return out


def _merged(spans_: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with those inside another left out (a fence inside a code span)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans_):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _code_spans(text: str, start: int, end: int, out: dict[int, CodeSpanAt]) -> None:
    """The code spans of one paragraph, by opening position, found as Python-Markdown's backtick pattern finds them.

    It searches for the next backtick not right after a backslash (an even
    run of backslashes before it is text and leaves it free); after a span
    it searches on from the span's end; after an opening run of ``w``
    backticks that closes nothing, from ``2w`` characters past its start
    (``BacktickInlineProcessor`` skips the run twice), possibly inside a
    later run.
    """
    runs = _Runs(text, start, end)
    i = start
    find = text.find
    skipped = False  # the search resumes after a skip, behind characters it did not read
    while True:
        tick = find("`", i, end)
        if tick == -1:
            return
        slash = find("\\", i, tick)
        if slash != -1:
            i, skipped = slash + 2, False  # an escape: the character after the backslash opens nothing
            continue
        if skipped and tick == i and text[i - 1] == "\\":
            i += 1  # it looks one character behind: a backslash there, read or not, stops this backtick
            continue
        span, run_end = runs.span_at(tick)
        if span is None:
            i, skipped = min(tick + 2 * (run_end - tick), end), True
        else:
            skipped = False
            out[tick] = span
            i = span.end


class _Scanner:
    """The left-to-right pass that turns the precomputed fences, code spans and links into tokens."""

    def __init__(self, text: str, tokens: list[Token], code: dict[int, CodeSpanAt], links: dict[int, _Link],
                 fence_at: dict[int, tuple[int, int, int, int]]) -> None:
        self.text = text
        self.tokens = tokens
        self.code = code
        self.links = links
        self.fence_at = fence_at
        self.text_start = 0
        self.code_starts = sorted(code)
        self.link_starts = sorted(link.start for link in links.values())

    def _free(self, m: re.Match[str] | None, after_links: bool = False) -> re.Match[str] | None:
        """``m`` unless a code span opens inside it (code is read first: it cuts the match).

        ``after_links``: nor a link (Python-Markdown reads links before tags,
        autolinks and attribute lists).
        """
        if m is None:
            return m
        for starts in (self.code_starts, self.link_starts) if after_links else (self.code_starts,):
            k = bisect_left(starts, m.start() + 1)
            if k < len(starts) and starts[k] < m.end():
                return None
        return m

    def _flush(self, upto: int) -> None:
        if upto > self.text_start:
            self.tokens.append(Token(TEXT, self.text_start, upto))
        self.text_start = upto

    def _add(self, token: Token) -> None:
        self._flush(token.start)
        self.tokens.append(token)
        self.text_start = token.end

    def run(self) -> None:
        text, n = self.text, len(self.text)
        label_end: list[int] = []  # ends of the link texts being read → the link's end
        link_end: list[int] = []
        i = 0
        line_start = True
        while i < n:
            if label_end and i >= label_end[-1]:
                self._flush(label_end.pop())
                i = link_end.pop()
                self.text_start = i
                continue
            if line_start:
                line_start = False
                fence = self.fence_at.get(i)
                if fence is not None:
                    self._add(Token(FENCE, fence[0], fence[1], (fence[2], fence[3])))
                    i = fence[1]
                    continue
                if not label_end and text.startswith(("[", " "), i):
                    m = self._free(_FOOTDEF.match(text, i))
                    if m is not None:
                        self._add(Token(FOOTDEF, m.start(1), m.end(1)))
                        i = m.end()
                        continue
                    m = self._free(_REFDEF.match(text, i))
                    if m is not None:
                        self._add(Token(REFDEF, i, m.end()))
                        i = m.end()
                        continue
            limit = label_end[-1] if label_end else n
            sm = _SPECIAL.search(text, i, limit)
            if sm is None:
                i = limit
                continue
            i = sm.start()
            c = text[i]
            if c == "\n":
                i += 1
                line_start = True
                continue
            if c == "\\":
                if i + 1 < n and text[i + 1] != "\n":
                    self._add(Token(ESCAPE, i, i + 2))
                    i += 2
                else:
                    self._add(Token(BREAK, i, i + 1))
                    i += 1
                continue
            if c == "`":
                span = self.code.get(i)
                if span is not None:
                    self._add(Token(CODE, i, span.end, (span.code_start, span.code_end)))
                    i = span.end
                else:
                    i += 1  # a later backtick of the run may still open a span
                continue
            if c == "[" or (c == "!" and text.startswith("[", i + 1)):
                if text.startswith("[^", i):
                    m = self._free(_FOOTREF.match(text, i))
                    if m is not None:
                        self._add(Token(FOOTREF, i, m.end()))
                        i = m.end()
                        continue
                lm = self.links.get(i + 1 if c == "!" else i)
                if lm is not None and lm.start == i:
                    kind = IMAGE if c == "!" else LINK
                    self._add(Token(kind, i, lm.end, (lm.text_start, lm.text_end), (lm.dest_start, lm.dest_end)))
                    self.text_start = lm.text_start
                    label_end.append(lm.text_end)
                    link_end.append(lm.end)
                    i = lm.text_start
                    continue
                if c == "[":
                    m = self._free(_REFLINK.match(text, i))
                    second = self.links.get(m.end(1) + 1) if m is not None else None
                    if m is not None and (second is None or second.start != m.end(1) + 1):  # its text is read on
                        self._add(Token(REFLINK, i, m.end(), m.span(1)))
                        self.text_start = m.start(1)
                        label_end.append(m.end(1))
                        link_end.append(m.end())
                        i = m.start(1)
                        continue
                i += 1
                continue
            if c == "<":
                m = self._free(_AUTOLINK.match(text, i) or _TAG.match(text, i), after_links=True)
                if m is not None:
                    self._add(Token(AUTOLINK if m.re is _AUTOLINK else TAG, i, m.end()))
                    i = m.end()
                    continue
                i += 1
                continue
            if c == "{":
                m = self._free(_ATTR.match(text, i), after_links=True)
                if m is not None:
                    self._add(Token(ATTR, i, m.end()))
                    i = m.end()
                    continue
                i += 1
                continue
            i += 1  # "!" not before "["
        while label_end:
            self._flush(label_end.pop())
            self.text_start = link_end.pop()
        self._flush(n)


# ------------------------------------------------------------------ views

def top_level(tokens: list[Token]) -> list[Token]:
    """The tokens not inside a link's text."""
    out: list[Token] = []
    end = -1
    for t in tokens:
        if t.start >= end:
            out.append(t)
            end = t.end
    return out


def spans(text: str, kinds: frozenset[str] = PROTECTED) -> list[tuple[int, int]]:
    """The source spans of the top-level tokens of these kinds, in order."""
    return [(t.start, t.end) for t in top_level(tokenize(text)) if t.kind in kinds]


class Regions:
    """Sorted, non-overlapping source spans, asked whether a position or a range touches one."""

    def __init__(self, spans_: list[tuple[int, int]]) -> None:
        self.spans = spans_
        self.starts = [s for s, _ in spans_]

    def covers(self, pos: int) -> bool:
        """Whether ``pos`` lies inside one of the spans."""
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a character with one of the spans."""
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.spans[i][1] > start

    def next_start(self, pos: int) -> int:
        """Where the first span that starts after ``pos`` starts (-1 if none does)."""
        i = bisect_left(self.starts, pos + 1)
        return self.starts[i] if i < len(self.starts) else -1

    def crosses(self, start: int, end: int) -> bool:
        """Whether one of the spans starts inside ``(start, end)``."""
        i = bisect_left(self.starts, start + 1)
        return i < len(self.starts) and self.starts[i] < end


def code_regions(text: str) -> Regions:
    """Where ``text`` holds code (fences and code spans)."""
    if "`" not in text and "~~~" not in text:
        return Regions([])
    return Regions(spans(text, CODE_KINDS))


def protected_regions(text: str) -> Regions:
    """Where ``text`` holds syntax that prose passes must leave alone (``PROTECTED``)."""
    return Regions(spans(text, PROTECTED))


def without_link_syntax(text: str) -> str:
    """``text`` with each link and image replaced by its text, as written (what a reader of the line sees of it)."""
    if "](" not in text:
        return text
    out: list[str] = []
    last = 0
    for t in top_level(tokenize(text)):
        if t.kind in (LINK, IMAGE):
            out += [text[last : t.start], text[t.inner[0] : t.inner[1]]]
            last = t.end
    out.append(text[last:])
    return "".join(out)
