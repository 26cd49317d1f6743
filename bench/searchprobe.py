"""Run one search in a real browser against a built site: what it downloads and how soon it answers.

Why a browser: "bytes a browser downloads for a first search query" depends
on what the search box actually fetches (Pagefind's runtime and WebAssembly,
its page list, the index chunks for the query's words and the fragments of
the results it shows), so it is measured, not estimated; and "results
within 300 ms of the last keystroke" is timed in the page itself.  Uses
Debian's Chromium through Playwright, served from a local static server
(which sends files uncompressed: the bytes are an upper bound for a server
that compresses): it also proves that search works offline from ``site/``.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from testkit.static_server import serve_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BOX = "input.md-search__input"


@dataclass
class SearchRun:
    query: str
    results: list[str]  # result URLs (paths) in the order shown
    search_bytes: int  # bytes of every response fetched because of the search, as this (uncompressing) server sent them
    gzip_bytes: int  # the same responses gzip-compressed, as most static hosts send scripts and WebAssembly
    ms_after_last_key: float  # from the last keystroke to the results on screen
    requests: list[tuple[str, int]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # requests that left localhost


def _body(response: object) -> bytes:
    try:
        return response.body()  # type: ignore[attr-defined]
    except Exception:  # a redirect or an aborted response has no body
        return b""


def _gzip_size(url: str, body: bytes) -> int:
    """What a compressing server would send: Pagefind's own index files are gzip'd already."""
    return len(body) if ".pf_" in url else len(gzip.compress(body, 6))


# Times (performance.now) of the last keystroke and of each change of the result status line.
_WATCH = """() => {
    window.__abTimes = {key: 0, shown: []};
    document.addEventListener('keydown', () => { window.__abTimes.key = performance.now(); }, true);
    const status = document.querySelector('[data-ab-search-status]');
    new MutationObserver(() => window.__abTimes.shown.push([performance.now(), status.textContent]))
        .observe(status, {childList: true, characterData: true, subtree: true});
}"""
_ANSWERED = """(q) => document.querySelector('[data-ab-search-input]').value === q
    && window.__abTimes.shown.some(s => s[0] >= window.__abTimes.key && /result/.test(s[1]))"""
_LATENCY = """() => {
    const t = window.__abTimes, after = t.shown.filter(s => s[0] >= t.key && /result/.test(s[1]));
    return after.length ? after[after.length - 1][0] - t.key : -1;
}"""


def type_query(page: Any, query: str, timeout_ms: int = 60_000) -> float:
    """Type ``query`` into the search box key by key; milliseconds from the last key to the results."""
    page.evaluate(_WATCH)
    box = page.locator(BOX)
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    page.wait_for_function(_ANSWERED, arg=query, timeout=timeout_ms)
    return float(page.evaluate(_LATENCY))


def first_query(site: Path, query: str, *, browser: Any = None, timeout_ms: int = 60_000) -> SearchRun:
    """Open the home page, search ``query`` once, and report results, bytes and latency.

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
    with serve_site(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
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
            ms = type_query(page, query, timeout_ms)
            page.wait_for_load_state("networkidle")
            links = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link:first-child", "els => els.map(e => e.getAttribute('href'))")
            bodies = [(url[len(base):], _body(r)) for url, r in fetched if url.startswith(base)]
            requests = [(url, len(body)) for url, body in bodies]
            gzipped = sum(_gzip_size(url, body) for url, body in bodies)
            paths = [urlsplit(str(link)).path for link in links]
            return SearchRun(query, paths, sum(n for _, n in requests), gzipped, ms, requests, foreign)
        finally:
            context.close()


def warm_query(site: Path, queries: list[str], *, browser: Any = None) -> list[float]:
    """Milliseconds from the last keystroke to the results for each query, typed one after another on one page."""
    from playwright.sync_api import sync_playwright

    def run(b: Any) -> list[float]:
        with serve_site(site) as base:
            context = b.new_context(viewport={"width": 1280, "height": 900})
            try:
                page = context.new_page()
                page.goto(base, wait_until="networkidle")
                return [type_query(page, q) for q in queries]
            finally:
                context.close()

    if browser is not None:
        return run(browser)
    with sync_playwright() as pw:
        own = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return run(own)
        finally:
            own.close()
