"""The README's screenshots of an article page, from a built site (``make screenshots``).

Usage: ``python -m tests.browser.screenshots [SITE_DIR] [OUT_DIR]`` (defaults
``site`` and ``docs/images``).  Serves the site on a random localhost port
with a plain static server, drives the system's Chromium (never a downloaded
browser) and writes four PNGs: desktop light and dark (notes in the margin),
a phone with a note opened in place, and the page as printed.
"""
from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

ARTICLE = "articles/2023-05-30-drone-attacks-on-moscow-stern/"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        pass


def _scroll_to(page: Any, selector: str, above: int) -> None:
    page.evaluate("([sel, above]) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top + scrollY - above)", [selector, above])
    page.wait_for_timeout(300)


def take(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/{ARTICLE}"
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport=DESKTOP, color_scheme=scheme, reduced_motion="reduce")
                page = context.new_page()
                page.goto(url)
                page.locator(".ab-sidenote").first.wait_for(state="visible")
                _scroll_to(page, ".ab-article-header .ab-byline", 70)
                written.append(out / f"article-desktop-{scheme}.png")
                page.screenshot(path=str(written[-1]))
                context.close()
            context = browser.new_context(viewport=PHONE, reduced_motion="reduce", has_touch=True, is_mobile=True, device_scale_factor=2)
            page = context.new_page()
            page.goto(url)
            page.locator("mark#ann-pantsir").tap()
            page.locator(".ab-popnote").wait_for(state="visible")
            _scroll_to(page, "mark#ann-pantsir", 260)
            written.append(out / "article-phone.png")
            page.screenshot(path=str(written[-1]))
            context.close()
            context = browser.new_context(viewport={"width": 794, "height": 1123}, reduced_motion="reduce")  # A4 at 96 dpi
            page = context.new_page()
            page.goto(url)
            page.emulate_media(media="print")
            written.append(out / "article-print.png")
            page.screenshot(path=str(written[-1]))
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else Path("site")
    out = Path(argv[1]) if len(argv) > 1 else Path("docs/images")
    if not (site / ARTICLE / "index.html").is_file():
        print(f"screenshots: {site / ARTICLE} is not built; run `make site` first", file=sys.stderr)
        return 1
    for path in take(site, out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
