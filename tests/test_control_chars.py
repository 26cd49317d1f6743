"""Control characters never reach XML, JSON or HTML: removed in cleaning, each recorded as removed text."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archive_build.collection.feed import FeedEntry, atom_feed
from archive_build.control_chars import CONTROL, REASON

from .conftest import build_site, copy_project
from .helpers import clean

# Every character XML 1.0 forbids or HTML calls a control, but NUL (a raw file holding NUL is binary, refused).
CONTROLS = [chr(c) for c in (*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]


def control_removals(article) -> list[str]:
    return [r.text for r in article.removed if r.reason == REASON]


def test_a_bell_in_the_first_paragraph_is_removed_from_body_and_description_and_recorded_once() -> None:
    article = clean("A headline\n\nThe first paragraph rings a bell\x07 here, and goes on for a while.\n\nMore text.\n")
    assert "\x07" not in article.body and "\x07" not in (article.description or "")
    assert control_removals(article) == ["U+0007"]


def test_a_control_character_from_an_html_character_reference_is_removed() -> None:
    html = "<html><head><title>T&#7;itle</title></head><body><article><h1>Head&#27;line</h1><p>A paragraph long enough to be the article's body text, with words.</p></article></body></html>"
    article = clean(html, name="2024-01-01-example.html")
    assert CONTROL.search(article.title + article.body) is None
    assert sorted(control_removals(article)) == ["U+0007", "U+001B"]


def test_a_control_character_from_a_yaml_escape_in_front_matter_is_removed() -> None:
    article = clean('---\ntitle: "Bell \\a and NUL \\0 title"\ntags: ["t\\x1bag"]\n---\n\nBody text here.\n', name="2024-01-01-example.md")
    assert article.title == "Bell and NUL title" and article.tags == ["tag"]
    assert sorted(control_removals(article)) == ["U+0000", "U+0007", "U+001B"]


def test_a_vertical_tab_and_a_form_feed_become_line_breaks() -> None:
    article = clean("A headline\n\nOne line\x0banother line\x0cand a third, all in one paragraph of text.\n")
    assert "One line\nanother line\nand a third" in article.body.replace("  \n", "\n")


def test_a_feed_built_from_text_with_every_control_character_is_well_formed_xml() -> None:
    text = "x".join(CONTROLS + ["\x00", "\ufffe", "\ud800"])
    entry = FeedEntry("2024-01-01", "a", text, "https://example.org/a/", text, (text,), text)
    root = ET.fromstring(atom_feed([entry], site_name=text, site_url="https://example.org/", feed_url="https://example.org/feed.xml"))
    assert root.find("{http://www.w3.org/2005/Atom}entry") is not None


def test_the_seed_sites_feed_and_sitemap_are_well_formed_xml(seed_site: Path) -> None:
    for name in ("feed.xml", "sitemap.xml"):
        ET.parse(seed_site / "site" / name)


def _article(i: int, controls: list[str]) -> str:
    """A plain-text article long enough for its control characters not to make it look binary."""
    words = " ".join(f"word{j}" for j in range(600))
    noisy = " ".join(f"ring{c}bell" for c in controls)
    return f"Headline {i} with a bell\x07 in it\n\nBy Anna Brandt\n\nJanuary {i + 1}, 2024\n\nThe first paragraph {noisy}.\n\n{words}\n"


@pytest.mark.slow
def test_a_site_built_from_articles_with_every_control_character_has_valid_xml_json_and_html(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    for i in range(0, len(CONTROLS), 16):
        (project / "raw" / f"2024-01-{i + 1:02d}-controls-{i}.txt").write_text(_article(i, CONTROLS[i : i + 16]), "utf-8")
    (project / "raw" / "2024-02-01-escaped.md").write_text('---\ntitle: "Escaped \\a\\0\\x85 title"\ndescription: "A \\e description"\n---\n\nBody text with words enough to be an article.\n', "utf-8")
    site = build_site(project)
    for name in ("feed.xml", "sitemap.xml"):
        ET.parse(site / name)
    for path in site.rglob("*.json"):
        json.loads(path.read_text("utf-8"))
    published = [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json") and CONTROL.search(p.read_text("utf-8", errors="replace"))]
    assert published == []
    assert "U+0007" in (site / "articles" / "2024-01-01-controls-0" / "index.html").read_text("utf-8")
