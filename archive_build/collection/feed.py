"""An Atom feed of the newest articles (``feed.xml`` at the site root).

Built by the MkDocs hook from the article pages it renders, because only
MkDocs knows each page's final URL (``site_url`` + directory URLs).  The
feed is deterministic: entries sorted by date then id, and the feed's
``updated`` is the newest entry's date, never the build time.  Only the
newest ``FEED_SIZE`` articles are kept, so the file stays small at any
archive size; collecting them is a bounded heap, not a sort of everything.
"""
from __future__ import annotations

import heapq
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from archive_build.control_chars import CONTROL

FEED_SIZE = 50
#: The front matter keys ``FeedEntry.from_meta`` reads.
FEED_META = ("date", "id", "title", "description", "authors", "source", "updated")
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, order=True)
class FeedEntry:
    """One article as the feed shows it; ordered by (date, id) for "newest"."""

    date: str
    id: str
    title: str = field(compare=False)
    url: str = field(compare=False)
    summary: str = field(default="", compare=False)
    authors: tuple[str, ...] = field(default=(), compare=False)
    source: str = field(default="", compare=False)
    updated: str = field(default="", compare=False)

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any], url: str) -> "FeedEntry":
        authors = meta.get("authors") or []
        return cls(
            date=str(meta.get("date") or ""),
            id=str(meta.get("id") or url),
            title=str(meta.get("title") or meta.get("id") or url),
            url=url,
            summary=str(meta.get("description") or ""),
            authors=tuple(str(a) for a in authors),
            source=str(meta.get("source") or ""),
            updated=str(meta.get("updated") or ""),
        )


def newest(entries: Iterable[FeedEntry], n: int = FEED_SIZE) -> list[FeedEntry]:
    """The n newest dated entries (undated ones only if fewer are dated), newest first."""
    dated, undated = [], []
    for e in entries:
        (dated if e.date else undated).append(e)
    top = heapq.nlargest(n, dated)
    if len(top) < n:
        top += sorted(undated, key=lambda e: e.id)[: n - len(top)]
    return top


def _timestamp(date: str) -> str:
    """Atom wants RFC 3339 date-times; articles have dates only."""
    return f"{date[:10]}T00:00:00Z" if len(date) >= 10 else "1970-01-01T00:00:00Z"


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (ElementTree writes them as they are, making the file unreadable).

    Articles lose them in cleaning, where they are recorded (``control_chars``);
    this keeps the feed well-formed whatever else reaches it (the site's name, a page's front matter).
    """
    return CONTROL.sub("", text)


def atom_feed(entries: list[FeedEntry], *, site_name: str, site_url: str, feed_url: str) -> bytes:
    """The Atom document for ``entries`` (already chosen and ordered)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_text(text)
        return el

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", site_name)
    sub(feed, "subtitle", "The newest articles in the archive")
    sub(feed, "id", feed_url or site_url or "urn:archive-build:feed")
    sub(feed, "link", rel="self", href=feed_url)
    sub(feed, "link", rel="alternate", href=site_url)
    newest_date = max((e.updated or e.date for e in entries if e.date), default="")
    sub(feed, "updated", _timestamp(newest_date))
    author = sub(feed, "author")
    sub(author, "name", site_name)
    for e in entries:
        entry = sub(feed, "entry")
        sub(entry, "title", e.title)
        sub(entry, "id", e.url)
        sub(entry, "link", rel="alternate", type="text/html", href=e.url)
        if e.date:
            sub(entry, "published", _timestamp(e.date))
        sub(entry, "updated", _timestamp(e.updated or e.date))
        for name in e.authors or ((e.source,) if e.source else (site_name,)):
            sub(sub(entry, "author"), "name", name)
        if e.source:
            sub(entry, "category", term=e.source, label=e.source)
        if e.summary:
            sub(entry, "summary", e.summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
