"""Small helpers for specification-style tests."""
from __future__ import annotations

from archive_build.model import Article
from archive_build.pipeline import clean_article


def clean(text: str | bytes, name: str = "2024-01-01-example.txt", sidecar: dict | None = None) -> Article:
    """Run the real per-article pipeline on an inline raw text."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return clean_article(data, f"raw/{name}", sidecar)


def removed_texts(article: Article) -> list[str]:
    return [r.text for r in article.removed]
