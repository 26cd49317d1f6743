"""The parts of an article page made in Python: About this text, the standfirst, supplied
fields, captions, print links, common entities, neighbours by date."""
from __future__ import annotations

from bs4 import BeautifulSoup

from archive_build.about import about, truncated
from archive_build.collection.common_entities import common_entities, mark_common_entities
from archive_build.collection.neighbours import add_neighbours
from archive_build.model import Article
from archive_build.pipeline import clean_article
from archive_build.site.reading import caption_figures, number_outside_links
from archive_build.writer import front_matter, page_text, unlink_entities


def article(aid: str, date: str | None = None, entities: dict[str, int] | None = None) -> Article:
    a = Article(id=aid, raw=f"raw/{aid}.txt", sha256="0", format="txt", title=aid.upper(), date=date)
    a.entities = entities or {}
    return a


# --- About this text


def test_about_this_text_tells_each_change_in_a_sentence_with_the_words_removed():
    a = about({"format": "txt", "removed": [{"text": "Contact us", "reason": "site contact/subscription footer"}], "raw": "raw/x.txt", "sha256": "ab", "word_count": 3})
    assert [c.sentence for c in a.changes] == ["The publisher’s contact and subscription footer was removed."]
    assert a.changes[0].texts == ["Contact us"]
    assert a.technical == "Raw file raw/x.txt · SHA-256 ab · 3 words"


def test_removed_markdown_shows_as_its_words_not_its_syntax():
    a = about({"format": "md", "removed": [{"text": "**[wsws.org/contact](https://www.wsws.org/contact)**", "reason": "site contact/subscription footer"}]})
    assert a.changes[0].texts == ["wsws.org/contact"]


def test_an_unknown_reason_is_shown_as_written_and_warnings_read_as_sentences():
    a = about({"format": "txt", "removed": [{"text": "x", "reason": "something new"}], "warnings": ["no author found"]})
    assert a.changes[0].sentence == "Something new." and a.notes == ["The copy names no author."]


def test_the_date_source_and_supplied_fields_are_told():
    a = about({"format": "txt", "date": "2024-01-01", "date_source": "sidecar", "supplied": ["title", "date"]})
    assert a.date_source == "Date 2024-01-01 taken from the sidecar file."
    assert a.notes == ["The title and date were supplied by the archive, not by the copy."]


def test_a_text_that_ends_mid_sentence_is_flagged_as_truncated():
    assert truncated({"warnings": ["the text may be truncated: it ends mid-sentence"]}) and not truncated({"warnings": []})


# --- standfirst and supplied fields


TEXT = b"Moscow was attacked by drones early on Tuesday, officials said. " + b"The city was quiet by noon, and the mayor spoke of minor damage. " * 5 + b"\n\nThe second paragraph follows here.\n\nA third one.\n\nAnd a fourth, for good measure.\n"


def test_a_description_taken_from_the_first_paragraph_is_marked_so_the_header_does_not_repeat_it():
    fm = front_matter(clean_article(TEXT, "raw/2024-01-01-x.txt", {"title": "T", "source": "S"}))
    assert fm["description"].startswith("Moscow was attacked") and fm["description_in_text"] is True


def test_a_curators_description_is_a_standfirst_shown_above_the_text():
    fm = front_matter(clean_article(TEXT, "raw/2024-01-01-x.txt", {"title": "T", "description": "A curator's summary."}))
    assert "description_in_text" not in fm


def test_a_title_and_date_from_the_sidecar_are_marked_as_supplied_by_the_archive():
    fm = front_matter(clean_article(TEXT, "raw/2024-01-01-x.txt", {"title": "T", "date": "2024-01-01", "source": "S"}))
    assert fm["supplied"] == ["title", "date"]


# --- captions and print links


def test_a_caption_becomes_a_figure_saying_the_photo_was_not_archived():
    html = caption_figures('<p id="p-1" class="caption"><a class="ab-pilcrow" href="#p-1">¶</a>Smoke. <em class="credit">AP</em></p>')
    soup = BeautifulSoup(html, "html.parser")
    figure = soup.find("figure")
    assert figure["id"] == "p-1" and figure.find(class_="ab-figure__missing").get_text() == "Photo not archived"
    assert figure.figcaption.get_text() == "¶Smoke. AP"


def test_outside_links_are_numbered_once_each_and_listed_for_print():
    html = number_outside_links('<p><a href="https://a.org/">A</a> <a href="../x/">in</a> <a href="https://a.org/">again</a> <a href="http://b.org/">B</a></p>')
    soup = BeautifulSoup(html, "html.parser")
    assert [a.get("data-ab-ref") for a in soup.p.find_all("a")] == ["1", None, "1", "2"]
    assert [li.get_text() for li in soup.select(".ab-print-refs li")] == ["https://a.org/", "http://b.org/"]


def test_a_page_without_outside_links_gets_no_list():
    assert number_outside_links('<p><a href="../x/">in</a></p>') == '<p><a href="../x/">in</a></p>'


# --- common entities


def test_an_entity_in_most_articles_is_common_one_in_half_or_fewer_is_not():
    arts = [article("a", entities={"ukraine": 1, "kyiv": 1}), article("b", entities={"ukraine": 2, "kyiv": 1}), article("c", entities={"ukraine": 1}), article("d", entities={"lviv": 1})]
    assert common_entities(arts) == {"ukraine"}


def test_a_small_archive_has_no_common_entities():
    assert common_entities([article("a", entities={"ukraine": 1}), article("b", entities={"ukraine": 1})]) == set()


def test_a_common_entitys_link_is_turned_back_into_its_words_on_the_page():
    body = "[Ukraine](../entities/ukraine.md){ .ab-entity } and [Kyiv](../entities/kyiv.md){ .ab-entity } and [Ukr\\*](../entities/ukraine.md){ .ab-entity }"
    assert unlink_entities(body, ["ukraine"]) == "Ukraine and [Kyiv](../entities/kyiv.md){ .ab-entity } and Ukr\\*"


def test_the_page_of_an_article_leaves_its_common_entities_unlinked():
    arts = [article(x, entities={"ukraine": 1}) for x in "abc"]
    arts[0].body = "In [Ukraine](../entities/ukraine.md){ .ab-entity } today.\n"
    mark_common_entities(arts)
    assert "In Ukraine today." in page_text(arts[0])


# --- neighbours by date


def test_each_article_links_to_the_one_before_and_after_it_by_date():
    arts = [article("b", "2024-02-01"), article("a", "2024-01-01"), article("c", "2024-03-01"), article("u")]
    add_neighbours(arts)
    b = arts[0]
    assert b.previous["id"] == "a" and b.next["id"] == "c"
    assert arts[1].previous is None and arts[2].next is None
    assert arts[3].previous is None and arts[3].next is None
