"""Recognising and normalising the date forms real articles use."""
from __future__ import annotations

import functools
import re
import warnings
from datetime import date, datetime

from dateutil import parser as dateparser

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_SHAPE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?(?:\s+\d{{4}})?)",
    re.I,
)
_TZ = re.compile(r"\b(?:ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|MSK)\b")
_LABEL = re.compile(r"^\s*(?P<label>published|posted|updated|last updated|last modified|modified|date|dated|first published)\s*(?:on|at)?\s*[:\-–—]?\s*", re.I)
# 08.11.2023: the dotted form is written day first wherever it is used.
_DOTTED = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_DEFAULT = datetime(1900, 1, 1)


# dateutil takes a quarter of a millisecond per date; an archive holds each
# day's date many times over (and the header is read line by line twice).
@functools.lru_cache(maxsize=1 << 14)
def parse_date(text: str, *, need_year: bool = True) -> str | None:
    """ISO date for a short date string, or None.

    ``need_year``: a date without a year ("February 24") is not a publication
    date; we never invent the year.
    """
    s = _TZ.sub("", text).strip(" ,.|·•—-")
    s = _WEEKDAY.sub("", s)
    if not s or not _DATE_SHAPE.search(s):
        return None
    if need_year and not _YEAR.search(s):
        return None
    try:
        with warnings.catch_warnings():  # dateutil warns about zone names it cannot place ("AMT"); the day is all we keep
            warnings.simplefilter("ignore")
            value, skipped = dateparser.parse(s, default=_DEFAULT, fuzzy_with_tokens=True, dayfirst=bool(_DOTTED.search(s)))
    except (ValueError, OverflowError, TypeError):
        return None
    leftover = "".join(skipped)
    if re.search(r"[A-Za-z]{3,}", re.sub(r"\b(?:at|on|of|the|a\.?m\.?|p\.?m\.?)\b", "", leftover, flags=re.I)):
        return None
    if not need_year and not _YEAR.search(s):
        return value.strftime("--%m-%d")
    if not 1800 <= value.year <= 2200:
        return None
    return value.date().isoformat()


def date_line(text: str) -> tuple[str | None, str | None]:
    """If the whole line is a (labelled) date, return (label, iso-or-"--MM-DD")."""
    if len(text) > 60:
        return None, None
    m = _LABEL.match(text)
    label = m.group("label").lower() if m else None
    rest = text[m.end():] if m else text
    iso = parse_date(rest, need_year=False)
    return (label, iso) if iso else (None, None)


def leading_date(text: str) -> tuple[str, str, str] | None:
    """A labelled date glued to the start of a paragraph ("date 2026-02-27 February 24 marks …").

    Returns (label, iso, matched prefix) or None.
    """
    m = re.match(
        rf"^\s*(?P<label>published|posted|updated|date|dated)\s*[:\-–—]?\s*(?P<d>\d{{4}}-\d{{2}}-\d{{2}}|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}})\s*",
        text,
        re.I,
    )
    if not m:
        return None
    iso = parse_date(m.group("d"))
    if not iso:
        return None
    return m.group("label").lower(), iso, m.group(0)


def iso_from_any(value: object) -> str | None:
    """Front matter / sidecar dates: YAML dates, datetimes or strings."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return parse_date(value)
    return None
