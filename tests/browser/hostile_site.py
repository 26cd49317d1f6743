"""Serving a built site and checking, in Chromium, that no contributed text took a page over.

``PageCheck`` opens pages of a site one after another in one browser tab
and records what an attack would leave behind: a dialog, a navigation away
from the page, a new window, an element with an event-handler attribute or
a ``javascript:``/``data:``/``vbscript:`` URL, an active element (script,
iframe, object, form, base, meta, style, svg, math) inside the page's
content, a theme configuration element that is not Material's own
``<script id="__config">`` with its own JSON, and an id used twice.
Hovering every element that has a title (and every truncated title the
theme turns into one) makes Material build its tooltips, so a title that
carries markup would be caught too.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from tests.browser.conftest import open_context, serve_site

# Everything a page must not hold, as one list of readable findings.
_FINDINGS_JS = r"""
() => {
  const found = [];
  const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc", "lowsrc", "dynsrc", "codebase", "cite"]);
  const badUrl = /^(javascript|vbscript|data|livescript):/i;
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) found.push(`event handler <${el.localName} ${name}="${a.value}">`);
      if (urlAttrs.has(name) && badUrl.test(a.value.replace(/[\x00-\x20]+/g, ""))) found.push(`script URL <${el.localName} ${name}="${a.value}">`);
      if (name === "srcdoc") found.push(`srcdoc <${el.localName}>`);
    }
  }
  const content = document.querySelector(".md-content") || document.body;
  // The site's own controls (the reader's note filters, a note's More/close buttons) are not contributed.
  const own = ".ab-reader-controls, .ab-sidenote__more, .ab-popnote__close, .md-search, .md-top";
  for (const el of content.querySelectorAll("script, iframe, frame, object, embed, applet, form, base, meta, link, style, svg, math, template, input, button, textarea, select, video, audio, img, xml, isindex")) {
    if (el.closest(own)) continue;
    found.push(`active element in the content: <${el.localName}>`);
  }
  for (const el of document.querySelectorAll("base, iframe, frame, object, embed, applet, meta[http-equiv]")) {
    found.push(`active element on the page: <${el.localName}>`);
  }
  const config = document.querySelector("#__config");
  if (!config || config.localName !== "script" || config.getAttribute("type") !== "application/json") {
    found.push(`theme configuration replaced by <${config ? config.localName : "nothing"}>`);
  } else {
    try {
      const c = JSON.parse(config.textContent);
      for (const value of Object.values(c.translations || {})) {
        if (/[<>]/.test(String(value))) found.push(`theme translation holds markup: ${value}`);
      }
      if (!c.search || !Array.isArray(c.features)) found.push("theme configuration lost its fields");
    } catch (e) {
      found.push(`theme configuration is not JSON: ${e}`);
    }
  }
  for (const id of ["__search", "__drawer"]) {
    const el = document.getElementById(id);
    if (el && el.localName !== "input") found.push(`#${id} is a <${el.localName}>, not the theme's toggle`);
  }
  const counts = new Map();
  for (const el of document.querySelectorAll("[id]")) counts.set(el.id, (counts.get(el.id) || 0) + 1);
  for (const [id, n] of counts) if (n > 1) found.push(`id ${JSON.stringify(id)} used ${n} times`);
  return found;
}
"""

# Material's title tooltips (.md-tooltip2 made from a title) must hold text only;
# footnote tooltips hold a copy of the footnote and are left out here.
_TITLE_TOOLTIPS_JS = r"""
() => Array.from(document.querySelectorAll('.md-tooltip2[role="tooltip"] .md-tooltip2__inner, .md-tooltip--inline .md-tooltip__inner'))
  .filter(el => el.children.length > 0).map(el => el.innerHTML.slice(0, 120))
"""


def serve(project: Path) -> contextlib.AbstractContextManager[str]:
    """The project's built ``site/`` on an ephemeral localhost port; yields its base URL."""
    return serve_site(project / "site")


class PageCheck:
    """One browser tab that visits pages and lists, per page, what an attack left."""

    def __init__(self, browser: Any) -> None:
        self.context, self.log = open_context(browser)
        self.dialogs: list[str] = []
        self.popups: list[str] = []
        self.context.on("page", lambda p: self.popups.append(p.url) if p is not getattr(self, "page", None) else None)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()

    def findings(self, url: str, *, hover: bool = True) -> list[str]:
        """Open ``url``, hover what shows a tooltip, and list everything that should not be there."""
        page = self.page
        self.dialogs.clear()
        self.popups.clear()
        # Without hovering, the parsed page is all there is to check: the next page
        # is opened as soon as this one's DOM is there (Material would otherwise
        # load the whole search index on every page first).
        page.goto(url, wait_until="load" if hover else "domcontentloaded")
        found = list(page.evaluate(_FINDINGS_JS))
        if hover:
            found += self._hover_titles()
        found += [f"dialog {d}" for d in self.dialogs]
        found += [f"new window {u}" for u in self.popups]
        if page.url.split("#", 1)[0] != url.split("#", 1)[0]:
            found.append(f"navigated away to {page.url}")
        return found

    def _hover_titles(self) -> list[str]:
        """Hover every titled element and truncated title in the content and header; tooltips must hold text."""
        page = self.page
        targets = page.locator(".md-content [title], .md-header [title], .md-sidebar .md-ellipsis, .md-header .md-ellipsis")
        n = min(targets.count(), 60)
        for i in range(n):
            el = targets.nth(i)
            with contextlib.suppress(Exception):
                if el.is_visible():
                    el.hover(timeout=1000, force=True)
                    page.wait_for_timeout(20)
        page.mouse.move(0, 0)
        found = [f"tooltip renders markup: {h}" for h in page.evaluate(_TITLE_TOOLTIPS_JS)]
        return found + list(page.evaluate(_FINDINGS_JS))


def search_works(page: Any, query: str) -> list[dict[str, str]]:
    """Material's search on the page that is open, as a reader would type it (``conftest.search``)."""
    from tests.browser.conftest import search

    return search(page, query)
