"""MkDocs hooks: the last line of defence against hostile input.

Generated Markdown is already escaped and sanitised by the build step; this
hook sanitises the rendered HTML of every page once more with an allowlist
(nh3), so that a bug in escaping can never put a script or an event handler
from a raw article or an annotation onto the site.  Theme templates are not
touched: they are ours.
"""
from __future__ import annotations

from typing import Any

import nh3

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


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return sanitize_html(html)


def on_pre_build(config: Any) -> None:
    """Under ``make serve``, rerun the build step so edits to raw/ show up live."""
    import os

    if os.environ.get("ARCHIVE_BUILD_ON_SERVE") != "1":
        return
    from pathlib import Path

    from archive_build.build import build
    from archive_build.project import Project

    result = build(Project(Path(config["config_file_path"]).parent), keep_going=True, progress=False)
    for problem in result.problems:
        print(str(problem))
