"""trafilatura's XML tree of the main article → Markdown blocks, every text run escaped.

trafilatura's own Markdown does not escape the page's ``*``, ``_``, ``#`` or
``[``, so it would not render as written; its XML tree is walked here
instead (``_Inline``) and every run of text escaped.  Links are resolved
against the page's canonical address or dropped with a reason.
"""
from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import quote, urljoin

from lxml import etree

from archive_build.ingest.html_tree import norm
from archive_build.markdown.escape import safe_url, url_scheme
from archive_build.model import Article, Block, Removed

UNSAFE_LINK_REASON = "unsafe link target (only http, https, mailto and relative links are kept)"
UNRESOLVED_LINK_REASON = "link targets relative to the original site, whose address the page does not state (words kept)"
_WS = re.compile(r"\s+")
_BREAK = "\x01"  # a <br>, until the paragraph is assembled (then two trailing spaces)

# --- escaping ---------------------------------------------------------------

# Markdown-significant characters, minus "<" and "&" (sanitize_markdown
# escapes those) and minus "{" (handled below).
_ESC = re.compile(r"([\\`*_\[\]}>=^~|])")
# attr_list openers sanitize_markdown escapes itself; other "{" we escape.
_BRACE = re.compile(r"\{(?![:#.]| :)")
_LINE_START = re.compile(r"^(#|[-+]\s|\d+(?=[.)](?:\s|$))|:|=+\s*$|-+\s*$)")
# What sanitize_markdown would read as an autolink if we left it raw.
_AUTOLINK_HAZARD = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.\-]{1,31}:")


def _esc(text: str) -> str:
    return _BRACE.sub(r"\\{", _ESC.sub(r"\\\1", text))


def _esc_line_start(text: str) -> str:
    return _LINE_START.sub(r"\\\1", text, count=1)





def _link_url(target: str, base: str | None) -> tuple[str | None, str | None]:
    """(Markdown-safe absolute URL, None) or (None, reason it was dropped)."""
    target = (target or "").strip()
    if not target or target.startswith("#"):
        return None, None  # in-page anchors mean nothing here; not worth recording
    if safe_url(target) is None:
        return None, UNSAFE_LINK_REASON
    if not url_scheme(target) and not target.startswith("//"):
        if not base:
            return None, UNRESOLVED_LINK_REASON
        try:
            target = urljoin(base, target)
        except ValueError:  # a base or target urlsplit refuses
            return None, UNSAFE_LINK_REASON
    elif target.startswith("//"):
        target = "https:" + target
    if url_scheme(target) not in ("http", "https", "mailto") or safe_url(target) is None:
        return None, UNSAFE_LINK_REASON
    # Characters that would end or break a Markdown link destination.
    return quote(target, safe="!#$%&'*+,-./:;=?@~"), None


# --- body: trafilatura XML → blocks ----------------------------------------


_SPACED = frozenset({"p", "item", "list", "head", "quote", "row", "cell", "table", "div"})


class _Inline:
    """Builds one paragraph's Markdown and its plain text side by side."""

    def __init__(self, base: str | None, article: Article) -> None:
        self.base, self.article = base, article
        self.md: list[str] = []
        self.plain: list[str] = []
        self.hazard = False

    def text(self, s: str | None) -> None:
        if not s:
            return
        s = _WS.sub(" ", s)
        if "`" in s or _AUTOLINK_HAZARD.search(s):
            self.hazard = True
        self.md.append(_esc(s))
        self.plain.append(s)

    def walk(self, el: etree._Element) -> None:
        self.text(el.text)
        for child in el:
            self.element(child)
            self.text(child.tail)

    def wrap(self, el: etree._Element, mark: str) -> None:
        start = len(self.md)
        self.walk(el)
        inner = "".join(self.md[start:])
        stripped = inner.strip()
        if not stripped or stripped.endswith("\\"):
            return
        lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
        self.md[start:] = [f"{lead}{mark}{stripped}{mark}{trail}"]

    def element(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "lb":
            self.md.append(_BREAK + "\n")
            self.plain.append("\n")
        elif tag == "hi":
            rend = el.get("rend", "")
            mark = "**" if "#b" in rend else "*" if "#i" in rend else ""
            if "#t" in rend:
                self.code(el)
            elif mark:
                self.wrap(el, mark)
            else:
                self.walk(el)
        elif tag == "code":
            self.code(el)
        elif tag == "ref":
            self.link(el)
        elif tag == "graphic":
            return
        elif tag in _SPACED:  # block content nested in a paragraph: keep the words apart
            self.text(" ")
            self.walk(el)
            self.text(" ")
        else:
            self.walk(el)

    def code(self, el: etree._Element) -> None:
        content = norm("".join(el.itertext()))
        if not content:
            return
        if "`" in content:
            self.hazard = True
            self.text(content)
            return
        self.md.append(f"`{content}`")
        self.plain.append(content)

    def link(self, el: etree._Element) -> None:
        url, reason = _link_url(el.get("target", ""), self.base)
        if reason == UNRESOLVED_LINK_REASON:  # many per page: read_html folds them into one entry, at the end
            self.article.removed.append(Removed(el.get("target", "").strip(), reason))
        elif reason:
            self.article.remove(el.get("target", ""), reason)
        start = len(self.md)
        self.walk(el)
        label = "".join(self.md[start:]).strip()
        if url and label and not label.endswith("\\"):
            if self.md[:start] and "".join(self.md[:start]).endswith("!"):
                self.hazard = True
            self.md[start:] = [f"[{label}]({url})"]

    def result(self) -> tuple[str, str]:
        md = "".join(self.md)
        lines = [_esc_line_start(line.strip()) for line in md.split("\n")]
        md = "\n".join(lines).strip().strip(_BREAK).replace(_BREAK, "  ")
        return md.strip(), norm("".join(self.plain))


def _inline(el: etree._Element, base: str | None, article: Article) -> tuple[str, str, bool]:
    b = _Inline(base, article)
    b.walk(el)
    md, plain = b.result()
    return md, plain, b.hazard


def _list_lines(el: etree._Element, base: str | None, article: Article, depth: int) -> Iterator[tuple[str, str, bool]]:
    ordered = el.get("rend", "") == "ol"
    n = 0
    for item in el:
        if item.tag != "item":
            continue
        n += 1
        nested = [c for c in item if c.tag == "list"]
        for c in nested:
            item.remove(c)
        md, plain, hazard = _inline(item, base, article)
        marker = f"{n}. " if ordered else "- "
        yield "    " * depth + marker + md.replace("\n", " "), plain, hazard
        for c in nested:
            yield from _list_lines(c, base, article, depth + 1)


def _table_md(el: etree._Element, base: str | None, article: Article) -> tuple[str, str, bool]:
    rows: list[list[str]] = []
    plains: list[str] = []
    hazard = False
    for row in el.iter("row"):
        cells = []
        for cell in row:
            md, plain, h = _inline(cell, base, article)
            hazard = hazard or h
            cells.append(md.replace("\n", " ") or " ")
            plains.append(plain)
        if cells:
            rows.append(cells)
    if not rows:
        return "", "", False
    width = max(len(r) for r in rows)
    rows = [r + [" "] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines), " ".join(plains), hazard


class _Lines:
    """Finds the raw-file line where each block's text starts (for messages)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.pos = 0
        self.line = 1

    def find(self, plain: str) -> int:
        probe = plain[:24].strip()
        if probe:
            at = self.raw.find(probe, self.pos)
            if at >= 0:
                self.line += self.raw.count("\n", self.pos, at)
                self.pos = at
        return self.line


_LAYOUT_CONTENT = frozenset({"p", "head", "list", "quote", "table", "code"})
_BLOCK_LEVEL = ("p", "head", "list", "quote", "table", "code", "div", "section", "article", "main", "body")


def _code_block(code: str) -> str | None:
    """A fenced block that no line of ``code`` can close, or None if it cannot be kept verbatim."""
    if not code.strip() or "8<" in code:  # pymdownx.snippets would read "--8<--" lines as includes
        return None
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", code)), default=0))
    return f"{fence}\n{code}\n{fence}"


def body_blocks(body: etree._Element, base: str | None, article: Article, raw: str) -> tuple[list[Block], list[str], str | None]:
    """Trafilatura's tree → blocks, the plain text of each (to tell kept text from dropped) and the first long paragraph."""
    blocks: list[Block] = []
    plains: list[str] = []
    lede: list[str] = []  # the first long paragraph: the description when the page states none
    lines = _Lines(raw)

    def add(sink: list[Block], md: str, plain: str, hazard: bool, kind: str = "markdown", level: int = 0) -> None:
        if not plain.strip():
            return
        plains.append(plain)
        line = lines.find(plain)
        if kind != "heading" and len(plain) >= 80 and not lede:
            lede.append(plain)
        if kind == "heading":
            sink.append(Block(plain, line, "heading", level=level))
        elif hazard:
            sink.append(Block(plain, line, "para"))
        else:
            sink.append(Block(md, line, kind))

    def container(el: etree._Element, sink: list[Block]) -> None:
        """Children in order; runs of loose inline content between block children become paragraphs."""
        run = _Inline(base, article)
        run.text(el.text)

        def flush() -> None:
            nonlocal run
            add(sink, *run_result(run))
            run = _Inline(base, article)

        for child in el:
            if child.tag in _BLOCK_LEVEL:
                flush()
                visit(child, sink)
            else:
                run.element(child)
            run.text(child.tail)
        flush()

    def run_result(run: _Inline) -> tuple[str, str, bool]:
        md, plain = run.result()
        return md, plain, run.hazard

    def visit(el: etree._Element, sink: list[Block]) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            _, plain, _ = _inline(el, base, article)
            rend = el.get("rend", "h2")
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            add(sink, plain, plain, False, "heading", level)
        elif tag == "list":
            items = list(_list_lines(el, base, article, 0))
            if any(h for _, _, h in items):
                for _, plain, _ in items:
                    add(sink, plain, plain, True)
            else:
                add(sink, "\n".join(m for m, _, _ in items), " ".join(p for _, p, _ in items), False)
        elif tag == "quote":
            inner: list[Block] = []
            container(el, inner)
            if all(b.kind == "markdown" for b in inner):
                md = "\n>\n".join("\n".join("> " + l for l in b.text.split("\n")) for b in inner)
                if md:
                    sink.append(Block(md, inner[0].line, "markdown"))
            else:  # keep the words, lose the quote marker
                sink.extend(inner)
        elif tag == "table":
            if any(c.tag in _LAYOUT_CONTENT for c in el.iter() if c is not el):
                for cell in el.iter("cell"):  # a layout table: its cells hold the page, not data
                    container(cell, sink)
            else:
                add(sink, *_table_md(el, base, article))
        elif tag == "code":
            code = "".join(el.itertext()).strip("\n")
            fenced = _code_block(code)
            if fenced:
                plains.append(code)
                sink.append(Block(fenced, lines.find(code), "code"))
            else:
                add(sink, code, norm(code), True)
        elif tag in ("div", "body", "section", "article", "main"):
            container(el, sink)
        elif tag == "graphic":
            return
        else:  # p and anything else trafilatura emits at block level
            add(sink, *_inline(el, base, article))

    visit(body, blocks)
    return blocks, plains, lede[0] if lede else None

