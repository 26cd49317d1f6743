"""The one data model every stage shares.

Readers produce an ``Article``; transforms are plain functions that take and
return one; the writer turns it into Markdown with front matter.  Keeping a
single mutable-by-replacement record (rather than per-stage types) is what
lets a newcomer add a transform without touching the others.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Fields a sidecar or front matter may set (``transforms.metadata.apply_fields`` normalises each).
FIELDS = ("title", "authors", "date", "updated", "source", "url", "description", "tags", "language", "license", "translator", "original_title", "original_language", "notes")


@dataclass
class Removed:
    """Text taken out of the article, kept so that nothing is ever lost."""

    text: str
    reason: str


@dataclass
class Block:
    """One paragraph-level unit of a raw article while it is being cleaned.

    ``kind`` is one of ``para``, ``heading``, ``caption``, ``dateline``,
    ``markdown`` (a block of Markdown input that must keep its syntax).
    ``line`` is the 1-based line of the raw file where it starts, for messages.
    """

    text: str
    line: int
    kind: str = "para"
    level: int = 0  # heading level, when kind == "heading"
    credit: str = ""  # caption credit, when kind == "caption"


@dataclass(frozen=True)
class Keys:
    """What the collection steps compare of an article, computed once in the worker (``pipeline.index``)."""

    url: str | None  # the article's address as a matching key (text.urls.normalize_url)
    related: str  # digest of what related reading reads (collection.related.related_key)
    listing: str  # digest of what listings and entity pages read (collection.listing.listing_key)
    word_count: int
    web_text: bool  # the body mentions a web address: internal links must read it


@dataclass
class Article:
    id: str
    raw: str  # path of the raw file, relative to the project root, POSIX style
    sha256: str
    format: str  # txt | md | html
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    # Where the date was found: json-ld, meta, time, text, url (the page's), sidecar, front-matter.
    date_source: str | None = None
    updated: str | None = None
    source: str | None = None
    url: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    # Paragraph blocks while cleaning; ``body`` once rendered to Markdown.
    blocks: list[Block] = field(default_factory=list)
    body: str = ""
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Anything else from front matter or the sidecar, passed through verbatim.
    extra: dict[str, Any] = field(default_factory=dict)
    # Filled by later transforms.
    footnotes: list[str] = field(default_factory=list)  # Markdown footnote definitions
    entities: dict[str, int] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    unanchored: list[dict[str, Any]] = field(default_factory=list)
    links_out: list[dict[str, str]] = field(default_factory=list)  # internal links found
    plain: str = ""
    # The cleaned Markdown before annotations and entity links decorate it (article.json publishes it).
    clean_body: str = ""
    # Found while cleaning and read by later steps of the same article; never written out as such.
    title_in_text: bool | None = None  # metadata.detect_header: the text states its title (clean reads it)
    date_label: str | None = None  # a "Published" line whose date is on the next line (header_lines)
    derived_description: str | None = None  # the description clean.describe took from the text (the page says so)
    relative_links: list[tuple[str, int | None]] = field(default_factory=list)  # (target, raw line) for collection.relative_links
    # Set while annotating and linking (pipeline.process).
    annotation_file: str | None = None  # the annotation file as messages name it
    annotation_files: dict[str, str] = field(default_factory=dict)  # note id → its own file, for notes in annotations/<id>/
    annotation_relative_links: list[tuple[str, int, str]] = field(default_factory=list)  # (annotation id, line, target)
    warning_lines: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # sidecar warnings by message: (sidecar, line)
    links_to: list[tuple[str, str]] = field(default_factory=list)  # (article id, passage): the backlinks' candidates
    keys: Keys | None = None  # what the collection steps compare, computed once in the worker
    job_key: str | None = None  # the hash of every input the worker read (build.jobs.run_jobs): stands for the texts
    # Set by the collection steps (collection.enrich, relative_links).
    related: list[dict[str, Any]] = field(default_factory=list)
    previous: dict[str, Any] | None = None
    next: dict[str, Any] | None = None
    referenced_by: list[dict[str, Any]] = field(default_factory=list)
    common_entities: list[str] = field(default_factory=list)
    relative_links_changed: list[tuple[str, str]] = field(default_factory=list)

    # What the worker keeps for the collection steps that is only read when
    # they recompute (cached otherwise): keyword-in-context sentences by
    # entity id (entity pages) and the most frequent content words (related reading).
    kwic: dict[str, str] = field(default_factory=dict)
    terms: dict[str, int] = field(default_factory=dict)

    def remove(self, text: str, reason: str) -> None:
        if text.strip():
            self.removed.append(Removed(text, reason))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def inspect_dict(self) -> dict[str, Any]:
        """The shape `archive-build inspect --json` promises."""
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "date": self.date,
            "date_source": self.date_source,
            "updated": self.updated,
            "source": self.source,
            "url": self.url,
            "description": self.description,
            # The page's Markdown as the writer emits it: footnote definitions follow the body.
            "body": "\n\n".join([self.body.rstrip("\n"), *self.footnotes]) + "\n" if self.footnotes else self.body,
            "removed": [asdict(r) for r in self.removed],
            "warnings": list(self.warnings),
        }
