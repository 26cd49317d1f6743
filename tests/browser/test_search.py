"""Search in a real browser: names, authors and other spellings find the right articles."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import search

pytestmark = pytest.mark.browser

STERN = "articles/2023-05-30-drone-attacks-on-moscow-stern/"
MILITANT = "articles/2025-06-09-moscow-escalates-bombing-of-civilians/"


def _article_texts(site: Path) -> dict[str, str]:
    """Each article page's own text (body only: no header, notes or provenance)."""
    texts = {}
    for html in sorted((site / "articles").glob("*/index.html")):
        body = BeautifulSoup(html.read_text("utf-8"), "html.parser").select_one(".ab-article-body")
        if body is None:
            continue
        for notes in body.select(".footnote"):
            notes.decompose()
        texts[f"articles/{html.parent.name}/"] = body.get_text(" ")
    return texts


def _pages(results: list[dict[str, str]], base: str) -> set[str]:
    return {r["href"].removeprefix(base) for r in results}


def test_searching_a_name_in_the_body_lists_the_stern_report(page, site_url):
    page.goto(site_url)
    assert STERN in _pages(search(page, "Shoigu"), site_url)


def test_searching_an_author_lists_his_militant_article(page, site_url):
    page.goto(site_url)
    assert MILITANT in _pages(search(page, "Landersen"), site_url)


def test_search_results_show_the_articles_date_and_source(page, site_url):
    page.goto(site_url)
    stern = [r for r in search(page, "Shoigu") if r["href"].removeprefix(site_url) == STERN]
    assert stern and "30 May 2023" in stern[0]["title"] and "Stern" in stern[0]["title"]


def test_searching_kiev_also_lists_articles_that_only_say_kyiv(page, site_url, seed_site):
    only_kyiv = {url for url, text in _article_texts(seed_site / "site").items() if "Kyiv" in text and "Kiev" not in text}
    assert only_kyiv, "the seeds should include an article that says Kyiv and never Kiev"
    page.goto(site_url)
    assert only_kyiv <= _pages(search(page, "Kiev"), site_url)


def test_searching_zelenskyy_also_lists_articles_that_say_zelensky(page, site_url, seed_site):
    other_spelling = {url for url, text in _article_texts(seed_site / "site").items() if "Zelensky" in text and "Zelenskyy" not in text}
    assert other_spelling, "the seeds should include an article that spells it Zelensky"
    page.goto(site_url)
    assert other_spelling <= _pages(search(page, "Zelenskyy"), site_url)
