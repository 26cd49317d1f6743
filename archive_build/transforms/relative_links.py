"""The relative link targets in one article's Markdown, found while it is cleaned.

Only the collection step (``collection.relative_links``) knows every page of
the site and can tell which targets exist; finding them needs one article,
so the worker does it and the result is cached with the article.
"""
from __future__ import annotations

import re

from archive_build.markdown.linear_scan import inline_links

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//|^/")
REF_DEF = re.compile(r"^([ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?)([^\s>]+)(>?.*)$", re.M)


def is_relative(target: str) -> bool:
    return bool(target) and not _SCHEME.match(target)


def find(markdown: str, raw_text: str = "") -> list[tuple[str, int | None]]:
    """The relative link targets in ``markdown``, each once, with its line in ``raw_text`` when found there."""
    if "](" not in markdown and "]:" not in markdown:
        return []
    targets = [m.group(3) for m in inline_links(markdown) if m.group(1) == "["]  # markdown_text.LINK, in linear time
    targets += [m.group(2) for m in REF_DEF.finditer(markdown)]
    out: list[tuple[str, int | None]] = []
    for target in dict.fromkeys(t for t in targets if is_relative(t)):
        at = raw_text.find(target) if raw_text else -1
        out.append((target, raw_text.count("\n", 0, at) + 1 if at >= 0 else None))
    return out
