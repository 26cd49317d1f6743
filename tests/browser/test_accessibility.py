"""axe-core (from npm, injected into the page) finds no serious or critical problems."""
from __future__ import annotations

import pytest

from tests.browser.conftest import open_context, run_axe, search

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["", "articles/2023-05-30-drone-attacks-on-moscow-stern/", "entities/moscow/", "browse/timeline/", "404.html"],
    ids=["home", "article", "entity", "timeline", "not-found"],
)
def test_page_has_no_serious_accessibility_violations(browser, site_url, path, scheme):
    context, _ = open_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + path)
        violations = run_axe(page)
    finally:
        context.close()
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results_have_no_serious_accessibility_violations(browser, site_url, scheme):
    context, _ = open_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url)
        assert search(page, "Moscow")
        violations = run_axe(page)
    finally:
        context.close()
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_facets_and_suggestions_have_no_serious_accessibility_violations(browser, site_url, scheme):
    context, _ = open_context(browser, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url)
        assert search(page, "Moscow")
        page.locator("[data-ab-search-filters] > summary").click()
        page.locator("[data-ab-facet]").first.wait_for(state="visible", timeout=15_000)
        facets = run_axe(page)
        box = page.locator("input.md-search__input")
        box.fill("")
        box.press_sequentially("Zelenksy", delay=20)
        page.locator("[data-ab-suggestion]").wait_for(state="visible", timeout=15_000)
        suggestion = run_axe(page)
    finally:
        context.close()
    assert not facets + suggestion, "\n".join(facets + suggestion)
