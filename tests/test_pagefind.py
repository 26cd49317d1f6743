"""Pagefind search: a chunked static index built with the site, wired into the header's search box.

The seed archive is built once with ``extra.search_backend: pagefind`` (the
real ``archive-build``, MkDocs and the Pagefind binary from its PyPI
package); ``tests/browser/test_pagefind_search.py`` runs queries against it
in Debian's Chromium.
"""
from __future__ import annotations

from pathlib import Path


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
