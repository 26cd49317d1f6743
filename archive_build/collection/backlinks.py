"""Backlinks: which articles cite this one, and with which passage.

Two kinds of citation, both collected in one pass over the articles:
an annotation's ``links`` (the passage is the annotated quote) and a Markdown
link in one article's body to another article (the passage is the sentence
around the link, found by the worker and kept in ``flags["links_to"]``).
"""
from __future__ import annotations

from typing import Any

from ..model import Article
from .listing import newest_first


def add_backlinks(articles: list[Article]) -> None:
    """Fill ``article.flags["referenced_by"]`` with {id, title, passage}, newest citing article first."""
    by_id = {a.id: a for a in articles}
    rank = {a.id: i for i, a in enumerate(newest_first(articles))}
    cited: dict[str, dict[str, dict[str, Any]]] = {a.id: {} for a in articles}

    def cite(target: str, source: Article, passage: str) -> None:
        if target == source.id or target not in by_id or source.id in cited[target]:
            return
        cited[target][source.id] = {"id": source.id, "title": source.title or source.id, "passage": " ".join(passage.split())}

    for a in articles:
        for ann in a.annotations:
            for target in ann.get("links") or ():
                if isinstance(target, str):
                    cite(target, a, str(ann.get("quote") or ""))
        for link in a.links_out:  # links rewritten by internal_links (web address → archived copy)
            if isinstance(link.get("target"), str):
                cite(link["target"], a, str(link.get("passage") or ""))
        for target, passage in a.flags.get("links_to") or ():  # relative links found by the worker
            cite(target, a, passage)
    for a in articles:
        a.flags["referenced_by"] = sorted(cited[a.id].values(), key=lambda c: rank[c["id"]])
