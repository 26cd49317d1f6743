"""The article page a reader trusts, in real Chromium: notes beside the text or in place, the
reader's controls, print, previews from any server, and nothing said twice."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.browser.conftest import PHONE, hover_preview, open_context, run_axe

pytestmark = pytest.mark.browser

STERN = "articles/2023-05-30-drone-attacks-on-moscow-stern/"
STATEMENTS = "articles/2026-02-27-ukraine-war-fourth-anniversary-statements/"
WIDE = {"width": 1366, "height": 900}
SEEDS = [
    "2023-05-30-drone-attack-on-moscow",
    "2023-05-30-drone-attacks-on-moscow-stern",
    "2025-06-09-moscow-escalates-bombing-of-civilians",
    "2026-02-27-ukraine-war-fourth-anniversary-statements",
]


@pytest.fixture()
def opened(browser: Any) -> Iterator[Any]:
    """``opened(**context_options)`` → a page in a fresh context; every context is checked for problems at the end."""
    logs = []
    contexts = []

    def make(**options: Any) -> Any:
        context, log = open_context(browser, **options)
        contexts.append(context)
        logs.append(log)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert [p for log in logs for p in log.problems()] == []


def _box(locator: Any) -> dict[str, float]:
    return locator.evaluate("el => { const r = el.getBoundingClientRect(); return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right, width: r.width, height: r.height}; }")


# --------------------------------------------------------------- beside the text, or at the end


def test_at_1366_px_each_note_sits_in_the_margin_beside_its_passage(opened, site_url):
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    side = page.locator(".ab-sidenote").first
    side.wait_for(state="visible")
    mark = page.locator("mark#ann-kiev-kyiv")
    text, note, passage = _box(page.locator(".ab-article-body > p").first), _box(side), _box(mark)
    assert note["left"] >= text["right"]  # in the margin, not over the text
    assert abs(note["top"] - passage["top"]) < 4  # level with the start of its passage
    assert "The leadership in Kiev rejects the allegations." in side.inner_text()


def test_a_long_margin_note_shows_its_first_lines_and_more_on_request(opened, site_url):
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    note = page.locator(".ab-sidenote").first
    note.wait_for(state="visible")
    height = _box(note)["height"]
    more = note.locator(".ab-sidenote__more")
    more.click()
    assert more.get_attribute("aria-expanded") == "true" and _box(note)["height"] > height
    following = [_box(n) for n in page.locator(".ab-sidenote").all()]
    assert following[1]["top"] >= following[0]["bottom"]


def test_margin_notes_never_overlap_and_keep_the_order_of_their_passages(opened, site_url):
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    page.locator(".ab-sidenote").first.wait_for(state="visible")
    boxes = [_box(n) for n in page.locator(".ab-sidenote").all()]
    assert len(boxes) == 4
    for above, below in zip(boxes, boxes[1:]):
        assert below["top"] >= above["bottom"]


def test_at_1366_px_clicking_a_marker_points_at_its_margin_note_instead_of_jumping(opened, site_url):
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    page.locator(".ab-sidenote").first.wait_for(state="visible")
    page.locator("sup.ab-ref a.footnote-ref").nth(1).click()
    assert page.evaluate("() => location.hash") == ""
    assert "ab-note-card--active" in page.locator(".ab-sidenote").nth(1).get_attribute("class")


def test_at_390_px_the_notes_stay_footnotes_at_the_end(opened, site_url):
    page = opened(viewport=PHONE)
    page.goto(site_url + STERN)
    assert page.locator(".ab-sidenote").count() == 0
    notes = page.locator("#ab-notes")
    assert notes.locator("h2").inner_text() == "Annotations (4)"
    assert notes.locator("li.ab-note").count() == 4 and notes.is_visible()


def test_each_note_shows_its_words_kind_author_date_and_a_permalink(opened, site_url):
    page = opened()
    page.goto(site_url + STERN)
    note = page.locator("#ab-notes li").first
    assert note.locator(".ab-ann-kind").inner_text().lower() == "note"
    assert "@archive-editors · 22 November 2026" in note.locator(".ab-ann-by").inner_text()
    assert note.locator("a.ab-ann-permalink").evaluate("a => decodeURIComponent(a.hash)") == "#fn:ann-kiev-kyiv"
    quote = note.locator("a.ab-ann-quote")
    assert quote.inner_text() == "“The leadership in Kiev rejects the allegations.”"
    quote.click()
    assert page.evaluate("() => decodeURIComponent(location.hash)") == "#ann-kiev-kyiv"


def test_note_text_is_near_body_size_and_reads_at_4_5_to_1_in_both_schemes(opened, site_url):
    contrast = """el => {
        const rgb = c => c.match(/[\\d.]+/g).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        let bg = null;
        for (let n = el; n && !bg; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor; if (rgb(c)[3] !== 0 && c !== 'rgba(0, 0, 0, 0)') bg = c; }
        const fg = rgb(getComputedStyle(el).color), back = rgb(bg);
        const a = fg.length > 3 ? fg[3] : 1;
        const mixed = [0, 1, 2].map(i => fg[i] * a + back[i] * (1 - a));
        const [l1, l2] = [lum(mixed), lum(back)].sort((x, y) => y - x);
        return (l1 + 0.05) / (l2 + 0.05);
    }"""
    for scheme in ("light", "dark"):
        page = opened(viewport=WIDE, color_scheme=scheme)
        page.goto(site_url + STERN)
        body_size = float(page.locator(".ab-article-body > p").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
        for where in (".ab-sidenote .ab-note-card__body > p", "#ab-notes li > p:nth-of-type(3)"):
            text = page.locator(where).first
            size = float(text.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
            assert size >= 0.85 * body_size, (scheme, where, size, body_size)
            assert text.evaluate(contrast) >= 4.5, (scheme, where)


# --------------------------------------------------------------- opened in place on a phone


def test_tapping_a_highlighted_passage_on_a_phone_opens_its_note_right_there(opened, site_url):
    page = opened(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(site_url + STERN)
    mark = page.locator("mark#ann-pantsir")
    mark.scroll_into_view_if_needed()
    mark.tap()
    pop = page.locator(".ab-popnote")
    pop.wait_for(state="visible")
    assert "“Panzir anti-aircraft complex”" in pop.inner_text() and "Pantsir" in pop.inner_text()
    # Right under the passage's paragraph, and the page did not jump to the end.
    assert pop.evaluate("el => el.previousElementSibling.contains(document.getElementById('ann-pantsir'))")
    top = pop.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < page.evaluate("() => innerHeight") and page.evaluate("() => location.hash") == ""


def test_tapping_the_marker_toggles_the_note_and_the_marker_is_at_least_24_px(opened, site_url):
    page = opened(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto(site_url + STERN)
    ref = page.locator("sup.ab-ref a.footnote-ref").first
    ref.scroll_into_view_if_needed()
    box = _box(ref)
    assert box["width"] >= 24 and box["height"] >= 24
    ref.tap()
    page.locator(".ab-popnote").wait_for(state="visible")
    assert ref.get_attribute("aria-expanded") == "true"
    ref.tap()
    assert page.locator(".ab-popnote").count() == 0 and ref.get_attribute("aria-expanded") == "false"


def test_from_the_keyboard_a_marker_opens_its_note_and_escape_closes_it(opened, site_url):
    page = opened(viewport={"width": 1024, "height": 800})
    page.goto(site_url + STERN)
    ref = page.locator("sup.ab-ref a.footnote-ref").first
    ref.focus()
    page.keyboard.press("Enter")
    pop = page.locator(".ab-popnote")
    pop.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.classList.contains('ab-popnote')")
    page.keyboard.press("Escape")
    assert pop.count() == 0 and ref.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.classList.contains('footnote-ref')")


def test_a_phone_with_a_note_open_has_no_accessibility_violations(opened, site_url):
    for scheme in ("light", "dark"):
        page = opened(viewport=PHONE, has_touch=True, is_mobile=True, color_scheme=scheme)
        page.goto(site_url + STERN)
        page.locator("mark#ann-pantsir").tap()
        page.locator(".ab-popnote").wait_for(state="visible")
        assert run_axe(page) == []


# --------------------------------------------------------------- the reader's controls


def _highlighted(page: Any, selector: str) -> bool:
    return page.locator(selector).first.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")


def test_highlights_can_be_hidden_and_the_choice_is_remembered_on_other_pages(opened, site_url):
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    toggle = page.locator("[data-ab-highlights]")
    assert toggle.get_attribute("aria-pressed") == "true" and _highlighted(page, "mark.ab-ann")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false" and not _highlighted(page, "mark.ab-ann")
    assert not page.locator(".ab-sidenotes").is_visible()
    page.goto(site_url + "articles/2023-05-30-drone-attack-on-moscow/")
    assert not _highlighted(page, "mark.ab-ann")
    assert page.locator("[data-ab-highlights]").get_attribute("aria-pressed") == "false"


def test_notes_can_be_filtered_by_kind_and_the_filter_is_remembered(opened, site_url):
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    page.locator(".ab-sidenote").first.wait_for(state="visible")
    page.locator("input[data-ab-kind='context']").uncheck()
    assert page.locator(".ab-sidenote.ab-note-kind-context").first.is_hidden()
    assert page.locator("#ab-notes li.ab-note-kind-context").first.is_hidden()
    assert page.locator("sup.ab-ref-kind-context").first.is_hidden()
    assert not _highlighted(page, "mark.ab-ann-context") and _highlighted(page, "mark.ab-ann-correction")
    assert page.locator(".ab-sidenote.ab-note-kind-correction").is_visible()
    page.reload()
    assert not page.locator("input[data-ab-kind='context']").is_checked()
    assert page.locator("#ab-notes li.ab-note-kind-context").first.is_hidden()


def test_without_javascript_every_highlight_and_note_shows_and_the_controls_are_hidden(opened, site_url):
    page = opened(viewport=WIDE, java_script_enabled=False)
    page.goto(site_url + STERN)
    assert page.locator("[data-ab-reader-controls]").is_hidden()
    assert _highlighted(page, "mark.ab-ann-context")
    assert page.locator("#ab-notes li.ab-note").count() == 4 and page.locator("#ab-notes li").first.is_visible()


# --------------------------------------------------------------- print


def test_print_spells_out_only_outside_addresses_once_with_no_empty_brackets(opened, site_url):
    page = opened()
    page.goto(site_url + STATEMENTS)
    page.emulate_media(media="print")
    after = "el => getComputedStyle(el, '::after').content"
    outside = page.locator(".ab-article-body a[data-ab-ref]")
    assert outside.count() > 0
    assert all(a.evaluate(after).startswith('"\u00a0[') for a in outside.all())
    for a in page.locator(".md-content a[href]:not([data-ab-ref]):not(.ab-original)").all():
        assert a.evaluate(after) in ("none", "normal", '""'), a.evaluate("el => el.outerHTML")[:200]
    refs = page.locator(".ab-print-refs li").all_inner_texts()
    assert refs and len(refs) == len(set(refs)) and all(r.startswith("http") for r in refs)
    assert page.locator(".ab-print-refs").is_visible()
    assert "<>" not in page.locator(".ab-article-header").inner_text()
    assert page.locator(".ab-about").is_visible() and page.locator(".ab-cite__text").is_visible()


def test_print_of_an_article_without_an_original_has_no_empty_brackets(opened, site_url):
    page = opened()
    page.goto(site_url + STERN)
    page.emulate_media(media="print")
    header = page.locator(".ab-article-header")
    assert "Original not online" in header.inner_text()
    assert all(a.evaluate("el => getComputedStyle(el, '::after').content") in ("none", "normal") for a in header.locator("a").all())


# --------------------------------------------------------------- previews from any server


def test_a_hover_preview_works_from_a_plain_static_server_on_a_random_port(opened, site_url, seed_site):
    # site_url is http.server on an ephemeral port, serving the sitemap as built (site_url's origin).
    assert "archive.example.org" in (seed_site / "site/sitemap.xml").read_text("utf-8")
    assert not site_url.startswith("http://127.0.0.1:8000/")
    page = opened(viewport=WIDE)
    page.goto(site_url + STERN)
    link = page.locator(".ab-related-list a").first
    title = link.inner_text().strip()
    preview = hover_preview(page, link)
    assert title in preview.inner_text()


# --------------------------------------------------------------- said once


@pytest.mark.parametrize("article", SEEDS)
def test_no_seed_article_prints_its_first_paragraph_twice(opened, site_url, article):
    page = opened()
    page.goto(site_url + f"articles/{article}/")
    first = " ".join(page.locator(".ab-article-body > p:not(.caption)").first.inner_text().replace("¶", "").split())
    standfirst = page.locator(".ab-standfirst")
    if standfirst.count():
        shown = " ".join(standfirst.inner_text().split())
        assert not first.startswith(shown[:80]), article


def test_an_orphan_photo_caption_is_a_figure_saying_the_photo_was_not_archived(opened, site_url):
    page = opened()
    page.goto(site_url + "articles/2025-06-09-moscow-escalates-bombing-of-civilians/")
    figure = page.locator(".ab-article-body figure.ab-figure").first
    assert figure.locator(".ab-figure__missing").inner_text().lower() == "photo not archived"
    assert "Ukraine Air Defense Forces" in figure.locator("figcaption").text_content()


def test_the_404_page_opens_the_archives_search(opened, site_url):
    page = opened()
    page.goto(site_url + "404.html")
    page.locator("[data-ab-open-search]").click()
    page.locator("input.md-search__input, [data-ab-pagefind-dialog][open]").first.wait_for(state="visible")
