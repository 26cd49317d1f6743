"""Shared helpers for collection pages: links, sort order, escaped list items."""
from __future__ import annotations

from archive_build.markdown.escape import escape_text
from archive_build.model import Article
from archive_build.store.cache import stable_digest

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def newest_first(articles: list[Article]) -> list[Article]:
    """Dated articles newest first, then undated ones by id; stable and deterministic."""
    dated = sorted((a for a in articles if a.date), key=lambda a: (a.date, a.id), reverse=True)
    undated = sorted((a for a in articles if not a.date), key=lambda a: a.id)
    return dated + undated


def human_date(iso: str | None) -> str:
    if not iso:
        return "date unknown"
    y, m, d = iso[:10].split("-")  # a note's created may carry a time: 2024-02-10T14:03:11Z
    return f"{int(d)} {MONTHS[int(m) - 1]} {y}"


def article_link(article: Article, from_dir: str) -> str:
    """Markdown link to an article page from a page in ``from_dir`` (docs-relative)."""
    depth = 0 if not from_dir else from_dir.count("/") + 1
    return f"[{escape_text(article.title or article.id)}]({'../' * depth}articles/{article.id}.md)"


def article_item(article: Article, from_dir: str, *, description: bool = False) -> str:
    # The date never breaks across lines ("27 / February 2026").
    meta = [f'<span class="ab-nowrap">{human_date(article.date)}</span>']
    if article.source:
        meta.append(escape_text(article.source))
    if article.authors:
        meta.append(escape_text(", ".join(article.authors)))
    # The meta on a line of its own under the title (archive.css), a separator only for text-only readers.
    line = f"- {article_link(article, from_dir)}<span class=\"ab-meta\"><span class=\"ab-visually-hidden\"> · </span>{' · '.join(meta)}</span>"
    if description and article.description:
        line += f"\n  <br><span class=\"ab-desc\">{escape_text(article.description)}</span>"
    return line


def listing_key(article: Article) -> str:
    """Digest of what listings and entity pages read from one article (computed in the worker).

    Metadata, entities and keyword-in-context sentences; not the body, so an
    edited annotation leaves it unchanged.
    """
    data = (
        article.id, article.title, article.date, article.updated, article.source, article.url, article.description,
        list(article.authors), list(article.tags), dict(article.entities), article.kwic,
    )
    return stable_digest(data)
