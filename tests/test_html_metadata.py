"""Dates, authors and titles of saved pages: each rule on a small inline page."""
from __future__ import annotations

import pytest

from archive_build.ingest.html_authors import people, person
from archive_build.ingest.html_dates import iso_day
from tests.test_reader_html import PARA, article_body, page, read

BODY = article_body()


# --- dates: where the page states them, and where it came from ------------------


def test_date_from_json_ld_date_published_in_a_graph():
    ld = '<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "S"}, {"@type": "NewsArticle", "datePublished": "2023-11-08T10:00:00-08:00"}]}</script>'
    art = read(page(ld, BODY))
    assert (art.date, art.date_source) == ("2023-11-08", "json-ld")


def test_date_from_a_json_ld_block_with_a_stray_brace():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-04-02T08:00:00+02:00"}}</script>'
    art = read(page(ld, BODY))
    assert (art.date, art.date_source) == ("2021-04-02", "json-ld")


def test_a_timestamp_keeps_its_local_day_not_the_utc_day():
    art = read(page('<meta property="article:published_time" content="2023-11-08T22:35:29-08:00">', BODY))
    assert art.date == "2023-11-08"


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="dc.date" content="2019-05-06">',
        '<meta name="parsely-pub-date" content="2019-05-06T12:00:00Z">',
        '<meta name="sailthru.date" content="2019-05-06 12:00:00">',
        '<meta property="og:published_time" content="2019-05-06">',
    ],
)
def test_date_from_dublin_core_parsely_sailthru_and_open_graph_metas(meta):
    art = read(page(meta, BODY))
    assert (art.date, art.date_source) == ("2019-05-06", "meta")


def test_date_in_the_iso_basic_format():
    assert iso_day("20180619T055000+0900") == "2018-06-19"


@pytest.mark.parametrize(
    "element",
    [
        '<abbr itemprop="datePublished" title="2020-02-03">Feb 3</abbr>',
        '<p itemprop="datePublished" content="2020-02-03">3 February</p>',
        '<div data-published="2020-02-03T09:00:00Z"></div>',
    ],
)
def test_date_from_microdata_and_data_published_attributes(element):
    art = read(page("", f"<article>{element}<p>{PARA}</p><p>{PARA}</p></article>"))
    assert art.date == "2020-02-03"


def test_date_from_a_time_element_with_only_text():
    art = read(page("", f"<article><h1>Bridge repairs agreed</h1><p>{PARA}</p><time>March 4, 2022</time><p>{PARA}</p></article>"))
    assert (art.date, art.date_source) == ("2022-03-04", "time")


def test_date_from_a_dateline_under_the_headline():
    art = read(page("", f"<article><h1>Bridge repairs agreed</h1><div>Published 11:11 PM EST Nov 19, 2019</div><p>{PARA}</p><p>{PARA}</p></article>"))
    assert (art.date, art.date_source) == ("2019-11-19", "text")


def test_the_day_shown_wins_over_a_utc_timestamp_one_day_later():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-20T03:50:00Z"}</script>'
    art = read(page(ld, f"<article><h1>Bridge repairs agreed</h1><p>Published 10:50 PM EST Nov 19, 2019</p><p>{PARA}</p><p>{PARA}</p></article>"))
    assert (art.date, art.date_source) == ("2019-11-19", "text")


def test_a_date_from_the_address_alone_is_used_last_and_warned_about():
    art = read(page('<link rel="canonical" href="https://example.org/2023/11/08/bridge-repairs/">', BODY))
    assert (art.date, art.date_source) == ("2023-11-08", "url")
    assert any("address" in w for w in art.warnings)


def test_published_and_updated_stay_apart():
    head = '<meta property="article:published_time" content="2020-01-01T08:00:00Z"><meta property="article:modified_time" content="2020-03-01T08:00:00Z">'
    art = read(page(head, BODY))
    assert (art.date, art.updated) == ("2020-01-01", "2020-03-01")


def test_the_date_source_is_in_the_front_matter():
    from archive_build.writer import front_matter

    art = read(page('<meta property="article:published_time" content="2020-01-01">', BODY))
    assert front_matter(art)["date_source"] == "meta"


# --- authors: people, from the article's own byline -------------------------


def test_meta_author_equal_to_the_site_name_is_not_an_author():
    art = read(page('<meta name="author" content="ABC News"><meta property="og:site_name" content="ABC News">', BODY))
    assert art.authors == []


def test_the_json_ld_publisher_is_not_an_author():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Condé Nast"}, "publisher": {"@type": "Organization", "name": "Condé Nast"}}</script>'
    assert read(page(ld, BODY)).authors == []


def test_json_ld_lists_of_authors_keep_every_person():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Stella Kim"}, {"@type": "Person", "name": "Jennifer Jett"}]}</script>'
    assert read(page(ld, BODY)).authors == ["Stella Kim", "Jennifer Jett"]


def test_surname_first_in_structured_data_is_one_person():
    assert people("Gillman, Steve") == ["Gillman, Steve"]
    assert people("Stella Kim, Jennifer Jett") == ["Stella Kim", "Jennifer Jett"]


@pytest.mark.parametrize(
    "raw, name",
    [
        ("Joe Davidson Washington Post", "Joe Davidson"),
        ("Ben Silverman Games Editor", "Ben Silverman"),
        ("Jane Roe, Staff Writer", "Jane Roe"),
        ("Jane Roe Twitter", "Jane Roe"),
        ("Staff Writer", None),
        ("Associated Press", None),
    ],
)
def test_a_role_or_site_glued_to_a_name_is_trimmed(raw, name):
    assert person(raw, ["Washington Post"]) == name


def test_a_byline_in_a_related_stories_box_is_not_the_author():
    body = (
        f"<article><h1>Bridge repairs agreed</h1><p>{PARA}</p><p>{PARA}</p>"
        '<aside class="related"><span class="byline">By Other Writer</span></aside></article>'
    )
    assert read(page("", body)).authors == []


def test_a_rel_author_link_inside_the_article_is_the_author():
    body = f'<article><h1>Bridge repairs agreed</h1><p>By <a rel="author" href="/a/jr">Jane Roe</a></p><p>{PARA}</p><p>{PARA}</p></article>'
    assert read(page("", body)).authors == ["Jane Roe"]


def test_co_authors_in_brackets_in_the_pages_language_are_all_authors():
    assert people("Martin Untersinger (avec Damien Leloup et Morgane Tual)") == ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]


# --- titles -------------------------------------------------------------------


def test_the_visible_headline_wins_when_the_social_title_says_something_else():
    head = "<title>The Deck of Cards That Made Tarot Famous - Atlas</title><meta property='og:title' content='If You Can Picture A Tarot Card, Thank These People'>"
    art = read(page(head, f"<article><h1>The Deck of Cards That Made Tarot Famous</h1><p>{PARA}</p><p>{PARA}</p></article>"))
    assert art.title == "The Deck of Cards That Made Tarot Famous"


def test_a_section_name_in_an_h1_does_not_replace_the_title():
    head = "<title>Babies Who Eat Peanuts Early May Avoid Allergy</title><meta property='og:title' content='Babies Who Eat Peanuts Early May Avoid Allergy'>"
    art = read(page(head, f"<h1>Allergies Health Center</h1><article><p>{PARA}</p><p>{PARA}</p></article>"))
    assert art.title == "Babies Who Eat Peanuts Early May Avoid Allergy"


@pytest.mark.parametrize(
    "title",
    ["宇航员在太空中喝酒会怎么样_探索者_光明网", "見出しのニュース｜サイト名", "Lorem ipsum dolor sit amet – My website"],
)
def test_site_names_after_full_width_and_cjk_separators_are_stripped(title):
    art = read(page(f"<title>{title}</title>", BODY))
    assert art.title in ("宇航员在太空中喝酒会怎么样", "見出しのニュース", "Lorem ipsum dolor sit amet")


def test_a_published_year_suffix_is_stripped():
    art = read(page("<meta property='og:title' content='The Bridge Nobody Wanted (Published 2016)'>", BODY))
    assert art.title == "The Bridge Nobody Wanted"


def test_a_headline_is_never_cut_at_its_own_colon():
    art = read(page("<meta property='og:title' content='Outside the web: standalone WebAssembly binaries'><meta property='og:site_name' content='V8'>", BODY))
    assert art.title == "Outside the web: standalone WebAssembly binaries"


def test_a_meta_timestamp_with_milliseconds_is_read_as_meta():
    art = read(page('<meta property="article:published_time" content="2015-03-17T16:27:40.294Z">', BODY))
    assert (art.date, art.date_source) == ("2015-03-17", "meta")


def test_the_time_marked_published_wins_over_other_posts_times():
    body = f'<article><time class="date" datetime="2020-12-08">December 8, 2020</time><time class="date published" datetime="2020-12-18">December 18, 2020</time><p>{PARA}</p><p>{PARA}</p></article>'
    art = read(page("", body))
    assert (art.date, art.date_source) == ("2020-12-18", "time")


def test_a_copyright_year_is_not_a_publication_day():
    art = read(page("", f"<article><p>{PARA}</p><p>{PARA}</p></article><footer>Portions of this content are ©1998–2015 by individual contributors.</footer>"))
    assert art.date is None


def test_a_name_with_a_nickname_in_brackets_is_a_name():
    from archive_build.ingest.html_authors import is_name

    assert is_name("Richard (R.J.) Eskow") and not is_name("J J")


@pytest.mark.parametrize("raw", ["admin", "Editorial Board", "Redaktion"])
def test_placeholders_and_boards_are_not_people(raw):
    assert person(raw) is None


def test_a_german_byline():
    from archive_build.text.header_lines import byline

    assert byline("Von Max Mustermann") == ["Max Mustermann"]
