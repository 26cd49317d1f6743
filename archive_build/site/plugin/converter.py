"""One Markdown converter for all the pages of a build, reset between pages.

MkDocs' ``Page.render`` makes a converter with every extension of
mkdocs.yml for each page: about 0.3-0.6 ms a page, 2-4% of rendering an
article.  Python-Markdown converts any number of documents with one
converter, ``reset()`` between them, and the extensions mkdocs.yml lists
keep their per-document state in what ``reset`` clears (footnotes,
abbreviations, the table of contents, stashed HTML and fences).  MkDocs'
own four per-page processors (raw HTML anchors, anchors, relative links,
the title) are made anew for each page, exactly as ``Page.render`` makes
them, so the page comes out the same.

MkDocs 1.x is frozen; should a later one lack the processors this relies
on, ``available()`` is False and pages render MkDocs' own way.
"""
from __future__ import annotations

import logging
from typing import Any

import markdown
from mkdocs.structure.toc import get_toc

try:
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )
except ImportError:  # pragma: no cover - a MkDocs other than 1.6
    _ExtractAnchorsTreeprocessor = None

_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def available() -> bool:
    return _ExtractAnchorsTreeprocessor is not None


class Converter:
    """The build's converter, made on first use from the build's configuration."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.md: markdown.Markdown | None = None

    def use_for(self, page: Any) -> None:
        """Render ``page`` with this converter (its ``render`` is replaced; ``shards.render_nothing`` may replace it again)."""
        if available():
            page.render = lambda config, files: self.render(page, config, files)

    def render(self, page: Any, config: Any, files: Any) -> None:
        """What ``Page.render`` does, with the shared converter."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.md is None or config is not self.config:
            self.config = config
            self.md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
        md = self.md.reset()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = _RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors
