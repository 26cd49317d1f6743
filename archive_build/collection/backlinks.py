"""Backlinks: which articles cite this one, and with which passage.

Two kinds of citation, both collected in one pass over the articles:
an annotation's ``links`` (the passage is the annotated quote) and a Markdown
link in one article's body to another article (the passage is the sentence
around the link, found by the worker and kept in ``links_to``).
"""
from __future__ import annotations

import re
from typing import Any

from archive_build.collection.listing import newest_first
from archive_build.entities.link import MAX_KWIC, plain_fallback, sentence_at
from archive_build.model import Article


def add_backlinks(articles: list[Article]) -> None:
    """Fill ``article.referenced_by`` with {id, title, passage}, newest citing article first."""
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
        for target, passage in a.links_to:  # relative links found by the worker
            cite(target, a, passage)
    for a in articles:
        a.referenced_by = sorted(cited[a.id].values(), key=lambda c: rank[c["id"]])


_ARTICLE_LINK = re.compile(r"\]\(\s*<?((?:\.\./)*(?:articles/)?([a-z0-9][a-z0-9._-]*?)(?:\.md|/)?(?:#[^)\s>]*)?)>?(?:\s+\"[^\"]*\")?\s*\)")


def article_links(article: Article) -> list[tuple[str, str]]:
    """Relative links in the body that may point at another article: (target id, passage).

    The collection step keeps those whose target is a real article id.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    body = article.body
    for m in _ARTICLE_LINK.finditer(body):
        target = m.group(2)
        if target in seen or target == article.id or "://" in m.group(1) or target.startswith("entities"):
            continue
        if "/entities/" in m.group(1):
            continue
        seen.add(target)
        line_start = body.rfind("\n\n", 0, m.start()) + 1
        line_end = body.find("\n\n", m.end())
        para = plain_fallback(body[line_start : line_end if line_end != -1 else len(body)])
        label_end = m.start()
        label_start = body.rfind("[", line_start, label_end)
        label = plain_fallback(body[label_start + 1 : label_end]) if label_start != -1 else ""
        pos = para.find(label) if label else -1
        passage = sentence_at(para, pos, pos + len(label)) if pos != -1 else " ".join(para.split())[:MAX_KWIC]
        out.append((target, passage))
    return out
