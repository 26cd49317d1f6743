"""Backlinks: an annotation's links and Markdown links between articles make a "Referenced by" block."""
from __future__ import annotations

from pathlib import Path

import yaml

from archive_build.collection.backlinks import add_backlinks, article_links
from archive_build.model import Article


def article(aid: str, date: str | None = None, body: str = "") -> Article:
    a = Article(id=aid, raw=f"raw/{aid}.txt", sha256="0", format="txt", title=f"Title {aid}", date=date, body=body)
    return a


def test_an_annotation_link_puts_the_annotated_quote_on_the_target():
    a, b = article("a"), article("b")
    a.annotations = [{"id": "n1", "quote": "Eight drones were launched", "links": ["b"]}]
    add_backlinks([a, b])
    assert b.referenced_by == [{"id": "a", "title": "Title a", "passage": "Eight drones were launched"}]
    assert a.referenced_by == []


def test_a_markdown_link_to_another_article_cites_its_sentence():
    a = article("a", body="Earlier reports differ. As [Stern reported](b.md), the damage was small. Later more.\n")
    a.links_to = article_links(a)
    b = article("b")
    add_backlinks([a, b])
    assert b.referenced_by == [{"id": "a", "title": "Title a", "passage": "As Stern reported, the damage was small."}]


def test_links_to_unknown_articles_entities_and_the_web_are_not_backlinks():
    a = article("a", body="See [x](nowhere.md), [Putin](../entities/putin.md) and [web](https://example.org/b.md).\n")
    a.links_to = article_links(a)
    b = article("b")
    add_backlinks([a, b])
    assert b.referenced_by == []


def test_one_entry_per_citing_article_newest_first():
    old, new, target = article("old", "2020-01-01"), article("new", "2024-01-01"), article("t")
    for src in (old, new):
        src.annotations = [{"quote": "q1", "links": ["t"]}, {"quote": "q2", "links": ["t"]}]
    add_backlinks([old, new, target])
    assert [(c["id"], c["passage"]) for c in target.referenced_by] == [("new", "q1"), ("old", "q1")]


def test_seed_annotation_links_show_as_referenced_by_on_the_target_page(seed_site: Path):
    text = (seed_site / "docs/articles/2023-05-30-drone-attacks-on-moscow-stern.md").read_text(encoding="utf-8")
    fm = yaml.safe_load(text.split("---\n")[1])
    assert [c["id"] for c in fm["referenced_by"]] == ["2023-05-30-drone-attack-on-moscow"]
    html = (seed_site / "site/articles/2023-05-30-drone-attacks-on-moscow-stern/index.html").read_text(encoding="utf-8")
    block = html.split('class="ab-backlinks"', 1)[1].split("</aside>", 1)[0]
    assert "Referenced by" in block and "../2023-05-30-drone-attack-on-moscow/" in block
