"""Finding title, byline, dates and source in the text, and merging sidecars.

Every line taken out of the body for metadata is recorded in ``removed``
with the field it went to, so the provenance block can show it.
"""
from __future__ import annotations

import re
from typing import Any

from archive_build.markdown.escape import safe_url
from archive_build.model import FIELDS, Article, Block
from archive_build.text.dates import date_line, iso_from_any, leading_date
from archive_build.text.header_lines import (
    ROLE_PART,
    byline,
    full_date,
    furniture,
    is_agency,
    is_metadata_line,
    is_role_line,
    md_plain,
    take_date,
    take_header_line,
)

# The last line of a story built from the wires: "Al Jazeera and news agencies".
_AGENCIES_CREDIT = re.compile(r"^(?P<src>[A-Z][\w.&'’ -]{1,40}?) and (?:news )?agencies\.?$")
_SOURCE = re.compile(r"^(?:source|sources|originally published (?:in|by|at)|first published (?:in|by))\s*[:\-–—]\s*(?P<src>.{2,80}?)\s*\.?$", re.I)

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


def _single_line(block: Block) -> str | None:
    if block.kind not in ("para", "markdown") or "\n" in block.text.strip():
        return None
    return md_plain(block.text)


def _skip_furniture(article: Article, blocks: list[Block], i: int, limit: int) -> int:
    """Furniture, bylines and dates above the title (a section label, "By X", a date line): taken out, recorded."""
    while i < min(len(blocks), limit):
        line = _single_line(blocks[i])
        if line is None:
            break
        nxt = _single_line(blocks[i + 1]) if i + 1 < len(blocks) else None
        reason = furniture(line)
        if reason:
            article.remove(blocks[i].text, reason)
        elif take_header_line(article, line, nxt, bare_names=False):
            article.remove(blocks[i].text, "metadata: byline/date (moved to front matter)")
        else:
            break
        i += 1
    return i


def _agency_line(article: Article, line: str) -> bool:
    if article.authors and is_agency(line) and len(line) <= 40 and not ROLE_PART.search(line) and "," not in line:
        article.source = article.source or line.strip()
        return True
    return False


def detect_header(article: Article) -> Article:
    """Title, byline and dates from the top of the article.

    The scan does not stop at a line it does not know: page furniture
    (reading time, Save/Share, section labels, role lines, image credits)
    is taken out and recorded, and the search for the byline and dates goes
    on through the first lines.  A byline or date above the title, and one
    standfirst sentence between the title and the byline, are found too.
    """
    blocks = article.blocks
    had_title = bool(article.title)
    i = _skip_furniture(article, blocks, 0, 6) if article.format != "md" else 0
    start = i
    if i < len(blocks) and blocks[i].kind == "heading" and (not article.title or blocks[i].level == 1):
        if article.title:
            article.remove(blocks[i].text, "metadata: title in the text (the front matter title wins)")
        else:
            article.title = md_plain(blocks[i].text)
            article.remove(blocks[i].text, "metadata: title (moved to front matter)")
        i += 1
    elif i < len(blocks) and article.title and md_plain(blocks[i].text).strip().lower() == article.title.strip().lower():
        article.remove(blocks[i].text, "metadata: title (repeats the page title)")
        i += 1
    elif i < len(blocks) and article.format != "md" and _title_candidate(blocks[i]) and len(blocks) > i + 1 and not article.title:
        article.title = blocks[i].text
        article.remove(blocks[i].text, "metadata: title (moved to front matter)")
        i += 1
    article.title_in_text = had_title or i > start
    i = _scan_header(article, blocks, i)
    del blocks[:i]
    # A label glued to the first paragraph: " date 2026-02-27 February 24 marks …"
    if blocks and blocks[0].kind in ("para", "markdown"):
        found = leading_date(blocks[0].text)
        if found:
            label, iso, prefix = found
            take_date(article, label, iso)
            article.remove(prefix.strip(), f"metadata: {label} (moved to front matter)")
            blocks[0].text = blocks[0].text[len(prefix):]
    if not article.source and blocks and blocks[0].kind in ("para", "markdown"):
        wire = _WIRE_DATELINE.match(md_plain(blocks[0].text[:120]))
        if wire and is_agency(wire.group("agency")):
            article.source = " ".join(wire.group("agency").split())
    if not article.date and article.updated and article.format != "md":
        # A copy-paste showing only "Updated …" (CNN, AP): the one day it states.
        article.date, article.date_source = article.updated, "text"
        article.warn("the text states only when it was updated; that day is used as its date")
    return article


_HEADER_BLOCKS = 12


def _header_follows(blocks: list[Block], i: int) -> bool:
    """Whether a byline or a date comes within the next two lines from ``i``, not counting furniture
    ("Listen to this article", "Share", a picture), nor a name whose date follows it."""
    lines = [_single_line(b) for b in blocks[i : i + 8]]
    ahead = [a for a in lines if not (a and furniture(a))][:3]
    for k, a in enumerate(ahead[:2]):
        if a and (byline(a) is not None or full_date(a)[1] or ("/" in a and is_metadata_line(a))):
            return True
        probe = Article(id="", raw="", sha256="", format="txt")
        if a and k + 1 < len(ahead) and ahead[k + 1] and full_date(ahead[k + 1])[1] and take_header_line(probe, a, ahead[k + 1]):
            return True  # "Jane Doe" above "Oct 02, 2024"
    return False
# A wire story's dateline opening its first paragraph: "KYIV, Nov 5 (Reuters) -", "WASHINGTON (AP) —".
_WIRE_DATELINE = re.compile(r"^[A-Z][\w.'’ -]{1,40}?(?:,[\w.' ]{1,30}?)?\s*\((?P<agency>[A-Za-z][\w.& -]{1,40})\)\s*[-–—]\s")


def _scan_header(article: Article, blocks: list[Block], i: int) -> int:
    """Bylines, dates and furniture under the title; returns the index of the first body block."""
    limit = min(len(blocks), i + _HEADER_BLOCKS)
    standfirst_ok = article.format != "md" and article.title_in_text and not article.description
    # A subtitle set as a heading under the title (Substack, Medium): "## Why the grid is the front line".
    if i < limit and blocks[i].kind == "heading" and article.title_in_text and not article.description and 20 <= len(blocks[i].text) <= 300:
        if _header_follows(blocks, i + 1):
            article.description = md_plain(blocks[i].text)
            article.remove(blocks[i].text, "standfirst (shown as the description)")
            i += 1
            standfirst_ok = False
    while i < limit and blocks[i].kind in ("para", "markdown"):
        lines = [md_plain(l) for l in blocks[i].text.split("\n") if l.strip()]
        nxt_block = md_plain(blocks[i + 1].text.split("\n")[0]) if i + 1 < len(blocks) else None
        reasons = []
        for j, line in enumerate(lines):
            nxt = lines[j + 1] if j + 1 < len(lines) else nxt_block
            reason = furniture(line)
            if reason is None and take_header_line(article, line, nxt):
                reason = "metadata: byline/date (moved to front matter)"
            elif reason is None and _agency_line(article, line):
                reason = "metadata: source (agency line after the byline)"
            elif reason is None and article.authors and is_role_line(line) and j == 0:
                reason = "metadata: the author's role"
            if reason is None:
                break
            reasons.append(reason)
        if len(reasons) == len(lines) and lines:
            article.remove(blocks[i].text, reasons[0] if len(set(reasons)) == 1 else "metadata: byline/date and page furniture")
            i += 1
            continue
        # One standfirst between the title and the byline: a byline or date follows within two lines,
        # not counting furniture ("Listen to this article", "Share", a lead picture's caption).
        if standfirst_ok and len(lines) == 1 and 40 <= len(lines[0]) <= 320 and not article.authors and not article.date:
            if _header_follows(blocks, i + 1):
                article.description = lines[0]
                article.remove(blocks[i].text, "standfirst (shown as the description)")
                standfirst_ok = False
                i += 1
                continue
        break
    return i




_BIO = re.compile(
    r"^(?:I(?:'ve| have) been (?:working|writing|reporting)|I am an? |I'm an? |"
    r"[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,3} (?:is|has been) an? (?:[\w\-]+ ){0,3}(?:writer|reporter|journalist|correspondent|editor|columnist|author))",
)
_BIO_WORDS = re.compile(r"\b(?:reporter|editor|journalist|correspondent|news industry|newspapers|my work|contribute[sd]? regularly|covered|writes? for)\b", re.I)


# A bio's link to the author's page: "More about Marc Santora".
_MORE_ABOUT = re.compile(r"\b[Mm]ore (?:about|by|from) [A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,3}$")


def _is_bio(text: str) -> bool:
    return bool(_BIO.match(text)) and (len(_BIO_WORDS.findall(text)) >= 2 or bool(_MORE_ABOUT.search(text)))


def detect_tail(article: Article) -> Article:
    """``Source:`` lines and an author bio glued after the article."""
    blocks = article.blocks
    keep: list[Block] = []
    n = len(blocks)
    for idx, block in enumerate(blocks):
        text = md_plain(block.text) if block.kind in ("para", "markdown") else ""
        m = _SOURCE.match(text) if text and "\n" not in text else None
        if m and idx >= n - 4:
            article.source = article.source or m.group("src").strip()
            article.remove(block.text, "metadata: source (moved to front matter)")
            continue
        credit = _AGENCIES_CREDIT.match(text) if text and idx == n - 1 and len(text) <= 60 else None
        if credit:
            article.source = article.source or credit.group("src").strip()
            article.remove(block.text, "metadata: source (moved to front matter)")
            continue
        if text and idx >= n - 5 and _is_bio(text):
            article.remove(block.text, "author bio appended after the article")
            continue
        keep.append(block)
    article.blocks = keep
    return article


_MARKUP = re.compile(r"[<>&]")



#: Fields whose value the page marks as the archive's when a sidecar sets it.
SUPPLIABLE = ("title", "date")


def apply_fields(article: Article, meta: dict[str, Any], *, origin: str) -> list[str]:
    """Copy known fields from a mapping onto the article; returns unknown keys."""
    unknown = []
    for key, value in meta.items():
        if value is None:
            continue
        if origin == "sidecar" and key in SUPPLIABLE and str(value).strip() and (key != "date" or iso_from_any(value)):
            # The page marks what the curator supplied and the text did not say ("title supplied by the archive").
            supplied = article.extra.setdefault("supplied", [])
            if key not in supplied:
                supplied.append(key)
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
        supplied = article.extra.setdefault("supplied", [])
        if "title" not in supplied:
            supplied.append("title")
    return article
