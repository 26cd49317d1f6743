"""Contributed Markdown reaches the site's extensions with no syntax that acts beyond its words."""
from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from archive_build.markdown.escape import sanitize_markdown
from archive_build.markdown.untrusted import own_footnote_label, safe_fence

from .helpers import clean, removed_texts

# The site's extension set (mkdocs.yml): what a contributed text must not reach.
SITE_EXTENSIONS = ["abbr", "tables", "admonition", "attr_list", "md_in_html", "footnotes", "toc", "pymdownx.escapeall", "pymdownx.mark", "pymdownx.details", "pymdownx.superfences"]


def render(text: str) -> str:
    return markdown.markdown(sanitize_markdown(text), extensions=SITE_EXTENSIONS)


def attributes(html: str) -> list[tuple[str, str, str | None]]:
    """Every (element, attribute, value) in ``html``."""
    found: list[tuple[str, str, str | None]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((tag, name, value) for name, value in attrs)

    Parser().feed(html)
    return found


@pytest.mark.parametrize("source", [
    "Paragraph\n{id=__config}",
    "Paragraph {: #__search }",
    "## Background {id='x\" autofocus onfocus=\"alert(1)\" y='}",
    "Text {onclick=alert(1) .md-overlay}",
    "[link](https://example.org/){id=__drawer}",
])
def test_an_attribute_list_sets_no_attribute_and_stays_as_text(source: str) -> None:
    html = render(source)
    # Only what Markdown itself writes: a heading's id (from its words) and a link's target.
    assert [name for _, name, _ in attributes(html)] in ([], ["id"], ["href"])
    assert not any((value or "").startswith("__") for _, _, value in attributes(html))
    assert "{" in html


def test_an_abbreviation_definition_stays_a_line_of_text() -> None:
    html = render("The HTML spec.\n\n*[HTML]: <img src=x onerror=alert(1)>")
    assert "<abbr" not in html
    assert "*[HTML]:" in html


@pytest.mark.parametrize("link", [
    '[x](https://example.org/ "<img src=x onerror=alert(1)>")',
    "[x](https://example.org/ '<b>bold</b>')",
    "[x](https://example.org/ (a & b))",
])
def test_a_link_title_holding_markup_is_removed_and_recorded(link: str) -> None:
    removed: list[tuple[str, str]] = []
    out = sanitize_markdown(link, None, removed)
    assert out == "[x](https://example.org/)"
    assert removed and "tooltips are text only" in removed[0][1]


def test_a_plain_link_title_is_kept() -> None:
    assert sanitize_markdown('[x](https://example.org/ "The source")') == '[x](https://example.org/ "The source")'


def test_a_reference_definitions_markup_title_is_removed() -> None:
    assert sanitize_markdown('[r]: https://example.org/ "<i>x</i>"') == "[r]: https://example.org/"


def test_code_keeps_its_braces_and_titles_as_written() -> None:
    code = '`{id=x} [a](https://e.org "<b>")`'
    assert sanitize_markdown(code) == code


def test_an_articles_own_footnote_label_never_takes_an_annotation_label() -> None:
    out = sanitize_markdown("Said[^ann-first] and[^1].\n\n[^ann-first]: Mine.")
    assert "[^ann-first]" not in out
    assert "[^own-ann-first]" in out and "[^1]" in out


@pytest.mark.parametrize("label", ["ann-x", "ANN-x", "note-1", "own-ann-x"])
def test_renamed_footnote_labels_never_meet_the_builds_or_each_other(label: str) -> None:
    renamed = own_footnote_label(label)
    assert renamed.startswith("own-") and not renamed.casefold().startswith(("ann-", "note-"))
    assert renamed != own_footnote_label(renamed)


def test_a_fence_keeps_only_its_language() -> None:
    removed: list[tuple[str, str]] = []
    assert safe_fence("```python {#__config .md-dialog}\nx = 1\n```", removed) == "```python\nx = 1\n```"
    assert safe_fence('~~~ {title="<img src=x>"}\nx\n~~~', removed) == "~~~\nx\n~~~"
    assert [r for r, _ in removed] == ["python {#__config .md-dialog}", '{title="<img src=x>"}']


def test_a_markdown_articles_removed_titles_and_fence_options_are_in_its_removed_list() -> None:
    article = clean('# T\n\nSee [x](https://example.org/ "<b>x</b>").\n\n```js {#__config}\nx\n```\n', name="2024-01-01-t.md")
    assert '"<b>x</b>"' in removed_texts(article)
    assert "js {#__config}" in removed_texts(article)
    assert "{#__config}" not in article.body


def test_a_link_the_renderer_reads_with_a_line_break_in_its_target_is_checked_too() -> None:
    dropped: list[str] = []
    assert sanitize_markdown("spaced and [newline](java\nscript:alert(1)).", dropped) == "spaced and newline."
    assert dropped == ["java\nscript:alert(1)"]


def test_a_link_inside_another_links_words_is_checked_too() -> None:
    dropped: list[str] = []
    assert sanitize_markdown("[a [b](javascript:x) c](https://ok.example)", dropped) == "[a b c](https://ok.example)"
    assert dropped == ["javascript:x"]


def test_a_link_inside_a_tag_is_read_first_as_the_renderer_reads_it() -> None:
    dropped: list[str] = []
    assert "javascript" not in sanitize_markdown("<b title='[a](javascript:x)'>", dropped)


def test_an_escaped_angle_bracket_stays_text_and_opens_no_tag() -> None:
    from tests.test_fidelity import render

    soup = render(sanitize_markdown("\\<b>x</b> and \\<https://e.org>"))
    assert soup.find("b") is None and soup.find("a") is None
    assert soup.get_text() == "<b>x</b> and <https://e.org>"
