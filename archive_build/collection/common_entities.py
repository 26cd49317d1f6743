"""Entities too common in the archive to be worth a link.

An entity named in most of the archive's articles ("Ukraine", "Russia" in an
archive about the war) says nothing about any one of them: its link would sit
in every opening line and lead to a page listing everything.  Its inverse
document frequency, log(N / df), is below log(1 / COMMON_SHARE); such an
entity keeps its place in the article's "In this article" list and on its
own page, but loses its link in the text (``writer.unlink_entities``).
Counted in one pass over the articles' entity counts.
"""
from __future__ import annotations

from collections import Counter

from archive_build.model import Article

COMMON_SHARE = 0.5  # named in more than this share of the articles: no link
MIN_ARTICLES = 3  # in a smaller archive every entity is in "most" articles


def common_entities(articles: list[Article]) -> set[str]:
    """The ids of the entities named in more than ``COMMON_SHARE`` of the articles."""
    if len(articles) < MIN_ARTICLES:
        return set()
    df: Counter[str] = Counter()
    for a in articles:
        df.update(a.entities.keys())
    limit = COMMON_SHARE * len(articles)
    return {e for e, n in df.items() if n > limit}


def mark_common_entities(articles: list[Article]) -> None:
    """Put the common entities each article names in ``common_entities`` (sorted ids)."""
    common = common_entities(articles)
    for a in articles:
        a.common_entities = sorted(e for e in a.entities if e in common)
