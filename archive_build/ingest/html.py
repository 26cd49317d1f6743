"""A saved web page: the main article as Markdown blocks, plus what the page's metadata states.

Why this shape:

* **Extraction** is trafilatura's (a maintained, benchmarked main-content
  extractor), asked for its XML tree rather than its Markdown output: its
  Markdown does not escape the page's own ``*``, ``_``, ``#`` or ``[`` and so
  would not render as written.  We walk the tree and build the Markdown
  ourselves (``_Inline``), escaping every text run.
* **Body format.** Paragraphs, lists and block quotes become blocks of kind
  ``markdown`` so emphasis, links, lists and quotes survive; headings become
  ``heading`` blocks (the renderer escapes them as plain text).  Markdown
  blocks still go through ``markdown_text.sanitize_markdown`` in
  ``transforms/render.py``: no markup from the page reaches the output except
  through that sanitiser (and the MkDocs hook after it).  Our escaping leaves
  ``<``, ``&`` and attr-list braces for the sanitiser to escape, so nothing is
  escaped twice; a paragraph the sanitiser could misread (a literal backtick,
  ``<scheme:…>``, ``!`` before a link) is emitted as a plain ``para`` block
  instead: its words are kept exactly, its inline formatting is not.
* **Links.** Relative targets are resolved against the page's canonical URL
  (a relative link would point into our own site); without one, or when the
  target is not http(s)/mailto (``javascript:``, ``data:``, fragments), the
  words stay and the target is dropped and recorded.  Images are not kept
  (the site loads nothing from other origins).
* **Metadata** comes from what the page states.  Dates: ``html_dates``
  (htmldate's steps one at a time, each date with its source: JSON-LD, meta
  tags, ``<time>``, a dateline under the headline, the address, a guess from
  the text last).  Authors: ``html_authors`` (people only: JSON-LD, author
  metas, then byline markup in the article, never the publisher, an agency
  or a related-stories box).  Title: the social or document title without
  the site's name, or the visible ``<h1>`` when the document title confirms
  it and the social title says something else.  The shared
  ``detect_header`` still reads a "By X" line at the top of the body.
* **Nothing lost.** The extractor drops navigation, headers, footers,
  sidebars, related-story boxes and scripts.  Those are page furniture, not
  article text, but every *visible* line the article does not keep is
  recorded in ``removed``: one entry "page furniture …", one for the reader
  comments below the article, and the page's ``<title>`` when the title
  shown differs from it (the " | Site name" suffix).  They are recorded in
  full, in page order, repeats included (``_align`` matches the page's lines
  against the article in order, so a menu item that also occurs in the text
  is still recorded): the "About this text" block is collapsed, so length
  costs the reader nothing, and a cap would lose words.  Scripts, styles and
  markup are code, not text, and are not recorded.
* **Speed.** One lxml parse for the metadata and the dropped text and one
  trafilatura pass (which parses again) per page: on the Readability test
  pages the whole pipeline takes about 65 ms of CPU per page on the 2-core
  machine here, against about 100 ms when a BeautifulSoup tree was built
  for the metadata (``make bench-html``).
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Iterable, Iterator
from urllib.parse import quote, urljoin

import lxml.html
from lxml import etree

from archive_build.errors import InputError
from archive_build.ingest import html_authors, html_dates
from archive_build.markdown.escape import safe_url, url_scheme
from archive_build.model import Article, Block, Removed

FURNITURE_REASON = "page furniture outside the main article (navigation, header, footer, sidebars, related links)"
COMMENTS_REASON = "reader comments below the article"
UNSAFE_LINK_REASON = "unsafe link target (only http, https, mailto and relative links are kept)"
UNRESOLVED_LINK_REASON = "link targets relative to the original site, whose address the page does not state (words kept)"

_WS = re.compile(r"\s+")
_BREAK = "\x01"  # a <br>, until the paragraph is assembled (then two trailing spaces)
# Code, not text: what a page's text leaves out (as BeautifulSoup's get_text() does).
_CODE = frozenset(("script", "style", "template"))
# What a reader never sees of a page.
_INVISIBLE = _CODE | frozenset(("noscript", "head"))


# --- the page's own tree -----------------------------------------------------
# One lxml parse per page, read for the metadata and the dropped text
# (trafilatura parses the page once more for itself).  BeautifulSoup parsed
# with the same lxml parser, but building its tree took a third of the HTML
# reader's time on real news pages; the text walks below give what its
# get_text() gave.

# huge_tree: libxml2 stops reading a page nested deeper than 255 elements and
# drops the rest of it; with this, 2,047, and a page deeper still is refused
# (``_parse``) rather than cut short without a word.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
MAX_DEPTH = 2047


def _parse(text: str, path: str = "") -> etree._Element | None:
    """The page's element tree; None for a page with no elements at all."""
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
        raise InputError(path, f"the page nests its elements more than {MAX_DEPTH:,} levels deep; the HTML parser cannot read it whole")
    return doc


def _strings(root: etree._Element, skip: frozenset[str] = _CODE, blocks: frozenset[str] = frozenset()) -> list[str]:
    """The text runs inside ``root`` in page order, without code, comments or what is under ``skip``.

    A blank line goes around each element named in ``blocks``.  A loop, not
    recursion: pages nest up to ``MAX_DEPTH`` deep.
    """
    out: list[str] = [root.text] if root.text else []
    stack = [(root, iter(root))]
    while stack:
        el, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:  # the end of a descendant of root: its tail follows
                if el.tag in blocks:
                    out.append("\n\n")
                if el.tail:
                    out.append(el.tail)
            continue
        tag = child.tag
        if isinstance(tag, str) and tag not in skip:  # comments and processing instructions hold no page text
            if tag in blocks:
                out.append("\n\n")
            if child.text:
                out.append(child.text)
            stack.append((child, iter(child)))
        elif child.tail:
            out.append(child.tail)
    return out


def _text(el: etree._Element, sep: str = "") -> str:
    return sep.join(_strings(el))


def _first(doc: etree._Element | None, tag: str) -> etree._Element | None:
    """The first ``tag`` element in page order."""
    return next(doc.iter(tag), None) if doc is not None else None

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


def _norm(text: str) -> str:
    # str.split() splits at exactly the characters \s matches (str.isspace): the
    # same result as collapsing with _WS and stripping, four times faster.
    return " ".join(text.split())


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
        content = _norm("".join(el.itertext()))
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
        return md.strip(), _norm("".join(self.plain))


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


def _body_blocks(body: etree._Element, base: str | None, article: Article, raw: str) -> tuple[list[Block], list[str], str | None]:
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
                add(sink, code, _norm(code), True)
        elif tag in ("div", "body", "section", "article", "main"):
            container(el, sink)
        elif tag == "graphic":
            return
        else:  # p and anything else trafilatura emits at block level
            add(sink, *_inline(el, base, article))

    visit(body, blocks)
    return blocks, plains, lede[0] if lede else None


# --- metadata from the page ------------------------------------------------

_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Posting|Report|Review|NewsArticle|WebPage|Story)$", re.I)
# Between a headline and a site name: spaced ASCII and typographic marks, and the
# full-width / CJK ones with or without spaces ("見出し｜サイト", "標題_網站").
_TITLE_SEP = re.compile(r"\s+(?:[|•·»–—_]|-{1,2}|::)\s+|\s*[｜：︱│]\s*|(?<=[\u3000-\u9fff\uff00-\uffef])\s*[_\-|]\s*(?=\S)")
# Marks that may close a headline's last segment when nothing says what it is ("Title – My website").
_SITE_MARKS = frozenset("|–—｜︱│_")
# A suffix some sites add to old articles' titles.
_PUBLISHED_SUFFIX = re.compile(r"\s*\((?:Published|Publié|Veröffentlicht)\s+\d{4}\)\s*$", re.I)


def _metas(doc: etree._Element) -> dict[str, str]:
    """Every <meta> content by lower-cased property/name/itemprop key (first occurrence wins)."""
    found: dict[str, str] = {}
    for m in doc.iter("meta"):
        content = m.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            value = m.get(attr)
            if isinstance(value, str):
                for key in value.lower().split():
                    found.setdefault(key, _norm(content))
    return found


def _meta_all(doc: etree._Element, name: str) -> list[str]:
    """Every <meta> content stated under ``name`` (a page may list one author per dc.creator tag)."""
    out = []
    for m in doc.iter("meta"):
        content = m.get("content")
        if isinstance(content, str) and content.strip():
            for attr in ("property", "name", "itemprop"):
                value = m.get(attr)
                if isinstance(value, str) and name in value.lower().split():
                    out.append(_norm(content))
                    break
    return list(dict.fromkeys(out))


def _meta(metas: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` the page's <meta> tags state."""
    for n in names:
        if n in metas:
            return metas[n]
    return None


_LD_JSON = re.compile("ld\\+json", re.I)
_CDATA = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _json_ld(doc: etree._Element) -> list[dict[str, Any]]:
    """Article-like JSON-LD objects, outermost first."""
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            types = node.get("@type", [])
            types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types):
                out.append(node)
            walk(node.get("@graph", []))

    for script in doc.iter("script"):
        if not _LD_JSON.search(script.get("type") or ""):
            continue
        walk(_lenient_json(_CDATA.sub("", script.text or "")))
    # Prefer real articles over generic WebPage objects.
    out.sort(key=lambda o: 1 if "WebPage" in str(o.get("@type")) else 0)
    return out


_DECODER = json.JSONDecoder(strict=False)


def _lenient_json(raw: str) -> Any:
    """A JSON-LD block's value; a block with trailing junk (a stray brace, a second object) gives its first value."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return _DECODER.decode(raw)
    except RecursionError:
        return None
    except ValueError:
        pass
    try:
        return _DECODER.raw_decode(raw)[0]
    except (ValueError, RecursionError):
        return None


def _ld_first(objs: Iterable[dict[str, Any]], key: str) -> Any:
    for o in objs:
        v = o.get(key)
        if v:
            return v
    return None


def strip_site_suffix(title: str, site: str | None, h1s: list[str]) -> str:
    """The title without a trailing (or leading) " | Site name" segment."""
    title = _PUBLISHED_SUFFIX.sub("", _norm(title))
    seps = list(_TITLE_SEP.finditer(title))
    if not seps:
        return title
    heads = {_norm(h).lower() for h in h1s}
    if title.lower() in heads:
        return title
    # A heading on the page that equals the title minus some segments is the title.
    for sep in reversed(seps):
        if title[: sep.start()].lower() in heads:
            return title[: sep.start()]
    for sep in seps:  # "Site | Title": only when the heading is the longer part
        if title[sep.end():].lower() in heads and sep.start() < len(title) - sep.end():
            return title[sep.end():]
    first, last = title[: seps[0].start()], title[seps[-1].end():]
    site_l = (site or "").lower().strip()

    def is_site(part: str) -> bool:
        p = part.lower().strip()
        return bool(site_l) and (p == site_l or (len(site_l) > 3 and len(p) > 3 and (site_l in p or p in site_l)))

    if is_site(last):
        return title[: seps[-1].start()]
    if is_site(first):
        return title[seps[0].end():]
    # No site name to compare with: a short last segment after " | " (or a dash, a full-width bar) is a site name,
    # and so is the one before it ("标题_栏目_网站").
    for _ in range(2):
        seps = list(_TITLE_SEP.finditer(title))
        if not seps or seps[-1].group().strip() not in _SITE_MARKS:
            break
        head, last = title[: seps[-1].start()], title[seps[-1].end():]
        if not (len(last.split()) <= 4 and len(last) <= 30 and len(head) > len(last) and (len(head.split()) >= 3 or len(head) >= 8)):
            break
        title = head
    return title


def read_metadata(article: Article, doc: etree._Element | None) -> None:
    """Fields the page states about itself (meta tags, JSON-LD, <h1>, <time>)."""
    if doc is None:
        return
    ld = _json_ld(doc)
    metas = _metas(doc)
    h1s = [_norm(_text(h, " ")) for h in doc.iter("h1")]
    h1s = [h for h in h1s if h]
    site = _meta(metas, "og:site_name") or _ld_publisher(ld) or _meta(metas, "application-name")
    article.title = _choose_title(doc, metas, ld, site, h1s)
    not_people = [n for n in (site, _ld_publisher(ld), _meta(metas, "application-name"), _meta(metas, "og:site_name")) if n]
    authors = html_authors.ld_authors(_ld_first(ld, "author"), not_people)
    if not authors:
        for key in ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl"):
            values = _meta_all(doc, key)
            authors = [n for v in values if not re.match(r"https?://", v) for n in html_authors.people(v, not_people)]
            if authors:
                break
    if not authors:
        authors = html_authors.byline_elements(doc, not_people)
    if authors:
        article.authors = list(dict.fromkeys(authors))
    url = _page_url(doc, metas)
    found = html_dates.published(doc, _ld_first(ld, "datePublished"), url)
    if found:
        article.date, article.date_source = found.date, found.source.split("+")[0]
        if found.source == "url":
            article.warn("date taken from the page's address only (the page states none): check it")
    date = article.date
    updated = html_dates.iso_day(_meta(metas, "article:modified_time", "og:updated_time", "datemodified")) or html_dates.iso_day(_ld_first(ld, "dateModified"))
    if updated and updated != date:
        article.updated = updated
    if site:
        article.source = site
    if url:
        article.url = url
    desc = _meta(metas, "og:description", "description", "twitter:description")
    if desc:
        article.description = desc


def _headline(doc: etree._Element) -> str | None:
    """The page's visible headline: the first ``<h1>`` outside sidebars and navigation that is not a logo."""
    for h in doc.iter("h1"):
        if html_authors.elsewhere(h) or any(d.tag == "img" or (d.tag == "a" and (d.get("href") or "").strip() in ("/", "")) for d in h.iter()):
            continue
        text = _norm(_text(h, " "))
        if len(text) >= 8 and len(text.split()) >= 2:
            return text
    return None


def _choose_title(doc: etree._Element, metas: dict[str, str], ld: list[dict[str, Any]], site: str | None, h1s: list[str]) -> str | None:
    """The article's title: the social or document title without the site's name, unless the visible headline says otherwise.

    When ``og:title`` differs from the headline by more than a site-name
    segment (a social title written for sharing, a generic site title), the
    headline the page shows its readers wins.
    """
    title = _meta(metas, "og:title", "twitter:title", "dc.title")
    title_tag = _first(doc, "title")
    if not title and title_tag is not None:
        title = _norm(_text(title_tag)) or None
    headline = _ld_first(ld, "headline")
    if not title and isinstance(headline, str) and headline.strip():
        title = _norm(headline)
    shown = _headline(doc)
    if not title:
        return shown or (h1s[0] if h1s else None)
    stripped = strip_site_suffix(title, site, h1s)
    if shown and _fold_title(stripped) != _fold_title(shown):
        # A headline the page's other titles confirm, not a section or site name in an <h1>.
        doc_title = _norm(_text(title_tag)) if title_tag is not None else ""
        confirmed = _fold_title(doc_title).startswith(_fold_title(shown)) or (isinstance(headline, str) and _fold_title(headline) == _fold_title(shown))
        if confirmed:
            return _PUBLISHED_SUFFIX.sub("", shown)
    return stripped


def _fold_title(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').casefold().split())


def _page_url(doc: etree._Element, metas: dict[str, str]) -> str | None:
    """The page's own http(s) address: its canonical link, else og:url."""
    url = None
    for link in doc.iter("link"):
        if "canonical" in [r.lower() for r in (link.get("rel") or "").split()] and link.get("href") is not None:
            url = link.get("href", "").strip()
            break
    url = url or _meta(metas, "og:url")
    return url if url and url_scheme(url) in ("http", "https") else None


def _ld_publisher(ld: list[dict[str, Any]]) -> str | None:
    pub = _ld_first(ld, "publisher")
    items = pub if isinstance(pub, list) else [pub]
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not re.match(r"https?://", name.strip()):
            return _norm(name)
    return None


# --- dropped text ----------------------------------------------------------


def _visible_lines(doc: etree._Element | None) -> list[str]:
    if doc is None:
        return []
    body = _first(doc, "body")
    return [line for line in (_norm(s) for s in _strings(body if body is not None else doc, _INVISIBLE)) if line]


def _align(lines: list[str], kept: str, comments: str) -> tuple[list[str], list[str]]:
    """Which visible lines of the page are in neither the article nor its comments.

    The article is a run of the page in page order, so a line counts as kept
    only where it continues the text matched so far (within a few characters):
    a menu item whose word also occurs in the article is still furniture.  A
    long line (a paragraph) may also be found further on, after the last
    paragraph matched: the extractor skipped something in between.  Returns
    (dropped lines, comment lines), both in page order, repeats kept.  Text
    the article holds twice is at worst recorded once more, never lost.
    """
    dropped: list[str] = []
    comment_lines: list[str] = []
    cursor = {"kept": 0, "comments": 0}
    anchor = {"kept": 0, "comments": 0}
    for line in lines:
        for name, text in (("kept", kept), ("comments", comments)):
            at = text.find(line, cursor[name], cursor[name] + len(line) + _ALIGN_GAP)
            if at < 0 and len(line) >= _PARAGRAPH_LENGTH:
                at = text.find(line, anchor[name])
            if at >= 0:
                cursor[name] = at + len(line)
                if len(line) >= _PARAGRAPH_LENGTH:
                    anchor[name] = cursor[name]
                if name == "comments":
                    comment_lines.append(line)
                break
        else:
            dropped.append(line)
    return dropped, comment_lines


_ALIGN_GAP = 8
_PARAGRAPH_LENGTH = 40


def _record_dropped(article: Article, doc: etree._Element | None, kept: str, comments: str) -> None:
    title = _first(doc, "title")
    title_text = _norm(_text(title)) if title is not None else ""
    dropped, comment_lines = _align(_visible_lines(doc), kept, comments)
    if title_text and title_text != article.title:
        shown = article.title or ""
        reason = (
            "metadata: the page's <title>, with the site name (the title is shown without it)"
            if shown and shown in title_text
            else "metadata: the page's <title> (the title is taken from the page's metadata or heading)"
        )
        article.remove(title_text, reason)
    if comment_lines:
        article.remove("\n".join(comment_lines), COMMENTS_REASON)
    if dropped:
        article.remove("\n".join(dropped), FURNITURE_REASON)


# --- fallback and entry point ----------------------------------------------

_BLOCK_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section", "tr", "br", "dd", "dt", "figcaption", "table", "ul", "ol"))


_NOT_ARTICLE = _INVISIBLE | frozenset(("nav", "header", "footer", "aside", "form"))


def _fallback_blocks(doc: etree._Element | None) -> list[Block]:
    """When trafilatura finds no article: the text of <article>/<main>/<body>, split at block elements."""
    if doc is None:
        return []
    root = next((el for el in (_first(doc, "article"), _first(doc, "main"), _first(doc, "body")) if el is not None), doc)
    paras = (_norm(p) for p in re.split(r"\n\s*\n", "".join(_strings(root, _NOT_ARTICLE, _BLOCK_TAGS))))
    return [Block(p, 1, "para") for p in paras if p]


def _extract(text: str) -> Any:
    """trafilatura's main content, as its XML tree (``.body``, ``.commentsbody``)."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    return trafilatura.bare_extraction(text, options=_extractor())


@functools.lru_cache(maxsize=1)
def _extractor() -> Any:
    """The extraction options, made once per process (trafilatura copies them before changing any).

    ``output_format="xml"``: the tree is all this reader uses; the default,
    "python", also renders it as plain text, a fifth of trafilatura's time.
    """
    from trafilatura.settings import Extractor

    return Extractor(output_format="xml", comments=True, tables=True, images=False, formatting=True, links=True, with_metadata=False)


def read_html(article: Article, text: str) -> Article:
    doc = _parse(text, article.raw)
    read_metadata(article, doc)
    try:
        extracted = _extract(text)
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:  # a page the extractor chokes on still builds
        article.warn(f"main-content extraction failed ({type(exc).__name__}); kept the page's paragraphs")
        extracted = None
    body = getattr(extracted, "body", None) if extracted is not None else None
    plains: list[str] = []
    lede: str | None = None
    if body is not None and len(body):
        article.blocks, plains, lede = _body_blocks(body, article.url, article, text)
    if not article.blocks:
        article.blocks = _fallback_blocks(doc)
        plains = [b.text for b in article.blocks]
        if article.blocks:
            article.warn("main-content extraction found no article; kept the page's paragraphs")
        else:
            article.warn("the page has no article text")
    comments_el = getattr(extracted, "commentsbody", None) if extracted is not None else None
    comments = "\n".join(
        line for line in (_norm("".join(c.itertext())) for c in (comments_el if comments_el is not None else [])) if line
    )
    _record_dropped(article, doc, _norm(" ".join(plains)), comments)
    unresolved = [r.text for r in article.removed if r.reason == UNRESOLVED_LINK_REASON]
    if unresolved:
        article.removed = [r for r in article.removed if r.reason != UNRESOLVED_LINK_REASON]
        article.remove("\n".join(dict.fromkeys(unresolved)), UNRESOLVED_LINK_REASON)
    if not article.description and lede:
        article.description = first_sentences(lede)
    return article


_SENTENCE = re.compile(r".+?[.!?…][\"”’)]?(?=\s|$)")


def first_sentences(text: str, limit: int = 240) -> str:
    """The first sentences of a paragraph, up to about ``limit`` characters (the page states no description)."""
    out = ""
    for m in _SENTENCE.finditer(text):
        if out and len(out) + len(m.group(0)) > limit:
            break
        out += m.group(0)
    return (out or text[:limit]).strip()
