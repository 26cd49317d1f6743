"""The reading side of the site, applied by the MkDocs hook (``site_hooks.py``).

What it adds to pages after the HTML sanitiser has run (so its own markup is
trusted, and every value it inserts from front matter is escaped here):

* paragraph permalinks: each paragraph of an article gets a deterministic id
  (``p-1``, ``p-2`` … in document order) and a hover anchor, so a reader can
  cite or share one passage;
* Jinja filters for the templates (dates, citations, safe links).
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, urlencode, urlsplit

from . import cite
from .collection.listing import human_date

_P_OPEN = re.compile(r"<p(?=[\s>])([^>]*)>")
_ID_ATTR = re.compile(r"""\sid=["']([^"']+)["']""")
FOOTNOTES_OPEN = '<div class="footnote">'


def is_article(meta: Mapping[str, Any] | None) -> bool:
    """Article pages are the generated ones with a raw-file hash in front matter."""
    return bool(meta and meta.get("sha256"))


# --------------------------------------------------------------- permalinks


def add_paragraph_anchors(content: str) -> str:
    """Give every body paragraph an id and a hover permalink.

    Ids count paragraphs in document order, so they are the same on every
    build of the same text.  Footnote paragraphs are left alone (footnotes
    have their own ids); an id already used on the page is skipped rather
    than duplicated.  The anchor is excluded from the search index.
    """
    body, sep, notes = content.partition(FOOTNOTES_OPEN)
    taken = set(_ID_ATTR.findall(content))
    counter = 0

    def number(m: re.Match[str]) -> str:
        nonlocal counter
        if _ID_ATTR.search(m.group(0)):
            return m.group(0)
        counter += 1
        pid = f"p-{counter}"
        while pid in taken:
            pid += "-"
        taken.add(pid)
        return (
            f'<p id="{pid}"{m.group(1)}><a class="ab-pilcrow" href="#{pid}" '
            f'aria-label="Link to paragraph {counter}" data-pagefind-ignore>¶</a>'
        )

    body = _P_OPEN.sub(number, body)
    if sep:
        notes = sep.replace('class="footnote"', 'class="footnote" id="ab-notes"', 1) + notes
    return body + notes


# ------------------------------------------------------------ link previews

# A link to another page of the site: not a fragment, not a URL with a scheme.
_SITE_LINK = re.compile(r'<a\b(?![^>]*\sdata-preview)([^>]*\shref="(?!#|[a-zA-Z][a-zA-Z0-9+.\-]*:|//)[^"]*")')


def add_link_previews(content: str) -> str:
    """Mark links to other pages of the site for Material's hover previews.

    Previews are opted into per link (``data-preview``) rather than with
    the site-wide ``navigation.instant.preview`` feature, which would also
    preview every footnote reference and show two tooltips over each
    annotation.  Links within the page (``#…``) and to other sites are left alone.
    """
    return _SITE_LINK.sub(r"<a data-preview\1", content)


# ------------------------------------------------------------ entity names


def load_entity_names(path: Path) -> dict[str, list[str]]:
    """Entity id → [name, *aliases] from the gazetteer; {} if missing or broken.

    A broken gazetteer is reported by ``archive-build check``/``build``; the
    site then simply builds without alias search rather than failing twice.
    """
    from .errors import InputError
    from .safe_yaml import load_file

    if not path.is_file():
        return {}
    try:
        data = load_file(path)
    except (InputError, OSError, ValueError):
        return {}
    if isinstance(data, Mapping):
        data = data.get("entities", [])
    names: dict[str, list[str]] = {}
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, Mapping) or not entry.get("id"):
            continue
        aliases = entry.get("aliases") or []
        found = [str(entry.get("name") or "")] + [str(a) for a in aliases if isinstance(a, (str, int))]
        names[str(entry["id"])] = [n for n in dict.fromkeys(found) if n.strip()]
    return names


def display_date(value: Any) -> str:
    """"30 May 2023" as in the site's lists; the value as written if not a full ISO date."""
    if not value:
        return "Date unknown"
    try:
        return human_date(str(value))
    except (ValueError, IndexError):
        return str(value)


# ------------------------------------------------------------ template filters


def http_url(url: Any) -> str:
    """The URL if it is an absolute http(s) address, else "" (no javascript:, data: …)."""
    text = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(str(url or "")))
    try:
        parts = urlsplit(text)
    except ValueError:  # "Invalid IPv6 URL" and the like: not an address to link to
        return ""
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def annotate_url(meta: Mapping[str, Any], repo_url: str | None, edit_uri: str | None) -> str:
    """Where "Annotate this article" leads: the article's annotation file on the repository host.

    An article with annotations has a file to edit (``edit_uri``); one
    without gets GitHub's "new file" form, named and pre-filled with a stub.
    """
    if not repo_url or not meta.get("id"):
        return ""
    article_id = str(meta["id"])
    base = repo_url.rstrip("/") + "/"
    edit = (edit_uri or "edit/main/").strip("/")
    if meta.get("annotation_count") or not edit.startswith("edit/"):
        return base + edit + "/annotations/" + quote(article_id) + ".yml"
    stub = f"article: {article_id}\nannotations:\n  - id: my-note\n    quote: \"exact words from the article\"\n    kind: note\n    author: \"@you\"\n    created: YYYY-MM-DD\n    body: |\n      Your note.\n"
    return base + "new/" + edit[len("edit/"):] + "/annotations?" + urlencode({"filename": f"{article_id}.yml", "value": stub})


def jinja_filters() -> dict[str, Any]:
    """Filters the overrides use (``ab_date``, ``ab_http_url``, ``ab_chicago`` …)."""
    return {
        "ab_date": display_date,
        "ab_http_url": http_url,
        "ab_chicago": lambda meta, url: cite.chicago(meta, url),
        "ab_bibtex": lambda meta, url, site_name="": cite.bibtex(meta, url, site_name),
        "ab_annotate_url": lambda meta, config: annotate_url(meta, config.get("repo_url"), config.get("edit_uri")),
    }
