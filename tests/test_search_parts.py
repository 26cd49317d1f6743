"""The search index in parts: a bounded number of pages per Pagefind run, every page in exactly one part."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archive_build.search import parts
from testkit.parted_site import build_parted_site


def test_pages_are_split_into_contiguous_runs_of_at_most_the_limit() -> None:
    pages = [f"p{i:02}.html" for i in range(10)]
    assert parts.split(pages, 4) == [pages[0:4], pages[4:7], pages[7:10]]


def test_pages_within_the_limit_make_one_part() -> None:
    assert parts.split(["a.html", "b.html"], 2_500) == [["a.html", "b.html"]]


def test_no_pages_make_one_empty_part() -> None:
    assert parts.split([], 10) == [[]]


def test_only_pages_with_a_pagefind_body_are_searchable(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html><div class="x" data-pagefind-body>text</div></html>', "utf-8")
    (tmp_path / "list.html").write_text("<html><p>a list of articles</p></html>", "utf-8")
    (tmp_path / "quoted.html").write_text("<p>&lt;div data-pagefind-body&gt; as text</p>", "utf-8")
    assert parts.searchable_pages(tmp_path) == ["a/index.html"]


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parts.PAGES_ENV, "12")
    monkeypatch.delenv(parts.NOTES_ENV, raising=False)
    assert (parts.pages_per_index(), parts.notes_per_index()) == (12, parts.DEFAULT_NOTES_PER_INDEX)


def _urls(bundle: Path) -> list[str]:
    """The address of every page Pagefind stored in ``bundle``."""
    urls = []
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        urls.append(json.loads(data[data.index(b"{"):])["url"])
    return urls


def _bundles(site: Path, name: str) -> list[Path]:
    """The parts of the index ``name``: its first folder and those its parts.json lists."""
    manifest = json.loads((site / name / parts.MANIFEST).read_text("utf-8"))
    return [site / name, *(site / p.rstrip("/") for p in manifest["parts"])]


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive's site, its indexes built in parts of at most 150 pages and 40 notes."""
    return build_parted_site(tmp_path_factory.mktemp("parts") / "archive")


@pytest.mark.slow
def test_a_large_index_is_built_in_parts_listed_by_the_first(parted_site: Path) -> None:
    assert len(_bundles(parted_site, "pagefind")) >= 3
    assert len(_bundles(parted_site, "pagefind-notes")) >= 2


@pytest.mark.slow
def test_every_searchable_page_is_in_exactly_one_part(parted_site: Path) -> None:
    urls = [url for bundle in _bundles(parted_site, "pagefind") for url in _urls(bundle)]
    expected = {"/" + p.removesuffix("index.html") for p in parts.searchable_pages(parted_site)}
    assert sorted(urls) == sorted(expected)


@pytest.mark.slow
def test_no_part_holds_more_pages_than_the_limit(parted_site: Path) -> None:
    assert max(len(_urls(b)) for b in _bundles(parted_site, "pagefind")) <= 150
    assert max(len(_urls(b)) for b in _bundles(parted_site, "pagefind-notes")) <= 40


@pytest.mark.slow
def test_only_the_first_part_carries_the_search_runtime(parted_site: Path) -> None:
    first, *rest = _bundles(parted_site, "pagefind")
    assert (first / "pagefind.js").is_file()
    for bundle in rest:
        assert sorted(p.name for p in bundle.iterdir() if p.suffix != ".pf_meta") == ["filter", "fragment", "index", "pagefind-entry.json"]
