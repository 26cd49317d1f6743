"""The one data model every stage shares.

Readers produce an ``Article``; transforms are plain functions that take and
return one; the writer turns it into Markdown with front matter.  Keeping a
single mutable-by-replacement record (rather than per-stage types) is what
lets a newcomer add a transform without touching the others.
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Any, Callable


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


@dataclass
class Article:
    id: str
    raw: str  # path of the raw file, relative to the project root, POSIX style
    sha256: str
    format: str  # txt | md | html
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
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
    # Internal state passed between transforms; never written out.
    flags: dict[str, Any] = field(default_factory=dict)  # plain text of the body, as annotations count in it

    def __getattr__(self, name: str) -> Any:
        # Only reached when an attribute is missing: a heavy field of an article
        # loaded from the cache without its text (cache.ArticleStore).  Loads the
        # text on first use, so a rebuild reads only the texts it needs.
        if name in HEAVY_FIELDS and self._load_texts():
            return self.__dict__[name]
        raise AttributeError(name)

    def _load_texts(self) -> bool:
        """Fill in the heavy fields not set yet from the loader, once; False if there is none."""
        loader = self.__dict__.pop("_load_heavy", None)
        if loader is None:
            return False
        for key, value in loader().items():
            self.__dict__.setdefault(key, value)  # a field already assigned keeps its new value
        return True

    def __getstate__(self) -> dict[str, Any]:
        """The whole article, heavy fields loaded, without the loader (which cannot be pickled)."""
        self._load_texts()
        return self.__dict__

    def without_texts(self, load_texts: Callable[[], dict[str, Any]] | None = None) -> "Article":
        """A shallow copy without the heavy fields (its own ``flags``), loading them from ``load_texts`` when read."""
        card = object.__new__(type(self))
        card.__dict__.update((k, v) for k, v in self.__dict__.items() if k not in HEAVY_FIELDS and k != "_load_heavy")
        card.__dict__["flags"] = dict(self.flags)
        if load_texts is not None:
            card.__dict__["_load_heavy"] = load_texts
        return card

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
            "updated": self.updated,
            "source": self.source,
            "url": self.url,
            "description": self.description,
            # The page's Markdown as the writer emits it: footnote definitions follow the body.
            "body": "\n\n".join([self.body.rstrip("\n"), *self.footnotes]) + "\n" if self.footnotes else self.body,
            "removed": [asdict(r) for r in self.removed],
            "warnings": list(self.warnings),
        }


# The article's texts: most of its size, and needed only to write its own page
# and data.  Everything the collection steps read is in the other fields.
HEAVY_FIELDS = ("body", "plain", "clean_body", "removed")
# Without class-level defaults a missing heavy field reaches ``__getattr__``
# (the dataclass ``__init__`` keeps its own copy of the defaults).
for _name in HEAVY_FIELDS:
    if _name in Article.__dict__:
        delattr(Article, _name)
