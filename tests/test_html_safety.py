"""After the allowlist sanitiser: no theme id, no repeated id, no markup title, no theme class on generated pages."""
from __future__ import annotations

from archive_build.html_safety import escape_toc_titles, guard_attributes, rendering_generated_page, slugify, tag_slug
from archive_build.site.plugin.sanitise import sanitize_html


def guard(html: str, generated: bool = True) -> str:
    return guard_attributes(sanitize_html(html), generated)


def test_the_themes_ids_are_removed() -> None:
    assert guard('<p id="__config">{"a": 1}</p><h2 id="__search">x</h2>') == '<p>{"a": 1}</p><h2>x</h2>'


def test_a_repeated_id_is_removed_from_every_element_after_the_first() -> None:
    assert guard('<li id="fn:ann-a">note</li><p id="fn:ann-a">clobber</p>') == '<li id="fn:ann-a">note</li><p>clobber</p>'


def test_a_title_holding_markup_is_removed_and_a_plain_one_kept() -> None:
    html = guard('<a href="https://e.org/" title="&lt;img src=x onerror=alert(1)&gt;">x</a><a href="https://e.org/" title="Q&amp;A">y</a>')
    assert html == '<a href="https://e.org/">x</a><a href="https://e.org/" title="Q&amp;A">y</a>'


def test_theme_classes_are_removed_on_generated_pages_only() -> None:
    assert guard('<p class="md-overlay ab-x">x</p>') == '<p class="ab-x">x</p>'
    assert guard('<p class="md-dialog">x</p>') == "<p>x</p>"
    assert guard('<a class="md-button" href="x.md">x</a>', generated=False) == '<a class="md-button" href="x.md">x</a>'


def test_text_that_looks_like_an_attribute_is_left_as_text() -> None:
    assert guard('<p>write id="__config" in text</p>') == '<p>write id="__config" in text</p>'


def test_heading_ids_are_namespaced_on_generated_pages_only() -> None:
    rendering_generated_page(True)
    try:
        assert slugify("__config", "-") == "ab-h-__config"
    finally:
        rendering_generated_page(False)
    assert slugify("Background", "-") == "background"


def test_tags_that_differ_only_in_case_or_punctuation_get_different_anchors() -> None:
    slugs = {tag_slug(name, "-") for name in ("[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](  javascript:alert(1))")}
    assert len(slugs) == 3
    assert tag_slug("ukraine", "-") == "ukraine"


def test_toc_titles_holding_markup_are_escaped_and_escaped_ones_kept() -> None:
    class Item:
        def __init__(self, title: str) -> None:
            self.title, self.children = title, []

    items = [Item("<img src=x onerror=alert(1)>"), Item("Q &amp; A")]
    escape_toc_titles(items)
    assert [i.title for i in items] == ["&lt;img src=x onerror=alert(1)&gt;", "Q &amp; A"]


