"""Search as a searcher uses it, in Debian's Chromium, on the seed site (Pagefind, typed key by key)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import PHONE, open_context, read_results, search, status_count, wait_for_answer

pytestmark = pytest.mark.browser

STERN = "articles/2023-05-30-drone-attacks-on-moscow-stern/"
WSWS = "articles/2023-05-30-drone-attack-on-moscow/"
MILITANT = "articles/2025-06-09-moscow-escalates-bombing-of-civilians/"
STERN_TITLE = "Drone attacks on Moscow: the war comes home to Russia"
WSWS_TITLE = "Drone attack on Moscow aims to escalate US-NATO war with Russia"


def _article_texts(site: Path) -> dict[str, str]:
    """Each article page's own text (body only: no header, notes or provenance)."""
    texts = {}
    for html in sorted((site / "articles").glob("*/index.html")):
        body = BeautifulSoup(html.read_text("utf-8"), "html.parser").select_one(".ab-article-body")
        if body is None:
            continue
        for notes in body.select(".footnote"):
            notes.decompose()
        texts[f"articles/{html.parent.name}/"] = body.get_text(" ")
    return texts


def _pages(results: list[dict], base: str) -> list[str]:
    return [r["href"].removeprefix(base) for r in results]


# --- what is found


def test_searching_a_name_in_the_body_lists_the_stern_report(page, site_url):
    page.goto(site_url)
    assert STERN in _pages(search(page, "Shoigu"), site_url)


def test_searching_an_author_lists_his_article(page, site_url):
    page.goto(site_url)
    assert MILITANT in _pages(search(page, "Landersen"), site_url)


def test_searching_kiev_also_lists_articles_that_only_say_kyiv(page, site_url, seed_site):
    only_kyiv = {url for url, text in _article_texts(seed_site / "site").items() if "Kyiv" in text and "Kiev" not in text}
    assert only_kyiv, "the seeds should include an article that says Kyiv and never Kiev"
    page.goto(site_url)
    assert only_kyiv <= set(_pages(search(page, "Kiev"), site_url))


def test_searching_zelenskyy_also_lists_articles_that_say_zelensky(page, site_url, seed_site):
    other_spelling = {url for url, text in _article_texts(seed_site / "site").items() if "Zelensky" in text and "Zelenskyy" not in text}
    assert other_spelling, "the seeds should include an article that spells it Zelensky"
    page.goto(site_url)
    assert other_spelling <= set(_pages(search(page, "Zelenskyy"), site_url))


# --- ranking


@pytest.mark.parametrize(("title", "expected"), [(STERN_TITLE, STERN), (WSWS_TITLE, WSWS)], ids=["stern", "wsws"])
def test_an_exact_title_ranks_its_article_first(page, site_url, title, expected):
    page.goto(site_url)
    assert _pages(search(page, title), site_url)[0] == expected


def test_an_article_outranks_the_entity_index_and_lists_for_a_name(page, site_url):
    page.goto(site_url)
    pages = _pages(search(page, "Moscow"), site_url)
    assert pages and pages[0].startswith(("articles/", "entities/moscow/"))
    assert not any(p in ("entities/", "articles/", "") or p.startswith("browse/") for p in pages)
    assert sum(p.startswith("articles/") for p in pages) >= 3


# --- snippets


@pytest.mark.parametrize("query", ["Kiev", "Zelenskyy", "air defence", "Moscow", "Pantsir"])
def test_no_snippet_shows_a_list_of_other_spellings(page, site_url, query):
    page.goto(site_url)
    results = search(page, query)
    excerpts = [e for r in results for e in r["excerpts"]]
    assert excerpts
    assert not [e for e in excerpts if e.count("·") >= 2 or "air defence · " in e.lower()]


def test_a_snippet_highlights_the_matching_sentence(page, site_url):
    page.goto(site_url)
    search(page, "Shoigu")
    marks = page.locator(".md-search-result__item mark").all_text_contents()
    assert marks and all(m.strip(" .,;:").lower() == "shoigu" for m in marks)


# --- notes


def test_a_word_only_in_a_note_returns_the_note_as_a_sub_result_with_its_anchor(page, site_url, seed_site):
    assert "transliterated" not in _article_texts(seed_site / "site")[STERN]
    page.goto(site_url)
    stern = next(r for r in search(page, "transliterated") if r["href"] == site_url + STERN)
    note = stern["subs"][0]
    assert note["href"] == site_url + STERN + "#ann-kiev-kyiv"
    assert note["title"].startswith("Note by @archive-editors on “")


def test_following_a_note_result_lands_on_the_highlighted_passage(page, site_url):
    page.goto(site_url)
    search(page, "transliterated")
    page.locator("a.ab-search-result__sub[href$='#ann-kiev-kyiv']").first.click()
    page.wait_for_url(re.compile(r"#ann-kiev-kyiv$"))
    # Instant navigation changes the address before it swaps the page in.
    page.locator("mark#ann-kiev-kyiv").wait_for(state="visible", timeout=15_000)


# --- filters


def _open_filters(page, site_url=None, query="Moscow"):
    """Open the filters, after searching ``query`` from the home page when ``site_url`` is given."""
    if site_url is not None:
        page.goto(site_url)
        search(page, query)
    page.locator("[data-ab-search-filters] > summary").click()
    page.locator("[data-ab-facet]").first.wait_for(state="visible", timeout=15_000)


@pytest.mark.parametrize("facet", ["kind", "source", "author", "year", "entity"])
def test_each_filter_narrows_the_results(page, site_url, facet):
    _open_filters(page, site_url)
    before = status_count(page)
    label = page.locator("label.ab-search-facet__value").filter(has=page.locator(f"[data-ab-facet='{facet}']:not([value=''])")).first
    option = label.locator("input")
    value = option.get_attribute("value")
    expected = int(re.search(r"\((\d+)\)", label.text_content() or "").group(1))
    option.check()
    page.wait_for_function("n => /result/.test(document.querySelector('[data-ab-search-status]').textContent) && document.querySelectorAll('.md-search-result__item').length <= n", arg=expected)
    wait_for_answer(page, "Moscow")
    after = status_count(page)
    assert 0 < after < before, (facet, value, before, after)
    assert after == expected


def test_the_annotation_kind_lists_the_notes_themselves(page, site_url):
    _open_filters(page, site_url)
    page.locator("[data-ab-facet='kind'][value='Annotation']").check()
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item h1')].every(h => h.textContent.startsWith('Note by '))")
    results = read_results(page)
    assert results
    links = page.eval_on_selector_all(".md-search-result__item > a:first-child", "els => els.map(a => a.href)")
    assert all(re.search(r"/articles/[^/]+/#ann-[\w-]+$", href) for href in links)
    assert all(r["line"].startswith("In ") for r in results)


def test_a_source_filter_keeps_only_that_sources_results(page, site_url):
    _open_filters(page, site_url)
    page.locator("[data-ab-facet='source'][value='Stern']").check()
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length === 1")
    assert [r["line"] for r in read_results(page)] == ["30 May 2023 · Stern"]


# --- phrases and typos


def test_words_without_quotes_find_articles_that_have_them_apart(page, site_url):
    page.goto(site_url)
    assert {STERN, WSWS} <= set(_pages(search(page, "defense ministry"), site_url))


def test_a_quoted_phrase_leaves_out_an_article_without_the_phrase(page, site_url):
    page.goto(site_url)
    pages = _pages(search(page, '"defense ministry"'), site_url)
    assert STERN in pages and WSWS not in pages


def test_a_quoted_phrase_among_other_words_still_requires_the_phrase(page, site_url):
    page.goto(site_url)
    pages = _pages(search(page, 'Tuesday "defense ministry"'), site_url)
    assert STERN in pages and WSWS not in pages


def test_a_misspelt_name_offers_the_right_spelling(page, site_url):
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("Zelenksy", delay=20)
    suggestion = page.locator("[data-ab-suggestion]")
    suggestion.wait_for(state="visible", timeout=15_000)
    assert suggestion.text_content() == "Zelensky"
    suggestion.click()
    wait_for_answer(page, "Zelensky")
    assert read_results(page)


# --- offline, keyboard, phone


def test_searching_and_filtering_request_nothing_from_another_origin(page_and_log, site_url):
    page, log = page_and_log
    _open_filters(page, site_url)
    page.locator("input.md-search__input").fill("")
    page.locator("input.md-search__input").press_sequentially("Zelenksy", delay=20)
    page.locator("[data-ab-suggestion]").wait_for(state="visible", timeout=15_000)
    assert log.problems() == []


def test_search_works_with_the_keyboard_alone(page, site_url):
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type(STERN_TITLE, delay=10)
    wait_for_answer(page, STERN_TITLE)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href").endswith(STERN)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(STERN) + "$"))


def test_escape_closes_the_search(page, site_url):
    page.goto(site_url)
    page.keyboard.press("/")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


def test_search_works_on_a_phone(browser, site_url):
    context, log = open_context(browser, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(site_url)
        assert page.locator("label.md-header__button[for='__search']").is_visible()
        results = search(page, "Shoigu")
        assert page.locator(".md-search-result__item").first.is_visible()
        assert STERN in _pages(results, site_url)
        assert log.problems() == []
    finally:
        context.close()


def test_a_page_can_open_the_search_with_a_query(page, site_url):
    page.goto(site_url)
    page.evaluate("""() => { const b = document.createElement('button'); b.id = 'opener';
        b.setAttribute('data-ab-search-open', 'Shoigu'); b.textContent = 'Search'; document.body.prepend(b); }""")
    page.locator("#opener").click()
    wait_for_answer(page, "Shoigu")
    assert page.evaluate("document.getElementById('__search').checked")
    assert STERN in _pages(read_results(page), site_url)
