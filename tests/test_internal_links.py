"""A link to another archived article's address goes to its page and shows up as a backlink there."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from archive_build.collection.backlinks import add_backlinks
from archive_build.collection.internal_links import link_articles
from tests.conftest import build_site, copy_project, mkdocs_build
from tests.helpers import clean

FIXTURES = Path(__file__).parent / "fixtures" / "notes"
TARGET = "2024-02-01-kherson-dam"
LONG = "This paragraph is long enough to be prose in a real article, and it ends with a period."


def target(url: str = "https://www.example-news.org/2024/02/kherson-dam/"):
    return clean(f"The dam\n\n{LONG}\n\n{LONG}\n", f"{TARGET}.txt", {"title": "The dam", "url": url})


def citing(sentence: str, name: str = "2024-03-01-citing.md"):
    return clean(f"# Citing\n\n{LONG}\n\n{sentence}\n\n{LONG}\n", name)


def linked(*articles):
    articles = list(articles)
    link_articles(articles)
    return articles


@pytest.mark.parametrize(
    "address",
    [
        "https://www.example-news.org/2024/02/kherson-dam/",
        "http://example-news.org/2024/02/kherson-dam",
        "https://example-news.org/2024/02/kherson-dam?utm_source=newsletter&utm_medium=email",
        "https://EXAMPLE-NEWS.org/2024/02/kherson-dam/#comments",
    ],
)
def test_a_markdown_link_to_an_archived_articles_url_points_at_its_page(address):
    _, a = linked(target(), citing(f"As [Example News reported]({address}), the water rose fast."))
    assert f"[Example News reported]({TARGET}.md)" in a.body


def test_a_bare_url_to_an_archived_article_points_at_its_page():
    _, a = linked(target(), citing("I read www.example-news.org/2024/02/kherson-dam/ that morning.", "2024-03-05-letter.txt"))
    assert f"[www.example-news.org/2024/02/kherson-dam/]({TARGET}.md) that morning." in a.body


def test_the_citing_sentence_is_recorded_as_the_passage():
    _, a = linked(target(), citing("Nothing before. As [reported](https://example-news.org/2024/02/kherson-dam), the water rose fast. Nothing after."))
    assert a.links_out == [{"target": TARGET, "passage": "As reported, the water rose fast."}]


def test_the_target_lists_the_citing_article_as_referenced_by():
    t, a = linked(target(), citing("As [reported](https://example-news.org/2024/02/kherson-dam), the water rose fast."))
    add_backlinks([t, a])
    assert t.referenced_by == [{"id": a.id, "title": a.title, "passage": "As reported, the water rose fast."}]


def test_a_link_in_an_authors_note_points_at_the_page_too():
    src = f"Title\n\n{LONG}\n\nThe strike.[1]\n\n{LONG}\n\nNotes\n\n[1] Earlier report: https://example-news.org/2024/02/kherson-dam.\n"
    _, a = linked(target(), clean(src, "2024-03-02-noted.txt"))
    assert a.footnotes[0].endswith(f"]({TARGET}.md).") and a.links_out[0]["target"] == TARGET


def test_a_reference_style_link_definition_points_at_the_page():
    _, a = linked(target(), citing("As [reported][dam], the water rose fast.\n\n[dam]: https://example-news.org/2024/02/kherson-dam"))
    assert f"[dam]: {TARGET}.md" in a.body
    assert a.links_out == [{"target": TARGET, "passage": "As reported, the water rose fast."}]


@pytest.mark.parametrize(
    "sentence",
    [
        "See [another story](https://example-news.org/2024/02/other-story).",
        "See [another site](https://example-weekly.org/2024/02/kherson-dam).",
        "Code: `https://example-news.org/2024/02/kherson-dam` stays.",
    ],
    ids=["other-path", "other-host", "code-span"],
)
def test_other_links_are_left_alone(sentence):
    _, a = linked(target(), citing(sentence))
    assert f"{TARGET}.md" not in a.body and a.links_out == []


def test_a_link_to_the_articles_own_url_is_left_alone():
    (t,) = linked(clean(f"The dam\n\n{LONG}\n\nSee https://example-news.org/2024/02/kherson-dam here.\n\n{LONG}\n", f"{TARGET}.txt", {"url": "https://example-news.org/2024/02/kherson-dam"}))
    assert f"{TARGET}.md" not in t.body and t.links_out == []


def test_two_articles_with_the_same_url_warn_and_the_first_by_id_keeps_it():
    first = target()
    second = clean(f"Copy\n\n{LONG}\n\n{LONG}\n", "2024-02-02-copy.txt", {"url": "http://example-news.org/2024/02/kherson-dam"})
    _, _, a = linked(first, second, citing("As [reported](https://example-news.org/2024/02/kherson-dam), yes."))
    assert any(TARGET in w for w in second.warnings)
    assert f"]({TARGET}.md)" in a.body


def test_each_target_is_recorded_once_per_citing_article():
    _, a = linked(target(), citing("[One](https://example-news.org/2024/02/kherson-dam) and [two](http://www.example-news.org/2024/02/kherson-dam/)."))
    assert [l["target"] for l in a.links_out] == [TARGET]


# --- the built site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus three fixture articles: one with its own notes, two citing it (a Markdown link, a bare www. address).

    The seeds stay in because the hand-written pages link to them.
    """
    project = copy_project(tmp_path_factory.mktemp("notes-archive"))
    for f in FIXTURES.iterdir():
        shutil.copy(f, project / "raw" / f.name)
    build_site(project)
    return project


def _page(project: Path, article_id: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / "articles" / article_id / "index.html").read_text("utf-8"), "html.parser")


def test_the_built_link_goes_to_the_archived_page(notes_site):
    for citing_id in ("2024-03-01-dam-follow-up", "2024-03-05-reader-letter"):
        hrefs = [a["href"] for a in _page(notes_site, citing_id).select("article a[href]")]
        assert f"../{TARGET}/" in hrefs, citing_id


def test_the_target_page_shows_both_citing_articles_under_referenced_by(notes_site):
    box = _page(notes_site, TARGET).select_one(".ab-backlinks")
    assert box is not None
    text = " ".join(box.get_text(" ").split())
    assert "A month after the dam" in text and "A reader writes about the flood" in text
    assert "As Example News reported, the flood reached the lower districts within hours." in text


def test_the_articles_own_notes_render_as_labelled_footnotes(notes_site):
    page = _page(notes_site, TARGET)
    refs = page.select("sup a.footnote-ref")
    assert [r.get_text() for r in refs] == ["1", "2"]
    notes = page.select(".footnote li")
    assert len(notes) == 2
    assert all(n.select_one(".ab-note-label").get_text() == "Author’s note" for n in notes)
    assert notes[0].select_one('a[href="https://www.example.gov.ua/news/flood_update?id=17"]') is not None
    assert "Notes" not in [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]


def test_the_notes_heading_is_in_the_front_matter_as_removed(notes_site):
    text = (notes_site / "docs" / "articles" / f"{TARGET}.md").read_text("utf-8")
    fm = yaml.safe_load(text.split("---\n", 2)[1])
    assert {"text": "Notes", "reason": "notes section heading (replaced by the footnote block)"} in fm["removed"]


def test_the_notes_site_builds_strictly_without_warnings(notes_site):
    proc = mkdocs_build(notes_site)
    assert proc.returncode == 0 and "WARNING" not in proc.stderr
