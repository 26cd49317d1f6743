"""A saved web page: the main article as Markdown blocks, plus what the page's metadata states.

Why this shape:

* **Extraction** is trafilatura's (a maintained, benchmarked main-content
  extractor), asked for its XML tree rather than its Markdown output: its
  Markdown does not escape the page's own ``*``, ``_``, ``#`` or ``[`` and so
  would not render as written.  We walk the tree and build the Markdown
  ourselves (``html_body.py``), escaping every text run.
* **Body format.** Paragraphs, lists and block quotes become blocks of kind
  ``markdown`` so emphasis, links, lists and quotes survive; headings become
  ``heading`` blocks (the renderer escapes them as plain text).  Markdown
  blocks still go through ``markdown.escape.sanitize_markdown`` in
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
* **Metadata** (``html_metadata.py``) comes from what the page states.  Dates: ``html_dates``
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
import re
from typing import Any

from lxml import etree

from archive_build.ingest.html_body import UNRESOLVED_LINK_REASON, body_blocks
from archive_build.ingest.html_metadata import read_metadata
from archive_build.ingest.html_tree import INVISIBLE, element_text, first, norm, parse_page, strings
from archive_build.model import Article, Block

FURNITURE_REASON = "page furniture outside the main article (navigation, header, footer, sidebars, related links)"
COMMENTS_REASON = "reader comments below the article"

FURNITURE_REASON = "page furniture outside the main article (navigation, header, footer, sidebars, related links)"

# --- dropped text ----------------------------------------------------------


def _visible_lines(doc: etree._Element | None) -> list[str]:
    if doc is None:
        return []
    body = first(doc, "body")
    return [line for line in (norm(s) for s in strings(body if body is not None else doc, INVISIBLE)) if line]


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
    title = first(doc, "title")
    title_text = norm(element_text(title)) if title is not None else ""
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


_NOT_ARTICLE = INVISIBLE | frozenset(("nav", "header", "footer", "aside", "form"))


def _fallback_blocks(doc: etree._Element | None) -> list[Block]:
    """When trafilatura finds no article: the text of <article>/<main>/<body>, split at block elements."""
    if doc is None:
        return []
    root = next((el for el in (first(doc, "article"), first(doc, "main"), first(doc, "body")) if el is not None), doc)
    paras = (norm(p) for p in re.split(r"\n\s*\n", "".join(strings(root, _NOT_ARTICLE, _BLOCK_TAGS))))
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
    doc = parse_page(text, article.raw)
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
        article.blocks, plains, lede = body_blocks(body, article.url, article, text)
    if not article.blocks:
        article.blocks = _fallback_blocks(doc)
        plains = [b.text for b in article.blocks]
        if article.blocks:
            article.warn("main-content extraction found no article; kept the page's paragraphs")
        else:
            article.warn("the page has no article text")
    comments_el = getattr(extracted, "commentsbody", None) if extracted is not None else None
    comments = "\n".join(
        line for line in (norm("".join(c.itertext())) for c in (comments_el if comments_el is not None else [])) if line
    )
    _record_dropped(article, doc, norm(" ".join(plains)), comments)
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

