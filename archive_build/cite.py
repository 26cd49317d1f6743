"""Citations of an article from its front matter: Chicago, BibTeX, CSL-JSON.

One module so that the page's "Cite this article" block and the open-data
exports (CSL-JSON, BibTeX, ``archive.bib``) always say the same thing.  The
input is the article's front matter as a mapping (``writer.front_matter``
or MkDocs' ``page.meta``) plus the URL of the archived copy; the output is
plain text, not HTML: callers escape it for where it goes.  Everything is
deterministic: no access dates, keys derived from the article id.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from archive_build.text.names import csl_name, inverted, natural, parse_name

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# BibTeX specials, each replaced in one pass (so "\\" becomes \\textbackslash{} and its braces stay as they are).
_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile("[" + re.escape("".join(_BIB_ESCAPES)) + "]")


def _text(value: Any) -> str:
    """Front-matter values as one line of text (YAML may give dates or numbers)."""
    return " ".join(str(value).split()) if value is not None else ""


def _authors(meta: Mapping[str, Any]) -> list[str]:
    raw = meta.get("authors") or []
    if isinstance(raw, str):
        raw = [raw]
    return [a for a in (_text(x) for x in raw) if a]


def date_parts(value: Any) -> tuple[int, ...]:
    """(year, month, day) or shorter from an ISO date; () when unknown."""
    m = _ISO_DATE.match(_text(value))
    if not m:
        return ()
    parts = tuple(int(p) for p in m.groups() if p)
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    return parts


def split_name(name: str) -> tuple[str, str]:
    """(given, family) for a person's name, the family with its particle and suffix; ("", name) for an organisation."""
    parsed = parse_name(_text(name))
    if parsed.literal:
        return "", parsed.literal
    family = parsed.family_with_particle + (f", {parsed.suffix}" if parsed.suffix else "")
    return parsed.given, family


def _inverted(name: str) -> str:
    return inverted(parse_name(_text(name)))


def _chicago_authors(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return _inverted(names[0])
    if len(names) == 2:
        return f"{_inverted(names[0])}, and {natural(parse_name(names[1]))}"
    rest = [natural(parse_name(n)) for n in names[1:]]
    return ", ".join([_inverted(names[0]), *rest[:-1]]) + f", and {rest[-1]}"


def _nested_quotes(title: str) -> str:
    """Double quotes inside a quoted title become single ones (Chicago 6.9)."""
    title = title.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    out, opening = [], True
    for ch in title:
        if ch == '"':
            out.append("\u2018" if opening else "\u2019")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def human_date(value: Any) -> str:
    """"May 30, 2023" (Chicago's month-day-year); "n.d." when unknown."""
    parts = date_parts(value)
    if not parts:
        return "n.d."
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"


def chicago(meta: Mapping[str, Any], page_url: str) -> str:
    """A Chicago (17th ed.) bibliography entry for a news article, as plain text.

    ``Family, Given. “Title.” Source, Month D, YYYY. URL.`` — the URL is the
    original's when known, else the archived copy's.
    """
    title = _nested_quotes(_text(meta.get("title")) or _text(meta.get("id")))
    quoted = f"\u201c{title}\u201d" if title[-1:] in "?!." else f"\u201c{title}.\u201d"
    parts = []
    authors = _chicago_authors(_authors(meta))
    if authors:
        parts.append(authors if authors.endswith(".") else authors + ".")
    parts.append(quoted)
    source = _text(meta.get("source"))
    when = human_date(meta.get("date"))
    stop = "" if when.endswith(".") else "."
    parts.append(f"{source}, {when}{stop}" if source else f"{when}{stop}")
    url = _text(meta.get("url")) or page_url
    if url:
        parts.append(f"{url}.")
    return " ".join(parts)


def bibtex_escape(text: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group()], text)


def bibtex_name(text: str) -> str:
    """One author for BibTeX's ``author`` field: "von der Leyen, Ursula", "King, Jr., Martin Luther", "{Associated Press}".

    BibTeX splits a plain "First Last" itself, but not a suffix, and it would
    invert an organisation ("Press, A."): the parts are written out, and a
    literal name is braced whole.
    """
    parsed = parse_name(_text(text))

    def part(value: str) -> str:
        escaped = bibtex_escape(value)
        return f"{{{escaped}}}" if "," in value or " and " in f" {value} " else escaped

    if parsed.literal:
        return "{" + bibtex_escape(parsed.literal) + "}"
    family = part(parsed.family_with_particle)
    if parsed.suffix:
        return f"{family}, {part(parsed.suffix)}, {part(parsed.given)}"
    return f"{family}, {part(parsed.given)}"


def _bib_url(url: str) -> str:
    """Braces and backslashes would end the field early: percent-encode them."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_key(meta: Mapping[str, Any]) -> str:
    """The article id: unique in the archive, stable, and legal as a BibTeX key."""
    return re.sub(r"[^A-Za-z0-9_:.\-]", "-", _text(meta.get("id")) or "article")


def bibtex(meta: Mapping[str, Any], page_url: str, site_name: str = "") -> str:
    """A BibTeX ``@article`` entry; fields in a fixed order, values escaped."""
    fields: list[tuple[str, str]] = []
    authors = _authors(meta)
    if authors:
        fields.append(("author", " and ".join(bibtex_name(a) for a in authors)))
    fields.append(("title", "{" + bibtex_escape(_text(meta.get("title")) or _text(meta.get("id"))) + "}"))
    source = _text(meta.get("source"))
    if source:
        fields.append(("journal", bibtex_escape(source)))
    parts = date_parts(meta.get("date"))
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", _BIB_MONTHS[parts[1] - 1]))
    if len(parts) > 2:
        fields.append(("date", f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}"))
    url = _bib_url(_text(meta.get("url")))
    page_url = _bib_url(page_url)
    if url:
        fields.append(("url", url))
    if page_url and url:
        where = f" in {bibtex_escape(site_name)}" if site_name else ""
        fields.append(("note", f"Archived copy{where}: \\url{{{page_url}}}"))
    elif page_url:
        fields.append(("url", page_url))
    lines = [f"@article{{{bibtex_key(meta)},"]
    for name, value in fields:
        # month is a BibTeX macro (jan, feb …) and must stay unbraced.
        lines.append(f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def csl_json(meta: Mapping[str, Any], page_url: str, site_name: str = "") -> dict[str, Any]:
    """A CSL-JSON item (``article-newspaper``) for citation managers."""
    item: dict[str, Any] = {"id": bibtex_key(meta), "type": "article-newspaper", "title": _text(meta.get("title")) or _text(meta.get("id"))}
    authors = []
    for name in _authors(meta):
        authors.append(csl_name(parse_name(name)))
    if authors:
        item["author"] = authors
    source = _text(meta.get("source"))
    if source:
        item["container-title"] = source
    parts = date_parts(meta.get("date"))
    if parts:
        item["issued"] = {"date-parts": [list(parts)]}
    item["URL"] = _text(meta.get("url")) or page_url
    if site_name:
        item["archive"] = site_name
    if page_url and page_url != item["URL"]:
        item["archive_location"] = page_url
    return item
