"""The annotations index page: newest first, with the article and the quote, linking to the highlight."""
from __future__ import annotations

from archive_build.collection.annotation_index import annotations_page
from archive_build.model import Article


def art(aid: str, *anns: tuple[str, str, str]) -> Article:
    a = Article(id=aid, raw=f"raw/{aid}.txt", sha256="0", format="txt", title=f"Title of {aid}")
    a.annotations = [{"id": i, "kind": "note", "author": "@a", "created": c, "quote": q, "start": n} for n, (i, c, q) in enumerate(anns)]
    return a


def test_annotations_are_listed_newest_first_with_article_quote_and_permalink():
    page = annotations_page([
        art("2024-01-01-a", ("old", "2025-01-01", "an old quote")),
        art("2024-01-02-b", ("new", "2026-03-04", "a <new> quote")),
    ]).decode()
    assert page.index("#ann-new") < page.index("#ann-old")
    assert "[Title of 2024-01-02-b](../articles/2024-01-02-b.md#ann-new)" in page
    assert "a \\<new\\> quote" in page  # quotes are escaped text
    assert "2 annotations on 2 articles" in page and "4 March 2026" in page


def test_an_archive_without_annotations_says_how_to_add_one():
    assert "How to annotate" in annotations_page([art("2024-01-01-a")]).decode()
