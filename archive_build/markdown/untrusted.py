"""The Markdown syntax a stranger's text must not reach the site's extensions with.

Every page is rendered with one set of Markdown extensions, the one the
hand-written pages in ``docs/`` need (``attr_list``, ``abbr``, ``md_in_html``,
``admonition``, ``footnotes``…).  Contributed Markdown (raw ``.md`` articles,
saved web pages, annotation bodies) is filtered before it gets there, so that
it keeps emphasis, links, lists, quotes and its own footnotes but can do
nothing that reaches beyond the words:

- ``{…}`` is escaped everywhere outside code: ``attr_list`` needs no colon
  (``{id=__config}``, ``## Heading {onclick=…}``), and an id or title from a
  stranger could replace the theme's configuration element or its search box;
- an abbreviation definition (``*[HTML]: …``) applies to the whole page and
  its title becomes a tooltip: the line is escaped and stays text;
- a link title that holds markup characters is taken off the link (Material's
  tooltips once rendered titles as HTML) and recorded as removed text;
- the article's own footnote labels are renamed when they start like the
  labels the build gives annotations (``ann-``) and converted notes
  (``note-``), so an article's ``[^ann-first]`` never merges with
  annotation ``first``;
- a fenced code block keeps a bare language name only: superfences reads
  ``{#id .class}`` and ``title="…"`` options from the opening line.

Raw HTML and unsafe link schemes are handled by ``markdown_text.sanitize_markdown``,
which calls these.  The MkDocs hook's sanitiser (``html_safety``) checks the
rendered HTML once more.
"""
from __future__ import annotations

import re

# An even run of backslashes (possibly none) before the match: the character is not escaped.
_UNESCAPED = r"(?<!\\)((?:\\\\)*)"
_BRACE = re.compile(_UNESCAPED + r"\{")
_ABBR = re.compile(r"^([ \t]*)\*\[", re.M)

#: Footnote label prefixes the build uses for its own notes; a contributed label
#: starting with one of them (or with the prefix given to such labels) is renamed.
RESERVED_FOOTNOTE_PREFIXES = ("ann-", "note-", "own-")
_FOOTNOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")

# A link's title: "…", '…' or (…) after the target, inside the link's parentheses.
_TITLED_LINK = re.compile(
    r"(\]\(\s*<?(?:[^()\s<>]|\([^()\s]*\))*>?)(\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))(\s*\))"
)
_TITLED_REF_DEF = re.compile(r"^([ ]{0,3}\[[^\]\n]+\]:[ \t]*<?\S+?>?)([ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))[ \t]*$", re.M)
_MARKUP = re.compile(r"[<>&]")

# A fence's opening line: the fence, then what superfences reads as its options.
_FENCE_OPEN = re.compile(r"\A([ \t]*)(`{3,}|~{3,})([^\n]*)")
_LANGUAGE = re.compile(r"[A-Za-z0-9_+.#-]{1,40}")

TITLE_REASON = "link title holding markup characters (< > &): tooltips are text only"
FENCE_REASON = "code block options (only a language name is kept)"


def neutralise(text: str) -> str:
    """Escape ``{`` and abbreviation definitions in Markdown text (code already taken out)."""
    if "{" in text:
        text = _BRACE.sub(r"\1\\{", text)
    if "*[" in text:
        text = _ABBR.sub(r"\1\\*[", text)
    if "[^" in text:
        text = _FOOTNOTE_LABEL.sub(_own_label, text)
    return text


def _own_label(m: re.Match[str]) -> str:
    return f"[^{own_footnote_label(m.group(1))}]"


def own_footnote_label(label: str) -> str:
    """The label an article's own footnote gets: never one the build gives its notes.

    Renaming only labels that start with a reserved prefix keeps ordinary
    labels (``[^1]``) as written and is one-to-one: every renamed label
    starts with ``own-``, which no label left as written does.
    """
    if label.casefold().startswith(RESERVED_FOOTNOTE_PREFIXES):
        return "own-" + label
    return label


def drop_markup_titles(text: str, removed: list[tuple[str, str]]) -> str:
    """Inline links and reference definitions without titles that hold ``<``, ``>`` or ``&``."""
    if "](" in text and ("\"" in text or "'" in text or "(" in text):
        text = _TITLED_LINK.sub(lambda m: _title(m, removed, m.group(3)), text)
    if "]:" in text:
        text = _TITLED_REF_DEF.sub(lambda m: _title(m, removed, ""), text)
    return text


def _title(m: re.Match[str], removed: list[tuple[str, str]], tail: str) -> str:
    title = m.group(2)
    if not _MARKUP.search(title):
        return m.group(0)
    removed.append((title.strip(), TITLE_REASON))
    return m.group(1) + tail


def safe_fence(code_block: str, removed: list[tuple[str, str]]) -> str:
    """A fenced code block whose opening line names at most a language."""
    m = _FENCE_OPEN.match(code_block)
    if m is None:
        return code_block
    info = m.group(3).strip()
    lang = _LANGUAGE.match(info)
    keep = lang.group(0) if lang else ""
    if keep == info:
        return code_block
    removed.append((info, FENCE_REASON))
    return m.group(1) + m.group(2) + keep + code_block[m.end():]
