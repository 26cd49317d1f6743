"""Header lines a copied page carries around its text: bylines, date lines, page furniture.

Both the text reader (which must not join a byline into a wrapped
paragraph) and the metadata transform (which takes these lines into the
article's fields) read lines the same way, so the recognisers live here,
below both.
"""
from __future__ import annotations

import re

from archive_build.markdown.linear_scan import strip_simple_links
from archive_build.model import Article
from archive_build.text.dates import date_line

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
ROLE_PART = re.compile(rf"\b{_ROLE_WORD}\b", re.I)
_NAME_WORD = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.|de|van|von|der|da|di|la|le|bin|al-\w+)"
_BARE_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}$")
_SPLIT_NAMES = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\s*")
_ROLE_SUFFIX = re.compile(r"\s*(?:[|·•]\s*.*|,?\s+(?:for|in|at)\s+.+)$")

_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # read by linear_scan.strip_simple_links
# "\s+[|·•—/]\s+", tried only where a run of white space starts (from inside a run, the
# pattern meets the same separator or none: a long run of spaces was scanned once per space).
_HEADER_SEPARATOR = re.compile(r"(?<!\s)\s+[|·•—/]\s+")
_EMPHASIS_PAIR = re.compile(r"(\*\*|__|\*|_)(.+?)\1")


def md_plain(line: str) -> str:
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
    names = [n for n in names if not is_agency(n) and not ROLE_PART.search(n)]
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


# --- page furniture a browser copy picks up around the headline -------------------

_READING_TIME = re.compile(r"^(?:\d{1,3}[\s-]*(?:min(?:ute)?s?|m)\.?[\s-]*(?:read|listen|watch)|(?:reading|read|listening) time\s*:?\s*\d{1,3}\s*min(?:ute)?s?)\.?$", re.I)
_BUTTON = re.compile(
    r"^(?:save|saved|share|share this|share on \w+|link copied!?|copy link|listen(?: to this article)?|print|comments?|\d{1,5} comments?|"
    r"gift (?:this )?article|follow|bookmark|add to (?:your )?saved items|reuse this content|show caption|hide caption|"
    r"toggle caption|expand|close|advertisement|listen to article|play|watch|audio|share full article|[·•|]|"
    r"listen to (?:this )?(?:article|story)\b.{0,40}|save articles? to read later\b.{0,80}|supported by|skip advertisement)$",
    re.I,
)
# "Illustration by X", "Photograph: X/Getty": credits for the pictures, not the byline.
_CREDIT_LINE = re.compile(r"^(?:(?:photo(?:graph)?s?|illustrations?|photo illustration|graphics?|video|images?)\s+(?:by\b|:)|(?:photo(?:graph)?|image)\s+credit\b).{1,120}$", re.I)
# The New York Times' caption with its credit glued on: "… this month.Credit...Nicole Tung for The New York Times".
_GLUED_CREDIT = re.compile(r"^.{10,400}?Credit\.{2,3}\S.{1,120}$")
# Where the reporters were, under the byline: "Reporting from Kyiv, Ukraine, and Washington".
_REPORTING_FROM = re.compile(r"^reporting from\s+\S.{1,100}$", re.I)
# The time of an update on the day the date line gives: "Updated 4:35 p.m. ET".
_UPDATED_AT = re.compile(r"^(?:updated|published|posted)\s*:?\s*\d{1,2}[.:]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|local time)?$", re.I)
# A picture alone on a line (a Markdown image, maybe linked): the author's portrait under a title.
_PICTURE = re.compile(r"^!\[[^\]\n]{0,200}\]\([^)\s]{1,2000}\)$")
# Likes, comments and shares under a headline: "27", "5", "27 Likes∙5 Restacks".
_COUNT = re.compile(r"^\d{1,6}(?:\s*(?:likes?|comments?|shares?|restacks?)(?:\s*[∙·•|]\s*\d{1,6}\s*(?:likes?|comments?|shares?|restacks?))*)?$", re.I)
_IMAGE_LINE = re.compile(r"^(?:image|media|video|photo|picture)\s+(?:source|caption|credit)\s*[,:]\s*\S.{0,200}$", re.I)
_RELATIVE_TIME = re.compile(
    r"^(?:(?:updated|posted|published|last updated)\s*:?\s*)?(?:\d{1,2}\s+(?:hours?|hrs?|minutes?|mins?|days?|weeks?)\s+ago|yesterday|just now)$", re.I
)
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


def is_role_line(line: str) -> bool:
    """"Business reporter, BBC News", "Economics correspondent", "BBC News, Washington": a role or desk under a name."""
    if len(line.split()) > 8 or len(line) > 80 or line.endswith((".", "?", "!")):
        return False
    return bool(ROLE_PART.search(line)) or is_agency(line.split(",")[0])


def furniture(line: str) -> str | None:
    """Why a header line is page furniture rather than article text, or None."""
    if len(line) > 220:
        return None
    if _READING_TIME.match(line):
        return "page furniture: reading time"
    if _BUTTON.match(line.strip(" |·•")):
        return "page furniture: button label (save, share, listen)"
    if _IMAGE_LINE.match(line) or _CREDIT_LINE.match(line) or _GLUED_CREDIT.match(line):
        return "page furniture: image source, caption or credit"
    if _PICTURE.match(line):
        return "page furniture: a picture (pictures are not kept)"
    if _COUNT.match(line):
        return "page furniture: a count (likes, comments, shares)"
    if _RELATIVE_TIME.match(line) or _UPDATED_AT.match(line):
        return "page furniture: relative time (no date)"
    if _REPORTING_FROM.match(line):
        return "page furniture: where the reporting was done"
    if _section_label(line):
        return "page furniture: section label"
    return None


def full_date(line: str) -> tuple[str | None, str | None]:
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


def take_date(article: Article, label: str | None, iso: str) -> None:
    if not label:  # a "Published" line before this one (take_header_line)
        label, article.date_label = article.date_label, None
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
    agencies = [p for p in parts if is_agency(p) and not ROLE_PART.search(p)]
    # "The Kyiv Independent news desk": the site, not its desk.
    return _DESK.sub("", agencies[-1]) or agencies[-1] if agencies else None


_DESK = re.compile(r"\s+(?:news\s+desk|newsroom|desk|staff)$", re.I)


def _take_names(article: Article, names: list[str]) -> None:
    if names and not article.authors:
        article.authors = names


_POSTED_BY = re.compile(r"^(?P<date>.+?),?\s+by\s+(?P<names>.+)$", re.I)


_HEADER_LINE_MAX = 200
# "Published Nov. 8, 2023Updated Nov. 9, 2023", "7:41 AM GMTUpdated 2 hours ago": a label glued to what precedes it.
_GLUED_LABEL = re.compile(r"(?<=[\da-zA-Z])(?=(?:Updated|Published|Posted|Modified)\b)")
# "November 5, 20247:41 AM GMT": a year glued to the time after it.
_GLUED_CLOCK = re.compile(r"(,\s*(?:19|20)\d\d)(?=\d{1,2}:\d{2}\b)")
_LABEL_ONLY = frozenset(("published", "updated", "posted", "last updated", "first published", "modified", "last modified"))


def take_header_line(article: Article, line: str, next_line: str | None, bare_names: bool = True) -> bool:
    """Take one header line into metadata if it is a byline or date.

    ``bare_names``: a bare name counts as the author when a date or role line
    follows it; not above the title, where the headline itself may look like a name.
    """
    if len(line) > _HEADER_LINE_MAX:  # a paragraph, not a header line
        return False
    if _GLUED_LABEL.search(line):
        line = _GLUED_LABEL.sub(" | ", line)
    if _GLUED_CLOCK.search(line):
        line = _GLUED_CLOCK.sub(r"\1 ", line)
    label_only = line.strip().rstrip(":").strip().lower()
    if label_only in _LABEL_ONLY and next_line is not None and full_date(next_line)[1]:
        article.date_label = label_only  # "Published" on its own line, its date on the next
        return True
    names = byline(line)
    if names is not None:
        _take_names(article, names)
        agency = _byline_agency(line)
        if agency:
            article.source = article.source or agency
        return True
    label, iso = full_date(line)
    if iso:
        take_date(article, label, iso)
        return True
    if bare_names and next_line is not None and _BARE_NAME.match(line) and not is_agency(line) and (full_date(next_line)[1] or is_role_line(next_line)):
        _take_names(article, split_names(line))
        return True
    # "Helena Marsh / Mon 4 Mar 2024 15.04 GMT", "By X | June 9, 2025", "June 9, 2025 · By X", "Updated: … | Published: …"
    parts = [p.strip() for p in _HEADER_SEPARATOR.split(line) if p.strip()]
    if len(parts) > 1:
        # A relative time beside a date ("… GMT | Updated 2 hours ago") says nothing more: it goes with the line.
        parts = [p for p in parts if not _RELATIVE_TIME.match(p)]
    if len(parts) >= 1 and parts != [line.strip()] and any(full_date(p)[1] for p in parts) and all(
        byline(p) is not None or full_date(p)[1] or (_BARE_NAME.match(p) and not is_agency(p)) for p in parts
    ):
        for p in parts:
            if byline(p) is None and not full_date(p)[1]:
                _take_names(article, split_names(p))
            else:
                take_header_line(article, p, None)
        return True
    # "by The Kyiv Independent news desk November 20, 2024 10:42 PM 5 min read": no separators at all.
    if line[:3].lower() == "by " and _DIGIT.search(line):
        words = _TRAILING_READING_TIME.sub("", line).split()
        for k in range(2, len(words)):
            head, rest = " ".join(words[:k]), " ".join(words[k:])
            if full_date(rest)[1] and byline(head) is not None:
                return take_header_line(article, head, None) and take_header_line(article, rest, None)
    # "Posted 2:55 PM, December 30, 2013, by CNN Wire"
    m = _POSTED_BY.match(line)
    if m and full_date(m.group("date"))[1] and byline("by " + m.group("names")) is not None:
        return take_header_line(article, m.group("date"), None) and take_header_line(article, "by " + m.group("names"), None)
    # "Tom Whitfield Transport correspondent": a name with its role
    role = ROLE_PART.search(line)
    if role and next_line is not None and full_date(next_line)[1] and is_role_line(line):
        head = line[: role.start()].split()
        for n in (2, 3):
            if len(head) > n and _BARE_NAME.match(" ".join(head[:n])):
                _take_names(article, [" ".join(head[:n])])
                return True
    return False


_DIGIT = re.compile(r"\d")
_TRAILING_READING_TIME = re.compile(r"\s+\d{1,3}\s*min(?:ute)?s?\.?\s+read$", re.I)


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
    return bool(_DIGIT.search(line)) and is_metadata_line(line)


def is_metadata_line(line: str) -> bool:
    probe = Article(id="", raw="", sha256="", format="txt")
    return take_header_line(probe, line, None)
