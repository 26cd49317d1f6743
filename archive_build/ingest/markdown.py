"""Markdown-ish text, with or without YAML front matter.

Blocks keep their Markdown syntax (emphasis, links, lists, quotes); only the
block structure is parsed here so the shared transforms can recognise bylines
and boilerplate.  Front matter fields are taken as given and win over
anything detected in the text.
"""
from __future__ import annotations

import re

from archive_build.errors import InputError
from archive_build.model import Article, Block
from archive_build.safe_yaml import LineDict, front_matter, load_text

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_FENCE = re.compile(r"^(```|~~~)")


def split_markdown_blocks(text: str, first_line: int = 1) -> list[Block]:
    blocks: list[Block] = []
    lines = text.split("\n")
    i = 0
    buf: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal buf
        if buf:
            blocks.append(Block("\n".join(buf).strip("\n"), first_line + start, "markdown"))
            buf = []

    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line.strip()):
            flush()
            fence = line.strip()[:3]
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            blocks.append(Block("\n".join(lines[i : j + 1]), first_line + i, "code"))
            i = j + 1
            continue
        m = _ATX.match(line)
        if m and not buf:
            blocks.append(Block(m.group(2), first_line + i, "heading", level=len(m.group(1))))
            i += 1
            continue
        if buf and len(buf) == 1 and _SETEXT.match(line) and not buf[0].startswith(("-", "*", ">")):
            blocks.append(Block(buf[0].strip(), first_line + start, "heading", level=1 if line.strip()[0] == "=" else 2))
            buf = []
            i += 1
            continue
        if not line.strip():
            flush()
        else:
            if not buf:
                start = i
            buf.append(line.rstrip("\n"))
        i += 1
    flush()
    return blocks


def read_markdown(article: Article, text: str) -> Article:
    yaml_text, body, consumed = front_matter(text)
    if yaml_text is not None:
        try:
            meta = load_text(yaml_text, article.raw)
        except InputError as exc:
            if exc.problem.line:
                exc.problem = type(exc.problem)(exc.problem.path, exc.problem.line + 1, exc.problem.message)
            raise exc
        if meta is None:
            meta = LineDict()
        if not isinstance(meta, dict):
            raise InputError(article.raw, "front matter must be a mapping of field: value", 2)
        article.extra["front_matter"] = meta
    article.blocks = split_markdown_blocks(body, consumed + 1)
    return article
