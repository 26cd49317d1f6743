"""The README's screenshots of an article page, from a built site (``make screenshots``).

Usage: ``python -m tests.browser.screenshots [SITE_DIR] [OUT_DIR]`` (defaults
``site`` and ``docs/images``).  Serves the site on a random localhost port
with a plain static server, drives the system's Chromium (never a downloaded
browser) and writes four PNGs: desktop light and dark (notes in the margin),
a phone with a note opened in place, and the page as printed; and, for
the "How to annotate" page, a selection with its "Annotate" button and
the panel with a note written (``annotate-*.png``).
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
            written += take_annotate(browser, url, out)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


# Selects `first` … `last` in the article's text, as a reader dragging over it would.
_SELECT = """([first, last]) => {
  const body = document.querySelector('.ab-article-body');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.data.indexOf(first);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(n, at);
    range.setEnd(n, n.data.indexOf(last, at) + last.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return;
  }
}"""


def take_annotate(browser: Any, url: str, out: Path) -> list[Path]:
    """The "How to annotate" pictures: a selection with its button, then the panel with a note written."""
    written = []
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    page = context.new_page()
    page.goto(url)
    page.locator(".ab-sidenote").first.wait_for(state="visible")
    _scroll_to(page, "mark#ann-pantsir", 300)
    page.evaluate(_SELECT, ["Sergei Shoigu", "Shoigu"])
    page.locator(".ab-annotate-control").wait_for(state="visible")
    written.append(out / "annotate-select.png")
    page.screenshot(path=str(written[-1]))
    page.locator(".ab-annotate-control").click()
    page.locator("#ab-annotate-author").fill("@you")
    page.locator("#ab-annotate-kind").select_option("context")
    page.locator("#ab-annotate-body").fill("Russia's defence minister from 2012 to 2024.")
    page.locator("#ab-annotate-kind").focus()
    written.append(out / "annotate-panel.png")
    page.screenshot(path=str(written[-1]))
    context.close()
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
