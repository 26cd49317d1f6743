"""One article through the build step's and the site step's per-article work, in this process.

What the hostile-input tests measure the growth of and ``make bench-hostile``
tabulates: no subprocess, no whole site, so the time is the article's own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_ID = "2024-01-01-hostile"

_GAZETTEER: Any = None


def _gazetteer() -> Any:
    global _GAZETTEER
    if _GAZETTEER is None:
        from archive_build.entities import load_gazetteer

        _GAZETTEER, _ = load_gazetteer(ROOT / "entities.yml", "entities.yml")
    return _GAZETTEER


def build_step(text: str, ext: str) -> str:
    """One article through the build step's per-article work, in this process; its page's Markdown."""
    from archive_build.pipeline import annotate_and_link, clean_article
    from archive_build.writer import page_text

    article = clean_article(text.encode("utf-8"), f"raw/{ARTICLE_ID}{ext}")
    article = annotate_and_link(article, None, f"annotations/{ARTICLE_ID}.yml", (), _gazetteer(), [])
    return page_text(article)


class _Page:
    """What the MkDocs hook reads of a page."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta
        self.file = type("File", (), {"src_uri": f"articles/{ARTICLE_ID}.md"})()


_MARKDOWN: Any = None


def site_step(page: str) -> str:
    """One generated page through the site step's per-page work: Markdown to HTML, sanitiser, reading features."""
    global _MARKDOWN
    import markdown
    from mkdocs.utils.meta import get_data

    from archive_build.site.plugin import sanitise
    from archive_build.site.plugin.reading import Reading

    if _MARKDOWN is None:
        from mkdocs.config import load_config

        config = load_config(str(ROOT / "mkdocs.yml"))
        _MARKDOWN = (config["markdown_extensions"], config["mdx_configs"])
    body, meta = get_data(page)
    md = markdown.Markdown(extensions=_MARKDOWN[0], extension_configs=_MARKDOWN[1])
    html = md.convert(body)
    page = _Page(meta)
    return Reading.page_content(sanitise.page_content(html, page), page)
