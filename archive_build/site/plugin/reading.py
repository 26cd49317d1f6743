"""Reading features on the pages, the theme's Jinja filters, and the Atom feed.

The work is in ``archive_build/site/reading.py`` and ``collection/feed.py``;
``Reading`` holds what they need across a build's events: the gazetteer's
names and kinds (for the filters) and the feed's entries, gathered page by
page and written after the build.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from archive_build.collection import feed
from archive_build.site import reading


class Reading:
    """The reading side of one MkDocs build (``mkdocs serve`` reuses it for each rebuild)."""

    def __init__(self) -> None:
        self.dirty = False
        self.names: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}
        self.feed: list[feed.FeedEntry] = []

    def configure(self, gazetteer: Path) -> None:
        """A build starts: the gazetteer as it is now, no feed entries yet."""
        self.names = reading.load_entity_names(gazetteer)
        self.kinds = reading.load_entity_kinds(gazetteer)
        self.feed = []

    def add_filters(self, env: Any, jinja_cache: Path) -> Any:
        """The theme's filters, and a cache of its compiled templates.

        MkDocs makes a new Jinja environment for every build, which compiles
        the theme's templates again: 0.4-0.6 s of every ``make serve`` rebuild.
        The compiled templates are kept by source checksum (and Jinja's version).
        """
        import jinja2

        env.filters.update(reading.jinja_filters())
        # Filters that read the gazetteer loaded for this build (configure).
        env.filters["ab_in_article"] = lambda entities: reading.in_this_article(entities, self.names, self.kinds)
        env.filters["ab_share_name"] = lambda feature: reading.share_name(feature, self.names)
        jinja_cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(jinja_cache))
        return env

    @staticmethod
    def page_content(html: str, page: Any) -> str:
        """Link previews on every page; paragraph anchors, figure captions and numbered outside links on articles."""
        html = reading.add_link_previews(html)
        if not reading.is_article(page.meta):
            return html
        html = reading.add_paragraph_anchors(html)
        return reading.number_outside_links(reading.caption_figures(html))

    def page_context(self, page: Any) -> None:
        """An article's entry in the feed."""
        if reading.is_article(page.meta):
            self.feed.append(feed.FeedEntry.from_meta(page.meta, page.canonical_url or page.abs_url or page.url))

    def gather_feed(self, files: Any) -> None:
        """Every article's feed entry from its front matter, in the order one build renders them (a shard renders only some)."""
        for f in files.documentation_pages():
            if f.page is not None and reading.is_article(f.page.meta):
                self.page_context(f.page)

    def write_feed(self, config: Any) -> None:
        """``feed.xml``: the newest articles.  A dirty ``mkdocs serve`` rebuild (only some pages ran) keeps the old one."""
        if self.dirty and len(self.feed) < 2:
            return
        site_url = config.get("site_url") or ""
        data = feed.atom_feed(
            feed.newest(self.feed),
            site_name=config["site_name"],
            site_url=site_url,
            feed_url=site_url.rstrip("/") + "/feed.xml" if site_url else "feed.xml",
        )
        out = Path(config["site_dir"]) / "feed.xml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
