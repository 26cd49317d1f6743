"""Finding title, byline, dates and source in the text, and merging sidecars.

Every line taken out of the body for metadata is recorded in ``removed``
with the field it went to, so the provenance block can show it.
"""
from __future__ import annotations

import re
from typing import Any

from ..linear_scan import strip_simple_links
from ..markdown_text import safe_url
from ..model import Article, Block
from .dates import date_line, iso_from_any, leading_date

_BYLINE = re.compile(
    r"^(?:(?:analysis|opinion|commentary|review|story|text|interview|words|reporting|written)\s+)?"
    r"(?:by|authors?|par|por|door|von)\s*[:\-–—]?\s+(?P<names>.+?)\s*$",
    re.I,
)
# Sources and agencies named in a byline ("By X, CNN", "By X, The Associated Press", "cleveland.com"): not people.
_AGENCY = re.compile(
    r"^(?:the\s+)?(?:associated\s+press|ap|reuters|afp|agence\s+france[-\s]presse|bloomberg|cnn(?:\s+wire)?|bbc(?:\s+news)?|pa(?:\s+media)?|dpa|upi|efe|ansa|xinhua|kyodo|yonhap|tass|press\s+association)$"
    r"|^[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|co|news|info)$"
    r"|\b(?:news|press|media|wire|newsroom|staff|desk)$",
    re.I,
)
# Words that make a line or a byline's tail a role, not a name ("Business reporter, BBC News", "CNN Senior Legal Analyst").
_ROLE_WORD = r"(?:reporter|correspondent|editor|writer|analyst|columnist|contributor|journalist|producer|photographer|critic|commentator|presenter)s?"
_ROLE_PART = re.compile(rf"\b{_ROLE_WORD}\b", re.I)
_NAME_WORD = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.|de|van|von|der|da|di|la|le|bin|al-\w+)"
_BARE_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}$")
_SOURCE = re.compile(r"^(?:source|sources|originally published (?:in|by|at)|first published (?:in|by))\s*[:\-–—]\s*(?P<src>.{2,80}?)\s*\.?$", re.I)
_TERMINAL = tuple(".!?…\"”’»)]'")
_SPLIT_NAMES = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\s*")
_ROLE_SUFFIX = re.compile(r"\s*(?:[|·•]\s*.*|,?\s+(?:for|in|at)\s+.+)$")


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # read by linear_scan.strip_simple_links
# "\s+[|·•—/]\s+", tried only where a run of white space starts (from inside a run, the
# pattern meets the same separator or none: a long run of spaces was scanned once per space).
_HEADER_SEPARATOR = re.compile(r"(?<!\s)\s+[|·•—/]\s+")
_EMPHASIS_PAIR = re.compile(r"(\*\*|__|\*|_)(.+?)\1")


def _md_plain(line: str) -> str:
    """A Markdown line without emphasis markers, links or hard-break spaces."""
    if "[" in line:
        line = strip_simple_links(line)  # _MD_LINK.sub(r"\1", line), in linear time
    if "*" in line or "_" in line:
        line = _EMPHASIS_PAIR.sub(r"\2", line)
    return line.strip().rstrip("\\").strip()


def split_names(text: str) -> list[str]:
    """The names in a byline's text; agencies, sites and roles after the names left out ("X and Y, CNN")."""
    text = _ROLE_SUFFIX.sub("", text.strip().rstrip("."))
    names = [n.strip(" .") for n in _SPLIT_NAMES.split(text) if n.strip(" .")]
    names = [n for n in names if not is_agency(n) and not _ROLE_PART.search(n)]
    return [n.title() if n.isupper() and len(n) > 3 else n for n in names]


def is_agency(name: str) -> bool:
    """A news agency, a broadcaster or a site name: the source of a story, not its author."""
    return bool(_AGENCY.search(" ".join(name.split()).strip(" .,")))


def byline(line: str) -> list[str] | None:
    """The people a byline line names; [] for a byline naming only a source ("By CNN Wire"); None for any other line."""
    m = _BYLINE.match(line)
    if not m:
        return None
    names = split_names(m.group("names"))
    if not names:
        return [] if is_agency(m.group("names")) else None
    if any(len(n.split()) > 5 for n in names):
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


# --- page furniture a browser copy picks up around the headline -------------------

_READING_TIME = re.compile(r"^(?:\d{1,3}[\s-]*(?:min(?:ute)?s?|m)\.?[\s-]*(?:read|listen|watch)|(?:reading|read|listening) time\s*:?\s*\d{1,3}\s*min(?:ute)?s?)\.?$", re.I)
_BUTTON = re.compile(
    r"^(?:save|saved|share|share this|share on \w+|link copied!?|copy link|listen(?: to this article)?|print|comments?|\d{1,5} comments?|"
    r"gift (?:this )?article|follow|bookmark|add to (?:your )?saved items|reuse this content|show caption|hide caption|"
    r"toggle caption|expand|close|advertisement|listen to article|play|watch|audio|share full article|[·•|]|"
    r"listen to (?:this )?(?:article|story)\b.{0,40})$",
    re.I,
)
# "Illustration by X", "Photograph: X/Getty": credits for the pictures, not the byline.
_CREDIT_LINE = re.compile(r"^(?:(?:photo(?:graph)?s?|illustrations?|photo illustration|graphics?|video|images?)\s+(?:by\b|:)|(?:photo(?:graph)?|image)\s+credit\b).{1,120}$", re.I)
_IMAGE_LINE = re.compile(r"^(?:image|media|video|photo|picture)\s+(?:source|caption|credit)\s*[,:]\s*\S.{0,200}$", re.I)
_RELATIVE_TIME = re.compile(r"^(?:\d{1,2}\s+(?:hours?|hrs?|minutes?|mins?|days?|weeks?)\s+ago|yesterday|just now)$", re.I)
_SECTION_WORDS = frozenset(
    "analysis opinion business politics world sport sports technology tech science health markets live exclusive review "
    "commentary editorial explainer interview news features culture environment economy money travel lifestyle "
    "entertainment investigation perspective essay column europe asia africa americas australia uk us".split()
)


def _section_label(line: str) -> bool:
    words = line.split()
    if not 0 < len(words) <= 3 or len(line) > 30:
        return False
    letters = [c for c in line if c.isalpha()]
    return line.lower() in _SECTION_WORDS or (len(letters) >= 3 and line.isupper() and not _BARE_NAME.match(line.title()))


def _role_line(line: str) -> bool:
    """"Business reporter, BBC News", "Economics correspondent", "BBC News, Washington": a role or desk under a name."""
    if len(line.split()) > 8 or len(line) > 80 or line.endswith((".", "?", "!")):
        return False
    return bool(_ROLE_PART.search(line)) or is_agency(line.split(",")[0])


def furniture(line: str) -> str | None:
    """Why a header line is page furniture rather than article text, or None."""
    if len(line) > 220:
        return None
    if _READING_TIME.match(line):
        return "page furniture: reading time"
    if _BUTTON.match(line.strip(" |·•")):
        return "page furniture: button label (save, share, listen)"
    if _IMAGE_LINE.match(line) or _CREDIT_LINE.match(line):
        return "page furniture: image source, caption or credit"
    if _RELATIVE_TIME.match(line):
        return "page furniture: relative time (no date)"
    if _section_label(line):
        return "page furniture: section label"
    return None


def _date_of(line: str) -> tuple[str | None, str | None]:
    """(label, ISO day) of a full date line, times and weekdays allowed ("Mon 4 Mar 2024 15.04 GMT"); (None, None) otherwise."""
    label, iso = date_line(line)
    if iso and not iso.startswith("--"):
        return label, iso
    bare = _CLOCK.sub(" ", line)
    if bare != line:
        label, iso = date_line(" ".join(bare.split()).strip(" ,"))
        if iso and not iso.startswith("--"):
            return label, iso
    return None, None


_CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}(?:\s*[ap]\.?m\.?)?(?=[\s,]|$)", re.I)
_UPDATED = ("updated", "last updated", "modified", "last modified")


def _take_date(article: Article, label: str | None, iso: str) -> None:
    label = label or article.flags.pop("date_label", None)
    if label in _UPDATED:
        article.updated = article.updated or iso
    else:
        article.date = article.date or iso
        if article.date == iso and not article.date_source:
            article.date_source = "text"


def _byline_agency(line: str) -> str | None:
    """The agency or site a byline names after (or instead of) its people: "By X, CNN" -> "CNN"."""
    m = _BYLINE.match(line)
    if not m:
        return None
    parts = [p.strip(" .") for p in _SPLIT_NAMES.split(m.group("names")) if p.strip(" .")]
    agencies = [p for p in parts if is_agency(p) and not _ROLE_PART.search(p)]
    return agencies[-1] if agencies else None


def _take_names(article: Article, names: list[str]) -> None:
    if names and not article.authors:
        article.authors = names


_POSTED_BY = re.compile(r"^(?P<date>.+?),?\s+by\s+(?P<names>.+)$", re.I)


_HEADER_LINE_MAX = 200
_GLUED_LABEL = re.compile(r"(?<=\d)(?=(?:Updated|Published|Posted|Modified)\b)")
_LABEL_ONLY = frozenset(("published", "updated", "posted", "last updated", "first published", "modified", "last modified"))


def _consume_header_line(article: Article, line: str, next_line: str | None, bare_names: bool = True) -> bool:
    """Take one header line into metadata if it is a byline or date.

    ``bare_names``: a bare name counts as the author when a date or role line
    follows it; not above the title, where the headline itself may look like a name.
    """
    if len(line) > _HEADER_LINE_MAX:  # a paragraph, not a header line
        return False
    if _GLUED_LABEL.search(line):  # "Published Nov. 8, 2023Updated Nov. 9, 2023"
        line = _GLUED_LABEL.sub(" | ", line)
    label_only = line.strip().rstrip(":").strip().lower()
    if label_only in _LABEL_ONLY and next_line is not None and _date_of(next_line)[1]:
        article.flags["date_label"] = label_only  # "Published" on its own line, its date on the next
        return True
    names = byline(line)
    if names is not None:
        _take_names(article, names)
        agency = _byline_agency(line)
        if agency:
            article.source = article.source or agency
        return True
    label, iso = _date_of(line)
    if iso:
        _take_date(article, label, iso)
        return True
    if bare_names and next_line is not None and _BARE_NAME.match(line) and not is_agency(line) and (_date_of(next_line)[1] or _role_line(next_line)):
        _take_names(article, split_names(line))
        return True
    # "Helena Marsh / Mon 4 Mar 2024 15.04 GMT", "By X | June 9, 2025", "June 9, 2025 · By X", "Updated: … | Published: …"
    parts = [p.strip() for p in _HEADER_SEPARATOR.split(line) if p.strip()]
    if len(parts) > 1 and any(_date_of(p)[1] for p in parts) and all(
        byline(p) is not None or _date_of(p)[1] or (_BARE_NAME.match(p) and not is_agency(p)) for p in parts
    ):
        for p in parts:
            if byline(p) is None and not _date_of(p)[1]:
                _take_names(article, split_names(p))
            else:
                _consume_header_line(article, p, None)
        return True
    # "Posted 2:55 PM, December 30, 2013, by CNN Wire"
    m = _POSTED_BY.match(line)
    if m and _date_of(m.group("date"))[1] and byline("by " + m.group("names")) is not None:
        return _consume_header_line(article, m.group("date"), None) and _consume_header_line(article, "by " + m.group("names"), None)
    # "Tom Whitfield Transport correspondent": a name with its role
    role = _ROLE_PART.search(line)
    if role and next_line is not None and _date_of(next_line)[1] and _role_line(line):
        head = line[: role.start()].split()
        for n in (2, 3):
            if len(head) > n and _BARE_NAME.match(" ".join(head[:n])):
                _take_names(article, [" ".join(head[:n])])
                return True
    return False


_DIGIT = re.compile(r"\d")


def is_header_line(line: str) -> bool:
    """A line that is a byline, a date line or page furniture: never part of a wrapped paragraph, never a heading.

    Cheap tests first (the text reader asks this of every short line): a
    line with no digit can only be furniture or a "By …" byline.
    """
    line = line.strip()
    if not line or len(line) > 160:
        return False
    if furniture(line) is not None or byline(line) is not None:
        return True
    return bool(_DIGIT.search(line)) and _consume_probe(line)


def _single_line(block: Block) -> str | None:
    if block.kind not in ("para", "markdown") or "\n" in block.text.strip():
        return None
    return _md_plain(block.text)


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
        elif _consume_header_line(article, line, nxt, bare_names=False):
            article.remove(blocks[i].text, "metadata: byline/date (moved to front matter)")
        else:
            break
        i += 1
    return i


def _agency_line(article: Article, line: str) -> bool:
    if article.authors and is_agency(line) and len(line) <= 40 and not _ROLE_PART.search(line) and "," not in line:
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
            article.title = _md_plain(blocks[i].text)
            article.remove(blocks[i].text, "metadata: title (moved to front matter)")
        i += 1
    elif i < len(blocks) and article.title and _md_plain(blocks[i].text).strip().lower() == article.title.strip().lower():
        article.remove(blocks[i].text, "metadata: title (repeats the page title)")
        i += 1
    elif i < len(blocks) and article.format != "md" and _title_candidate(blocks[i]) and len(blocks) > i + 1 and not article.title:
        article.title = blocks[i].text
        article.remove(blocks[i].text, "metadata: title (moved to front matter)")
        i += 1
    article.flags["title_in_text"] = had_title or i > start
    i = _scan_header(article, blocks, i)
    del blocks[:i]
    # A label glued to the first paragraph: " date 2026-02-27 February 24 marks …"
    if blocks and blocks[0].kind in ("para", "markdown"):
        found = leading_date(blocks[0].text)
        if found:
            label, iso, prefix = found
            _take_date(article, label, iso)
            article.remove(prefix.strip(), f"metadata: {label} (moved to front matter)")
            blocks[0].text = blocks[0].text[len(prefix):]
    if not article.date and article.updated and article.format != "md":
        # A copy-paste showing only "Updated …" (CNN, AP): the one day it states.
        article.date, article.date_source = article.updated, "text"
        article.warn("the text states only when it was updated; that day is used as its date")
    return article


_HEADER_BLOCKS = 12


def _scan_header(article: Article, blocks: list[Block], i: int) -> int:
    """Bylines, dates and furniture under the title; returns the index of the first body block."""
    limit = min(len(blocks), i + _HEADER_BLOCKS)
    standfirst_ok = article.format != "md" and article.flags.get("title_in_text") and not article.description
    while i < limit and blocks[i].kind in ("para", "markdown"):
        lines = [_md_plain(l) for l in blocks[i].text.split("\n") if l.strip()]
        nxt_block = _md_plain(blocks[i + 1].text.split("\n")[0]) if i + 1 < len(blocks) else None
        reasons = []
        for j, line in enumerate(lines):
            nxt = lines[j + 1] if j + 1 < len(lines) else nxt_block
            reason = furniture(line)
            if reason is None and _consume_header_line(article, line, nxt):
                reason = "metadata: byline/date (moved to front matter)"
            elif reason is None and _agency_line(article, line):
                reason = "metadata: source (agency line after the byline)"
            elif reason is None and article.authors and _role_line(line) and j == 0:
                reason = "metadata: the author's role"
            if reason is None:
                break
            reasons.append(reason)
        if len(reasons) == len(lines) and lines:
            article.remove(blocks[i].text, reasons[0] if len(set(reasons)) == 1 else "metadata: byline/date and page furniture")
            i += 1
            continue
        # One standfirst between the title and the byline: a byline or date follows within two lines.
        if standfirst_ok and len(lines) == 1 and 40 <= len(lines[0]) <= 320 and not article.authors and not article.date:
            ahead = [_single_line(b) for b in blocks[i + 1 : i + 3]]
            if any(a and (byline(a) is not None or _date_of(a)[1] or ("/" in a and _consume_probe(a))) for a in ahead):
                article.description = lines[0]
                article.remove(blocks[i].text, "standfirst (shown as the description)")
                standfirst_ok = False
                i += 1
                continue
        break
    return i


def _consume_probe(line: str) -> bool:
    probe = Article(id="", raw="", sha256="", format="txt")
    return _consume_header_line(probe, line, None)


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
FIELDS = ("title", "authors", "date", "updated", "source", "url", "description", "tags", "language", "license", "translator", "original_title", "original_language", "notes")


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
