"""Previous and next article by date, for the links at the end of each article.

One sort of the archive (dated articles oldest first, ties by id; undated
ones have no place in a sequence by date and get no neighbours), then each
article's neighbours are the ones beside it: linear after the sort.
"""
from __future__ import annotations

from typing import Any

from archive_build.model import Article


def _brief(article: Article) -> dict[str, Any]:
    return {"id": article.id, "title": article.title or article.id, "date": article.date}


def add_neighbours(articles: list[Article]) -> None:
    """Put ``{id, title, date}`` of the previous and next article by date in ``previous`` and ``next``."""
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.id))
    for a in articles:
        a.previous = a.next = None
    for before, after in zip(dated, dated[1:]):
        after.previous = _brief(before)
        before.next = _brief(after)
