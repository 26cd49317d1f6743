"""A saved page's own element tree: one lxml parse, and the text walks the HTML reader's steps share.

The page is parsed once here for its metadata and the text it drops
(trafilatura parses it once more for itself).  BeautifulSoup parsed with
the same lxml parser, but building its tree took a third of the HTML
reader's time on real news pages; the walks below give what its
``get_text()`` gave.
"""
from __future__ import annotations

import lxml.html
from lxml import etree

from archive_build.errors import InputError

# Code, not text: what a page's text leaves out (as BeautifulSoup's get_text() does).
CODE = frozenset(("script", "style", "template"))
# What a reader never sees of a page.
INVISIBLE = CODE | frozenset(("noscript", "head"))


# huge_tree: libxml2 stops reading a page nested deeper than 255 elements and
# drops the rest of it; with this, 2,047, and a page deeper still is refused
# (``parse_page``) rather than cut short without a word.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
MAX_DEPTH = 2047


def parse_page(text: str, path: str = "") -> etree._Element | None:
    """The page's element tree; None for a page with no elements at all."""
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
        raise InputError(path, f"the page nests its elements more than {MAX_DEPTH:,} levels deep; the HTML parser cannot read it whole")
    return doc


def strings(root: etree._Element, skip: frozenset[str] = CODE, blocks: frozenset[str] = frozenset()) -> list[str]:
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


def element_text(el: etree._Element, sep: str = "") -> str:
    return sep.join(strings(el))


def first(doc: etree._Element | None, tag: str) -> etree._Element | None:
    """The first ``tag`` element in page order."""
    return next(doc.iter(tag), None) if doc is not None else None


def norm(text: str) -> str:
    # str.split() splits at exactly the characters \s matches (str.isspace): the
    # same result as collapsing with _WS and stripping, four times faster.
    return " ".join(text.split())
