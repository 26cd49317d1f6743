"""axe-core (from npm, injected into the page) finds no serious or critical problems."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from tests.browser.conftest import open_context, run_axe, search

pytestmark = pytest.mark.browser


@contextmanager
def _page_at(browser, url: str, scheme: str) -> Iterator:
    """A page opened at ``url`` in the given colour scheme, closed afterwards."""
    context, _ = open_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["", "articles/2023-05-30-drone-attacks-on-moscow-stern/", "entities/moscow/", "browse/timeline/", "404.html"],
    ids=["home", "article", "entity", "timeline", "not-found"],
)
def test_page_has_no_serious_accessibility_violations(browser, site_url, path, scheme):
    with _page_at(browser, site_url + path, scheme) as page:
        violations = run_axe(page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results_have_no_serious_accessibility_violations(browser, site_url, scheme):
    with _page_at(browser, site_url, scheme) as page:
        assert search(page, "Moscow")
        violations = run_axe(page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_facets_and_suggestions_have_no_serious_accessibility_violations(browser, site_url, scheme):
    with _page_at(browser, site_url, scheme) as page:
        assert search(page, "Moscow")
        page.locator("[data-ab-search-filters] > summary").click()
        page.locator("[data-ab-facet]").first.wait_for(state="visible", timeout=15_000)
        facets = run_axe(page)
        box = page.locator("input.md-search__input")
        box.fill("")
        box.press_sequentially("Zelenksy", delay=20)
        page.locator("[data-ab-suggestion]").wait_for(state="visible", timeout=15_000)
        suggestion = run_axe(page)
    assert not facets + suggestion, "\n".join(facets + suggestion)
