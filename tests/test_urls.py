"""One matching key per web address: spellings of the same page compare equal."""
from __future__ import annotations

import pytest

from archive_build.text.urls import normalize_url

KEY = "example.org/news/story"


@pytest.mark.parametrize(
    "spelling",
    [
        "https://example.org/news/story",
        "http://example.org/news/story",
        "https://www.example.org/news/story",
        "https://example.org/news/story/",
        "HTTPS://WWW.EXAMPLE.ORG/news/story",
        "https://example.org:443/news/story",
        "https://example.org/news/story#comments",
        "www.example.org/news/story",
        "//example.org/news/story",
    ],
)
def test_scheme_www_port_trailing_slash_and_fragment_are_ignored(spelling):
    assert normalize_url(spelling) == KEY


@pytest.mark.parametrize(
    "tracked",
    [
        "https://example.org/news/story?utm_source=twitter&utm_medium=social",
        "https://example.org/news/story?fbclid=IwAR0abc",
        "https://example.org/news/story?gclid=123&utm_campaign=x",
        "https://example.org/news/story/?ref=twitter",
    ],
)
def test_tracking_parameters_are_ignored(tracked):
    assert normalize_url(tracked) == KEY


def test_other_query_parameters_count_and_their_order_does_not():
    assert normalize_url("https://example.org/view?id=7&lang=en") == normalize_url("https://example.org/view?lang=en&id=7&utm_source=x")
    assert normalize_url("https://example.org/view?id=7") != normalize_url("https://example.org/view?id=8")


def test_path_case_counts_but_host_case_does_not():
    assert normalize_url("https://EXAMPLE.org/A") == "example.org/A"
    assert normalize_url("https://example.org/A") != normalize_url("https://example.org/a")


def test_parentheses_in_wikipedia_paths_match_their_percent_encoding():
    assert normalize_url("https://en.wikipedia.org/wiki/Kherson_(city)") == normalize_url("https://en.wikipedia.org/wiki/Kherson_%28city%29")


@pytest.mark.parametrize("not_web", [None, "", "mailto:desk@example.org", "javascript:alert(1)", "../other.md", "example.org/x", "http://", "https://x.org:99999/"])
def test_anything_but_an_http_address_has_no_key(not_web):
    assert normalize_url(not_web) is None
