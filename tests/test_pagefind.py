"""Pagefind search: a chunked static index built with the site, wired into the header's search box.

The seed archive is built once with ``extra.search_backend: pagefind`` (the
real ``archive-build``, MkDocs and the Pagefind binary from its PyPI
package); the browser tests run queries in Debian's Chromium against the
built ``site/`` on a local static server.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.searchprobe import CHROMIUM, first_query

from .conftest import build_site, copy_project

STERN = "/articles/2023-05-30-drone-attacks-on-moscow-stern/"
MILITANT = "/articles/2025-06-09-moscow-escalates-bombing-of-civilians/"


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("pagefind-archive"))
    cfg = project / "mkdocs.yml"
    cfg.write_text(re.sub(r"(?m)^(\s*search_backend:\s*)\S+", r"\g<1>pagefind", cfg.read_text(encoding="utf-8")), encoding="utf-8")
    return build_site(project)


def _pages(results: list[str]) -> list[str]:
    return list(dict.fromkeys(r.split("#")[0] for r in results))


def test_the_pagefind_index_is_built_into_site_pagefind(pagefind_site: Path) -> None:
    assert (pagefind_site / "pagefind" / "pagefind-entry.json").is_file()
    assert list((pagefind_site / "pagefind" / "index").glob("*.pf_index"))
    assert list((pagefind_site / "pagefind" / "fragment").glob("*.pf_fragment"))


def test_with_pagefind_material_builds_no_whole_site_index(pagefind_site: Path) -> None:
    assert not (pagefind_site / "search" / "search_index.json").exists()


def test_only_article_pages_are_marked_for_the_index(pagefind_site: Path) -> None:
    marked = {p.parent.name for p in pagefind_site.rglob("index.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    articles = {p.stem for p in (pagefind_site.parent / "docs" / "articles").glob("*.md") if p.name != "index.md"}
    assert marked == articles


def test_the_header_has_the_pagefind_search_button(pagefind_site: Path) -> None:
    home = (pagefind_site / "index.html").read_text(encoding="utf-8")
    assert "data-ab-pagefind-open" in home
    assert 'data-md-component="search"' not in home


def test_the_seed_site_keeps_materials_search_under_auto(seed_site: Path) -> None:
    assert (seed_site / "site" / "search" / "search_index.json").is_file()
    assert not (seed_site / "site" / "pagefind").exists()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
@pytest.mark.parametrize(
    ("query", "expected"),
    [("Shoigu", STERN), ("Landersen", MILITANT), ("Kiev", MILITANT)],
    ids=["body-word", "author", "alias-spelling"],
)
def test_a_pagefind_query_finds_the_article(pagefind_site: Path, query: str, expected: str) -> None:
    run = first_query(pagefind_site, query)
    assert expected in _pages(run.results)
    assert run.foreign == []


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_a_first_pagefind_query_downloads_less_than_a_megabyte(pagefind_site: Path) -> None:
    run = first_query(pagefind_site, "Moscow")
    assert run.results
    assert run.search_bytes < 1_000_000
