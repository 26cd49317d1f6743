"""Entity pages (``entities/<id>.md``) and the index of entities by kind.

Built from one pass over the articles' ``entities`` counts and the
keyword-in-context sentences the worker kept, so the cost grows with the
number of mentions, not with entities × articles.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from archive_build.collection.listing import article_item, newest_first
from archive_build.collection.pages import _page
from archive_build.entities.gazetteer import KINDS, Entity, Gazetteer
from archive_build.markdown.escape import escape_text
from archive_build.model import Article

KIND_TITLES = {"person": "People", "place": "Places", "organization": "Organisations", "event": "Events", "topic": "Topics"}
KIND_NAMES = {"person": "Person", "place": "Place", "organization": "Organisation", "event": "Event", "topic": "Topic"}
CO_MENTIONED = 10
# Only an article's most-mentioned entities count towards "often mentioned with",
# so the co-occurrence pass stays linear in the archive's size.
CO_PER_ARTICLE = 40


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _co_mentions(articles: list[Article]) -> dict[str, Counter[str]]:
    co: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        top = sorted(a.entities, key=lambda e: (-a.entities[e], e))[:CO_PER_ARTICLE]
        for e in top:
            co[e].update(top)
    for e, counter in co.items():
        del counter[e]
    return co


def entity_page(entity: Entity, mentioned_in: list[Article], co: Counter[str], gazetteer: Gazetteer, items: dict[str, str] | None = None) -> bytes:
    """One entity's page; ``items`` caches each article's list line (the same on every entity page)."""
    items = {} if items is None else items
    out = [f'<p class="ab-entity-kind">{KIND_NAMES[entity.kind]}</p>\n']
    if entity.description:
        out.append(escape_text(entity.description) + "\n")
    if entity.external_url:
        label = f"Wikidata {entity.wikidata}" if entity.wikidata and not entity.url else entity.external_url
        out.append(f"External reference: [{escape_text(label)}]({entity.external_url})\n")
    if entity.aliases:
        out.append("Also written: " + ", ".join(escape_text(a) for a in entity.aliases) + "\n")
    total = sum(a.entities[entity.id] for a in mentioned_in)
    out.append(f"## Articles\n\n{_plural(len(mentioned_in), 'article')}, {_plural(total, 'mention')}, newest first.\n")
    for a in newest_first(mentioned_in):
        if a.id not in items:
            items[a.id] = article_item(a, "entities")
        item = items[a.id] + f" · {_plural(a.entities[entity.id], 'mention')}"
        sentence = a.kwic.get(entity.id)
        if sentence:
            item += f'\n  <br><span class="ab-kwic">{sentence}</span>'  # escaped Markdown, made by the worker
        out.append(item)
    if not mentioned_in:
        out.append("*No article mentions this entity yet.*")
    others = [(e, n) for e, n in sorted(co.items(), key=lambda kv: (-kv[1], kv[0])) if e in gazetteer.entities][:CO_MENTIONED]
    if others:
        out.append("\n## Often mentioned with\n")
        for e, n in others:
            other = gazetteer.entities[e]
            out.append(f"- [{escape_text(other.name)}]({e}.md) · {_plural(n, 'shared article')}")
    return _page(entity.name, "\n".join(out), entity={"id": entity.id, "kind": entity.kind})


def entity_index(gazetteer: Gazetteer, mentions: dict[str, list[Article]]) -> bytes:
    out = ["People, places, organisations, events and topics named in the archive, by kind, most written about first.\n"]
    for kind in KINDS:
        ents = [e for e in gazetteer.entities.values() if e.kind == kind]
        if not ents:
            continue
        out.append(f"## {KIND_TITLES[kind]}\n\n{len(ents)} {'entity' if len(ents) == 1 else 'entities'}\n")
        ents.sort(key=lambda e: (-len(mentions.get(e.id, ())), e.name.casefold(), e.id))
        for e in ents:
            arts = mentions.get(e.id, [])
            total = sum(a.entities[e.id] for a in arts)
            out.append(f"- [{escape_text(e.name)}]({e.id}.md) · {_plural(len(arts), 'article')}, {_plural(total, 'mention')}")
        out.append("")
    if not gazetteer.entities:
        out.append("*The gazetteer (`entities.yml`) is empty.*")
    return _page("Entities", "\n".join(out))


def entity_pages(gazetteer: Gazetteer | None, articles: list[Article]) -> dict[str, bytes]:
    """Every file of the ``entities/`` tree: one page per entity plus the index."""
    gazetteer = gazetteer or Gazetteer()
    mentions: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        for e in a.entities:
            mentions[e].append(a)
    co = _co_mentions(articles)
    items: dict[str, str] = {}
    files = {f"{e.id}.md": entity_page(e, mentions.get(e.id, []), co.get(e.id, Counter()), gazetteer, items) for e in gazetteer.entities.values()}
    files["index.md"] = entity_index(gazetteer, mentions)
    return files
