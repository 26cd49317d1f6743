"""Browser fixtures: the seed site served on localhost, driven by Debian's Chromium.

The site is the session's ``seed_site`` (built once with the real
``archive-build`` and MkDocs), served by a threaded ``http.server`` on
127.0.0.1.  Chromium is the system one (``/usr/bin/chromium``), never a
downloaded browser.  Every page a test opens records its console errors,
failed requests and any request that tries to leave localhost, so each
test can assert the page was clean.

Without Chromium the tests skip with a message, unless ``CI`` is set: in CI
a missing browser is a failure, not a silent pass.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

from testkit.static_server import serve_site

CHROMIUM = Path(os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE.parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _require(condition: bool, message: str) -> None:
    """Skip locally, fail in CI: a browser test that cannot run must not pass quietly in CI."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this is an error)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def site_url(seed_site: Path) -> Iterator[str]:
    """Base URL of the built seed site, served on an ephemeral localhost port."""
    with serve_site(seed_site / "site") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageLog:
    """What went wrong while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    off_origin: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {u}" for u in self.failed]
            + [f"request to another origin: {u}" for u in self.off_origin]
        )


def open_context(browser: Any, *, viewport: dict[str, int] = DESKTOP, color_scheme: str = "light", **options: Any) -> tuple[Any, PageLog]:
    """A fresh browser context (no shared storage) that records problems and requests to other origins.

    ``options`` go to Playwright's ``new_context`` (``has_touch``, ``is_mobile``, ``java_script_enabled`` …).
    """
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme, reduced_motion="reduce", **options)
    log = PageLog()

    def check_origin(request: Any) -> None:
        # Recorded, not intercepted: routing every request costs seconds per page.
        if not request.url.startswith(("data:", "blob:")) and urlsplit(request.url).hostname not in ("127.0.0.1", "localhost"):
            log.off_origin.append(request.url)

    def failed(request: Any) -> None:
        # Leaving a page aborts what it still had in flight; that is not a failure of the site.
        if request.failure != "net::ERR_ABORTED":
            log.failed.append(f"{request.url} ({request.failure})")

    def watch(page: Any) -> None:
        page.on("request", check_origin)
        page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: log.console_errors.append(str(exc)))
        page.on("requestfailed", failed)
        page.on("response", lambda res: log.failed.append(f"{res.url} (HTTP {res.status})") if res.status >= 400 else None)

    context.on("page", watch)
    return context, log


@pytest.fixture()
def page_and_log(browser: Any) -> Iterator[tuple[Any, PageLog]]:
    context, log = open_context(browser)
    page = context.new_page()
    yield page, log
    context.close()


@pytest.fixture()
def page(page_and_log: tuple[Any, PageLog]) -> Any:
    return page_and_log[0]


def search(page: Any, query: str) -> list[dict[str, Any]]:
    """Type a query into the site's search box and return the results as shown.

    Each result: href (without fragment), title, line (kind, date, source,
    authors), text (its whole entry), excerpts (every snippet in it) and subs
    (its sub-results: href with fragment, title).  The search box reacts to
    key events, so the query is typed, not filled.  Results are read once
    the status line answers this query and the list has settled.
    """
    box = page.locator("input.md-search__input")
    opener = page.locator("label.md-header__button[for='__search']")
    (opener if opener.is_visible() else box).click()
    box.press_sequentially(query, delay=20)
    wait_for_answer(page, query)
    return read_results(page)


def wait_for_answer(page: Any, query: str) -> None:
    """Until the status line answers ``query`` and the result list stops changing."""
    page.wait_for_function(
        """q => document.querySelector('[data-ab-search-input]').value === q
            && /result/i.test(document.querySelector('[data-ab-search-status]').textContent)""",
        arg=query,
        timeout=15_000,
    )
    results, previous = read_results(page), None
    while results != previous:
        page.wait_for_timeout(300)
        previous, results = results, read_results(page)


_READ = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
    const links = [...li.querySelectorAll('a.md-search-result__link')];
    const top = links[0];
    return {
        href: top ? top.href.split('?')[0].split('#')[0] : '',
        title: (li.querySelector('h1') || {}).textContent || '',
        line: (li.querySelector('.ab-search-result__line') || {}).textContent || '',
        text: li.textContent,
        excerpts: [...li.querySelectorAll('.ab-search-result__excerpt')].map(p => p.textContent),
        subs: links.slice(1).map(a => ({href: a.href, title: (a.querySelector('h2') || {}).textContent || ''})),
    };
})"""


def read_results(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(_READ)


def status_count(page: Any) -> int:
    """The number of results the status line reports (0 for none)."""
    text = page.locator("[data-ab-search-status]").text_content() or ""
    digits = "".join(c for c in text.split(" ")[0] if c.isdigit())
    return int(digits) if digits else 0


def run_axe(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one readable line each."""
    _require(AXE.exists(), f"axe-core is not installed ({AXE}); run: npm ci --prefix tests/browser")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {n['target']}: {' '.join(n['failureSummary'].split())}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for n in v["nodes"][:5]
    ]


def hover_preview(page: Any, link: Any) -> Any:
    """Hover ``link`` and return its preview tooltip once it shows."""
    link.scroll_into_view_if_needed()
    link.hover()
    preview = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    preview.wait_for(state="visible", timeout=5_000)
    return preview
