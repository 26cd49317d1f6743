"""``article.json``: one article as data — its front matter, Markdown body and plain text.

The plain text is the one annotation offsets (``start``/``end``, the
TextPositionSelector of the JSON-LD) count in, so publishing it lets anyone
check or reuse an anchor without re-implementing the cleaner.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive_build.model import Article

if TYPE_CHECKING:
    from archive_build.opendata.site_info import SiteInfo


def clean_body(article: Article) -> str:
    """The article's Markdown as cleaned, before the build decorated it with highlights and links.

    The cleaning pipeline keeps the undecorated body in ``clean_body``; an
    article made by other means (tests, imports) may only have a body.
    """
    return article.clean_body or article.body


def article_record(article: Article, meta: dict[str, Any], info: "SiteInfo") -> dict[str, Any]:
    """Front matter first (same keys as the page), then the page URL, body and plain text."""
    record = dict(meta)
    record["page_url"] = info.page_url(article.id)
    record["body"] = clean_body(article)
    record["plain"] = article.plain
    return record
