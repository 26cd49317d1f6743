"""Search over an index built in several Pagefind runs and combined into one bundle, in Debian's Chromium.

A 30-article archive is published with low pages-per-index limits, so its
main index and its notes index are each built in several runs (kept in the
project's cache, archive_build/search/parts.py); a page or a note from
every run must be found in the one bundle the site publishes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from archive_build.search import pagefind_files as pf
from archive_build.search.parts import CACHE_FOLDER
from testkit.parted_site import build_parted_site
from testkit.static_server import serve_site
from tests.browser.conftest import search, wait_for_answer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _bundles(site: Path, name: str) -> list[Path]:
    """The Pagefind runs the bundle ``name`` was combined from (the project's cache keeps them)."""
    return sorted((site.parent / ".cache" / "archive-build" / CACHE_FOLDER / name).iterdir())


def _records(bundle: Path) -> list[dict[str, Any]]:
    """Pagefind's record of every page in ``bundle``, by address."""
    records = [pf.read_fragment(path) for path in (bundle / "fragment").glob("*.pf_fragment")]
    return sorted(records, key=lambda r: r["url"])


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_parted_site(tmp_path_factory.mktemp("parted") / "archive")


@pytest.fixture(scope="module")
def parted_url(parted_site: Path) -> Iterator[str]:
    with serve_site(parted_site) as url:
        yield url


def test_a_page_from_every_run_of_the_index_is_found_by_its_title(page_and_log, parted_site, parted_url):
    page, log = page_and_log
    bundles = _bundles(parted_site, "pagefind")
    assert len(bundles) >= 3
    for bundle in bundles:
        record = next(r for r in _records(bundle) if r["meta"].get("title"))
        page.goto(parted_url)
        found = [r["href"].removeprefix(parted_url.rstrip("/")) for r in search(page, record["meta"]["title"])]
        assert record["url"] in found, (bundle.name, record["meta"]["title"], found)
    assert log.problems() == []


def test_a_note_from_every_run_of_the_notes_index_is_found(page_and_log, parted_site, parted_url):
    page, log = page_and_log
    bundles = _bundles(parted_site, "pagefind-notes")
    assert len(bundles) >= 2
    for bundle in bundles:
        note = _records(bundle)[0]
        words = " ".join(note["content"].split()[:6])
        page.goto(parted_url)
        search(page, words)
        page.locator("[data-ab-search-filters] > summary").click()
        page.locator("[data-ab-facet='kind'][value='Annotation']").check()
        page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item h1')].every(h => h.textContent.startsWith('Note by '))")
        wait_for_answer(page, words)
        links = page.eval_on_selector_all(".md-search-result__item > a:first-child", "els => els.map(a => a.pathname + a.hash)")
        assert "/" + note["meta"]["href"].lstrip("/") in links, (bundle.name, words, links)
    assert log.problems() == []
