"""Title, byline, dates and source detected in the text."""
from __future__ import annotations

import pytest

from archive_build.text.dates import parse_date
from archive_build.text.header_lines import byline
from tests.helpers import clean, removed_texts

BODY = "\n\nThe article body starts here with a full sentence of prose.\n\nAnd it goes on with a second paragraph that also ends.\n"


@pytest.mark.parametrize(
    "line, names",
    [
        ("By Jane Roe", ["Jane Roe"]),
        ("by Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("By Ann Lee, Bo Kim and Cy Park", ["Ann Lee", "Bo Kim", "Cy Park"]),
        ("Author: Jane Roe", ["Jane Roe"]),
        ("BY JANE ROE", ["Jane Roe"]),
    ],
)
def test_byline_forms(line, names):
    assert byline(line) == names


@pytest.mark.parametrize(
    "text, iso",
    [
        ("June 9, 2025", "2025-06-09"),
        ("30 May 2023", "2023-05-30"),
        ("Nov. 3, 2024, 6:15 AM ET", "2024-11-03"),
        ("2019-04-12", "2019-04-12"),
        ("the 1990s", None),
        ("$2 billion", None),
    ],
)
def test_date_forms(text, iso):
    assert parse_date(text) == iso


def test_title_byline_and_date_lines_move_to_front_matter_and_are_recorded():
    a = clean("A Title Without A Period\n\nBy Jane Roe\nJune 9, 2025" + BODY)
    assert (a.title, a.authors, a.date) == ("A Title Without A Period", ["Jane Roe"], "2025-06-09")
    assert "A Title Without A Period" in removed_texts(a) and "By Jane Roe" in removed_texts(a)
    assert "Jane Roe" not in a.body


def test_published_and_updated_labels_fill_date_and_updated():
    a = clean("Some Title\n\nPublished: March 3, 2021\nUpdated: March 5, 2021" + BODY)
    assert (a.date, a.updated) == ("2021-03-03", "2021-03-05")


def test_bare_name_line_under_the_title_is_a_byline_when_a_date_follows():
    a = clean("Some Title\n\nAndre Damon\n30 May 2023" + BODY)
    assert a.authors == ["Andre Damon"] and a.date == "2023-05-30"


def test_date_label_glued_to_the_first_paragraph_is_taken_out():
    a = clean(" date 2026-02-27 February 24 marks the anniversary of the war in this long paragraph." + BODY)
    assert a.date == "2026-02-27" and "2026-02-27" not in a.body and a.body.startswith("February 24 marks")


def test_source_line_at_the_end_moves_to_metadata():
    a = clean("Some Title" + BODY + "\nSource: Stern\n")
    assert a.source == "Stern" and "Source: Stern" in removed_texts(a) and "Stern" not in a.body


def test_missing_fields_are_absent_and_warned_about_never_invented():
    a = clean("Just a paragraph of text without any metadata at all, ending here.\n\nAnd another one.\n")
    assert a.date is None and a.authors == [] and a.source is None
    assert {"no date found", "no author found", "no source found"} <= set(a.warnings)


def test_sidecar_fields_override_detected_ones():
    a = clean("Some Title" + BODY, sidecar={"title": "Curated", "source": "Stern", "date": "2023-05-30"})
    assert (a.title, a.source, a.date) == ("Curated", "Stern", "2023-05-30")


def test_a_date_with_a_time_zone_dateutil_cannot_place_is_read_without_a_warning():
    import warnings

    from archive_build.text.dates import parse_date

    parse_date.cache_clear()  # (memoised: the string must reach dateutil here)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_date("Tuesday 3 March 2020 10:00 AMT") == "2020-03-03"
