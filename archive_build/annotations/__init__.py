"""Reader annotations: loading ``annotations/<id>.yml``, anchoring quotes, rendering footnotes."""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..model import Article


def annotate(article: Article, path: Path | None, display: str, *, keep_going: bool = False) -> tuple[Article, list[Problem]]:
    """Anchor and render the article's annotations (stub until the annotation issue lands)."""
    return article, []
