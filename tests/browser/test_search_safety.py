"""Hostile text found by the search is shown as text: no element, handler or script of a stranger's runs.

Pagefind stores page text and metadata as plain strings (its snippets
escape ``<`` but not ``&``); the search box inserts them as text nodes, with
only Pagefind's ``<mark>`` highlights made into elements.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.browser.conftest import open_context, search, serve_site
from tests.conftest import build_site, copy_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = '<img src=x onerror="window.__pwned=1"> Zebrafish & "friends"'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("hostile-search"), raw=False, annotations=False, entities=False)
    (project / "raw" / "2024-01-02-hostile.md").write_text(
        "---\n"
        f"title: '{TITLE}'\n"
        "source: '<b onmouseover=\"window.__pwned=2\">Bold</b> Source'\n"
        "authors: ['<script>window.__pwned=3</script>']\n"
        "date: 2024-01-02\n"
        "---\n\nZebrafish swim &lt;img src=x onerror=\"window.__pwned=4\"&gt; in a paragraph long enough to be a body.\n",
        encoding="utf-8",
    )
    with serve_site(build_site(project)) as base:
        yield base


def test_hostile_titles_and_snippets_stay_text_in_search_results(browser: Any, hostile_site: str) -> None:
    context, log = open_context(browser)
    try:
        page = context.new_page()
        page.goto(hostile_site)
        results = search(page, "Zebrafish")
        assert [r["title"] for r in results] == [TITLE]
        assert "Bold</b> Source" in results[0]["line"]
        assert page.locator(".md-search-result img, .md-search-result script, .md-search-result b").count() == 0
        assert page.evaluate("window.__pwned") is None
        assert log.problems() == []
    finally:
        context.close()
