"""The reading side of the built site: paragraph links, share metadata, feed, escaping."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from archive_build.site.reading import add_paragraph_anchors, split_notes
from tests.conftest import build_site, copy_project

STERN = "2023-05-30-drone-attacks-on-moscow-stern"
ATOM = "{http://www.w3.org/2005/Atom}"


def _html(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text("utf-8"), "html.parser")


# --- paragraph permalinks


def test_paragraphs_are_numbered_in_order_with_a_link_to_themselves():
    html = add_paragraph_anchors("<p>One</p><blockquote><p>Two</p></blockquote><p class=\"caption\">Three</p>")
    soup = BeautifulSoup(html, "html.parser")
    assert [p["id"] for p in soup.find_all("p")] == ["p-1", "p-2", "p-3"]
    assert [p.a["href"] for p in soup.find_all("p")] == ["#p-1", "#p-2", "#p-3"]
    assert soup.find_all("p")[2]["class"] == ["caption"]


def test_paragraph_numbering_leaves_footnotes_and_existing_ids_alone():
    html = add_paragraph_anchors('<h2 id="p-1">P 1</h2><p>Text</p><p id="keep">Own id</p><div class="footnote"><ol><li id="fn:1"><p>Note</p></li></ol></div>')
    soup = BeautifulSoup(html, "html.parser")
    assert [p.get("id") for p in soup.find_all("p")] == ["p-1-", "keep", None]
    assert soup.select_one("#ab-author-notes li#fn\\:1") is not None


ANNOTATION_NOTE = '<li id="fn:ann-a"><p><span class="ab-ann-kind ab-ann-kind-context">Context</span> x</p></li>'
OWN_NOTE = '<li id="fn:1"><p><span class="ab-note-label">Author’s note</span> y</p></li>'


def _notes(*items: str) -> BeautifulSoup:
    return BeautifulSoup(split_notes('<div class="footnote">\n<hr>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"), "html.parser")


def test_annotations_get_a_heading_with_their_count_apart_from_the_authors_notes():
    soup = _notes(ANNOTATION_NOTE, OWN_NOTE, ANNOTATION_NOTE.replace("ann-a", "ann-b"))
    assert soup.select_one("#ab-notes h2").get_text() == "Annotations (2)"
    assert [li["id"] for li in soup.select("#ab-notes li")] == ["fn:ann-a", "fn:ann-b"]
    assert soup.select_one("#ab-author-notes h2").get_text() == "Author’s notes"
    assert [li["id"] for li in soup.select("#ab-author-notes li")] == ["fn:1"]


def test_split_notes_keep_their_numbers_and_carry_their_kind():
    soup = _notes(OWN_NOTE, ANNOTATION_NOTE)
    item = soup.select_one("#ab-notes li")
    assert item["value"] == "2" and "ab-note-kind-context" in item["class"]


def test_an_article_without_own_notes_has_no_authors_notes_heading():
    assert _notes(ANNOTATION_NOTE).select_one("#ab-author-notes") is None


def test_paragraph_ids_are_the_same_on_every_build(seed_site):
    page = _html(seed_site / "site", f"articles/{STERN}")
    ids = [p["id"] for p in page.select(".ab-article-body > p[id]")]
    assert ids[:3] == ["p-1", "p-2", "p-3"] and len(ids) == len(set(ids))
    assert page.select_one("#p-2 > a.ab-pilcrow")["href"] == "#p-2"


# --- sharing and feeds


def test_article_page_has_description_and_open_graph_tags(seed_site):
    head = _html(seed_site / "site", f"articles/{STERN}").head
    og = {m["property"]: m["content"] for m in head.select("meta[property]")}
    assert og["og:title"] == "Drone attacks on Moscow: the war comes home to Russia"
    assert og["og:type"] == "article"
    assert og["og:url"] == f"https://archive.example.org/articles/{STERN}/"
    assert og["og:description"].startswith("Russia has been bombing civilian targets")
    assert og["article:published_time"] == "2023-05-30"
    assert head.select_one("meta[name=description]")["content"] == og["og:description"]


def test_atom_feed_lists_the_articles_newest_first(seed_site):
    feed = ET.parse(seed_site / "site" / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    dates = [e.findtext(f"{ATOM}published") for e in entries]
    assert len(entries) == 4 and dates == sorted(dates, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == dates[0]
    assert {e.find(f"{ATOM}link").get("href") for e in entries} >= {f"https://archive.example.org/articles/{STERN}/"}


def test_every_page_links_to_the_feed(seed_site):
    link = _html(seed_site / "site", "about").select_one("link[rel=alternate][type='application/atom+xml']")
    assert link["href"] == "../feed.xml"


def test_sitemap_lists_article_pages(seed_site):
    assert f"https://archive.example.org/articles/{STERN}/" in (seed_site / "site" / "sitemap.xml").read_text("utf-8")


# --- the article header


def test_annotate_this_article_opens_a_new_note_file_in_the_articles_folder(seed_site):
    link = _html(seed_site / "site", f"articles/{STERN}").select_one("a.ab-annotate")
    assert link["href"].startswith(f"https://github.com/reading-archive/archive/new/main/annotations/{STERN}?filename=my-note.yml&value=")


def test_cite_block_shows_the_chicago_citation(seed_site):
    text = _html(seed_site / "site", f"articles/{STERN}").select_one(".ab-cite__text").get_text()
    assert text.startswith("\u201cDrone attacks on Moscow: the war comes home to Russia.\u201d Stern, May 30, 2023.")


def test_hostile_front_matter_is_shown_as_text_everywhere(tmp_path):
    project = copy_project(tmp_path / "p", raw=False, annotations=False, entities=False)
    (project / "raw" / "2024-01-02-hostile.md").write_text(
        "---\n"
        "title: '</title><img src=x onerror=alert(1)> & \"quotes\"'\n"
        "description: '\"><script>alert(2)</script>'\n"
        "source: '<b>Bold</b> Source'\n"
        "url: 'javascript:alert(3)'\n"
        "date: 2024-01-02\n"
        "---\n\nA paragraph of the article, long enough to be an article body.\n",
        encoding="utf-8",
    )
    site = build_site(project)
    raw = (site / "articles" / "2024-01-02-hostile" / "index.html").read_text("utf-8")
    page = BeautifulSoup(raw, "html.parser")
    assert page.title.get_text().startswith('</title><img src=x onerror=alert(1)> & "quotes"')
    assert not page.select("img[onerror], a[href^='javascript']")
    assert all("alert" not in s.get_text() for s in page.find_all("script"))
    assert page.select_one("meta[name=description]")["content"] == '"><script>alert(2)</script>'
    assert page.select_one(".ab-kicker").get_text() == "<b>Bold</b> Source"


def test_annotate_link_opens_a_prefilled_new_note_file():
    from urllib.parse import parse_qs, urlsplit

    from archive_build.site.reading import annotate_url

    url = annotate_url({"id": "2024-01-02-x", "annotation_count": 0}, "https://github.com/o/r", "edit/main/docs/")
    parts = urlsplit(url)
    assert parts.path == "/o/r/new/main/annotations/2024-01-02-x"
    query = parse_qs(parts.query)
    assert query["filename"] == ["my-note.yml"]
    assert query["value"][0].startswith('quote: "exact words from the article"\n')


def test_feed_keeps_only_the_newest_entries_and_escapes_text():
    from archive_build.collection.feed import FeedEntry, atom_feed, newest

    entries = [FeedEntry.from_meta({"id": f"a{i}", "title": f"<b>T{i}</b> & co", "date": f"2024-01-{i:02d}"}, f"https://x.org/a{i}/") for i in range(1, 8)]
    chosen = newest(entries, n=3)
    assert [e.id for e in chosen] == ["a7", "a6", "a5"]
    feed = ET.fromstring(atom_feed(chosen, site_name="S", site_url="https://x.org/", feed_url="https://x.org/feed.xml"))
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["<b>T7</b> & co", "<b>T6</b> & co", "<b>T5</b> & co"]
