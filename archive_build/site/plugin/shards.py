"""The site rendered in shards: each ``mkdocs build`` renders a slice of the generated pages.

``archive-build site -j N`` (and ``--shard K/N`` in CI) runs real ``mkdocs
build`` processes with ``ARCHIVE_BUILD_SHARD=K/N``: at least N shards, and
more when the archive is large, so that no shard converts more than
``max_shard_bytes()`` of Markdown (a shard holds every page it converts until
it writes them: its memory follows its slice, not the archive); ``-j N`` runs
at most N of them at once.  The split pages are the generated ones: the
articles, the entity pages and the collection pages (the timeline, the
sources...), but for the tags listing.  Slices are cut by bytes, not pages:
an entity or collection page grows with the archive (it lists every
article naming the entity, or every article), an article does not.  Every
shard knows every file, so links, navigation and titles are the same as in
one build; the split pages outside its slice are not read at all
(``ShardFilter.choose``), and are not written; each shard also unpacks
every n-th open-data pack.  Shard 1 also renders everything else once: the
hand-written pages, the tags listing, the theme's assets, the sitemap, the
404 page, the feed and the tags plugin's export (so it takes a smaller
slice).  Those list every page, so shard 1 reads every page's front matter,
and keeps of the pages outside its slice only what the listings read
(``keep_listed_meta``).  What the search needs from the pages each shard
rendered (the notes, the vocabulary's counts) is left in
``ARCHIVE_BUILD_SHARD_STATE`` for ``site_merge``, which puts the trees
together and indexes the whole site once.
"""
from __future__ import annotations

import bisect
import itertools
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from mkdocs.structure.files import InclusionLevel

from archive_build.collection.feed import FEED_META
from archive_build.site.plugin.incremental import LISTING
from archive_build.site.plugin.sanitise import GENERATED_PAGES
from archive_build.site.reading import ARTICLE_META

ENV = "ARCHIVE_BUILD_SHARD"
STATE_ENV = "ARCHIVE_BUILD_SHARD_STATE"
#: The folders of docs/ whose pages are split between the shards: the generated ones (``sanitise.GENERATED_PAGES``).
SPLIT_FOLDERS = GENERATED_PAGES
#: Shard 1's share of the split pages, against 1 for every other shard: it also renders the rest.
FIRST_SHARD_WEIGHT = 0.85
#: The most Markdown one shard converts (about 2,700 generated articles): a shard then peaks
#: at about 300 MB, whatever the archive's size.
MAX_SHARD_BYTES = 32 << 20
#: Overrides ``MAX_SHARD_BYTES`` (tests split a small archive into many shards with it).
MAX_BYTES_ENV = "ARCHIVE_BUILD_SHARD_BYTES"
#: What the pages listing a split page read of its front matter: its title and tags (the tags
#: listing), whether it is an article, and its feed entry.  Shard 1 drops the rest for the pages it does not render.
LISTED_META = frozenset({"title", "tags", ARTICLE_META, *FEED_META})


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
        """Shard 1 renders everything that is not a split page."""
        return self.k == 1

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def from_environment() -> Shard | None:
    value = os.environ.get(ENV)
    return Shard.parse(value) if value else None


def is_split_file(src_uri: str) -> bool:
    """A generated page: one of the pages the shards divide between them (unless it holds a tags listing)."""
    return src_uri.startswith(SPLIT_FOLDERS) and src_uri.endswith(".md")


def holds_tags_listing(src_uri: str, path: str) -> bool:
    """A collection page listing the tags of every page, which only a build that reads every page can render.

    Article and entity pages are contributed text, in which a listing directive
    is escaped; the few collection pages are read to know.
    """
    if src_uri.startswith(("articles/", "entities/")) and not src_uri.endswith("/index.md"):
        return False
    with open(path, "rb") as f:
        return LISTING.search(f.read()) is not None


def max_shard_bytes(env: Mapping[str, str] = os.environ) -> int:
    """The most Markdown one shard converts, in bytes (``MAX_BYTES_ENV``, else ``MAX_SHARD_BYTES``)."""
    value = env.get(MAX_BYTES_ENV, "")
    return max(1, int(value)) if value.strip().isdigit() else MAX_SHARD_BYTES


def split_bytes(docs_dir: Path) -> int:
    """The bytes of the split pages' Markdown under ``docs_dir`` (without asking MkDocs, which would read its configuration first)."""
    total = 0
    for folder in SPLIT_FOLDERS:
        for parent, dirs, names in os.walk(docs_dir / folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel = Path(parent).relative_to(docs_dir).as_posix() + "/"
            total += sum(os.path.getsize(os.path.join(parent, name)) for name in names if is_split_file(rel + name))
    return total


def shard_count(total_bytes: int, jobs: int, most: int) -> int:
    """How many shards render split pages of ``total_bytes``: ``jobs``, or more when one would convert over ``most`` bytes.

    The first shard's slice is ``FIRST_SHARD_WEIGHT`` of the others', so the
    others' slices weigh ``total_bytes / (n - 1 + FIRST_SHARD_WEIGHT)``.
    """
    return max(1, jobs, math.ceil(total_bytes / most - FIRST_SHARD_WEIGHT + 1))


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


def keep_listed_meta(page: Any) -> None:
    """Drop from a split page that this build does not render the front matter no other page reads (``LISTED_META``).

    Its related reading, annotations, entities and removed text weigh most of
    its front matter, and shard 1 keeps every page until the end of the build.
    """
    if is_split_file(page.file.src_uri):
        page.meta = {key: value for key, value in page.meta.items() if key in LISTED_META}


class QuietExcludedLinks(logging.Filter):
    """MkDocs' note for each link to a page outside the build: in a shard, every link to another shard's pages."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno <= logging.INFO and "which is excluded from the built site" in record.getMessage())


def slice_bounds(sizes: Sequence[int], shard: Shard) -> tuple[int, int]:
    """Shard ``shard``'s contiguous slice of the split pages whose files weigh ``sizes`` (in path order).

    Every shard's slice weighs about the same, shard 1's ``FIRST_SHARD_WEIGHT``
    of that (each page counts one byte more than its file: empty pages are pages too).
    """
    count = len(sizes)
    if shard.n == 1:
        return 0, count
    ends = list(itertools.accumulate(size + 1 for size in sizes))
    total, shares = (ends[-1] if ends else 0), FIRST_SHARD_WEIGHT + (shard.n - 1)

    def edge(k: int) -> int:  # pages before shard k+1: those ending nearer the start than its share's edge
        if k == shard.n:
            return count
        return 0 if k == 0 else bisect.bisect_right(ends, total * (FIRST_SHARD_WEIGHT + (k - 1)) / shares)

    return edge(shard.k - 1), edge(shard.k)


class ShardFilter:
    """Which pages and files this shard renders and writes."""

    def __init__(self, shard: Shard) -> None:
        self.shard = shard
        self.mine: set[str] = set()
        self.split: set[str] = set()

    def choose(self, files: Any) -> None:
        """This shard's slice of the split pages: a contiguous run of them in path order.

        Every shard but the first leaves the other split pages out of the build
        from the start: MkDocs then neither reads them nor makes pages of them,
        and still links to them (``QuietExcludedLinks``); their files are known.
        """
        split = sorted(
            (f.src_uri, f.abs_src_path) for f in files.documentation_pages()
            if is_split_file(f.src_uri) and not holds_tags_listing(f.src_uri, f.abs_src_path)
        )
        self.split = {src for src, _ in split}
        start, end = slice_bounds([os.path.getsize(path) for _, path in split], self.shard)
        self.mine = {src for src, _ in split[start:end]}
        if not self.shard.renders_collection:
            for f in files.documentation_pages():
                if f.src_uri in self.split and f.src_uri not in self.mine:
                    f.inclusion = InclusionLevel.EXCLUDED
            logging.getLogger("mkdocs.structure.pages").addFilter(QuietExcludedLinks())

    @property
    def renders_collection(self) -> bool:
        """Whether this shard also renders the hand-written pages, the tags listing, assets, sitemap and feed (shard 1)."""
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
        if src in self.split:
            return src not in self.mine
        return not self.shard.renders_collection

    def configure(self, config: Any) -> None:
        """Only shard 1 renders the theme's own pages (sitemap, 404) and exports the tags (it alone knows every page's)."""
        if not self.shard.renders_collection:
            config["theme"].static_templates.clear()
            tags = config["plugins"].get("material/tags")
            if tags is not None:
                tags.config.export = False

    def exclude_others(self, files: Any, *, assets: bool) -> None:
        """Leave out of the writing what other shards write: their split pages (and, with ``assets``, every other file)."""
        for f in files:
            if f.is_documentation_page():
                if (f.src_uri in self.split and f.src_uri not in self.mine) or (assets and f.src_uri not in self.split):
                    f.inclusion = InclusionLevel.EXCLUDED
            elif assets:
                f.inclusion = InclusionLevel.EXCLUDED
