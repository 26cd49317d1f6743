"""Pagefind search in Debian's Chromium: the chunked index answers queries offline.

The seed archive is built once with ``extra.search_backend: pagefind``
(``pagefind_site``); each query runs in the session's browser against the
built ``site/`` on a local static server, through the same probe the
benchmark uses to count a first query's bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.searchprobe import first_query

pytestmark = pytest.mark.browser

STERN = "/articles/2023-05-30-drone-attacks-on-moscow-stern/"
MILITANT = "/articles/2025-06-09-moscow-escalates-bombing-of-civilians/"


def _pages(results: list[str]) -> list[str]:
    return list(dict.fromkeys(r.split("#")[0] for r in results))


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Shoigu", STERN), ("Landersen", MILITANT), ("Kiev", MILITANT)],
    ids=["body-word", "author", "alias-spelling"],
)
def test_a_pagefind_query_finds_the_article(pagefind_site: Path, browser: Any, query: str, expected: str) -> None:
    run = first_query(pagefind_site, query, browser=browser)
    assert expected in _pages(run.results)
    assert run.foreign == []


def test_a_first_pagefind_query_downloads_less_than_a_megabyte(pagefind_site: Path, browser: Any) -> None:
    run = first_query(pagefind_site, "Moscow", browser=browser)
    assert run.results
    assert run.search_bytes < 1_000_000
