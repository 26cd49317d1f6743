"""The built seed site: the article header's links land on real anchors, the navigation
and the 404 page, tags in order, sources tied to entities, related reading with reasons."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

STERN = "2023-05-30-drone-attacks-on-moscow-stern"
WSWS = "2023-05-30-drone-attack-on-moscow"


def _html(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def _target(site: Path, page: str, href: str) -> tuple[Path, str]:
    url = urlsplit(urljoin("https://x/" + page, href))
    path = unquote(url.path).lstrip("/")
    return site / (path + "index.html" if path.endswith("/") or not path else path), unquote(url.fragment)


def test_every_link_in_an_article_header_lands_on_a_page_and_anchor_that_exist(seed_site: Path):
    site = seed_site / "site"
    for article in (STERN, WSWS):
        page = f"articles/{article}/"
        header = _html(site, page + "index.html").select_one(".ab-article-header")
        inside = [a["href"] for a in header.find_all("a") if not a["href"].startswith(("http", "#"))]
        assert len(inside) >= 4  # source, date, tags at least
        for href in inside:
            path, fragment = _target(site, page, href)
            assert path.is_file(), href
            if fragment:
                assert _html(site, str(path.relative_to(site))).find(id=fragment) is not None, href


def test_the_byline_links_the_author_to_the_authors_page(seed_site: Path):
    header = _html(seed_site / "site", f"articles/{WSWS}/index.html").select_one(".ab-byline")
    author = header.select_one(".ab-authors a")
    assert author.get_text() == "Andre Damon" and author["href"].endswith("browse/authors/#ab-h-andre-damon")
    assert header.select_one("a.ab-date")["href"].endswith("browse/timeline/#ab-h-may-2023")


def test_an_article_with_an_original_links_it_and_one_without_says_so(seed_site: Path):
    site = seed_site / "site"
    assert _html(site, f"articles/{STERN}/index.html").select_one(".ab-original").get_text() == "Original not online"
    assert _html(site, f"articles/{STERN}/index.html").select_one(".ab-translation").get_text() == "Translated from German"


def test_all_articles_is_in_the_navigation(seed_site: Path):
    nav = _html(seed_site / "site", "index.html").select(".md-nav--primary .md-nav__link")
    assert "All articles" in [" ".join(a.get_text().split()) for a in nav]


def test_the_404_page_offers_search_and_the_ways_in(seed_site: Path):
    page = _html(seed_site / "site", "404.html")
    assert page.find("h1").get_text() == "This page is not in the archive"
    assert page.select_one("[data-ab-open-search]") is not None
    assert {a.get_text() for a in page.select(".ab-404__ways a")} >= {"Home", "All articles", "Timeline"}


def test_tags_are_listed_in_case_insensitive_order(seed_site: Path):
    page = _html(seed_site / "site", "browse/tags/index.html")
    names = [h.get_text().strip().rstrip("¶").strip() for h in page.select("article h2[id^='tag:']")]
    assert names and names == sorted(names, key=str.casefold)


def test_a_source_in_the_gazetteer_counts_its_articles_on_the_entities_index(seed_site: Path):
    index = _html(seed_site / "site", "entities/index.html")
    item = next(li for li in index.find_all("li") if li.a and li.a.get_text() == "World Socialist Web Site")
    assert "0 articles" not in item.get_text() and "1 article" in item.get_text()


def test_related_reading_says_what_each_article_shares(seed_site: Path):
    related = _html(seed_site / "site", f"articles/{STERN}/index.html").select(".ab-related-list > li")
    assert related and all(li.select_one(".ab-related__why").get_text().startswith("shares: ") for li in related)
    assert len(related) == 2  # the third seed scores under the threshold


def test_the_article_links_the_articles_before_and_after_it_by_date(seed_site: Path):
    nav = _html(seed_site / "site", f"articles/{STERN}/index.html").select_one("nav.ab-prev-next")
    assert {a["rel"][0] for a in nav.find_all("a")} == {"prev", "next"}


def test_a_text_flagged_as_truncated_says_so_at_its_end(seed_site: Path):
    page = _html(seed_site / "site", "articles/2026-02-27-ukraine-war-fourth-anniversary-statements/index.html")
    notice = page.select_one(".ab-truncated")
    assert notice is not None and "may be incomplete" in notice.get_text()
    assert notice.find_previous_sibling(class_="ab-article-body") is not None


def test_common_entities_are_listed_in_this_article_but_not_linked_in_the_text(seed_site: Path):
    page = _html(seed_site / "site", f"articles/{STERN}/index.html")
    linked = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select(".ab-article-body a.ab-entity")}
    listed = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select(".ab-in-article a")}
    assert "ukraine" in listed and "ukraine" not in linked and linked <= listed
    assert not page.select(".ab-article-body mark a.ab-entity") and not page.select(".ab-article-body .caption a.ab-entity")
    assert len(linked) < 20
