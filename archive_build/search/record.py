"""What the search index learns about each page, beyond its visible text.

Pagefind indexes the written HTML: the visible text of the element marked
``data-pagefind-body``, plus hidden ``data-pagefind-meta`` and
``data-pagefind-filter`` elements anywhere on the page.  This module decides,
per page, what those are:

* kind: an article, an entity page, or a hand-written page.  Collection pages
  (timeline, sources, authors, tags, the entity index, the annotation list,
  the home page's latest list) get no record: they repeat what the articles
  say, and in the index they crowded the articles out of the results;
* meta: the title (ranked above body text), date, source and authors (shown
  with a result; searched, like the tags), and ``aliases``: the other spellings of the names the page
  mentions, so "Kiev" finds an article that says "Kyiv".  Pagefind matches
  metadata but never shows it in a snippet;
* filters: kind, source, author, year and entity, each a facet with counts.

Every value comes from front matter or the gazetteer, written by strangers:
the template escapes each one (``| e``), and the HTML built here escapes
its text with ``html.escape``.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

#: Entity facet values per article: the most-mentioned ones only.  Every
#: value costs the filter index a page list; 27 entities an article at
#: 10,000 articles would make the facet index bigger than a first query.
MAX_ENTITY_FILTERS = 6
NOTE_HEADING_PREFIX = "ab-note-"


@dataclass
class SearchRecord:
    """Hidden metadata and facets of one indexed page (rendered by partials/search-record.html)."""

    kind: str
    meta: dict[str, str] = field(default_factory=dict)
    filters: list[tuple[str, str]] = field(default_factory=list)


def _year(value: Any) -> str:
    m = re.match(r"\d{4}", str(value or ""))
    return m.group(0) if m else ""


def _entity_ids(meta: Mapping[str, Any]) -> list[str]:
    """The page's entity ids, most mentioned first (ties by id, so the order is stable)."""
    entities = meta.get("entities") or {}
    if isinstance(entities, Mapping):
        return [str(k) for k, _ in sorted(entities.items(), key=lambda kv: (-_count(kv[1]), str(kv[0])))]
    return sorted(str(e) for e in entities) if isinstance(entities, list) else []


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def alias_meta(entity_ids: Iterable[str], names: Mapping[str, list[str]], text: str = "") -> str:
    """Other spellings of the named entities that ``text`` does not already contain, one string.

    Spellings the page itself uses are indexed anyway; adding only the others
    keeps the index from growing by a gazetteer's worth of words per page.
    """
    found = dict.fromkeys(n for eid in sorted(entity_ids) for n in names.get(str(eid), []))
    return " · ".join(n for n in found if n not in text)


def article_record(meta: Mapping[str, Any], names: Mapping[str, list[str]], text: str = "") -> SearchRecord:
    record = SearchRecord("Article")
    ids = _entity_ids(meta)
    aliases = alias_meta(ids, names, text)
    if aliases:
        record.meta["aliases"] = aliases
    for key in ("date", "source"):
        if meta.get(key):
            record.meta[key] = str(meta[key])
    for key in ("authors", "tags"):
        values = [str(v) for v in meta.get(key) or [] if str(v).strip()]
        if values:
            record.meta[key] = ", ".join(values)
    record.filters.append(("kind", "Article"))
    if meta.get("source"):
        record.filters.append(("source", str(meta["source"])))
    for author in meta.get("authors") or []:
        if str(author).strip():
            record.filters.append(("author", str(author)))
    if _year(meta.get("date")):
        record.filters.append(("year", _year(meta.get("date"))))
    for eid in ids[:MAX_ENTITY_FILTERS]:
        if names.get(eid):
            record.filters.append(("entity", names[eid][0]))
    return record


def entity_record(meta: Mapping[str, Any], names: Mapping[str, list[str]]) -> SearchRecord:
    record = SearchRecord("Entity")
    entity = meta.get("entity") or {}
    eid = str(entity.get("id") or "") if isinstance(entity, Mapping) else ""
    spellings = names.get(eid, [])
    if spellings[1:]:
        record.meta["aliases"] = " · ".join(spellings[1:])
    record.filters.append(("kind", "Entity"))
    if spellings:
        record.filters.append(("entity", spellings[0]))
    return record


def page_record() -> SearchRecord:
    return SearchRecord("Page", filters=[("kind", "Page")])


# ------------------------------------------------------------ notes as sub-results

_NOTE_ITEM = re.compile(r'<li id="fn:ann-([^"]+)"[^>]*>')


def note_title(annotation: Mapping[str, Any]) -> str:
    """"Note by @x on “quoted passage”": how a note is named in search results (plain text)."""
    author = " ".join(str(annotation.get("author") or "a reader").split())
    quote = " ".join(str(annotation.get("quote") or "").split())
    if len(quote) > 60:
        quote = quote[:57].rsplit(" ", 1)[0] + "…"
    return f"Note by {author} on “{quote}”"


def note_heading(annotation: Mapping[str, Any]) -> str:
    """A hidden heading naming a note, so the search lists the note as a sub-result of its article.

    Pagefind makes sub-results from headings with an id; the search box
    turns ``#ab-note-<id>`` into ``#ann-<id>``, the highlighted passage.
    """
    ident = html.escape(NOTE_HEADING_PREFIX + str(annotation.get("id")), quote=True)
    text = html.escape(note_title(annotation), quote=False)
    return f'<h3 id="{ident}" class="ab-note-heading" hidden data-pagefind-weight="1">{text}</h3>'


def add_note_headings(content: str, annotations: Any) -> str:
    """Put each note's hidden heading at the start of its footnote."""
    if not annotations or not isinstance(annotations, list):
        return content
    by_id = {str(a.get("id")): a for a in annotations if isinstance(a, Mapping) and a.get("id")}

    def insert(m: re.Match[str]) -> str:
        annotation = by_id.get(html.unescape(m.group(1)))
        return m.group(0) + note_heading(annotation) if annotation else m.group(0)

    return _NOTE_ITEM.sub(insert, content)


# ------------------------------------------------------------ entity pages

_FIRST_SECTION = re.compile(r"<h2[\s>]")


def ignore_entity_lists(content: str) -> str:
    """Keep an entity page's name and description in the index, not its article lists.

    The lists ("Articles", "Often mentioned with") repeat other pages' titles
    and snippets; indexed, every entity page matched every name it lists.
    """
    m = _FIRST_SECTION.search(content)
    if not m:
        return content
    return content[: m.start()] + '<div data-pagefind-ignore="index">' + content[m.start() :] + "</div>"


# ------------------------------------------------------------ notes as results of their own

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|[*_`]|^\s{0,3}(?:#{1,6}|>|[-+*]|\d+\.)\s+)", re.MULTILINE)


def markdown_text(body: str) -> str:
    """A note's Markdown as the words a reader sees: link texts kept, emphasis and list marks dropped."""
    return " ".join(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", body)).split())


@dataclass(frozen=True)
class NoteRecord:
    """One annotation as a page of the notes index (``search.build_notes_index``)."""

    href: str  # site-relative: articles/<id>/#ann-<id>
    title: str  # Note by @x on “quoted passage”
    text: str
    article: str
    meta: tuple[tuple[str, str], ...]
    filters: tuple[tuple[str, str], ...]

    def html(self) -> str:
        """The page Pagefind indexes: the note's text as body, the rest hidden metadata and filters."""
        esc = lambda s: html.escape(s, quote=True)  # noqa: E731 - a local shorthand
        spans = "".join(f'<span data-pagefind-meta="{esc(k)}">{esc(v)}</span>' for k, v in (("title", self.title), ("href", self.href), ("article", self.article), *self.meta))
        spans += "".join(f'<span data-pagefind-filter="{esc(k)}">{esc(v)}</span>' for k, v in self.filters)
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title></title></head><body>'
            f'<div hidden data-pagefind-ignore="index">{spans}</div>'
            f"<main data-pagefind-body><p>{esc(self.text)}</p></main></body></html>"
        )


def note_records(meta: Mapping[str, Any], page_url: str, article: SearchRecord) -> list[NoteRecord]:
    """The article's notes, each with the article's source, year and entities and its own author."""
    annotations = meta.get("annotations")
    if not isinstance(annotations, list):
        return []
    title = " ".join(str(meta.get("title") or meta.get("id") or "").split())
    shared_meta = tuple((k, v) for k, v in article.meta.items() if k in ("date", "source"))
    shared = tuple((k, v) for k, v in article.filters if k in ("source", "year", "entity"))
    out = []
    for a in annotations:
        if not isinstance(a, Mapping) or not a.get("id"):
            continue
        author = " ".join(str(a.get("author") or "").split())
        out.append(NoteRecord(
            href=f"{page_url}#ann-{a['id']}",
            title=note_title(a),
            text=markdown_text(str(a.get("body") or "")),
            article=title,
            meta=shared_meta,
            filters=(("kind", "Annotation"), *shared, *((("author", author),) if author else ())),
        ))
    return out

