"""The built site: every seed annotation highlighted with its footnote; hostile bodies escaped."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT, build_site, copy_project

SEEDS = sorted((ROOT / "annotations").glob("*.yml"))


def page(site: Path, article_id: str) -> BeautifulSoup:
    return BeautifulSoup((site / "articles" / article_id / "index.html").read_text(), "html.parser")


def seed_annotations() -> list[tuple[str, dict]]:
    out = []
    for path in SEEDS:
        data = yaml.safe_load(path.read_text())
        out += [(data["article"], a) for a in data["annotations"]]
    return out


def test_there_are_at_least_eight_seed_annotations_across_the_four_articles():
    anns = seed_annotations()
    assert len(anns) >= 8 and len({aid for aid, _ in anns}) == 4


@pytest.mark.slow
@pytest.mark.parametrize("article_id,ann", seed_annotations(), ids=lambda v: v["id"] if isinstance(v, dict) else "")
def test_each_seed_annotation_is_a_highlighted_passage_with_a_footnote(seed_site, article_id, ann):
    soup = page(seed_site / "site", article_id)
    mark = soup.find("mark", id=f"ann-{ann['id']}")
    assert mark is not None and "ab-ann" in mark["class"]
    # The highlight may be split where it crosses formatting; together the pieces hold the quote.
    words = " ".join(ann["quote"].split())
    assert words.startswith(" ".join(mark.get_text().split())[:10])
    ref = soup.find(id=f"fnref:ann-{ann['id']}")
    note = soup.find(id=f"fn:ann-{ann['id']}")
    assert ref is not None and note is not None
    assert note.select_one(".ab-ann-kind").get_text().lower() == ann.get("kind", "note")
    assert note.find("a", class_="footnote-backref")["href"] == f"#fnref:ann-{ann['id']}"


@pytest.mark.slow
def test_an_annotation_link_becomes_a_see_also_link_to_the_other_report(seed_site):
    note = page(seed_site / "site", "2023-05-30-drone-attack-on-moscow").find(id="fn:ann-eight-drones")
    hrefs = [a["href"] for a in note.find_all("a")]
    assert any("2023-05-30-drone-attacks-on-moscow-stern" in h for h in hrefs)


@pytest.mark.slow
def test_the_annotations_index_lists_recent_annotations_with_article_and_quote(seed_site):
    soup = BeautifulSoup((seed_site / "site" / "browse" / "annotations" / "index.html").read_text(), "html.parser")
    items = soup.select("article li") or soup.select("li")
    links = [a["href"] for a in soup.find_all("a") if "#ann-" in a.get("href", "")]
    assert len(links) == len(seed_annotations())
    assert any(q.get_text() == "Maria Llova-Belova" for q in soup.select("q.ab-ann-quote"))
    assert items


HOSTILE = """article: 2024-01-01-hostile
annotations:
  - id: evil
    quote: "ordinary sentence"
    author: "<img src=x onerror=alert(1)>"
    created: 2026-11-20
    body: |
      <script>alert("body")</script> then [click me](javascript:alert(2)) and
      <a href="javascript:alert(3)" onclick="alert(4)">raw link</a> {: onclick="alert(5)" }
"""


@pytest.mark.slow
def test_a_hostile_annotation_body_is_escaped_on_the_site(tmp_path):
    project = copy_project(tmp_path / "p", raw=False, annotations=False, entities=False)
    (project / "raw" / "2024-01-01-hostile.txt").write_text("A title\n\nAn ordinary sentence in an ordinary article.\n")
    (project / "annotations" / "2024-01-01-hostile.yml").write_text(HOSTILE)
    site = build_site(project)
    soup = page(site, "2024-01-01-hostile")
    note = soup.find(id="fn:ann-evil")
    assert soup.find("mark", id="ann-evil").get_text() == "ordinary sentence"
    assert '<script>alert("body")</script>' in note.get_text()  # shown as text, as written
    assert note.find("script") is None and note.find("img") is None
    for tag in note.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs)
        assert "javascript:" not in (tag.get("href") or "")
