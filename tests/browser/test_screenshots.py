"""Screenshots for a person to look at: home and an article, desktop and phone, light and dark.

Written to tests/artifacts/ (git-ignored).  The test only checks that each
one was taken; judging them is a person's job.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, open_context

pytestmark = pytest.mark.browser

PAGES = {"home": "", "article": "articles/2023-05-30-drone-attacks-on-moscow-stern/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_home_and_an_article_are_written(browser, site_url, device, scheme):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, log = open_context(browser, viewport=DESKTOP if device == "desktop" else PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        for name, path in PAGES.items():
            page.goto(site_url + path)
            assert page.evaluate("() => document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
            out = ARTIFACTS / f"{name}-{device}-{scheme}.png"
            page.screenshot(path=str(out), full_page=True)
            assert out.stat().st_size > 10_000
    finally:
        context.close()
    assert log.problems() == []
