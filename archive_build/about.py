""""About this text": what the archive did to an article, told to its readers in sentences.

The cleaner records every removal as (text, reason) and every doubt as a
warning, worded for the people who maintain the archive ("metadata: title
(moved to front matter)").  The article page speaks to readers instead: one
sentence per kind of change ("The title, byline and date were moved from the
copy into the header above."), the removed words as plain text (a removed
Markdown link shows as its words, not as ``**[wsws.org/contact](…)**``), and
the raw file's path and hash in a small technical line.  Nothing is dropped:
a reason this module does not know is shown as written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

FORMATS = {"txt": "plain text", "md": "Markdown text", "html": "a saved web page"}

# Reasons as the cleaner records them → what a reader is told.  Prefixes, tried in order.
_REASONS: tuple[tuple[str, str], ...] = (
    ("site contact/subscription footer", "The publisher’s contact and subscription footer was removed."),
    ("share buttons", "Share buttons copied with the text were removed."),
    ("advertisement marker", "An advertisement marker was removed."),
    ("copyright line", "The publisher’s copyright line was removed (the licence is in the citation)."),
    ("photo caption pasted twice", "A photo caption pasted twice was kept once, with its credit."),
    ("standfirst", "The standfirst was moved from the text to the top of the page."),
    ("metadata: title in the text", "The copy’s own headline was replaced by the archive’s title."),
    ("metadata: title (repeats the page title)", "The headline at the top of the copy, the same as the title, was moved into the header."),
    ("metadata: ", "The {field} given in the copy’s own lines was moved into the header."),
    ("author bio appended", "An author’s biography pasted after the article was removed."),
    ("superscript note numbers", "Note numbers in the text became links to the author’s notes."),
    ("notes section heading", "The heading of the author’s notes was replaced by the notes list at the end."),
    ("unsafe link target", "A link to an unsafe address was removed; its words were kept."),
    ("page furniture", "The web page’s navigation, header, footer and sidebars were removed."),
    ("reader comments", "Readers’ comments below the article were removed."),
    ("link targets relative to the original site", "Links to pages of the original site whose address the copy does not give were removed; their words were kept."),
)

_WARNINGS: tuple[tuple[str, str], ...] = (
    ("no title found", "The copy gives no title."),
    ("no date found", "The copy gives no date."),
    ("no source found", "The copy does not name its publication."),
    ("no author found", "The copy names no author."),
    ("the text may be truncated", "The copy may be incomplete: it ends mid-sentence."),
)


@dataclass
class Change:
    sentence: str
    texts: list[str] = field(default_factory=list)


@dataclass
class About:
    intro: str
    changes: list[Change]
    notes: list[str]
    technical: str
    date_source: str = ""  # "Date 2023-05-30 taken from the page's meta tags."


# Where the cleaner found the date (front matter ``date_source``), as a reader reads it.
DATE_SOURCES = {
    "json-ld": "the page's JSON-LD data",
    "meta": "the page's meta tags",
    "time": "a time element on the page",
    "text": "the article's text",
    "url": "the page's address (no date stated on the page)",
    "sidecar": "the sidecar file",
    "front-matter": "the file's front matter",
}


def _reason_sentence(reason: str) -> str:
    for prefix, sentence in _REASONS:
        if reason.startswith(prefix):
            if "{field}" in sentence:
                name = reason[len(prefix):].split(" (", 1)[0].strip()
                return sentence.format(field=name.replace("/", " and ") or "metadata")
            return sentence
    return reason[:1].upper() + reason[1:].rstrip(".") + "."


def _warning_sentence(warning: str) -> str:
    for prefix, sentence in _WARNINGS:
        if warning.startswith(prefix):
            return sentence
    return warning[:1].upper() + warning[1:].rstrip(".") + "."


def readable(text: str, fmt: str) -> str:
    """Removed text as a reader sees words: Markdown input rendered to its plain text."""
    if fmt != "md":
        return " ".join(text.split())
    from archive_build.markdown.plaintext import plain_text

    return " ".join(plain_text(text)[0].split())


def about(meta: Mapping[str, Any]) -> About:
    """The "About this text" block of an article page, from its front matter."""
    fmt = str(meta.get("format") or "")
    intro = f"A reader saved this copy as {FORMATS.get(fmt, 'a file')}, and the archive cleaned it for reading."
    changes: dict[str, Change] = {}
    for item in meta.get("removed") or []:
        if not isinstance(item, Mapping):
            continue
        sentence = _reason_sentence(str(item.get("reason") or ""))
        change = changes.setdefault(sentence, Change(sentence))
        words = readable(str(item.get("text") or ""), fmt)
        if words:
            change.texts.append(words)
    notes = list(dict.fromkeys(_warning_sentence(str(w)) for w in meta.get("warnings") or []))
    source = str(meta.get("date_source") or "")
    date_line = f"Date {meta.get('date', '')} taken from {DATE_SOURCES.get(source, source)}." if source else ""
    supplied = [str(s) for s in meta.get("supplied") or []]
    if supplied:
        notes.append(f"The {' and '.join(supplied)} {'was' if len(supplied) == 1 else 'were'} supplied by the archive, not by the copy.")
    technical = f"Raw file {meta.get('raw', '')} · SHA-256 {meta.get('sha256', '')} · {meta.get('word_count', 0)} words"
    return About(intro, list(changes.values()), notes, technical, date_line)


def truncated(meta: Mapping[str, Any]) -> bool:
    """Whether the cleaner found the text may be cut short (shown as a notice at its end)."""
    return any(str(w).startswith("the text may be truncated") for w in meta.get("warnings") or [])
