"""What a saved page states about itself: title, authors, dates, address, site, description."""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from lxml import etree

from archive_build.ingest import html_authors, html_dates
from archive_build.ingest.html_tree import element_text, first, norm
from archive_build.markdown.escape import url_scheme
from archive_build.model import Article

_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Posting|Report|Review|NewsArticle|WebPage|Story)$", re.I)
# Between a headline and a site name: spaced ASCII and typographic marks, and the
# full-width / CJK ones with or without spaces ("見出し｜サイト", "標題_網站").
_TITLE_SEP = re.compile(r"\s+(?:[|•·»–—_]|-{1,2}|::)\s+|\s*[｜：︱│]\s*|(?<=[\u3000-\u9fff\uff00-\uffef])\s*[_\-|]\s*(?=\S)")
# Marks that may close a headline's last segment when nothing says what it is ("Title – My website").
_SITE_MARKS = frozenset("|–—｜︱│_")
# A suffix some sites add to old articles' titles.
_PUBLISHED_SUFFIX = re.compile(r"\s*\((?:Published|Publié|Veröffentlicht)\s+\d{4}\)\s*$", re.I)


def _metas(doc: etree._Element) -> dict[str, str]:
    """Every <meta> content by lower-cased property/name/itemprop key (first occurrence wins)."""
    found: dict[str, str] = {}
    for m in doc.iter("meta"):
        content = m.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            value = m.get(attr)
            if isinstance(value, str):
                for key in value.lower().split():
                    found.setdefault(key, norm(content))
    return found


def _meta_all(doc: etree._Element, name: str) -> list[str]:
    """Every <meta> content stated under ``name`` (a page may list one author per dc.creator tag)."""
    out = []
    for m in doc.iter("meta"):
        content = m.get("content")
        if isinstance(content, str) and content.strip():
            for attr in ("property", "name", "itemprop"):
                value = m.get(attr)
                if isinstance(value, str) and name in value.lower().split():
                    out.append(norm(content))
                    break
    return list(dict.fromkeys(out))


def _meta(metas: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` the page's <meta> tags state."""
    for n in names:
        if n in metas:
            return metas[n]
    return None


_LD_JSON = re.compile("ld\\+json", re.I)
_CDATA = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _json_ld(doc: etree._Element) -> list[dict[str, Any]]:
    """Article-like JSON-LD objects, outermost first."""
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            types = node.get("@type", [])
            types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
            if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types):
                out.append(node)
            walk(node.get("@graph", []))

    for script in doc.iter("script"):
        if not _LD_JSON.search(script.get("type") or ""):
            continue
        walk(_lenient_json(_CDATA.sub("", script.text or "")))
    # Prefer real articles over generic WebPage objects.
    out.sort(key=lambda o: 1 if "WebPage" in str(o.get("@type")) else 0)
    return out


_DECODER = json.JSONDecoder(strict=False)


def _lenient_json(raw: str) -> Any:
    """A JSON-LD block's value; a block with trailing junk (a stray brace, a second object) gives its first value."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return _DECODER.decode(raw)
    except RecursionError:
        return None
    except ValueError:
        pass
    try:
        return _DECODER.raw_decode(raw)[0]
    except (ValueError, RecursionError):
        return None


def _ld_first(objs: Iterable[dict[str, Any]], key: str) -> Any:
    for o in objs:
        v = o.get(key)
        if v:
            return v
    return None


def strip_site_suffix(title: str, site: str | None, h1s: list[str]) -> str:
    """The title without a trailing (or leading) " | Site name" segment."""
    title = _PUBLISHED_SUFFIX.sub("", norm(title))
    seps = list(_TITLE_SEP.finditer(title))
    if not seps:
        return title
    heads = {norm(h).lower() for h in h1s}
    if title.lower() in heads:
        return title
    # A heading on the page that equals the title minus some segments is the title.
    for sep in reversed(seps):
        if title[: sep.start()].lower() in heads:
            return title[: sep.start()]
    for sep in seps:  # "Site | Title": only when the heading is the longer part
        if title[sep.end():].lower() in heads and sep.start() < len(title) - sep.end():
            return title[sep.end():]
    first, last = title[: seps[0].start()], title[seps[-1].end():]
    site_l = (site or "").lower().strip()

    def is_site(part: str) -> bool:
        p = part.lower().strip()
        return bool(site_l) and (p == site_l or (len(site_l) > 3 and len(p) > 3 and (site_l in p or p in site_l)))

    if is_site(last):
        return title[: seps[-1].start()]
    if is_site(first):
        return title[seps[0].end():]
    # No site name to compare with: a short last segment after " | " (or a dash, a full-width bar) is a site name,
    # and so is the one before it ("标题_栏目_网站").
    for _ in range(2):
        seps = list(_TITLE_SEP.finditer(title))
        if not seps or seps[-1].group().strip() not in _SITE_MARKS:
            break
        head, last = title[: seps[-1].start()], title[seps[-1].end():]
        if not (len(last.split()) <= 4 and len(last) <= 30 and len(head) > len(last) and (len(head.split()) >= 3 or len(head) >= 8)):
            break
        title = head
    return title


def read_metadata(article: Article, doc: etree._Element | None) -> None:
    """Fields the page states about itself (meta tags, JSON-LD, <h1>, <time>)."""
    if doc is None:
        return
    ld = _json_ld(doc)
    metas = _metas(doc)
    h1s = [norm(element_text(h, " ")) for h in doc.iter("h1")]
    h1s = [h for h in h1s if h]
    site = _meta(metas, "og:site_name") or _ld_publisher(ld) or _meta(metas, "application-name")
    article.title = _choose_title(doc, metas, ld, site, h1s)
    not_people = [n for n in (site, _ld_publisher(ld), _meta(metas, "application-name"), _meta(metas, "og:site_name")) if n]
    authors = html_authors.ld_authors(_ld_first(ld, "author"), not_people)
    if not authors:
        for key in ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl"):
            values = _meta_all(doc, key)
            authors = [n for v in values if not re.match(r"https?://", v) for n in html_authors.people(v, not_people)]
            if authors:
                break
    if not authors:
        authors = html_authors.byline_elements(doc, not_people)
    if authors:
        article.authors = list(dict.fromkeys(authors))
    url = _page_url(doc, metas)
    found = html_dates.published(doc, _ld_first(ld, "datePublished"), url)
    if found:
        article.date, article.date_source = found.date, found.source.split("+")[0]
        if found.source == "url":
            article.warn("date taken from the page's address only (the page states none): check it")
    date = article.date
    updated = html_dates.iso_day(_meta(metas, "article:modified_time", "og:updated_time", "datemodified")) or html_dates.iso_day(_ld_first(ld, "dateModified"))
    if updated and updated != date:
        article.updated = updated
    if site:
        article.source = site
    if url:
        article.url = url
    desc = _meta(metas, "og:description", "description", "twitter:description")
    if desc:
        article.description = desc


def _headline(doc: etree._Element) -> str | None:
    """The page's visible headline: the first ``<h1>`` outside sidebars and navigation that is not a logo."""
    for h in doc.iter("h1"):
        if html_authors.elsewhere(h) or any(d.tag == "img" or (d.tag == "a" and (d.get("href") or "").strip() in ("/", "")) for d in h.iter()):
            continue
        text = norm(element_text(h, " "))
        if len(text) >= 8 and len(text.split()) >= 2:
            return text
    return None


def _choose_title(doc: etree._Element, metas: dict[str, str], ld: list[dict[str, Any]], site: str | None, h1s: list[str]) -> str | None:
    """The article's title: the social or document title without the site's name, unless the visible headline says otherwise.

    When ``og:title`` differs from the headline by more than a site-name
    segment (a social title written for sharing, a generic site title), the
    headline the page shows its readers wins.
    """
    title = _meta(metas, "og:title", "twitter:title", "dc.title")
    title_tag = first(doc, "title")
    if not title and title_tag is not None:
        title = norm(element_text(title_tag)) or None
    headline = _ld_first(ld, "headline")
    if not title and isinstance(headline, str) and headline.strip():
        title = norm(headline)
    shown = _headline(doc)
    if not title:
        return shown or (h1s[0] if h1s else None)
    stripped = strip_site_suffix(title, site, h1s)
    if shown and _fold_title(stripped) != _fold_title(shown):
        # A headline the page's other titles confirm, not a section or site name in an <h1>.
        doc_title = norm(element_text(title_tag)) if title_tag is not None else ""
        confirmed = _fold_title(doc_title).startswith(_fold_title(shown)) or (isinstance(headline, str) and _fold_title(headline) == _fold_title(shown))
        if confirmed:
            return _PUBLISHED_SUFFIX.sub("", shown)
    return stripped


def _fold_title(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').casefold().split())


def _page_url(doc: etree._Element, metas: dict[str, str]) -> str | None:
    """The page's own http(s) address: its canonical link, else og:url."""
    url = None
    for link in doc.iter("link"):
        if "canonical" in [r.lower() for r in (link.get("rel") or "").split()] and link.get("href") is not None:
            url = link.get("href", "").strip()
            break
    url = url or _meta(metas, "og:url")
    return url if url and url_scheme(url) in ("http", "https") else None


def _ld_publisher(ld: list[dict[str, Any]]) -> str | None:
    pub = _ld_first(ld, "publisher")
    items = pub if isinstance(pub, list) else [pub]
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not re.match(r"https?://", name.strip()):
            return norm(name)
    return None

