"""The site rendered in shards: each ``mkdocs build`` renders a slice of the article pages.

``archive-build site -j N`` (and ``--shard K/N`` in CI) runs N real
``mkdocs build`` processes with ``ARCHIVE_BUILD_SHARD=K/N``.  Every shard
reads every page's front matter and knows every file, so links, tags,
navigation and titles are the same as in one build; but the article
and entity pages outside its slice get no Markdown to convert (the
render's main cost) and are not written; each shard also unpacks every
N-th open-data pack.  Shard 1 also renders everything else once: the
hand-written and collection pages, the theme's assets, the sitemap, the
404 page and the feed (so it takes a smaller slice).  What the search needs from the
pages each shard rendered (the notes, the vocabulary's counts) is left in
``ARCHIVE_BUILD_SHARD_STATE`` for ``site_merge``, which puts the trees
together and indexes the whole site once.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from mkdocs.structure.files import InclusionLevel

ENV = "ARCHIVE_BUILD_SHARD"
STATE_ENV = "ARCHIVE_BUILD_SHARD_STATE"
#: The folders of docs/ whose pages are split between the shards (their index pages are collection pages).
SPLIT_FOLDERS = ("articles/", "entities/")
#: Shard 1's share of the split pages, against 1 for every other shard: it also renders the rest.
FIRST_SHARD_WEIGHT = 0.85


@dataclass(frozen=True)
class Shard:
    """Shard ``k`` of ``n`` (1-based)."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """``"K/N"`` with 1 <= K <= N; ValueError otherwise."""
        k, sep, n = text.partition("/")
        if not sep or not k.strip().isdigit() or not n.strip().isdigit():
            raise ValueError(f"a shard is K/N, e.g. 1/4, not {text!r}")
        shard = cls(int(k), int(n))
        if not 1 <= shard.k <= shard.n:
            raise ValueError(f"shard {text}: K must be between 1 and N")
        return shard

    @property
    def renders_collection(self) -> bool:
        """Shard 1 renders everything that is not an article page."""
        return self.k == 1

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def from_environment() -> Shard | None:
    value = os.environ.get(ENV)
    return Shard.parse(value) if value else None


def is_split_file(src_uri: str) -> bool:
    """An article or entity page: one of the many pages the shards divide between them."""
    return src_uri.startswith(SPLIT_FOLDERS) and src_uri.endswith(".md") and not src_uri.endswith("/index.md")


def render_nothing(page: Any) -> None:
    """Give ``page`` what rendering no Markdown gives it, without making a Markdown converter for it.

    MkDocs makes a converter with every extension for each page it renders:
    most of the cost of a page whose Markdown is empty.  The values are
    those ``Page.render`` sets from an empty text.
    """
    from mkdocs.structure.toc import get_toc

    def render(config: Any, files: Any) -> None:
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    page.render = render


def slice_bounds(count: int, shard: Shard) -> tuple[int, int]:
    """Shard ``shard``'s contiguous slice of ``count`` split pages; shard 1 takes a smaller one."""
    if shard.n == 1:
        return 0, count
    total = FIRST_SHARD_WEIGHT + (shard.n - 1)

    def edge(k: int) -> int:  # pages before shard k+1
        return 0 if k == 0 else round(count * (FIRST_SHARD_WEIGHT + (k - 1)) / total)

    return edge(shard.k - 1), edge(shard.k)


class ShardFilter:
    """Which pages and files this shard renders and writes."""

    def __init__(self, shard: Shard) -> None:
        self.shard = shard
        self.mine: set[str] = set()
        self.articles: set[str] = set()

    def choose(self, files: Any) -> None:
        """This shard's slice of the article and entity pages: a contiguous run of them in path order."""
        split = sorted(f.src_uri for f in files.documentation_pages() if is_split_file(f.src_uri))
        self.articles = set(split)
        start, end = slice_bounds(len(split), self.shard)
        self.mine = set(split[start:end])

    @property
    def renders_collection(self) -> bool:
        """Whether this shard also renders the collection pages, assets, sitemap and feed (shard 1)."""
        return self.shard.renders_collection

    def packs(self, names: list[str]) -> list[str]:
        """This shard's share of the open-data packs (every N-th, from its own): each shard unpacks some."""
        return sorted(names)[self.shard.k - 1 :: self.shard.n]

    def skips(self, page: Any) -> bool:
        """A page another shard writes: its Markdown is not converted.

        Other pages read only its front matter (its title, its tags) and its
        address; navigation titles are set in mkdocs.yml, and only pages
        this shard does not write would check links into its headings.
        """
        src = page.file.src_uri
        if src in self.articles:
            return src not in self.mine
        return not self.shard.renders_collection

    def configure(self, config: Any) -> None:
        """Only shard 1 renders the theme's own pages (sitemap, 404)."""
        if not self.shard.renders_collection:
            config["theme"].static_templates.clear()

    def exclude_others(self, files: Any, *, assets: bool) -> None:
        """Leave out of the writing what other shards write: their article pages (and, with ``assets``, every non-article file)."""
        for f in files:
            if f.is_documentation_page():
                if (f.src_uri in self.articles and f.src_uri not in self.mine) or (assets and f.src_uri not in self.articles):
                    f.inclusion = InclusionLevel.EXCLUDED
            elif assets:
                f.inclusion = InclusionLevel.EXCLUDED
