"""The last line of defence against hostile input: every page's HTML through an allowlist.

Generated Markdown is already escaped and sanitised by the build step; this
sanitises the rendered HTML of every page once more with an allowlist
(nh3), so that a bug in escaping can never put a script or an event handler
from a raw article or an annotation onto the site.  Theme templates are not
touched: they are ours.
"""
from __future__ import annotations

from typing import Any

import nh3

from archive_build import html_safety
from archive_build.collection import relative_links

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "dl", "dt", "dd", "cite", "time",
}
_ATTRS = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "time": {"datetime"},
}

#: The folders of docs/ the build writes from contributed text.
GENERATED_PAGES = ("articles/", "entities/", "browse/")


#: The allowlist built once (``nh3.clean`` builds it again for every page).
_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto"}, link_rel=None, strip_comments=True)


def sanitize_html(html: str) -> str:
    return _CLEANER.clean(html)


def is_generated(page: Any) -> bool:
    """A page the build wrote from contributed text (articles, entities, listings)."""
    return page.file.src_uri.startswith(GENERATED_PAGES)


def before_markdown(page: Any, config: Any) -> None:
    """Heading ids of generated pages are namespaced (``html_safety.slugify``); their links are checked by the build, not MkDocs."""
    html_safety.rendering_generated_page(is_generated(page))
    relative_links.check_links_strictly(config, strict=not is_generated(page))


def after_render(page: Any) -> None:
    """A page was rendered (or skipped): what renders next is not it."""
    html_safety.rendering_generated_page(False)  # slugs made after rendering (the tags plugin's) are not namespaced
    if is_generated(page):
        relative_links.skip_anchor_check(page)


def page_content(html: str, page: Any) -> str:
    """The page's HTML through the allowlist, then stripped of the theme's ids, repeated ids and markup titles."""
    after_render(page)
    return html_safety.guard_attributes(sanitize_html(html), is_generated(page))


def page_context(page: Any) -> None:
    """Plugins (tags) add table-of-contents entries whose titles are not escaped."""
    if page.toc:
        html_safety.escape_toc_titles(page.toc)
