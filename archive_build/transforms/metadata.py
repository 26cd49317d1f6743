"""Finding title, byline, dates and source in the text, and merging sidecars.

Every line taken out of the body for metadata is recorded in ``removed``
with the field it went to, so the provenance block can show it.
"""
from __future__ import annotations

import re
from typing import Any

from ..markdown_text import safe_url
from ..model import Article, Block
from .dates import date_line, iso_from_any, leading_date

_BYLINE = re.compile(r"^(?:by|written by|words by|reporting by|authors?|par|por|door)\s*[:\-–—]?\s+(?P<names>.+?)\s*$", re.I)
_NAME_WORD = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.|de|van|von|der|da|di|la|le|bin|al-\w+)"
_BARE_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}$")
_SOURCE = re.compile(r"^(?:source|sources|originally published (?:in|by|at)|first published (?:in|by))\s*[:\-–—]\s*(?P<src>.{2,80}?)\s*\.?$", re.I)
_TERMINAL = tuple(".!?…\"”’»)]'")
_SPLIT_NAMES = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\s*")
_ROLE_SUFFIX = re.compile(r"\s*(?:[|·•]\s*.*|,?\s+(?:for|in|at)\s+.+)$")


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_PAIR = re.compile(r"(\*\*|__|\*|_)(.+?)\1")


def _md_plain(line: str) -> str:
    """A Markdown line without emphasis markers, links or hard-break spaces."""
    if "[" in line:
        line = _MD_LINK.sub(r"\1", line)
    if "*" in line or "_" in line:
        line = _EMPHASIS_PAIR.sub(r"\2", line)
    return line.strip().rstrip("\\").strip()


def split_names(text: str) -> list[str]:
    text = _ROLE_SUFFIX.sub("", text.strip().rstrip("."))
    names = [n.strip(" .") for n in _SPLIT_NAMES.split(text) if n.strip(" .")]
    return [n.title() if n.isupper() and len(n) > 3 else n for n in names]


def byline(line: str) -> list[str] | None:
    m = _BYLINE.match(line)
    if not m:
        return None
    names = split_names(m.group("names"))
    if not names or any(len(n.split()) > 5 for n in names):
        return None
    return names


def _title_candidate(block: Block) -> bool:
    t = block.text
    return (
        block.kind in ("para", "markdown")
        and "\n" not in t
        and 3 <= len(t) <= 160
        and len(t.split()) <= 25
        and not t.endswith((".", ":", ";", ","))
        and byline(t) is None
        and date_line(t)[1] is None
    )


def _consume_header_line(article: Article, line: str, next_line: str | None) -> bool:
    """Take one header line into metadata if it is a byline or date."""
    names = byline(line)
    if names:
        article.authors = article.authors or names
        return True
    label, iso = date_line(line)
    if iso and not iso.startswith("--"):
        if label in ("updated", "last updated", "modified"):
            article.updated = article.updated or iso
        else:
            article.date = article.date or iso
        return True
    if next_line is not None and _BARE_NAME.match(line) and date_line(next_line)[1]:
        article.authors = article.authors or split_names(line)
        return True
    # "By X | June 9, 2025" and "June 9, 2025 · By X"
    parts = [p.strip() for p in re.split(r"\s+[|·•—]\s+", line) if p.strip()]
    if len(parts) > 1 and all(byline(p) or (date_line(p)[1] and not date_line(p)[1].startswith("--")) for p in parts):
        for p in parts:
            _consume_header_line(article, p, None)
        return True
    return False


def detect_header(article: Article) -> Article:
    """Title, byline and dates from the top of the article."""
    blocks = article.blocks
    i = 0
    had_title = bool(article.title)
    if blocks and blocks[0].kind == "heading" and (not article.title or blocks[0].level == 1):
        if article.title:
            article.remove(blocks[0].text, "metadata: title in the text (the front matter title wins)")
        else:
            article.title = _md_plain(blocks[0].text)
            article.remove(blocks[0].text, "metadata: title (moved to front matter)")
        i = 1
    elif blocks and article.title and _md_plain(blocks[0].text).strip().lower() == article.title.strip().lower():
        article.remove(blocks[0].text, "metadata: title (repeats the page title)")
        i = 1
    elif blocks and article.format != "md" and _title_candidate(blocks[0]) and len(blocks) > 1 and not article.title:
        article.title = blocks[0].text
        article.remove(blocks[0].text, "metadata: title (moved to front matter)")
        i = 1
    article.flags["title_in_text"] = had_title or i == 1
    # Up to four header lines: byline, date, updated, bare name above a date.
    scanned = 0
    while i < len(blocks) and scanned < 4 and blocks[i].kind in ("para", "markdown"):
        lines = [_md_plain(l) for l in blocks[i].text.split("\n") if l.strip()]
        nxt_block = blocks[i + 1].text.split("\n")[0] if i + 1 < len(blocks) else None
        ok = True
        for j, line in enumerate(lines):
            nxt = lines[j + 1] if j + 1 < len(lines) else (_md_plain(nxt_block) if nxt_block else None)
            if not _consume_header_line(article, line, nxt):
                ok = False
                break
        if not ok:
            break
        article.remove(blocks[i].text, "metadata: byline/date (moved to front matter)")
        i += 1
        scanned += 1
    del blocks[:i]
    # A label glued to the first paragraph: " date 2026-02-27 February 24 marks …"
    if blocks and blocks[0].kind in ("para", "markdown"):
        found = leading_date(blocks[0].text)
        if found:
            label, iso, prefix = found
            if label == "updated":
                article.updated = article.updated or iso
            else:
                article.date = article.date or iso
            article.remove(prefix.strip(), f"metadata: {label} (moved to front matter)")
            blocks[0].text = blocks[0].text[len(prefix):]
    return article


_BIO = re.compile(
    r"^(?:I(?:'ve| have) been (?:working|writing|reporting)|I am an? |I'm an? |"
    r"[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,3} (?:is|has been) an? (?:[\w\-]+ ){0,3}(?:writer|reporter|journalist|correspondent|editor|columnist|author))",
)
_BIO_WORDS = re.compile(r"\b(?:reporter|editor|journalist|correspondent|news industry|newspapers|my work|contribute[sd]? regularly|covered|writes? for)\b", re.I)


def _is_bio(text: str) -> bool:
    return bool(_BIO.match(text)) and len(_BIO_WORDS.findall(text)) >= 2


def detect_tail(article: Article) -> Article:
    """``Source:`` lines and an author bio glued after the article."""
    blocks = article.blocks
    keep: list[Block] = []
    n = len(blocks)
    for idx, block in enumerate(blocks):
        text = _md_plain(block.text) if block.kind in ("para", "markdown") else ""
        m = _SOURCE.match(text) if text and "\n" not in text else None
        if m and idx >= n - 4:
            article.source = article.source or m.group("src").strip()
            article.remove(block.text, "metadata: source (moved to front matter)")
            continue
        if text and idx >= n - 3 and _is_bio(text):
            article.remove(block.text, "author bio appended after the article")
            continue
        keep.append(block)
    article.blocks = keep
    return article


_MARKUP = re.compile(r"[<>&]")

#: Fields a sidecar or front matter may set, and how each is normalised.
FIELDS = ("title", "authors", "date", "updated", "source", "url", "description", "tags", "language", "license", "translator", "original_title", "notes")


def apply_fields(article: Article, meta: dict[str, Any], *, origin: str) -> list[str]:
    """Copy known fields from a mapping onto the article; returns unknown keys."""
    unknown = []
    for key, value in meta.items():
        if value is None:
            continue
        if key in ("date", "updated"):
            iso = iso_from_any(value)
            if iso is None:
                article.warn(f"{origin}: {key} {value!r} is not a date; ignored")
                continue
            setattr(article, key, iso)
            if key == "date":
                article.date_source = "sidecar" if origin == "sidecar" else "front-matter"
        elif key in ("authors", "author"):
            names = [value] if isinstance(value, str) else list(value)
            article.authors = [str(n).strip() for n in names if str(n).strip()]
        elif key == "tags":
            article.tags = []
            for tag in [value] if isinstance(value, str) else value:
                if _MARKUP.search(str(tag)):
                    # Material's tags plugin writes tag names into the table
                    # of contents unescaped, after the sanitising hook.
                    article.remove(str(tag), f"{origin}: tag with markup characters (< > &) not used")
                    article.warn(f"{origin}: tag {str(tag)!r} holds markup characters (< > &); ignored")
                else:
                    article.tags.append(str(tag))
        elif key == "url" and safe_url(str(value)) is None:
            article.remove(str(value), f"{origin}: url with an unsafe scheme (only http, https and mailto are linked)")
            article.warn(f"{origin}: url {str(value)!r} is not an http(s) address; ignored")
        elif key in ("title", "source", "url", "description"):
            setattr(article, key, str(value).strip())
        elif key in FIELDS:
            article.extra[key] = value
        else:
            unknown.append(key)
    return unknown


def finalize(article: Article) -> Article:
    """Warnings for what could not be found; never invent a value.

    Metadata values get their whitespace collapsed (copy-pastes carry
    non-breaking spaces and stray newlines into titles); the body keeps its own.
    """
    for name in ("title", "source", "description", "url"):
        value = getattr(article, name)
        if value:
            setattr(article, name, " ".join(value.split()) or None)
    article.authors = [" ".join(n.split()) for n in article.authors if n.split()]
    for name in ("title", "date", "source"):
        if not getattr(article, name):
            article.warn(f"no {name} found")
    if not article.authors:
        article.warn("no author found")
    if not article.title:
        article.title = article.id
    return article
