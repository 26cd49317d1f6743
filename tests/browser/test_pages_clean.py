"""Every page of the built site loads in a real browser without errors and without leaving localhost."""
from __future__ import annotations

import pytest

from tests.browser.conftest import open_context

pytestmark = pytest.mark.browser


def test_every_page_loads_without_console_errors_failed_or_off_site_requests(browser, seed_site, site_url):
    site = seed_site / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 10
    context, log = open_context(browser)
    page = context.new_page()
    problems = {}
    try:
        for path in pages:
            # Requests a page makes after "load" (search index, sitemap) are
            # still recorded: they show up under the next page visited.
            page.goto(site_url + path.removesuffix("index.html"), wait_until="load")
            if log.problems():
                problems[path] = log.problems()
                log.console_errors.clear(), log.failed.clear(), log.off_origin.clear()
        page.wait_for_load_state("networkidle")
        if log.problems():
            problems[pages[-1]] = log.problems()
    finally:
        context.close()
    assert not problems, problems
