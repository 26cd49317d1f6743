"""Run one search in a real browser against a built site and count what it downloads.

Why a browser: "bytes a browser downloads for a first search query" depends
on what the search code actually fetches (Material: the whole
``search_index.json`` and its worker; Pagefind: its UI, runtime, WebAssembly,
the index chunks for the query's words and the fragments of the results it
shows), so it is measured, not estimated.  Uses Debian's Chromium through
Playwright, served from a local static server: it also proves that search
works offline from the built ``site/``.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@dataclass
class SearchRun:
    backend: str
    query: str
    results: list[str]  # result URLs (paths) in the order shown
    search_bytes: int  # bytes of every response fetched because of the search
    requests: list[tuple[str, int]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # requests that left localhost


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """A static server for ``site`` on a free localhost port."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _body_size(response: object) -> int:
    try:
        return len(response.body())  # type: ignore[attr-defined]
    except Exception:  # a redirect or an aborted response has no body
        return 0


_PAGEFIND_RESULTS_IN = """() => {
    const results = [...document.querySelectorAll('.pagefind-ui__result')];
    return results.length > 0
        && document.querySelectorAll('.pagefind-ui__results-area .pagefind-ui__loading').length === 0
        && results.every(r => r.querySelector('.pagefind-ui__result-link'));
}"""


def first_query(site: Path, query: str, *, browser: Any = None, timeout_ms: int = 60_000) -> SearchRun:
    """Open the home page, search ``query`` once, and report results and bytes.

    ``browser`` is an already launched Playwright browser (a test session's);
    without one, Debian's Chromium is launched for this query only.
    """
    if browser is not None:
        return _query_in(browser, site, query, timeout_ms)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        own = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _query_in(own, site, query, timeout_ms)
        finally:
            own.close()


def _query_in(browser: Any, site: Path, query: str, timeout_ms: int) -> SearchRun:
    backend = "pagefind" if (site / "pagefind").is_dir() else "material"
    with serve(site) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(base, wait_until="networkidle")
            fetched: list[tuple[str, object]] = []
            foreign: list[str] = []

            def on_request(req: object) -> None:
                url = req.url  # type: ignore[attr-defined]
                if not url.startswith(base) and not url.startswith(("data:", "blob:")):
                    foreign.append(url)

            page.on("request", on_request)
            page.on("response", lambda r: fetched.append((r.url, r)))
            if backend == "pagefind":
                page.click("[data-ab-pagefind-open]")
                box = page.wait_for_selector(".pagefind-ui__search-input", timeout=timeout_ms)
                box.fill(query)
                # Pagefind's UI lists each result as a loading placeholder and fills it
                # in when that result's fragment arrives: wait until every one is in
                # (under load the first link could come well before the second).
                page.wait_for_function(_PAGEFIND_RESULTS_IN, timeout=timeout_ms)
                page.wait_for_load_state("networkidle")
                links = page.eval_on_selector_all(".pagefind-ui__result-title .pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
            else:
                # Material's search box listens to keystrokes, not to a programmatic fill.
                box = page.locator("input.md-search__input")
                opener = page.locator("label.md-header__button[for='__search']")
                (opener if opener.is_visible() else box).click()
                box.press_sequentially(query, delay=20)
                page.wait_for_selector(".md-search-result__item", timeout=timeout_ms)
                page.wait_for_load_state("networkidle")
                links = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
            # Material fetches its index at page load, before any query: count it too.
            if backend == "material":
                index = site / "search" / "search_index.json"
                worker = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.js"))
                requests = [("search/search_index.json", index.stat().st_size)] + [(w.name, w.stat().st_size) for w in worker]
            else:
                requests = [(url[len(base):], _body_size(r)) for url, r in fetched if url.startswith(base)]
            return SearchRun(backend, query, [str(l) for l in links], sum(n for _, n in requests), requests, foreign)
        finally:
            context.close()
