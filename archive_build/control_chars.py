"""Control characters out of every text an article publishes (XML, JSON, HTML), each recorded as removed.

XML 1.0 allows no C0 control character but tab, newline and carriage
return: one BEL in a first paragraph made ``feed.xml`` unreadable for every
subscriber.  HTML calls C0 and C1 controls parse errors, and JSON escapes
them into strings no reader wants.  They reach an article from the raw
bytes, from HTML character references (``&#7;``) and from YAML escapes
(``"\\a"``) in front matter and sidecars, so they are removed once, at the
end of cleaning, from every text field.

The line-breaking ones (vertical tab, form feed, the information
separators, NEL) become line breaks, as ``str.splitlines`` reads them; the
others are dropped.  Either way the article records each run as removed
text, spelled as code points (``U+0007``): the character itself must not
reach the page that lists what was removed.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from archive_build.model import Article

REASON = "control character (not allowed in XML, JSON or HTML)"
_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
# C0 but tab, newline and carriage return; DEL; C1; the two noncharacters XML excludes; lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]+")


def spelled(run: str) -> str:
    """A run of control characters as code points: ``U+0007 U+001B``."""
    return " ".join(f"U+{ord(c):04X}" for c in run)


def strip_text(text: str, removed: list[str]) -> str:
    """``text`` without control characters; each run removed is added to ``removed``, spelled."""
    if CONTROL.search(text) is None:
        return text

    def replace(m: re.Match[str]) -> str:
        removed.append(spelled(m.group()))
        return "\n" if any(c in _LINE_BREAKS for c in m.group()) else ""

    return CONTROL.sub(replace, text)


def _strip_value(value: Any, removed: list[str]) -> Any:
    if isinstance(value, str):
        return strip_text(value, removed)
    if isinstance(value, list):
        return [_strip_value(v, removed) for v in value]
    if isinstance(value, tuple):
        return tuple(_strip_value(v, removed) for v in value)
    if isinstance(value, dict):
        return {_strip_value(k, removed): _strip_value(v, removed) for k, v in value.items()}
    return value


# The article's own text; the metadata fields are often copies of it (a description is its first paragraph).
_TEXT_FIELDS = ("body", "footnotes", "extra")
_META_FIELDS = ("title", "authors", "date", "updated", "source", "url", "description", "tags")


def strip_controls(article: Article) -> Article:
    """Remove control characters from every text field of a cleaned article, recording them in ``removed``.

    A run found in a metadata field and also in the body is recorded once
    (each run as many times as the field showing it most often does).
    """
    found = Counter[str]()
    for name in _TEXT_FIELDS:
        runs: list[str] = []
        if value := getattr(article, name):
            setattr(article, name, _strip_value(value, runs))
        found.update(runs)
    for r in article.removed:
        runs = []
        r.text = strip_text(r.text, runs)
        r.reason = strip_text(r.reason, runs)
        found.update(runs)
    for name in _META_FIELDS:
        runs = []
        if value := getattr(article, name):
            setattr(article, name, _strip_value(value, runs))
        found |= Counter(runs)
    for run in sorted(found.elements()):
        article.remove(run, REASON)
    return article
