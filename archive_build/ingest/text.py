"""Plain text as copied from a browser, a wire service or an email.

Two layouts occur: one paragraph per line (browser copy) and hard-wrapped
paragraphs separated by blank lines (email, wire copy).  A block's lines are
joined only where they look wrapped: long lines of similar width.
"""
from __future__ import annotations

import re

from archive_build.model import Article, Block
from archive_build.text.header_lines import is_header_line

# Lines that start a new block even inside a wrapped paragraph.
_LIST_OR_TABLE = re.compile(r"^\s*(?:[-*•]\s|\d{1,3}[.)]\s|\||#|>)")
WRAP_LIMIT = 100
# How far down a copy-paste its title, byline, dates and page furniture come.
HEADER_LINES = 24


def _is_wrapped(line: str, width: int) -> bool:
    return width <= WRAP_LIMIT and len(line) >= 0.6 * width and len(line) >= 40


def _headline_over_capital(first: str, second: str) -> bool:
    """The first line after the header lines (if any), unpunctuated, over a capitalised line: a headline above its standfirst, not a wrapped sentence."""
    first, second = first.strip(), second.strip()
    return bool(first) and bool(second) and not first.endswith(tuple(".,;:!?…\"”’-")) and second[:1].isupper()


def split_lines_into_blocks(text: str, first_line: int = 1) -> list[Block]:
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if not current:
            return
        width = max(len(l) for _, l in current)
        start_no, start = current[0]
        buf = [start]
        for (no, line), (_, prev) in zip(current[1:], current[:-1]):
            # A caption pasted twice (the second copy ending with the first) is two blocks.
            repeated = len(prev.strip()) >= 20 and line.rstrip().endswith(prev.strip())
            # In the header (the file's first lines), a byline, date line or page
            # furniture stands alone, and so does a headline over its standfirst.
            header = no - first_line < HEADER_LINES
            if (
                _is_wrapped(prev, width)
                and not repeated
                and not _LIST_OR_TABLE.match(line)
                and not _LIST_OR_TABLE.match(prev)
                and not (header and len(line) <= 120 and is_header_line(line))
                and not (header and len(prev) <= 120 and is_header_line(prev))
                and not (header and len(buf) == 1 and len(blocks) <= 6 and all(is_header_line(b.text) for b in blocks) and _headline_over_capital(prev, line))
            ):
                buf.append(line)
            else:
                blocks.append(Block(" ".join(s.strip() for s in buf), start_no))
                start_no, buf = no, [line]
        blocks.append(Block(" ".join(s.strip() for s in buf), start_no))
        current.clear()

    for offset, line in enumerate(text.split("\n")):
        if line.strip():
            current.append((first_line + offset, line.rstrip()))
        else:
            flush()
    flush()
    for b in blocks:
        b.text = b.text.strip()
    return blocks


def read_text(article: Article, text: str) -> Article:
    article.blocks = split_lines_into_blocks(text)
    return article
