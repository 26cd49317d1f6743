"""The reading side of the site, applied by the MkDocs plugin (``site/plugin/reading.py``).

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

from archive_build import cite
from archive_build.collection.listing import human_date

_P_OPEN = re.compile(r"<p(?=[\s>])([^>]*)>")
_ID_ATTR = re.compile(r"""\sid=["']([^"']+)["']""")
FOOTNOTES_OPEN = '<div class="footnote">'


#: The front matter key only article pages have: their raw file's hash.
ARTICLE_META = "sha256"


def is_article(meta: Mapping[str, Any] | None) -> bool:
    """Article pages are the generated ones with a raw-file hash in front matter."""
    return bool(meta and meta.get(ARTICLE_META))


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
    return body + (split_notes(sep + notes) if sep else "")


# ------------------------------------------------------------ captions without their photo

_CAPTION = re.compile(r'<p((?: id="[^"]*")?) class="caption">((?:(?!</p>).)*)</p>', re.S)


def caption_figures(content: str) -> str:
    """A photo caption as a figure that says its photo was not archived.

    The site keeps no images (a copy-paste has none, and the sanitiser's
    allowlist has no ``img``), so a caption on its own would read as an
    orphan line of the text; as a figure it says what was there.
    """
    if 'class="caption"' not in content:
        return content
    return _CAPTION.sub(
        r'<figure\1 class="ab-figure ab-figure--missing"><div class="ab-figure__missing">Photo not archived</div>'
        r'<figcaption class="caption">\2</figcaption></figure>',
        content,
    )


# ------------------------------------------------------------ outside links on paper

# An http(s) address in an attribute (``number_outside_links`` checks that it is an ``<a>``'s href).
_OUTSIDE_HREF = re.compile(r' href="(https?://[^"]+)"')


def number_outside_links(content: str) -> str:
    """Number each link to another site for print, and list the addresses once at the end.

    On paper a link's address is all that is left of it; a link within the
    archive prints as its words.  Each distinct address gets one number,
    shown after every link to it (``data-ab-ref``, print CSS), and the list
    "Links" (shown on paper only) gives each address once.
    """
    numbers: dict[str, int] = {}
    out: list[str] = []
    last = 0
    for m in _OUTSIDE_HREF.finditer(content):
        tag = content.rfind("<", 0, m.start())
        if not content.startswith("<a ", tag) or content.find(">", tag, m.start()) != -1:
            continue
        url = m.group(1)
        n = numbers.setdefault(url, len(numbers) + 1)
        out.append(content[last : m.end()])
        out.append(f' data-ab-ref="{n}"')
        last = m.end()
    if not numbers:
        return content
    out.append(content[last:])
    items = "".join(f"<li>{url}</li>" for url in numbers)  # already escaped as attribute values
    return "".join(out) + f'<section class="ab-print-refs" aria-label="Links" data-search-exclude data-pagefind-ignore><h2>Links</h2><ol>{items}</ol></section>'


# ------------------------------------------------------------ notes at the end

_NOTE_ITEM = re.compile(r'<li id="[^"]+">')
_NOTE_KIND = re.compile(r'class="ab-ann-kind ab-ann-kind-([a-z]+)"')


def split_notes(block: str) -> str:
    """The footnote block as two sections: readers' annotations, then the article's own notes.

    Python-Markdown puts every footnote in one numbered list; here the
    annotations (their first paragraph has a kind badge) get a heading with
    their count, and the notes that came with the text an "Author's notes"
    heading of their own.  Each item keeps its id and its number (``value``),
    so references and permalinks still match, and carries its kind as a class
    for the reader's filter (``docs/javascripts/notes.js``).
    """
    start, end = block.find("<ol>"), block.rfind("</ol>")
    if start == -1 or end < start:
        return block
    inner = block[start + len("<ol>") : end]
    cuts = [m.start() for m in _NOTE_ITEM.finditer(inner)] + [len(inner)]
    annotations: list[str] = []
    own: list[str] = []
    for number, (a, b) in enumerate(zip(cuts, cuts[1:]), 1):
        item = inner[a:b].rstrip()
        kind = _NOTE_KIND.search(item)
        classes = f"ab-note ab-note-kind-{kind.group(1)}" if kind else "ab-note ab-note-own"
        item = item.replace(">", f' value="{number}" class="{classes}">', 1)
        # The note's permalink sign is not text to search for.
        item = item.replace('class="ab-ann-permalink"', 'class="ab-ann-permalink" data-search-exclude', 1)
        (annotations if kind else own).append(item)
    out = []
    if annotations:
        out.append(
            '<section class="footnote ab-notes" id="ab-notes" aria-labelledby="ab-notes-title">'
            f'<h2 id="ab-notes-title" class="ab-notes__title">Annotations <span class="ab-notes__count">({len(annotations)})</span></h2>'
            '<p class="ab-notes__about">Notes by readers of the archive, not by the article’s author.</p>'
            '<ol class="ab-notes__list">\n' + "\n".join(annotations) + "\n</ol></section>"
        )
    if own:
        out.append(
            '<section class="footnote ab-author-notes" id="ab-author-notes" aria-labelledby="ab-author-notes-title">'
            '<h2 id="ab-author-notes-title" class="ab-notes__title">Author’s notes</h2>'
            '<ol class="ab-notes__list">\n' + "\n".join(own) + "\n</ol></section>"
        )
    return "\n".join(out) + block[end + len("</ol>") :].replace("</div>", "", 1)


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


def _gazetteer_entries(path: Path) -> list[Mapping[str, Any]]:
    """The gazetteer's entries with an id; [] if missing or broken.

    A broken gazetteer is reported by ``archive-build check``/``build``; the
    site then simply builds without what it gives the pages rather than failing twice.
    """
    from archive_build.errors import InputError
    from archive_build.safe_yaml import load_file

    if not path.is_file():
        return []
    try:
        data = load_file(path)
    except (InputError, OSError, ValueError):
        return []
    if isinstance(data, Mapping):
        data = data.get("entities", [])
    return [e for e in (data if isinstance(data, list) else []) if isinstance(e, Mapping) and e.get("id")]


def load_entity_names(path: Path) -> dict[str, list[str]]:
    """Entity id → [name, *aliases] from the gazetteer; {} if missing or broken."""
    names: dict[str, list[str]] = {}
    for entry in _gazetteer_entries(path):
        aliases = entry.get("aliases") or []
        found = [str(entry.get("name") or "")] + [str(a) for a in aliases if isinstance(a, (str, int))]
        names[str(entry["id"])] = [n for n in dict.fromkeys(found) if n.strip()]
    return names


def load_entity_kinds(path: Path) -> dict[str, str]:
    """Entity id → kind (person, place, organization, event, topic) from the gazetteer."""
    return {str(e["id"]): str(e.get("kind") or "") for e in _gazetteer_entries(path)}


# The kinds an article's "In this article" list shows, in its order, with their headings.
IN_ARTICLE_KINDS = (("person", "People"), ("place", "Places"), ("organization", "Organisations"), ("event", "Events"))


def in_this_article(entities: Any, names: Mapping[str, list[str]], kinds: Mapping[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(id, name)]) for the article's people, places, organisations and events.

    Most mentioned first, then by name: the list says what the article is
    about, and carries the links the text leaves out (common entities, and
    every mention after the first).
    """
    counts = entities if isinstance(entities, Mapping) else {}
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for eid, n in counts.items():
        kind = kinds.get(str(eid))
        spelled = names.get(str(eid))
        if kind and spelled:
            groups.setdefault(kind, []).append((-int(n or 0), spelled[0].casefold(), str(eid)))
    out = []
    for kind, heading in IN_ARTICLE_KINDS:
        if kind in groups:
            out.append((heading, [(eid, names[eid][0]) for _, _, eid in sorted(groups[kind])]))
    return out


def share_name(feature: Any, names: Mapping[str, list[str]]) -> str:
    """A related article's shared feature as a reader reads it: "e:<id>" → the entity's name, "t:<tag>" → the tag."""
    text = str(feature or "")
    if text.startswith("e:"):
        return (names.get(text[2:]) or [text[2:]])[0]
    return text[2:] if text.startswith("t:") else text


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
    """Where "Annotate this article" leads: a new note file for the article on the repository host.

    GitHub's "new file" form, at ``annotations/<article-id>/`` (one note a
    file, so that it never conflicts with another pull request), named and
    pre-filled with a stub to complete by hand; the page's own panel
    (annotate.js) fills the quote in for a selected passage.
    """
    if not repo_url or not meta.get("id"):
        return ""
    article_id = str(meta["id"])
    base = repo_url.rstrip("/") + "/"
    edit = (edit_uri or "edit/main/").strip("/")
    if not edit.startswith("edit/"):
        return base + edit + "/annotations/" + quote(article_id) + "/"
    stub = 'quote: "exact words from the article"\nkind: note\nauthor: "@you"\ncreated: YYYY-MM-DD\nbody: |\n  Your note.\n'
    branch = edit[len("edit/"):].split("/", 1)[0]
    return base + "new/" + branch + "/annotations/" + quote(article_id) + "?" + urlencode({"filename": "my-note.yml", "value": stub})


def slug(text: Any) -> str:
    """The id MkDocs' table of contents gives a heading with this text on a generated listing page (an author, a source)."""
    from markdown.extensions.toc import slugify

    from archive_build.html_safety import HEADING_ID_PREFIX

    return HEADING_ID_PREFIX + slugify(html.unescape(str(text or "")), "-")


def tag_anchor(name: Any) -> str:
    """The id of a tag's section on the tags page, as Material's tags plugin makes it ("tag:air-defense", ``html_safety.tag_slug``)."""
    from archive_build.html_safety import tag_slug

    return "tag:" + tag_slug(str(name or ""), "-")


def month_anchor(value: Any) -> str:
    """The timeline's heading id for the month of an ISO date ("2023-05-30" → "may-2023"), or ""."""
    text = str(value or "")
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text) or not 1 <= int(text[5:7]) <= 12:
        return ""
    from archive_build.collection.listing import MONTHS

    return slug(f"{MONTHS[int(text[5:7]) - 1]} {text[:4]}")


def host(url: Any) -> str:
    """The address's host without "www." ("stern.de"), for "Read the original at …"."""
    name = urlsplit(http_url(url)).hostname or ""
    return name[4:] if name.startswith("www.") else name


def language_name(code: Any) -> str:
    """"de" → "German" (Babel's English names); the value as written if Babel does not know it."""
    text = str(code or "").strip()
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(text.replace("-", "_")).get_display_name("en") or text
    except (UnknownLocaleError, ValueError, TypeError):
        return text


KIND_ORDER = ("note", "correction", "context", "source", "question")


def annotation_kinds(annotations: Any) -> list[tuple[str, str, int]]:
    """(kind, label, count) of the kinds an article's annotations use, in the filter's fixed order."""
    counts: dict[str, int] = {}
    for a in annotations or []:
        kind = str(a.get("kind") or "note") if isinstance(a, Mapping) else "note"
        counts[kind] = counts.get(kind, 0) + 1
    order = [k for k in KIND_ORDER if k in counts] + sorted(k for k in counts if k not in KIND_ORDER)
    return [(k, k.title(), counts[k]) for k in order]


def jinja_filters() -> dict[str, Any]:
    """Filters the overrides use (``ab_date``, ``ab_http_url``, ``ab_chicago`` …)."""
    from archive_build import about

    return {
        "ab_slug": slug,
        "ab_month_anchor": month_anchor,
        "ab_tag_anchor": tag_anchor,
        "ab_host": host,
        "ab_language": language_name,
        "ab_kinds": annotation_kinds,
        "ab_about": about.about,
        "ab_truncated": about.truncated,
        "ab_date": display_date,
        "ab_http_url": http_url,
        "ab_chicago": lambda meta, url: cite.chicago(meta, url),
        "ab_bibtex": lambda meta, url, site_name="": cite.bibtex(meta, url, site_name),
        "ab_annotate_url": lambda meta, config: annotate_url(meta, config.get("repo_url"), config.get("edit_uri")),
    }
