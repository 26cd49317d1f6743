"""Turning untrusted text into Markdown that renders exactly as written.

Two entry points: ``escape_text`` for plain prose (every Markdown-significant
character is backslash-escaped; the site enables ``pymdownx.escapeall`` so
any escaped character renders literally), and ``sanitize_markdown`` for
Markdown input, which keeps emphasis, links, lists and quotes but escapes raw
HTML and drops link targets with unsafe schemes.  The MkDocs hook sanitises
the rendered HTML once more; this module is the first line, not the only one.
"""
from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import urlsplit

from archive_build.markdown import untrusted as untrusted_markdown
from archive_build.markdown.tokens import IMAGE, Token, code_regions, tokenize
from archive_build.markdown.tokens import LINK as LINK_KIND

# Characters that start inline syntax anywhere in a line (Python-Markdown core,
# "#" because a heading drops its trailing hashes,
# attr_list braces, pymdownx mark/caret/tilde, tables' pipes, entities).
# Each with its escaped form, the backslash first: the later replacements add backslashes.
_INLINE_ESCAPES = tuple((c, "\\" + c) for c in "\\`*_[]{}<>&=^~|#")
# Constructs that only mean something at the start of a line (admonition
# "!!!" and pymdownx.details "???" among them).
_LINE_START = re.compile(r"^(\s*)(#|>|[-+]\s|\d+(?=[.)]\s)|:|=+\s*$|-(?=[-\s]*$)|!(?=!!)|\?(?=\?\?))", re.M)

_LEADING_SPACE = re.compile(r"^[ \t]+", re.M)

SAFE_SCHEMES = ("http", "https", "mailto")


def _escape_line_start(m: re.Match[str]) -> str:
    return m.group(1) + "\\" + m.group(2)


# What a line must start with (after spaces) for ``_LINE_START`` to match it.
_LINE_START_FIRST = frozenset("#>-+:=!?")


def escape_text(text: str) -> str:
    """Plain text → Markdown source that renders to the same characters."""
    # One str.replace per character present: 3 times as fast as a regex
    # substitution on a sentence, 10 on an article (on Python 3.11 its
    # replacement template calls back into Python for every match).
    out = text
    for char, escaped in _INLINE_ESCAPES:
        if char in out:
            out = out.replace(char, escaped)
    if "\n" not in out:  # one line (most calls): the line-start passes only when its start needs them
        first = out.lstrip()[:1]
        if first and (first in _LINE_START_FIRST or first.isdecimal()):
            out = _LINE_START.sub(_escape_line_start, out)
        return out.lstrip(" \t") if out[:1] in (" ", "\t") else out
    out = _LINE_START.sub(_escape_line_start, out)
    # Leading spaces would turn a line into a code block.
    return _LEADING_SPACE.sub("", out)


def url_scheme(url: str) -> str | None:
    """The URL's scheme in lower case ("" for none), or None when ``urlsplit`` rejects it.

    Strangers' links include things like ``https://ba[tic.example/`` that
    ``urlsplit`` refuses with ValueError ("Invalid IPv6 URL"); every caller
    treats such a URL as unsafe instead of crashing.
    """
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return None


def safe_url(url: str) -> str | None:
    """The URL if it is safe to link to (http(s), mailto, relative), else None."""
    candidate = html.unescape(url).strip()
    candidate = re.sub(r"[\x00-\x20\x7f]+", "", candidate)
    scheme = url_scheme(candidate) if ":" in candidate.split("/")[0] else ""
    if scheme is None or (scheme and scheme not in SAFE_SCHEMES):
        return None
    if candidate.startswith("//"):
        return candidate
    return url.strip()


# An inline link or image, ``[label](target "title")`` (group 1: "![" for an image).
# Patterns that scan whole texts start with a literal, an alternation of
# literals or one character class, never with an optional part or an
# alternation of classes: only then does the regex engine skip ahead to
# candidate characters in C instead of trying a match at every position
# (three times as fast over an article's body).
LINK = re.compile(r"(!\[|\[)((?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.\-]{1,31}):[^\s<>]*)>")
_REF_DEF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(\s.*)?$", re.M)
# A code span: a run of backticks, the code, the same run (its first backtick spelled out, as above).
CODE_SPAN = re.compile(r"(``*)(.+?)\1", re.S)

_STASHED = re.compile("\x00([0-9]+)\x00")


def _protect_code(text: str) -> tuple[str, list[str]]:
    """``text`` with its code spans and fences (as the renderer reads them) stashed, and the stash."""
    stash: list[str] = []
    out: list[str] = []
    last = 0
    for start, end in code_regions(text).spans:
        out.append(text[last:start])
        out.append(f"\x00{len(stash)}\x00")
        stash.append(text[start:end])
        last = end
    out.append(text[last:])
    return "".join(out), stash


# After a link's destination: its title, if any (``LINK``'s last group).
_LINK_TITLE = re.compile(r">?(\s+\"[^\"]*\")?\s*\)")


def _replace_links(text: str, replace: Callable[[Token, str], str]) -> str:
    """``text`` with each link and image (as ``markdown.tokens`` reads them) replaced by ``replace(token, text)``.

    ``text`` is the link's own text with the links inside it replaced first,
    so that a link inside another one's words is checked too.
    """
    links = [t for t in tokenize(text) if t.kind in (LINK_KIND, IMAGE)]

    def rewrite(start: int, end: int, k: int) -> tuple[str, int]:
        out: list[str] = []
        last = start
        while k < len(links) and links[k].start < end:
            t = links[k]
            label, k = rewrite(t.inner[0], t.inner[1], k + 1)
            out += [text[last : t.start], replace(t, label)]
            last = t.end
            while k < len(links) and links[k].start < t.end:  # inside its destination: not a link
                k += 1
        out.append(text[last:end])
        return "".join(out), k

    return rewrite(0, len(text), 0)[0]


# "<" or "&" with the backslashes before it, read from the start of their run (so a long run is read
# once): an odd number escapes it already.
_MARKUP_CHAR = re.compile(r"(?<!\\)(\\*)([<&])")


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes (an escape)."""
    n = 0
    while pos - n - 1 >= 0 and text[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def sanitize_markdown(text: str, dropped: list[str] | None = None, removed: list[tuple[str, str]] | None = None) -> str:
    """Markdown from a stranger → Markdown with no raw HTML, no unsafe links and no page-wide syntax.

    The site renders every page with the full extension set the hand-written
    pages need; contributed text is filtered here so that none of it reaches
    an extension that could set attributes or define markup
    (``untrusted_markdown`` says what and why).  ``dropped`` collects the
    unsafe link targets that were removed and ``removed`` the other text
    taken out (a link title that holds markup), each with its reason, so the
    caller can record them.
    """
    dropped = dropped if dropped is not None else []
    removed = removed if removed is not None else []
    text, spans = _protect_code(text)
    text = untrusted_markdown.drop_markup_titles(text, removed)

    def link(t: Token, label: str) -> str:
        url = text[t.dest[0] : t.dest[1]]
        if safe_url(url) is None:
            dropped.append(url)
            return label  # keep the words, lose the target
        if t.kind == IMAGE:  # images would load from another origin; keep them as links
            title = _LINK_TITLE.match(text, t.dest[1])
            return f"[{label or url}]({url}{(title.group(1) if title else None) or ''})"
        return text[t.start : t.inner[0]] + label + text[t.inner[1] : t.end]

    def autolink(m: re.Match[str]) -> str:
        if _escaped(text, m.start()):
            return m.group(0)  # "\<https://…>": an escaped "<", text, not a link
        url = m.group(1)
        if safe_url(url) is None:
            dropped.append(url)
            return escape_text(url)
        return f"[{escape_text(url)}]({url})"

    def refdef(m: re.Match[str]) -> str:
        if safe_url(m.group(2)) is None:
            dropped.append(m.group(2))
            return escape_text(m.group(0))
        return m.group(0)

    if "](" in text:  # (every link has one)
        text = _replace_links(text, link)
    text = _AUTOLINK.sub(autolink, text)
    if "]:" in text:  # (the pattern starts at every line start, which the regex engine tries everywhere)
        text = _REF_DEF.sub(refdef, text)
    # Every remaining "<" and "&" is text, not markup or an entity (one already escaped stays as it is).
    text = _MARKUP_CHAR.sub(lambda m: m.group(0) if len(m.group(1)) % 2 else f"{m.group(1)}\\{m.group(2)}", text)
    text = untrusted_markdown.neutralise(text)
    if spans:  # one pass: a replace per span would read the text once per span
        text = _STASHED.sub(lambda m: spans[int(m.group(1))], text)
    return text
