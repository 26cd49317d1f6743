"""Site-wide pages generated from the whole collection of articles.

Everything here works from indexes built in one pass over the articles
(never by comparing every pair), so it scales linearly with the archive.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from archive_build.collection import pages
from archive_build.collection.annotation_index import annotations_page
from archive_build.model import Article
from archive_build.project import Project

if TYPE_CHECKING:
    from archive_build.store.articles import Texts


# Material's tags plugin fills the listing in at the marker (from every page's `tags`).
TAGS_PAGE = b"---\ntitle: Tags\n---\n\n# Tags\n\nTopics from curators' tags and from the gazetteer's topic entities, each with its articles.\n\n<!-- material/tags -->\n"


def enrich(project: Project, articles: list[Article], texts: Texts | None = None) -> None:
    """Collection-level changes to articles: internal links, backlinks, neighbours by date, common entities, related reading.

    ``texts`` hands out the fields not on the articles' cards where a step reads them (None: the articles have them).
    """
    from archive_build.collection.backlinks import add_backlinks
    from archive_build.collection.common_entities import mark_common_entities
    from archive_build.collection.internal_links import link_articles
    from archive_build.collection.neighbours import add_neighbours
    from archive_build.collection.related import add_related
    from archive_build.store.memo import memo_field

    link_articles(articles, texts)  # fills links_out, which backlinks read: must come first
    add_backlinks(articles)
    add_neighbours(articles)
    mark_common_entities(articles)
    # Related reading reads no annotation: cached on its own inputs (memo.memo_field).
    def related(articles: list[Article]) -> None:
        if texts is not None:
            texts.load_all(articles, "terms")
        add_related(articles)

    memo_field(project.cache, articles, "related", [a.keys.related if a.keys else None for a in articles], related)


def collection_pages(project: Project, articles: list[Article], texts: Texts | None = None) -> dict[str, Any]:
    """Every generated tree under ``docs/``: tree name → {relative path: bytes}, or ``memo.Remembered``."""
    from archive_build.store.memo import memo_value

    # Listings read only metadata (listing.listing_key): an edited annotation leaves them as they were.
    keys = [a.keys.listing if a.keys else None for a in articles]
    parts = None if None in keys else [f"{a.id} {k}" for a, k in zip(articles, keys)]
    listings = memo_value(
        project.cache, "listings", parts,
        lambda: (pages.all_articles(articles), pages.timeline(articles), pages.sources(articles), pages.authors(articles), pages.latest_snippet(articles)),
    )
    return {
        "articles": {"index.md": listings[0]},
        "browse": {
            "timeline.md": listings[1],
            "sources.md": listings[2],
            "authors.md": listings[3],
            "annotations.md": annotations_page(articles),
            "tags.md": TAGS_PAGE,
        },
        ".generated": {"latest.md": listings[4]},
        "entities": _entity_tree(project, articles, texts),
    }


def _entity_tree(project: Project, articles: list[Article], texts: Texts | None) -> Any:
    from archive_build.collection.entity_pages import entity_pages
    from archive_build.entities import load_gazetteer
    from archive_build.store.memo import memo_value

    def compute() -> dict[str, bytes]:
        gazetteer, _ = load_gazetteer(project.gazetteer, project.rel(project.gazetteer))  # problems reported by collect()
        if texts is not None:
            texts.load_all(articles, "kwic")
        return entity_pages(gazetteer, articles)

    # Entity pages read metadata, entities and KWIC sentences only (listing.listing_key):
    # an edited annotation does not regenerate 500 entity pages.
    keys = [a.keys.listing if a.keys else None for a in articles]
    from archive_build.errors import InputError
    from archive_build.safe_files import read_regular
    from archive_build.safe_yaml import MAX_YAML_BYTES

    try:
        gaz = hashlib.sha256(read_regular(project.gazetteer, "entities.yml", limit=MAX_YAML_BYTES, limit_message="too large")).hexdigest()
    except InputError:
        gaz = "none"
    parts = None if None in keys else [gaz, *(f"{a.id} {k}" for a, k in zip(articles, keys))]
    return memo_value(project.cache, "entity-pages", parts, compute, lazy=True)
