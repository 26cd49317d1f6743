"""Reading an article in a real browser: annotation tooltips, entity pages, paragraph links."""
from __future__ import annotations

import pytest

from tests.browser.conftest import hover_preview

pytestmark = pytest.mark.browser

STERN = "articles/2023-05-30-drone-attacks-on-moscow-stern/"


def _annotated_article(page, site_url: str) -> None:
    page.goto(site_url + STERN)
    assert page.locator("a.footnote-ref").count() > 0, "the Stern seed should carry reader annotations"


def test_hovering_an_annotation_footnote_shows_its_text_in_a_tooltip(page, site_url):
    _annotated_article(page, site_url)
    ref = page.locator("mark.ab-ann + sup a.footnote-ref").first
    note_text = ref.evaluate("a => document.getElementById(decodeURIComponent(new URL(a.href).hash.slice(1))).textContent")
    ref.hover()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    tooltip.wait_for(state="visible", timeout=5_000)
    page.wait_for_timeout(500)  # a second tooltip (a page preview of the same link) would be up by now
    assert tooltip.count() == 1
    assert "".join(tooltip.text_content().split()) == "".join(note_text.split())  # same words, layout aside


def test_focusing_an_annotation_footnote_shows_the_tooltip_too(page, site_url):
    _annotated_article(page, site_url)
    page.locator("mark.ab-ann + sup a.footnote-ref").first.focus()
    page.locator(".md-tooltip2--active .md-tooltip2__inner").wait_for(state="visible", timeout=5_000)


def test_the_annotated_passage_is_highlighted_and_visible(page, site_url):
    _annotated_article(page, site_url)
    mark = page.locator("mark.ab-ann").first
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_an_entity_link_opens_the_entity_page_listing_at_least_two_articles(page, site_url):
    page.goto(site_url + STERN)
    link = page.locator(".ab-article-body a[href$='entities/kremlin/']").first
    link.click()
    page.wait_for_url("**/entities/kremlin/")
    articles = page.evaluate(
        "() => new Set([...document.querySelectorAll('article.md-content__inner a[href*=\"/articles/\"]')]"
        ".map(a => a.pathname).filter(p => !p.endsWith('/articles/'))).size"
    )
    assert articles >= 2


def test_a_paragraph_permalink_scrolls_to_and_marks_that_paragraph(page, site_url):
    page.goto(site_url + STERN + "#p-3")
    target = page.locator("p#p-3")
    assert target.is_visible()
    assert page.evaluate("() => document.querySelector(':target').id") == "p-3"
    target.hover()
    assert page.locator("p#p-3 > a.ab-pilcrow").evaluate("el => getComputedStyle(el).opacity") == "1"


def test_the_cite_block_offers_chicago_text_and_bibtex(page, site_url):
    page.goto(site_url + STERN)
    chicago = page.locator(".ab-cite__text").inner_text()
    assert "\u201cDrone attacks on Moscow: the war comes home to Russia.\u201d Stern, May 30, 2023." in chicago
    page.locator(".ab-cite__bibtex summary").click()
    assert page.locator(".ab-cite__bibtex code").inner_text().startswith("@article{2023-05-30-drone-attacks-on-moscow-stern,")


def test_printing_hides_navigation_and_spells_out_external_links(page, site_url):
    page.goto(site_url + "articles/2026-02-27-ukraine-war-fourth-anniversary-statements/")
    page.emulate_media(media="print")
    assert page.locator(".md-sidebar--primary").evaluate("el => getComputedStyle(el).display") == "none"
    assert page.locator(".md-header").evaluate("el => getComputedStyle(el).display") == "none"
    link = page.locator(".ab-article-body a[href^='https://www.icc-cpi.int']").first
    number = link.get_attribute("data-ab-ref")
    assert link.evaluate("el => getComputedStyle(el, '::after').content") == f'"\u00a0[{number}]"'
    assert "icc-cpi.int" in page.locator(".ab-print-refs li").nth(int(number) - 1).inner_text()


def test_hovering_a_link_to_another_article_previews_it(page, site_url):
    page.goto(site_url + STERN)
    link = page.locator(".footnote a[data-preview]").first
    title = link.text_content().strip()
    preview = hover_preview(page, link)
    assert title in preview.text_content()


def test_hovering_an_entity_link_previews_the_entity_page(page, site_url):
    page.goto(site_url + STERN)
    page.locator(".ab-article-body a[href$='entities/kremlin/']").first.hover()
    preview = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    preview.wait_for(state="visible", timeout=5_000)
    assert "Kremlin" in preview.text_content()
