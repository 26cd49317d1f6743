"""What the allowlist sanitiser cannot know: ids, classes and titles the theme gives meaning to.

nh3 keeps ``id``, ``class`` and ``title`` on every element (the Markdown
extensions need them), but Material for MkDocs reads some of them as its own:
its configuration is the element ``#__config``, its search box, drawer and
palette toggles are ``#__search``, ``#__drawer``, ``#__palette_N``, its
footnote tooltips copy the first element with the footnote's id, and its
tooltips insert an element's ``title`` as HTML.  A page whose content holds
such an id or class lets that content take the page over.  So, after nh3:

- an ``id`` or ``for`` starting with ``__`` (the theme's names) is removed;
- an ``id`` that already occurred on the page is removed, so no element
  shadows another one (a footnote ``fn:…``, an annotation ``ann-…``);
- a ``title`` holding markup (``<``, ``>``) is removed;
- on generated pages, ``md-…`` classes (the theme's layout and components)
  are removed from content: generated Markdown never asks for them.

Heading ids on generated pages are namespaced at the source: ``slugify``
(the ``toc`` extension's, set in ``mkdocs.yml``) prefixes them with
``ab-h-`` while a generated page renders, so no heading can take the id of
the theme or of the page's own parts.

nh3's output is regular: every attribute value is double-quoted, with
``<``, ``>``, ``&`` and ``"`` escaped, so a start tag is exactly
``<name attr="…"…>`` and a regular expression over start tags reads it
without ambiguity (text never holds a raw ``<``).
"""
from __future__ import annotations

import re
from typing import Any

from markdown.extensions.toc import slugify as _toc_slugify

HEADING_ID_PREFIX = "ab-h-"
_STATE: dict[str, bool] = {"generated": False}

# A start tag with at least one attribute this module looks at.
_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9]*\s[^<>]*?\b(?:id|for|title|class)=\"[^<>]*>")
_ATTR = re.compile(r"\s(id|for|title|class)=\"([^\"]*)\"")
_MARKUP_IN_VALUE = re.compile(r"&lt;|&gt;|[<>]")


def rendering_generated_page(generated: bool) -> None:
    """Tell ``slugify`` whether the page MkDocs renders next is a generated one (MkDocs renders one page at a time)."""
    _STATE["generated"] = generated


def slugify(value: str, separator: str, **kwargs: Any) -> str:
    """The ``toc`` extension's slug; on generated pages prefixed with ``ab-h-``."""
    slug = _toc_slugify(value, separator, **kwargs)
    return HEADING_ID_PREFIX + slug if _STATE["generated"] else slug


def guard_attributes(html: str, generated: bool) -> str:
    """nh3's output without theme ids, repeated ids, markup titles (and, on generated pages, theme classes)."""
    seen: set[str] = set()

    def tag(m: re.Match[str]) -> str:
        changed = False

        def attr(a: re.Match[str]) -> str:
            nonlocal changed
            name, value = a.group(1), a.group(2)
            if name == "id":
                if value.startswith("__") or value in seen:
                    changed = True
                    return ""
                seen.add(value)
            elif name == "for":
                if value.startswith("__"):
                    changed = True
                    return ""
            elif name == "title":
                if _MARKUP_IN_VALUE.search(value):
                    changed = True
                    return ""
            elif generated and "md-" in value:
                kept = [c for c in value.split() if not c.startswith("md-")]
                changed = True
                return f' class="{" ".join(kept)}"' if kept else ""
            return a.group(0)

        out = _ATTR.sub(attr, m.group(0))
        return out if changed else m.group(0)

    return _TAG.sub(tag, html)


def escape_toc_titles(toc: Any) -> None:
    """Escape table-of-contents titles that hold ``<`` or ``>``: the theme prints them as HTML.

    The ``toc`` extension gives titles already escaped (they never hold a raw
    ``<``); the tags plugin adds one entry per tag with the tag's name as it
    is, and a tag name can come from the gazetteer.
    """
    import html

    for item in toc:
        title = getattr(item, "title", None)
        if isinstance(title, str) and ("<" in title or ">" in title):
            item.title = html.escape(title, quote=False)
        escape_toc_titles(getattr(item, "children", None) or [])


def tag_slug(name: str, separator: str) -> str:
    """The anchor of a tag on the tags page: Material's slug, made unique for names it would merge.

    Material's tags plugin gives each tag the id ``tag:<slug>``; names that
    differ only in case or punctuation (``[x](javascript:…)`` and
    ``[x](JaVaScRiPt:…)``, or ``Kyiv`` and ``kyiv``) would share one id.
    A name that is not its own slug gets a short hash of itself appended.
    """
    import hashlib

    from pymdownx.slugs import slugify

    slug = slugify(case="lower")(name, separator)
    if slug == name:
        return slug
    return f"{slug}{separator}{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"
