"""A saved page's publication date, and where on the page it was found.

htmldate (trafilatura's own date finder, well kept and benchmarked) knows
where real pages put their dates: meta tags of every vocabulary (Open Graph,
Dublin Core, Parsely, Sailthru, itemprop), ``<abbr>`` and ``<time>``
elements, elements whose class says "date", the free text, the URL.  Its
``find_date`` runs those searches as one cascade and says only *which* date;
this module runs the same steps one at a time so that each date comes with
its source (``json-ld``, ``meta``, ``time``, ``text``, ``url``), which the
page shows under "About this text".  The order puts the most explicit
statements first, the address and guesses last:

1. JSON-LD ``datePublished`` of the article object (``@graph`` included),
   then htmldate's pattern search over the JSON-LD text (a block with a
   stray brace still states its date);
2. meta tags (htmldate's ``examine_header``), microdata (``itemprop=
   "datePublished"`` on any element) and ``data-published``-style attributes;
3. ``<time>`` and ``<abbr>`` elements;
4. a date line near the headline;
5. the URL path (``/2023/11/08/``), with a warning: the page states no date;
6. htmldate's extensive search of the whole page's text, a guess (a
   "1 January" it makes of a copyright year is refused).

Every date is the calendar day *as written*: ``2023-11-08T22:35:29-08:00``
is 8 November, the day the page's readers saw, never shifted to UTC.
htmldate's latest acceptable date is fixed (not "today") so the same page
gives the same date on any day it is built.
"""
from __future__ import annotations

import functools
import re
from copy import deepcopy
from datetime import date, datetime
from typing import Any, NamedTuple

from lxml import etree

from archive_build.text.dates import date_line, iso_from_any, parse_date

#: htmldate rejects dates after this one; fixed so a build does not depend on the day it runs.
LATEST = datetime(2100, 1, 1)
EARLIEST = datetime(1995, 1, 1)


class PageDate(NamedTuple):
    date: str
    source: str  # json-ld | meta | time | text | url | url+page (the address's day, a page date one day off)


@functools.lru_cache(maxsize=2)
def _options(original: bool, extensive: bool) -> Any:
    from htmldate.utils import Extractor

    return Extractor(extensive, LATEST, EARLIEST, original, "%Y-%m-%d")


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_ISO_BASIC = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:T\d{2}|\s*$)")


def iso_day(value: Any) -> str | None:
    """The calendar day a machine-readable date states, as written (no time-zone shift).

    Extended (``2023-11-08T22:35:29-08:00``) and basic (``20180619T055000+0900``)
    ISO 8601, else whatever ``parse_date`` reads.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    m = _ISO_DAY.match(value) or _ISO_BASIC.match(value)
    if m:
        return iso_from_any("-".join(m.group(1, 2, 3)))
    return parse_date(value.strip()[:80])


_PUBLISHED_ATTRS = ("data-published", "data-publish-date", "data-published-date", "data-date-published", "data-pubdate", "data-publication-date", "data-published-at")
_MICRODATA_VALUE = ("content", "datetime", "title")


def _microdata(doc: etree._Element) -> str | None:
    """``itemprop="datePublished"`` on any element (``<time>``, ``<abbr title>``, ``<p content>``), or a ``data-published`` attribute."""
    for el in doc.iter(etree.Element):
        attrib = el.attrib
        if not attrib:
            continue
        if attrib.get("itemprop", "").strip().lower() in ("datepublished", "datecreated"):
            for key in _MICRODATA_VALUE:
                day = iso_day(attrib.get(key))
                if day:
                    return day
            day = iso_day(" ".join("".join(el.itertext()).split()))
            if day:
                return day
        for key in _PUBLISHED_ATTRS:
            if key in attrib:
                day = iso_day(attrib[key])
                if day:
                    return day
    return None


_DATELINE_MAX = 80


def _dateline_near_headline(doc: etree._Element) -> str | None:
    """A short line stating a date with its year ("Published 11:11 PM EST Nov 19, 2019") among the first lines after the first ``<h1>``."""
    h1 = next(doc.iter("h1"), None)
    if h1 is None:
        return None
    for text in h1.xpath("following::text()[normalize-space()][position() <= 12]"):
        parent = text.getparent()
        if parent is None or parent.tag in ("script", "style", "noscript", "template"):
            continue
        line = " ".join(str(text).split())
        if len(line) <= _DATELINE_MAX:
            label, day = date_line(line)
            if day and not day.startswith("--") and label not in _UPDATED_LABELS:
                return day
    return None


_UPDATED_LABELS = ("updated", "last updated", "modified")


def _time_text(doc: etree._Element) -> str | None:
    """The day the first ``<time>`` element shows in its text (what a reader saw, whatever its ``datetime``)."""
    for el in doc.iter("time"):
        line = " ".join("".join(el.itertext()).split())
        if 6 < len(line) <= _DATELINE_MAX:
            label, day = date_line(line)
            if day and not day.startswith("--") and label not in _UPDATED_LABELS:
                return day
    return None


def _visible_day(doc: etree._Element) -> str | None:
    return _dateline_near_headline(doc) or _time_text(doc)


def _one_day_apart(a: str, b: str) -> bool:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) == 1


def _htmldate(step: str, doc: etree._Element, original: bool = True) -> str | None:
    """One step of htmldate's cascade; None when it finds nothing or fails on the page."""
    from htmldate import core, extractors

    # Extensive: htmldate's slower parser also reads what its fast one does not
    # ("2015-03-17T16:27:40.294Z" in a meta tag), in every step, as find_date does by default.
    opts = _options(original, True)
    try:
        if step == "json":
            return extractors.json_search(doc, opts)
        if step == "meta":
            return core.examine_header(doc, opts)
        if step == "time":
            return core.examine_time_elements(doc, opts) or core.examine_abbr_elements(doc, opts)
        if step == "text":
            # The whole cascade, without the URL: every earlier step has found nothing,
            # so what it finds comes from the page's elements and text.  The page's
            # own address (canonical link, og:url) is left out: a date there is "url".
            tree = deepcopy(doc)
            for el in tree.xpath("//link|//meta"):
                el.getparent().remove(el)
            return core.find_date(tree, extensive_search=True, original_date=original, url="", min_date=EARLIEST, max_date=LATEST)
    except (ValueError, TypeError, AttributeError, RecursionError, etree.LxmlError):
        return None
    return None


def url_date(url: str | None) -> str | None:
    """A full date in a URL's path (``/2023/11/08/``), by htmldate's URL rules."""
    if not url:
        return None
    from htmldate import extractors

    try:
        return extractors.extract_url_date(url, _options(True, True))
    except (ValueError, TypeError):
        return None


def _valid(day: str | None) -> str | None:
    return iso_from_any(day) if day else None


# The publication-date metas of the usual vocabularies, read first with ``iso_day`` (htmldate's
# header step refuses some real timestamps, "2015-03-17T16:27:40.294Z", and finds them later
# only by scanning the page's markup, which cannot say where a date was).
_PUBLISHED_METAS = (
    "article:published_time", "og:published_time", "datepublished", "article:published", "parsely-pub-date",
    "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created", "dcterms.date", "citation_publication_date",
    "publishdate", "publish-date", "pubdate", "date",
)


def _published_meta(doc: etree._Element) -> str | None:
    found: dict[str, str] = {}
    for m in doc.iter("meta"):
        content = m.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            for key in (m.get(attr) or "").lower().split():
                found.setdefault(key, content)
    for key in _PUBLISHED_METAS:
        day = iso_day(found.get(key))
        if day:
            return day
    return None


def _published_time(doc: etree._Element) -> str | None:
    """A ``<time>`` that says it is the publication time (``pubdate``, a "published" class, itemprop), before any other:
    a blog page lists its other posts' times too."""
    for el in doc.iter("time"):
        marks = " ".join((el.get("class") or "", el.get("itemprop") or "")).lower()
        if "pubdate" in el.attrib or "publish" in marks or "datepublished" in marks:
            day = iso_day(el.get("datetime")) or iso_day(" ".join("".join(el.itertext()).split()))
            if day:
                return day
    return None


def _not_a_year_alone(doc: etree._Element, day: str | None) -> str | None:
    """htmldate's guess, unless it is 1 January of a year the page never writes as a full date
    (a copyright year, "©1998–2015", read as a day)."""
    if not day or not day.endswith("-01-01"):
        return day
    year = day[:4]
    text = " ".join(doc.itertext())
    full = re.compile(
        rf"{year}-01-01|0?1/0?1/{year}|{year}/01/01|\bjan(?:uary|\.)?\s+0?1(?:st)?,?\s+{year}|\b0?1(?:st)?\.?\s+jan(?:uary|uar|vier|\.)?,?\s+{year}",
        re.I,
    )
    return day if full.search(text) else None


def published(doc: etree._Element, ld_published: Any, url: str | None) -> PageDate | None:
    """The page's publication date and its source, most explicit statement first.

    A machine-readable date is often in UTC while the page shows its readers
    the local day: when the day shown near the headline (or in a ``<time>``
    element's text) is one day off the stated one, the day shown wins; when
    the page shows none, a date in its address one day off the stated one
    (the newsroom's local day) wins.
    """
    steps = (
        ("json-ld", lambda: iso_day(ld_published)),
        ("json-ld", lambda: _htmldate("json", doc)),
        ("meta", lambda: _published_meta(doc)),
        ("meta", lambda: _htmldate("meta", doc)),
        ("meta", lambda: _microdata(doc)),
        ("time", lambda: _published_time(doc)),
        ("time", lambda: _htmldate("time", doc)),
        ("text", lambda: _dateline_near_headline(doc)),
        ("url", lambda: url_date(url)),
        ("text", lambda: _not_a_year_alone(doc, _htmldate("text", doc))),
    )
    for source, find in steps:
        day = _valid(find())
        if not day:
            continue
        if source in ("json-ld", "meta", "time"):
            shown = _visible_day(doc)
            if shown and _one_day_apart(shown, day):
                return PageDate(shown, "text")
            in_url = None if shown else _valid(url_date(url))
            if in_url and _one_day_apart(in_url, day):
                return PageDate(in_url, "url+page")
        return PageDate(day, source)
    return None
