"""The article's own notes and bare URLs (stub until the notes issue lands)."""
from __future__ import annotations

from ..model import Article


def convert_notes(article: Article) -> Article:
    """Turn ``[1]``-style markers and a Notes section into Markdown footnotes."""
    return article


def link_bare_urls(article: Article) -> Article:
    """Turn bare ``https://…`` and ``www.`` addresses in prose into links."""
    return article
