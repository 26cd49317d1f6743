"""The gazetteer (``entities.yml``) and linking mentions of its entities.

``load_gazetteer`` runs once per build; ``link_entities`` runs in the worker
processes after annotations are rendered into the body.  Besides the links,
the worker records what the entity pages need so that step never has to
re-read 10,000 bodies: mention counts (``article.entities``) and one
keyword-in-context sentence per entity.
"""
from __future__ import annotations

import re

from archive_build.entities.gazetteer import KINDS, Entity, Gazetteer, load_gazetteer, parse_gazetteer
from archive_build.entities.link import keyword_sentences, link_body
from archive_build.model import Article

__all__ = ["KINDS", "Entity", "Gazetteer", "load_gazetteer", "parse_gazetteer", "link_entities", "TAG_KINDS"]

# Entity kinds whose names become tags (Material's tags plugin) on the articles that mention them.
TAG_KINDS = ("topic",)
_MARKUP = re.compile(r"[<>&]")


def source_entities(source: str | None, matcher: object) -> list[str]:
    """The entities whose name or alias is the article's whole ``source`` ("World Socialist Web Site")."""
    text = (source or "").strip()
    if not text:
        return []
    return [m.entity for m in matcher.find(text) if m.start == 0 and m.end == len(text)]  # type: ignore[attr-defined]


def link_entities(article: Article, gazetteer: Gazetteer | None) -> Article:
    """Link first mentions, count all mentions, and keep a sentence around each entity's first for its page."""
    if not gazetteer:
        return article
    matcher = gazetteer.matcher
    article.body, _ = link_body(article.body, matcher)
    # Counts and sentences come from the plain text, so a name in a heading or
    # inside an existing link is a mention too, though it is never linked.
    kwic, counts = keyword_sentences(article, matcher)
    for eid in source_entities(article.source, matcher):
        # The publication the article comes from is part of what it is about: the
        # entity's page lists it even when the text never names its own publisher.
        counts[eid] = counts[eid] or 1
        kwic.setdefault(eid, "*The source of this article.*")
    article.entities = {eid: counts[eid] for eid in sorted(counts)}
    article.kwic = kwic
    for eid in counts:  # first-mention order
        entity = gazetteer.entities[eid]
        # A name holding markup characters is not made a tag, as a sidecar's tag is not
        # (transforms.metadata): Material's tags plugin puts tag names into the page unescaped.
        if entity.kind in TAG_KINDS and entity.name not in article.tags and not _MARKUP.search(entity.name):
            article.tags.append(entity.name)
    return article
