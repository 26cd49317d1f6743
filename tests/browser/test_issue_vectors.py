"""Each attack from the contributed-content issue, built into a real site and loaded in Chromium.

One site holds every vector, each in its own article (or gazetteer entry),
built with the real ``archive-build`` and ``mkdocs build --strict``.  Every
test opens the attacked page and checks what a reader's browser would do:
no dialog, no navigation, no event-handler attribute or script URL, the
theme's configuration and toggles intact (search still answers on that
page), no id used twice; hovering every title shows text.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.browser.hostile_site import PageCheck, search_works, serve
from tests.conftest import copy_project, mkdocs_build, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVIL = "<img src=x onerror=alert(document.domain)>"

ARTICLES = {
    # attr_list: a paragraph given the id Material reads its configuration from.
    "2024-03-01-config-clobber.md": (
        "# Config clobber\n\nKyiv residents reported the attack in the morning.\n\n"
        '{"base": "/", "features": [], "search": "x", "translations": {"search.result.placeholder": "' + EVIL + '"}}\n'
        "{id=__config}\n\nAnother paragraph that ends here.\n"
    ),
    # attr_list on headings: an id that breaks out of its attribute, and the theme's ids.
    "2024-03-02-heading-attributes.md": (
        "# Heading attributes\n\nKyiv residents reported the attack.\n\n"
        "## Background {id='x\" autofocus onfocus=\"alert(1)\" y='}\n\nText under the heading.\n\n"
        "## __search\n\nA heading whose slug is the search toggle's id.\n\n"
        "## __drawer {: #__drawer .md-overlay onclick=\"alert(2)\" }\n\nAnd one more.\n"
    ),
    # Titles that Material's tooltips would render as HTML.
    "2024-03-03-tooltip-titles.md": (
        "# Tooltip titles\n\nKyiv residents reported the attack.\n\n"
        f'A [link with a title](https://example.org/ "{EVIL}") and an HTML abbreviation.\n\n'
        f"*[HTML]: {EVIL}\n\n"
        f'A paragraph with an attribute list title.\n{{: title="{EVIL}" }}\n\n'
        f"## {EVIL} a heading long enough that the table of contents has to truncate it with an ellipsis\n\nText.\n"
    ),
    # The article's own footnote label is the annotation's.
    "2024-03-04-footnote-labels.md": (
        "# Footnote labels\n\nKyiv residents reported the attack on the bridge.\n\n"
        "The mayor spoke later[^ann-first] about the damage.\n\n[^ann-first]: The article's own note.\n"
    ),
    # One contributed link to a file that is not in the archive.
    "2024-03-05-broken-link.md": (
        "# Broken link\n\nKyiv residents reported the attack.\n\n"
        "As [the earlier report](earlier-report.md) said, and [this one](2024-03-01-config-clobber.md) too.\n"
    ),
}

SIDECARS = {
    "2024-03-03-tooltip-titles.meta.yml": {"title": f"{EVIL} a title long enough that the header has to truncate it with an ellipsis at the top of the page"},
}

ANNOTATIONS = {
    "2024-03-03-tooltip-titles": [
        {"id": "titled", "quote": "Kyiv residents reported", "kind": "note", "author": EVIL, "created": "2024-03-10",
         "body": f'See [the source](https://example.org/ "{EVIL}") {{id=__config}}\n'},
    ],
    "2024-03-04-footnote-labels": [
        {"id": "first", "quote": "the attack on the bridge", "kind": "context", "author": "@editor", "created": "2024-03-10", "body": "The annotation's note."},
    ],
}

ENTITIES = [
    {"id": "kyiv", "name": EVIL, "kind": "topic", "aliases": ["Kyiv"], "description": f"{EVIL} [bad](missing.md)"},
]


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")  # JSON is YAML


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """The site built from every vector; yields (project, base URL, build output)."""
    project = copy_project(tmp_path_factory.mktemp("attacked"), raw=False, annotations=False, entities=False)
    for name, text in ARTICLES.items():
        (project / "raw" / name).write_text(text, "utf-8")
    for name, data in SIDECARS.items():
        _write_yaml(project / "raw" / name, data)
    for article, items in ANNOTATIONS.items():
        _write_yaml(project / "annotations" / f"{article}.yml", {"article": article, "annotations": items})
    _write_yaml(project / "entities.yml", {"entities": ENTITIES})
    build = run_cli(project, "build", "--quiet")
    assert build.returncode == 0, build.stderr
    site = mkdocs_build(project)
    assert site.returncode == 0, f"mkdocs build --strict failed:\n{site.stdout}\n{site.stderr}"
    with serve(project) as base:
        yield project, base, build.stderr


@pytest.fixture(scope="module")
def check(browser: Any) -> Iterator[PageCheck]:
    c = PageCheck(browser)
    yield c
    c.close()


def _article(base: str, name: str) -> str:
    return f"{base}articles/{name.rsplit('.', 1)[0]}/"


def assert_unharmed(check: PageCheck, url: str) -> None:
    assert check.findings(url) == []
    results = search_works(check.page, "Kyiv residents")
    assert results, "search gave no results on the attacked page"


def test_a_paragraph_with_the_theme_config_id_cannot_replace_it(attacked, check):
    project, base, _ = attacked
    assert_unharmed(check, _article(base, "2024-03-01-config-clobber.md"))
    html = (project / "site/articles/2024-03-01-config-clobber/index.html").read_text("utf-8")
    assert html.count('id="__config"') == 1


def test_heading_attribute_lists_set_no_attribute_and_heading_ids_are_namespaced(attacked, check):
    project, base, _ = attacked
    url = _article(base, "2024-03-02-heading-attributes.md")
    assert_unharmed(check, url)
    ids = check.page.evaluate("() => Array.from(document.querySelectorAll('.md-content h2[id]')).map(h => h.id)")
    assert all(i.startswith("ab-") for i in ids), ids
    assert check.page.locator("#__search").evaluate("el => el.localName") == "input"


def test_titles_from_links_abbreviations_attribute_lists_and_annotations_show_as_text(attacked, check):
    project, base, _ = attacked
    url = _article(base, "2024-03-03-tooltip-titles.md")
    assert_unharmed(check, url)
    titles = check.page.evaluate("() => Array.from(document.querySelectorAll('.md-content [title]')).map(e => e.title)")
    assert not [t for t in titles if "<" in t], titles
    # The removed link titles are kept in the article's list of removed text.
    md = (project / "docs/articles/2024-03-03-tooltip-titles.md").read_text("utf-8")
    assert "link title holding markup characters" in md


def test_a_truncated_title_holding_markup_shows_as_text_in_its_tooltip(attacked, check):
    _, base, _ = attacked
    page = check.page
    page.goto(_article(base, "2024-03-03-tooltip-titles.md"), wait_until="load")
    # Article pages give the margin to the notes and hide the table of contents; show it to hover it.
    page.add_style_tag(content=".md-sidebar--secondary { display: block !important; visibility: visible !important; }")
    entry = page.locator(".md-sidebar--secondary .md-ellipsis").filter(has_text="a heading long enough").first
    entry.hover(force=True)
    page.wait_for_timeout(300)
    tooltip = page.locator('.md-tooltip2[role="tooltip"] .md-tooltip2__inner')
    if tooltip.count():  # Material makes a tooltip only for an entry it had to truncate
        assert tooltip.first.evaluate("el => el.children.length") == 0
        assert "<img" in tooltip.first.text_content()
    assert check.findings(page.url) == []


def test_a_gazetteer_name_holding_markup_is_text_on_every_page_it_reaches(attacked, check):
    _, base, _ = attacked
    for url in (_article(base, "2024-03-01-config-clobber.md"), base + "browse/tags/", base + "entities/", base + "entities/kyiv/"):
        assert check.findings(url) == [], url
    assert EVIL in check.page.locator(".md-content").inner_text()


def test_an_articles_own_footnote_label_never_merges_with_an_annotation(attacked, check):
    project, base, _ = attacked
    url = _article(base, "2024-03-04-footnote-labels.md")
    assert_unharmed(check, url)
    notes = check.page.evaluate("() => Array.from(document.querySelectorAll('.footnote li')).map(li => [li.id, li.textContent])")
    ids = [i for i, _ in notes]
    assert "fn:ann-first" in ids and "fn:own-ann-first" in ids
    assert "annotation's note" in dict(notes)["fn:ann-first"] and "own note" not in dict(notes)["fn:ann-first"]


def test_a_broken_link_is_a_warning_on_its_article_and_the_site_still_builds_strictly(attacked, check):
    project, base, output = attacked
    assert "raw/2024-03-05-broken-link.md:5: warning: link to 'earlier-report.md' leads to no page of the site" in output
    url = _article(base, "2024-03-05-broken-link.md")
    assert_unharmed(check, url)
    body = check.page.locator(".ab-article-body")
    assert "the earlier report" in body.inner_text()
    assert body.locator("a", has_text="the earlier report").count() == 0
    assert body.locator("a", has_text="this one").count() == 1
    assert "earlier-report.md" in check.page.locator(".ab-about").text_content()
