"""Annotations as W3C Web Annotations: the shape the model requires, and the seed annotations field by field."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from archive_build.annotations.anchor import normalise_str
from archive_build.model import Article
from archive_build.opendata import SiteInfo, data_files
from archive_build.opendata.jsonld import PURPOSES, article_annotations, collection, web_annotation

INFO = SiteInfo("https://archive.example.org/", "Reading Archive")
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The motivations the model defines (https://www.w3.org/TR/annotation-model/#motivation-and-purpose).
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
    "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}
IRI = re.compile(r"^https?://[^\s]+$")
XSD_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def assert_web_annotation(item: dict) -> None:
    """The model's MUSTs (and the SHOULDs this archive promises) for one annotation."""
    assert IRI.match(item["id"]), item["id"]
    assert item["type"] == "Annotation"
    assert item.get("motivation") in MOTIVATIONS
    assert XSD_UTC.match(item["created"])
    assert item["creator"]["type"] == "Person" and item["creator"]["nickname"]
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    text = bodies[0]
    assert text["type"] == "TextualBody" and isinstance(text["value"], str) and text["format"] == "text/markdown"
    for body in bodies:
        assert body["purpose"] in MOTIVATIONS
        if body["type"] == "SpecificResource":
            assert IRI.match(body["source"])
    target = item["target"]
    assert IRI.match(target["source"])
    selectors = {s["type"]: s for s in target["selector"]}
    assert isinstance(selectors["TextQuoteSelector"]["exact"], str) and selectors["TextQuoteSelector"]["exact"]
    if "TextPositionSelector" in selectors:
        pos = selectors["TextPositionSelector"]
        assert isinstance(pos["start"], int) and isinstance(pos["end"], int) and 0 <= pos["start"] < pos["end"]


def assert_collection(doc: dict) -> list[dict]:
    assert doc["@context"] == CONTEXT
    assert doc["type"] == "AnnotationCollection" and IRI.match(doc["id"]) and doc["label"]
    items = doc["first"]["items"] if doc["total"] else []
    assert len(items) == doc["total"]
    if items:
        page = doc["first"]
        assert page["type"] == "AnnotationPage" and page["partOf"] == doc["id"] and page["startIndex"] == 0
    for item in items:
        assert_web_annotation(item)
    return items


def _ann(**over) -> dict:
    ann = {
        "id": "typo", "kind": "note", "author": "@reader", "created": "2026-11-20", "quote": "brown fox",
        "prefix": "The quick ", "suffix": " jumps", "body": "A *fox*.\n", "links": [], "start": 10, "end": 19,
        "similarity": 100, "line": 4,
    }
    ann.update(over)
    return ann


def _article(*anns: dict, unanchored: tuple = ()) -> Article:
    a = Article(id="2024-01-01-fox", raw="raw/2024-01-01-fox.txt", sha256="0" * 64, format="txt", title="Fox")
    a.plain = "The quick brown fox jumps over the lazy dog."
    a.annotations = list(anns)
    a.unanchored = list(unanchored)
    return a


@pytest.mark.parametrize(("kind", "purpose"), sorted(PURPOSES.items()))
def test_each_kind_becomes_its_w3c_purpose_and_motivation(kind, purpose):
    item = web_annotation(_ann(kind=kind), "2024-01-01-fox", INFO)
    assert item["body"]["purpose"] == purpose
    assert item["motivation"] == purpose


def test_the_correction_kind_is_editing_and_context_is_describing():
    assert PURPOSES["correction"] == "editing" and PURPOSES["context"] == "describing" and PURPOSES["source"] == "linking"


def test_an_annotation_has_every_field_the_model_requires():
    assert_web_annotation(web_annotation(_ann(), "2024-01-01-fox", INFO))


def test_the_annotation_id_is_its_permalink_on_the_article_page():
    item = web_annotation(_ann(), "2024-01-01-fox", INFO)
    assert item["id"] == "https://archive.example.org/articles/2024-01-01-fox/#ann-typo"
    assert item["target"]["scope"] == "https://archive.example.org/articles/2024-01-01-fox/"


def test_the_target_is_the_articles_plain_text_shown_in_its_page():
    item = web_annotation(_ann(), "2024-01-01-fox", INFO)
    assert item["target"]["source"] == "https://archive.example.org/data/articles/2024-01-01-fox/text.txt"
    assert item["target"]["scope"] == "https://archive.example.org/articles/2024-01-01-fox/"


def test_selectors_hold_the_quote_as_anchored_and_its_position_in_the_plain_text():
    article = _article(_ann())
    (item,) = article_annotations(article, INFO)
    quote, pos = item["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "brown fox", "prefix": "The quick ", "suffix": " jumps"}
    assert pos == {"type": "TextPositionSelector", "start": 10, "end": 19}
    assert article.plain[pos["start"] : pos["end"]] == quote["exact"]


def test_the_body_is_the_markdown_as_written():
    item = web_annotation(_ann(body="See [the report](https://example.org/r) & **this**.\n"), "a", INFO)
    assert item["body"]["value"] == "See [the report](https://example.org/r) & **this**.\n"


def test_a_date_becomes_midnight_utc():
    assert web_annotation(_ann(created="2026-11-20"), "a", INFO)["created"] == "2026-11-20T00:00:00Z"


def test_links_to_other_articles_become_linking_bodies():
    item = web_annotation(_ann(links=["2023-05-30-other"]), "a", INFO)
    text, link = item["body"]
    assert text["type"] == "TextualBody"
    assert link == {"type": "SpecificResource", "source": "https://archive.example.org/articles/2023-05-30-other/", "purpose": "linking"}


def test_an_imported_annotation_names_its_origin_in_via():
    item = web_annotation(_ann(imported_from="https://hypothes.is/a/abc123"), "a", INFO)
    assert item["via"] == "https://hypothes.is/a/abc123"


def test_an_unanchored_annotation_keeps_its_quote_but_has_no_position():
    unanchored = {k: v for k, v in _ann(id="lost", quote="purple fox").items() if k not in ("start", "end", "similarity")}
    items = article_annotations(_article(_ann(), unanchored=(unanchored,)), INFO)
    assert [s["type"] for s in items[1]["target"]["selector"]] == ["TextQuoteSelector"]
    assert items[1]["target"]["selector"][0]["exact"] == "purple fox"


def test_an_article_without_annotations_gives_an_empty_collection():
    doc = collection([], "https://archive.example.org/data/x.jsonld", "none")
    assert doc["total"] == 0 and "first" not in doc
    assert_collection(doc)


def test_the_archive_collection_holds_every_articles_annotations():
    a, b = _article(_ann()), _article(_ann(id="other"))
    b.id = "2024-01-02-dog"
    doc = json.loads(data_files(INFO, [b, a], ["jsonld"])["annotations.jsonld"])
    items = assert_collection(doc)
    assert [i["id"].rsplit("/", 2)[-2:] for i in items] == [["2024-01-01-fox", "#ann-typo"], ["2024-01-02-dog", "#ann-other"]]


# --- The seed annotations, in the real built site -------------------------------------------------


def _seed_specs(project: Path) -> dict[str, list[dict]]:
    out = {}
    for path in sorted((project / "annotations").glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        out[path.stem] = data["annotations"]
    return out


def test_every_data_file_of_the_seed_site_is_valid_json_ld(seed_site):
    data = seed_site / "site" / "data"
    assert_collection(json.loads((data / "annotations.jsonld").read_text("utf-8")))
    for path in sorted(data.glob("articles/*/annotations.jsonld")):
        assert_collection(json.loads(path.read_text("utf-8")))


def test_seed_annotations_match_their_files_field_by_field(seed_site):
    specs = _seed_specs(seed_site)
    assert sum(len(v) for v in specs.values()) >= 8
    for article_id, anns in specs.items():
        base = seed_site / "site" / "data" / "articles" / article_id
        items = {i["id"]: i for i in assert_collection(json.loads((base / "annotations.jsonld").read_text("utf-8")))}
        plain = json.loads((base / "article.json").read_text("utf-8"))["plain"]
        page = f"https://archive.example.org/articles/{article_id}/"
        for spec in anns:
            item = items[f"{page}#ann-{spec['id']}"]
            bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
            kind = spec.get("kind", "note")
            assert bodies[0]["value"] == spec["body"]
            assert bodies[0]["purpose"] == item["motivation"] == PURPOSES[kind]
            assert [b["source"] for b in bodies[1:]] == [f"https://archive.example.org/articles/{t}/" for t in spec.get("links", [])]
            assert item["creator"]["nickname"] == spec["author"]
            assert item["created"] == f"{spec['created']}T00:00:00Z"
            assert item["target"]["scope"] == page
            quote, pos = item["target"]["selector"]
            start, end = pos["start"], pos["end"]
            assert quote["exact"] == plain[start:end]
            assert normalise_str(quote["exact"]) == normalise_str(spec["quote"]).strip()
            assert quote.get("prefix", "") == plain[max(0, start - 32) : start]
            assert quote.get("suffix", "") == plain[end : end + 32]


def test_page_urls_come_from_site_url_even_when_mkdocs_yml_uses_python_tags(tmp_path):
    from archive_build.opendata import site_info
    from archive_build.project import Project

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test Archive\nsite_url: https://example.net/archive\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        "utf-8",
    )
    info = site_info(Project(tmp_path))
    assert info.page_url("x") == "https://example.net/archive/articles/x/"
    assert info.name == "Test Archive"


def test_every_selector_is_true_of_the_resource_its_target_names_in_the_built_site(seed_site):
    from bs4 import BeautifulSoup

    site = seed_site / "site"
    checked = 0
    for item in json.loads((site / "data" / "annotations.jsonld").read_text("utf-8"))["first"]["items"]:
        target = item["target"]
        assert target["source"].startswith("https://archive.example.org/")
        text = (site / target["source"].removeprefix("https://archive.example.org/")).read_bytes().decode("utf-8")
        selectors = {s["type"]: s for s in target["selector"]}
        quote = selectors["TextQuoteSelector"]
        if "TextPositionSelector" not in selectors:
            continue  # an unanchored note: its quote is not in the text
        start, end = selectors["TextPositionSelector"]["start"], selectors["TextPositionSelector"]["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote.get("prefix", "")) and text[end:].startswith(quote.get("suffix", ""))
        # The page the target is seen in shows the same words.
        page = site / target["scope"].removeprefix("https://archive.example.org/") / "index.html"
        page_text = " ".join(BeautifulSoup(page.read_text("utf-8"), "html.parser").get_text().split())
        assert " ".join(quote["exact"].split()) in page_text
        checked += 1
    assert checked >= 8
