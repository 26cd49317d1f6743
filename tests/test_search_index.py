"""The search index: what Pagefind stores for each page of the seed site, and the records behind it.

Pagefind's fragments (one gzip'd JSON per indexed page: its text, metadata,
filters and anchors) are read back from the built site, so these tests see
exactly what the search box will get.  Browser tests in
``tests/browser/test_search.py`` type queries against the same site.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from archive_build.search.index import Vocabulary
from archive_build.search.record import (
    MAX_ENTITY_FILTERS,
    NoteRecord,
    add_note_headings,
    alias_meta,
    article_record,
    entity_record,
    ignore_entity_lists,
    markdown_text,
    note_heading,
)
from tests.conftest import build_site, copy_project

STERN = "/articles/2023-05-30-drone-attacks-on-moscow-stern/"
STATEMENTS = "/articles/2026-02-27-ukraine-war-fourth-anniversary-statements/"


def _fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's stored record of every page in the index ``bundle``, by URL."""
    out = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        out[record["url"]] = record
    return out


@pytest.fixture(scope="module")
def fragments(seed_site: Path) -> dict[str, dict]:
    return _fragments(seed_site / "site" / "pagefind")


# --- what gets indexed


@pytest.mark.slow
def test_the_site_has_a_pagefind_index_and_no_whole_site_index(seed_site: Path) -> None:
    site = seed_site / "site"
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search" / "search_index.json").exists()


@pytest.mark.slow
def test_the_header_search_box_is_the_archives_not_materials(seed_site: Path) -> None:
    home = (seed_site / "site" / "index.html").read_text("utf-8")
    assert "data-ab-search-input" in home and "javascripts/search.js" in home
    assert 'data-md-component="search"' not in home


@pytest.mark.slow
def test_articles_entity_pages_and_hand_written_pages_are_indexed(seed_site: Path, fragments: dict[str, dict]) -> None:
    articles = {f"/articles/{p.stem}/" for p in (seed_site / "docs" / "articles").glob("*.md") if p.name != "index.md"}
    kinds = {url: record["filters"]["kind"] for url, record in fragments.items()}
    assert articles <= {url for url, kind in kinds.items() if kind == ["Article"]}
    assert kinds["/entities/moscow/"] == ["Entity"]
    assert kinds["/about/"] == ["Page"]


@pytest.mark.slow
def test_collection_pages_are_left_out_of_the_index(fragments: dict[str, dict]) -> None:
    collections = {"/", "/entities/", "/browse/timeline/", "/browse/sources/", "/browse/authors/", "/browse/tags/", "/browse/annotations/", "/articles/"}
    assert not collections & set(fragments)


@pytest.mark.slow
def test_an_entity_page_is_indexed_without_its_article_lists(fragments: dict[str, dict]) -> None:
    moscow = fragments["/entities/moscow/"]
    assert "Capital of Russia" in moscow["content"]
    assert "Often mentioned with" not in moscow["content"] and "newest first" not in moscow["content"]


# --- metadata and filters


@pytest.mark.slow
def test_other_spellings_are_metadata_not_text(fragments: dict[str, dict]) -> None:
    statements = fragments[STATEMENTS]
    assert "Kiev" in statements["meta"]["aliases"]
    assert "Kiev" not in statements["content"]


@pytest.mark.slow
def test_an_articles_byline_and_tags_are_metadata_not_snippet_text(fragments: dict[str, dict]) -> None:
    militant = fragments["/articles/2025-06-09-moscow-escalates-bombing-of-civilians/"]
    assert militant["meta"]["authors"] == "Roy Landersen"
    assert "Landersen" not in militant["content"]


@pytest.mark.slow
def test_an_article_has_kind_source_author_year_and_entity_filters(fragments: dict[str, dict]) -> None:
    filters = fragments["/articles/2025-06-09-moscow-escalates-bombing-of-civilians/"]["filters"]
    assert filters["kind"] == ["Article"] and filters["source"] == ["The Militant"]
    assert filters["author"] == ["Roy Landersen"] and filters["year"] == ["2025"]
    assert "Moscow" in filters["entity"]


@pytest.mark.slow
def test_page_furniture_is_not_indexed_text(fragments: dict[str, dict]) -> None:
    stern = fragments[STERN]["content"]
    assert "¶" not in stern and "min read" not in stern and "↩" not in stern


@pytest.mark.slow
def test_each_note_is_a_sub_result_heading_named_after_its_author_and_passage(fragments: dict[str, dict]) -> None:
    anchors = {a["id"]: a["text"] for a in fragments[STERN]["anchors"] if a["element"] == "h3"}
    assert anchors["ab-note-pantsir"] == "Note by @archive-editors on “Panzir anti-aircraft complex”"


@pytest.mark.slow
def test_the_vocabulary_holds_names_aliases_and_title_words(seed_site: Path) -> None:
    terms = json.loads((seed_site / "site" / "search-vocabulary.json").read_text("utf-8"))["terms"]
    assert {"Zelensky", "Kiev", "Kyiv", "Moscow"} <= set(terms)
    assert len(terms) == len(set(terms))


# --- the records, unit by unit


def test_aliases_are_only_spellings_the_text_lacks() -> None:
    names = {"kyiv": ["Kyiv", "Kiev"], "moscow": ["Moscow"]}
    assert alias_meta(["kyiv", "moscow"], names, "Moscow and Kyiv") == "Kiev"


def test_only_the_most_mentioned_entities_become_filters() -> None:
    names = {f"e{i}": [f"Name {i}"] for i in range(10)}
    record = article_record({"entities": {f"e{i}": i for i in range(10)}}, names)
    entities = [v for k, v in record.filters if k == "entity"]
    assert entities == [f"Name {i}" for i in range(9, 9 - MAX_ENTITY_FILTERS, -1)]


def test_an_entity_record_carries_its_aliases_and_itself_as_filter() -> None:
    record = entity_record({"entity": {"id": "kyiv"}}, {"kyiv": ["Kyiv", "Kiev", "Kyjiw"]})
    assert record.meta["aliases"] == "Kiev · Kyjiw"
    assert ("entity", "Kyiv") in record.filters and ("kind", "Entity") in record.filters


def test_a_note_heading_escapes_a_hostile_author_and_quote() -> None:
    heading = note_heading({"id": 'x" onmouseover="a', "author": "<img src=x onerror=alert(1)>", "quote": "</h3><script>"})
    assert "<img" not in heading and "<script" not in heading and '" onmouseover' not in heading


def test_a_note_heading_goes_at_the_start_of_its_footnote() -> None:
    html = '<li id="fn:ann-a"><p>Body</p></li>'
    out = add_note_headings(html, [{"id": "a", "author": "@x", "quote": "the passage"}])
    assert out.startswith('<li id="fn:ann-a"><h3 id="ab-note-a"') and "Note by @x on “the passage”" in out


def test_an_entity_pages_sections_are_kept_out_of_the_index() -> None:
    out = ignore_entity_lists("<h1>Kyiv</h1><p>Capital.</p><h2 id='articles'>Articles</h2><ul><li>x</li></ul>")
    assert out == "<h1>Kyiv</h1><p>Capital.</p><div data-pagefind-ignore=\"index\"><h2 id='articles'>Articles</h2><ul><li>x</li></ul></div>"


def test_the_vocabulary_keeps_every_name_word_and_only_the_most_frequent_other_words() -> None:
    vocabulary = Vocabulary()
    vocabulary.add_names(["Volodymyr Zelensky"])
    vocabulary.add_text("<p>drones and drones</p>")
    vocabulary.add_text("<p>drones, missiles</p>")
    terms = vocabulary.terms()
    assert terms[:2] == ["Volodymyr", "Zelensky"]
    assert terms.index("drones") < terms.index("missiles")


# --- the notes index


@pytest.mark.slow
def test_each_note_is_a_record_of_the_notes_index_linking_to_its_passage(seed_site: Path) -> None:
    notes = _fragments(seed_site / "site" / "pagefind-notes")
    pantsir = next(n for n in notes.values() if n["meta"]["href"].endswith("#ann-pantsir"))
    assert pantsir["meta"]["href"] == "articles/2023-05-30-drone-attacks-on-moscow-stern/#ann-pantsir"
    assert pantsir["meta"]["title"] == "Note by @archive-editors on “Panzir anti-aircraft complex”"
    assert pantsir["filters"]["kind"] == ["Annotation"] and pantsir["filters"]["author"] == ["@archive-editors"]
    assert pantsir["filters"]["source"] == ["Stern"] and pantsir["filters"]["year"] == ["2023"]
    assert "German spelling" in pantsir["content"] and "**" not in pantsir["content"]


@pytest.mark.slow
def test_the_notes_index_holds_every_annotation(seed_site: Path) -> None:
    notes = _fragments(seed_site / "site" / "pagefind-notes")
    annotations = sum(yml.read_text("utf-8").count("\n  - id: ") for yml in (seed_site / "annotations").glob("*.yml"))
    assert len(notes) == annotations


def test_a_notes_markdown_becomes_the_words_a_reader_sees() -> None:
    assert markdown_text("**WSWS** is [the site](https://wsws.org), see `x`.\n\n- one\n- two") == "WSWS is the site, see x. one two"


def test_a_note_record_escapes_what_strangers_wrote() -> None:
    page = NoteRecord(href='articles/a/#ann-x"', title="<img src=x>", text="<script>", article="", meta=(), filters=(("kind", "Annotation"),)).html()
    assert "<img" not in page and "<script" not in page and '#ann-x"' not in page


@pytest.mark.slow
def test_two_builds_write_the_same_search_index(tmp_path: Path) -> None:
    digests = []
    for name in ("a", "b"):
        site = build_site(copy_project(tmp_path / name))
        files = sorted(p for bundle in ("pagefind", "pagefind-notes") for p in (site / bundle).rglob("*") if p.is_file())
        digests.append({p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})
    assert digests[0] == digests[1]


def _note_fields(i: int) -> dict[str, Any]:
    return {
        "href": f"articles/a{i % 3}/#ann-n{i}", "title": f"Note by @r{i} on “passage {i}”", "text": f"note {i} text\u2028with a line separator",
        "article": f"Article {i % 3}", "meta": [["date", "2024-01-01"]], "filters": [["kind", "Annotation"], ["author", f"@r{i}"]],
    }


def test_the_notes_file_gives_the_pages_the_notes_held_whole_give(tmp_path: Path) -> None:
    from archive_build.search import index

    fields = [_note_fields(i) for i in (5, 1, 3, 1)]  # a note again: the last one stands, as when held whole
    index.save_notes(tmp_path, fields)
    whole = index.note_pages(index.note_record(f) for f in fields)
    streamed = index.NotesFile(tmp_path / index.NOTES_FILE)
    assert streamed.names() == list(whole)
    assert all(streamed.digest(name) == hashlib.sha256(page).digest() for name, page in whole.items())
    streamed.put(streamed.names()[::-1], tmp_path / "scratch")
    assert {p.name: p.read_bytes() for p in (tmp_path / "scratch").iterdir()} == whole


def test_a_notes_file_without_notes_gives_the_placeholder_page(tmp_path: Path) -> None:
    from archive_build.search import index

    index.save_notes(tmp_path, [])
    streamed = index.NotesFile(tmp_path / index.NOTES_FILE)
    assert streamed.names() == list(index.note_pages([]))
    streamed.put(streamed.names(), tmp_path / "scratch")
    assert (tmp_path / "scratch" / index.PLACEHOLDER_NAME).read_bytes() == index.PLACEHOLDER_PAGE
