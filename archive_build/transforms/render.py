"""Blocks → Markdown body.  The last cleaning step, shared by all formats.

Plain-text blocks are escaped so they render exactly as written; Markdown
blocks are sanitised but keep their syntax.
"""
from __future__ import annotations

from typing import Iterable

from archive_build.markdown.escape import escape_text, sanitize_markdown
from archive_build.markdown.untrusted import safe_fence
from archive_build.model import Article, Block


def block_markdown(block: Block, article: Article) -> str:
    dropped: list[str] = []
    removed: list[tuple[str, str]] = []
    if block.kind == "heading":
        text = sanitize_markdown(block.text, dropped, removed) if article.format == "md" else escape_text(block.text)
        _record_dropped(article, dropped, removed)
        return "#" * max(2, block.level or 2) + " " + text.replace("\n", " ")
    if block.kind == "caption":
        credit = f" *{escape_text(block.credit)}*{{: .credit }}" if block.credit else ""
        return f"{escape_text(block.text)}{credit}\n{{: .caption }}"
    if block.kind == "dateline":
        return f"{escape_text(block.text)}\n{{: .dateline }}"
    if block.kind == "code":
        out = safe_fence(block.text, removed)
        _record_dropped(article, dropped, removed)
        return out
    if block.kind == "markdown" or article.format == "md":
        out = sanitize_markdown(block.text, dropped, removed)
        _record_dropped(article, dropped, removed)
        return out
    return escape_text(block.text)


def _record_dropped(article: Article, dropped: list[str], removed: Iterable[tuple[str, str]] = ()) -> None:
    for url in dropped:
        article.remove(url, "unsafe link target (only http, https, mailto and relative links are kept)")
    for text, reason in removed:
        article.remove(text, reason)


def to_markdown(article: Article) -> Article:
    article.body = "\n\n".join(block_markdown(b, article) for b in article.blocks) + "\n"
    return article
