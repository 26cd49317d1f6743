"""Who wrote a saved page: people only, from the article's own byline.

What pages put where a name should be, and why each is refused or trimmed:

* the publisher or site (``<meta name="author" content="ABC News">``, the
  JSON-LD ``publisher``, an ``Organization`` as author, a news agency): the
  site is the article's *source*, shown apart;
* a role or handle glued to the name ("Ben Silverman Games Editor",
  "Joe Davidson Washington Post", "Jane Roe Twitter"): trimmed off;
* a byline in a related-story box, sidebar, comment or "more from this
  author" list: only bylines inside the article (``<article>``, ``<main>``)
  or among the first lines under the headline count;
* "Gillman, Steve" in structured data is one person, written surname first,
  and stays as written; "Stella Kim, Jennifer Jett" is two.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from lxml import etree

from archive_build.text.header_lines import byline, split_names

# Words that end a role, not a name ("Staff Writer", "Senior Contributor", "Games Editor").
_ROLE_WORDS = (
    r"writer|editor|reporter|correspondent|contributor|columnist|journalist|analyst|producer|photographer|"
    r"critic|staff|intern|fellow|anchor|host|author|blogger|commentator|chief|director|manager|"
    r"twitter|facebook|instagram|linkedin|email|e-mail|x\.com"
)
_QUALIFIERS = r"senior|deputy|associate|contributing|staff|executive|chief|managing|special|national|political|business|games|tech|science|health|sports|legal|foreign|opinion|news"
_ROLE_TAIL = re.compile(rf"(?:\s*[,|·•–—-]\s*|\s+)(?:(?:{_QUALIFIERS})\s+){{0,3}}(?:{_ROLE_WORDS})\b.*$", re.I)
_ROLE_ONLY = re.compile(rf"^(?:(?:{_QUALIFIERS})\s+){{0,3}}(?:{_ROLE_WORDS})s?$", re.I)
# Organisations and agencies: the source, not an author.
_ORG_WORD = re.compile(r"\b(?:news|press|media|inc|llc|ltd|plc|group|team|editors|newsroom|wire|agency|staff|desk|corporation|company|works|board)\.?$", re.I)
# Placeholders content systems put where a name should be.
_PLACEHOLDERS = frozenset(("admin", "administrator", "editor", "guest", "staff", "team", "unknown", "anonymous", "webmaster", "redaktion", "rédaction", "redacción"))
_AGENCIES = frozenset(
    ("reuters", "afp", "ap", "associated press", "the associated press", "agence france-presse", "agence france presse", "dpa", "pa", "efe", "ansa", "bloomberg", "cnn", "bbc", "upi", "xinhua", "tass", "kyodo", "yonhap", "cnn wire", "pa media", "condé nast", "conde nast")
)
_HANDLE = re.compile(r"(?:^|\s)@\w+|https?://|www\.|\S+@\S+\.\w+")
_SURNAME_FIRST = re.compile(r"^([^\s,]+(?:\s+(?:de|van|von|der|den|da|di|du|la|le))*),\s*([^,]+)$|^([^,]+),\s*([^\s,]+\.?(?:\s*[A-Z]\.)*)$")

_WITH = re.compile(r"\s*\((?:avec|with|and|mit|con|com|met)\s+([^()]{1,120})\)")
_AND_WORD = re.compile(r"(?<=[a-zà-ÿ.])\s+(?:et|und|y|e|en|og|och|i)\s+(?=[A-ZÀ-Þ])")
_NAME = re.compile(
    r"^[A-ZÀ-ÞĀ-Ž][\w’'\-.]*(?:\s+(?:[A-ZÀ-ÞĀ-Ž][\w’'\-.]*|de|van|von|der|den|da|di|du|la|le|bin|y)){1,4}$"
)


# A nickname or initials in brackets inside a name: "Richard (R.J.) Eskow".
_NICKNAME = re.compile(r"\s*\([^()]{1,20}\)")


def _fold(text: str) -> str:
    return " ".join(re.sub(r"^the\s+", "", text.strip(), flags=re.I).casefold().split())


def is_name(name: str) -> bool:
    """Two to five capitalised words, none a bare initial without its dot ("J J" is an avatar)."""
    candidate = _NICKNAME.sub("", name.title() if name.isupper() else name)
    return bool(_NAME.match(candidate)) and all(len(w) > 1 for w in candidate.split())


def person(name: str, not_people: Iterable[str] = ()) -> str | None:
    """``name`` without a glued role or site name; None when it names no person (a site, an agency, a role, a handle)."""
    name = " ".join(name.split()).strip(" ,;:|·•")
    if not name or _HANDLE.search(name) or len(name) > 80:
        return None
    for other in not_people:
        o = other.strip()
        if o and len(o) > 2 and name.lower().endswith(" " + o.lower()) and len(name) > len(o) + 2:
            name = name[: -len(o)].strip(" ,|·•–—-")  # "Joe Davidson Washington Post"
            break
    if _ROLE_ONLY.match(name):
        return None
    trimmed = _ROLE_TAIL.sub("", name).strip(" ,|·•–—-")
    if trimmed and trimmed != name and len(trimmed.split()) >= 2:
        name = trimmed
    folded = _fold(name)
    if folded in _PLACEHOLDERS:
        return None
    if folded in _AGENCIES or any(folded == _fold(o) for o in not_people if o):
        return None
    if _ORG_WORD.search(name):  # "ABC News", "Condé Nast Group", "Metro Desk"
        return None
    return name


def people(text: str, not_people: Iterable[str] = ()) -> list[str]:
    """The people a byline or structured-data value names, each as written.

    "Gillman, Steve" (one comma, one side a single word or initials) is one
    person surname first; otherwise "By", commas and "and" separate names.
    """
    text = " ".join(text.split())
    if not text:
        return []
    # "Martin Untersinger (avec Damien Leloup et Morgane Tual)": co-authors in brackets, joined in the page's language.
    if _ORG_WORD.search(text) or _fold(text) in _AGENCIES or any(_fold(text) == _fold(o) for o in not_people if o):
        return []  # the whole value names an organisation ("Organization for Transformative Works")
    text = _WITH.sub(r", \1", text)
    text = _AND_WORD.sub(" and ", text)
    if text.count(",") == 1 and " and " not in text and "&" not in text and _SURNAME_FIRST.match(text):
        left, right = (p.strip() for p in text.split(","))
        if len(left.split()) == 1 or len(right.replace(".", ". ").split()) == 1 or re.fullmatch(r"(?:[A-Z]\.\s*)+", right):
            kept = person(text, not_people)
            return [kept] if kept else []
    names = byline(text) or split_names(text)
    out = []
    for n in names:
        kept = person(n, not_people)
        if kept:
            out.append(kept)
    return list(dict.fromkeys(out))


def ld_authors(value: Any, not_people: Iterable[str] = ()) -> list[str]:
    """Names of the JSON-LD ``author`` value (one or a list); organisations left out."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            kind = item.get("@type")
            kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
            if any(isinstance(k, str) and k in ("Organization", "NewsMediaOrganization", "Corporation") for k in kinds):
                continue
            name = item.get("name")
        else:
            name = item
        if isinstance(name, list):
            name = " ".join(str(n) for n in name if isinstance(n, str))
        if isinstance(name, str) and name.strip():
            out.extend(people(name, not_people))
    return list(dict.fromkeys(out))


# --- bylines in the page's markup ---------------------------------------------

_BYLINE_ATTR = re.compile(r"byline|author(?!iz)|writer|creator", re.I)
_NOT_BYLINE_ATTR = re.compile(r"follow|more|avatar|photo|image|img|bio|list|thumb|title|desc|social|share|twitter|email|note", re.I)
# Containers whose bylines belong to other stories or to readers.
_ELSEWHERE_TAGS = frozenset(("aside", "nav", "footer", "form"))
_ELSEWHERE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:related|sidebar|side-bar|comments?|recommended|recommendations?|promo|newsletter|widget|trending|popular|rail|teaser|more|also|outbrain|taboola|footer|nav|navbar|navigation|menu)(?:$|[\s_-])",
    re.I,
)
_BYLINE_TAIL = re.compile(
    r"\s+(?:[|·•—–]|on\b|updated\b|published\b|posted\b|edited\b|illustrated\b|photographs?\b|photos?\b|additional reporting\b|\d{1,2}\s+[A-Za-z]{3,}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{4}-\d\d|\d{1,2}[/.]\d).*$",
    re.I,
)
_LIST_ATTRS = {"class": None, "rel": ("a", "link", "area")}  # space-separated lists (tags: only there)


def _attr_text(el: etree._Element) -> str:
    """The attributes that say what an element is, lists with single spaces."""
    out = []
    for k, v in el.attrib.items():
        if k in ("rel", "itemprop", "class", "id"):
            tags = _LIST_ATTRS.get(k, ())
            out.append(" ".join(v.split()) if tags is None or el.tag in tags else v)
    return " ".join(out)


def elsewhere(el: etree._Element) -> bool:
    """Inside a sidebar, related-stories box, comment or page furniture."""
    for anc in el.iterancestors():
        if anc.tag in _ELSEWHERE_TAGS and not (anc.tag == "aside" and not anc.attrib and _in_article(anc)):
            return True
        if anc.tag in ("article", "main", "body"):
            return False
        if anc.attrib and _ELSEWHERE_ATTR.search(_attr_text(anc)):
            return True
    return False


def _near_headline(doc: etree._Element) -> set[etree._Element]:
    """Elements holding the first lines of text under the first ``<h1>``, and their ancestors up to the h1's."""
    h1 = next(doc.iter("h1"), None)
    if h1 is None:
        return set()
    near: set[etree._Element] = set()
    for text in h1.xpath("following::text()[normalize-space()][position() <= 15]"):
        parent = text.getparent()
        while parent is not None and parent not in near:
            near.add(parent)
            parent = parent.getparent()
    return near


def _in_article(el: etree._Element) -> bool:
    return any(anc.tag in ("article", "main") or anc.get("itemprop") in ("articleBody", "mainEntity") for anc in el.iterancestors())


def _text(el: etree._Element) -> str:
    parts = []
    for node in el.iter():
        if node.tag in ("script", "style", "noscript", "template") or not isinstance(node.tag, str):
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        if node.text:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def byline_elements(doc: etree._Element, not_people: Iterable[str] = ()) -> list[str]:
    """Names from the article's byline markup: rel=author, itemprop=author, .byline / .author elements.

    Never from inside a sidebar, related box, comment or page furniture.
    Bylines inside the article or among the first lines under the headline
    come first; on a page that marks neither, the first byline elsewhere.
    """
    not_people = list(not_people)
    near = _near_headline(doc)
    later: list[str] = []
    for el in doc.iter(etree.Element):
        if not el.attrib:
            continue
        attrs = _attr_text(el)
        if not _BYLINE_ATTR.search(attrs):
            continue
        if el.tag in ("meta", "link", "body", "html", "article", "main", "script", "style", "img") or _NOT_BYLINE_ATTR.search(attrs):
            continue
        if elsewhere(el):
            continue
        names = _names_in(el, not_people)
        if not names:
            continue
        if el in near or _in_article(el):
            return names
        later = later or names
    return later


def _names_in(el: etree._Element, not_people: list[str]) -> list[str]:
    name_el = next((d for d in el.iterdescendants(etree.Element) if d.get("itemprop") == "name"), None)
    text = _text(name_el if name_el is not None else el)
    if not text or len(text) > 200:
        return []
    head = _BYLINE_TAIL.sub("", text).strip(" ,")
    names = [n for n in (byline(head) or []) if is_name(n)]
    if not names and len(head) <= 120:
        names = [n for n in people(head, not_people) if is_name(n)]
    return [p for p in (person(n, not_people) for n in names) if p]
