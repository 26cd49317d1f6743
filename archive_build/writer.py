"""Article → one Markdown file with YAML front matter.

The output is plain Markdown plus front matter so that any renderer that
reads ``mkdocs.yml`` can take it; the theme reads the front matter to draw
the article header and the provenance block.  Output is deterministic: keys
in a fixed order, lists in a fixed order, no timestamps.
"""
from __future__ import annotations

import math
import re
from typing import Any

from archive_build.model import Article
from archive_build.yaml_emit import dump as dump_yaml  # noqa: F401  (the collection pages use it too)

WORDS_PER_MINUTE = 230
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")


def word_count(text: str) -> int:
    """How many ``_WORD`` matches the text holds."""
    # subn counts the matches without making a string of each: twice as fast as len(findall()).
    return _WORD.subn("", text)[1]


# An entity link as entities/link.py writes it: [words](../entities/<id>.md){ .ab-entity }
_ENTITY_LINK = re.compile(r"\[((?:[^\[\]\\\n]|\\.)*)\]\(\.\./entities/([a-z0-9][a-z0-9-]*)\.md\)\{ \.ab-entity \}")


def unlink_entities(body: str, ids: list[str]) -> str:
    """``body`` with the entity links to ``ids`` turned back into their words (collection/common_entities.py)."""
    if not ids or "{ .ab-entity }" not in body:
        return body
    drop = set(ids)
    return _ENTITY_LINK.sub(lambda m: m.group(1) if m.group(2) in drop else m.group(0), body)


def front_matter(article: Article) -> dict[str, Any]:
    # Counted in the build's worker processes when it can be (pipeline.index); here otherwise.
    words = article.keys.word_count if article.keys is not None else word_count(article.plain or article.body)
    fm: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "authors": list(article.authors),
        "date": article.date,
        "date_source": article.date_source,
        "updated": article.updated,
        "source": article.source,
        "url": article.url,
        "description": article.description,
        "raw": article.raw,
        "sha256": article.sha256,
        "format": article.format,
        "word_count": words,
        "reading_time": max(1, math.ceil(words / WORDS_PER_MINUTE)),
        "tags": list(article.tags),
        "entities": dict(article.entities),
        "annotation_count": len(article.annotations),
        "annotations": article.annotations,
        "related": article.related,
        "previous": article.previous,
        "next": article.next,
        "referenced_by": article.referenced_by,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "warnings": list(article.warnings),
    }
    derived = article.derived_description
    if derived and article.description and " ".join(derived.split()) == article.description:
        # The description is the text's own first sentences: the header does not repeat them.
        fm["description_in_text"] = True
    for key in sorted(article.extra):
        fm.setdefault(key, article.extra[key])
    return {k: v for k, v in fm.items() if v is not None}


def page_text(article: Article) -> str:
    """The whole generated page: front matter, body, footnote definitions."""
    parts = [unlink_entities(article.body, article.common_entities).rstrip("\n")]
    if article.footnotes:
        parts.append("\n\n".join(article.footnotes))
    return "---\n" + dump_yaml(front_matter(article)) + "---\n\n" + "\n\n".join(p for p in parts if p) + "\n"
