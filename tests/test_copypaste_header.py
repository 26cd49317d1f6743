"""Plain-text copy-pastes with the page furniture a browser copy picks up: each rule on a small inline text."""
from __future__ import annotations

import pytest

from archive_build.text.header_lines import byline
from tests.helpers import clean

BODY = "\n\nThe council met on Tuesday and agreed to repair the old bridge before winter comes.\n\nWork starts in May and should take six weeks, the engineer said.\n\nThe road stays open during the work.\n"


def reasons(article, text: str) -> list[str]:
    return [r.reason for r in article.removed if r.text == text]


# --- the header scan skips furniture, records it, and keeps looking ------------------


@pytest.mark.parametrize(
    "line, reason",
    [
        ("4 minute read", "reading time"),
        ("Save", "button"),
        ("Share", "button"),
        ("Link Copied!", "button"),
        ("BUSINESS", "section label"),
        ("Image source, Getty Images", "image"),
        ("Image caption, Commuters at a station", "image"),
    ],
)
def test_furniture_between_title_and_byline_is_skipped_and_recorded(line, reason):
    a = clean(f"Bridge repairs agreed at last\n{line}\nBy Jane Roe\nMarch 6, 2024" + BODY)
    assert (a.authors, a.date) == (["Jane Roe"], "2024-03-06")
    assert any(reason in r for r in reasons(a, line)) and line not in a.body


def test_a_role_line_under_the_authors_name_is_recorded_as_the_role():
    a = clean("Rail fares to rise in March\n4 March 2024\nPriya Natarajan\nBusiness reporter, BBC News" + BODY)
    assert a.authors == ["Priya Natarajan"] and a.date == "2024-03-04"
    assert reasons(a, "Business reporter, BBC News") == ["metadata: the author's role"]


def test_a_section_label_above_the_title_is_not_the_title():
    a = clean("Analysis\nWhy the ruling changes the trial timeline\nAnalysis by Daniel Brooks, CNN Senior Legal Analyst\nPublished 7:00 AM EDT, Sat June 1, 2024" + BODY)
    assert (a.title, a.authors, a.date) == ("Why the ruling changes the trial timeline", ["Daniel Brooks"], "2024-06-01")


# --- bylines in their real forms ----------------------------------------------------


@pytest.mark.parametrize(
    "line, names",
    [
        ("By Jane Alvarez and Mark Osei, CNN", ["Jane Alvarez", "Mark Osei"]),
        ("Analysis by Daniel Brooks, CNN Senior Legal Analyst", ["Daniel Brooks"]),
        ("By Lukas Weber, The Associated Press", ["Lukas Weber"]),
        ("By Susan Park, cleveland.com", ["Susan Park"]),
        ("By CNN Wire", []),
        ("Par Sébastien Farcis", ["Sébastien Farcis"]),
    ],
)
def test_agencies_and_sites_in_a_byline_are_not_authors(line, names):
    assert byline(line) == names


def test_the_agency_of_a_byline_becomes_the_source():
    a = clean("Fed holds rates steady\nBy Jane Alvarez, CNN\nMarch 6, 2024" + BODY)
    assert a.source == "CNN" and a.authors == ["Jane Alvarez"]


def test_posted_date_and_wire_byline_on_one_line():
    a = clean("Man rescued from icy pond\nPosted 2:55 PM, December 30, 2013, by CNN Wire" + BODY)
    assert (a.authors, a.date, a.source) == ([], "2013-12-30", "CNN Wire")


def test_guardian_name_slash_date_line():
    a = clean("Shop prices fall for the first time in two years\nHelena Marsh / Mon 4 Mar 2024 15.04 GMT" + BODY)
    assert (a.authors, a.date) == (["Helena Marsh"], "2024-03-04")


def test_an_agency_line_after_the_names_is_the_source():
    a = clean("Drought forces barges to carry half loads\nBy Lukas Weber\nAssociated Press\nAugust 14, 2022" + BODY)
    assert (a.authors, a.source, a.date) == (["Lukas Weber"], "Associated Press", "2022-08-14")


def test_a_byline_and_date_above_the_title():
    a = clean("By Amara Okafor\nNovember 8, 2023\nWhy cities should plant trees first" + BODY)
    assert (a.title, a.authors, a.date) == ("Why cities should plant trees first", ["Amara Okafor"], "2023-11-08")


def test_a_standfirst_between_title_and_byline_is_the_description():
    a = clean("Rail operators face fines\nRegulator says three companies failed to inform passengers in time\nTom Whitfield / Tue 12 Dec 2023 06.00 GMT" + BODY)
    assert a.description == "Regulator says three companies failed to inform passengers in time"
    assert (a.authors, a.date) == (["Tom Whitfield"], "2023-12-12")


def test_a_place_over_a_date_without_a_year_is_not_an_author():
    a = clean("Brentford v Leeds United\nGriffin Park / Tuesday, 1 March" + BODY)
    assert a.authors == [] and "Griffin Park / Tuesday, 1 March" in a.body


def test_an_updated_line_alone_gives_the_date_with_a_warning():
    a = clean("Storms knock out power\nBy RACHEL STONE\nUpdated 5:42 PM EST, March 6, 2024" + BODY)
    assert (a.date, a.updated) == ("2024-03-06", "2024-03-06")
    assert any("updated" in w for w in a.warnings)


def test_the_date_source_of_a_copy_paste_is_its_text():
    assert clean("Some Title\nBy Jane Roe\nJune 9, 2025" + BODY).date_source == "text"


# --- date lines are never glued to paragraphs nor made headings ------------------------


def test_a_date_line_is_not_glued_onto_the_first_paragraph_of_a_wrapped_text():
    text = (
        "Some Title\n\nBy Jane Roe\nUpdated 3:12 PM EST, Wed March 6, 2024\n"
        "The council met on Tuesday and agreed after a long debate to repair the\nold bridge before the winter comes, officials said.\n\nSecond paragraph here.\n"
    )
    a = clean(text)
    assert a.date == "2024-03-06" and not a.body.startswith("Updated")


def test_a_kick_off_time_is_not_a_heading():
    a = clean("Brentford v Leeds United\n\nGriffin Park / Tuesday, 1 March\n\n1945 GMT" + BODY)
    assert "## 1945 GMT" not in a.body and "1945 GMT" in a.body


def test_a_date_line_in_the_body_is_not_a_heading():
    a = clean("Some Title\n\nFirst paragraph of the story, long enough to be prose.\n\nMarch 6, 2024\n\nA paragraph under it that runs on for a while longer than the date." + BODY)
    assert "## March 6, 2024" not in a.body


def test_a_split_cnn_dateline_is_joined_onto_the_lede():
    a = clean("Fed holds rates\nBy Jane Alvarez, CNN\nMarch 6, 2024\n\nWashington\nCNN\n —\nThe Federal Reserve left its rate unchanged on Wednesday." + BODY)
    assert a.body.startswith("Washington CNN — The Federal Reserve")


# --- footers and in-article promotions -----------------------------------------------


@pytest.mark.parametrize("line", ["Filed in: Cleveland News", "Topics: Rail, Transport", "Sent from my phone"])
def test_footer_lines_are_removed_and_recorded(line):
    a = clean("Some Title" + BODY + f"\n{line}\n")
    assert line not in a.body and reasons(a, line)


@pytest.mark.parametrize("marker", ["Related topics", "More on this story", "Topics", "Explore more on these topics"])
def test_a_footer_of_related_links_is_removed_and_recorded(marker):
    a = clean("Some Title" + BODY + f"\n{marker}\nRail travel\nCost of living\n")
    assert "Rail travel" not in a.body and any("footer" in r.reason for r in a.removed)


def test_related_headlines_in_the_middle_of_the_article_are_removed_and_recorded():
    a = clean(
        "Some Title" + BODY + "\nMore election coverage\nCandidates answer our questions\nPhoto: Volunteers count ballots\nWhere to vote on Tuesday\n\n"
        "A tree planted this year will shade a sidewalk within a decade, long after this council has left office.\n"
    )
    assert "Candidates answer" not in a.body and a.body.rstrip().endswith("left office.")
    assert any(r.reason == "in-article promotion: related headlines" and "Where to vote" in r.text for r in a.removed)


def test_a_heading_starting_with_more_that_opens_a_section_stays():
    a = clean("Some Title" + BODY + "\nMore than a bridge\n\nThe repairs are also a test of how the town pays for its roads, and the vote was close.\n")
    assert "More than a bridge" in a.body


def test_nothing_is_lost_from_a_copy_paste_with_furniture():
    text = "Analysis\nTitle of the piece\nBy Jane Roe, CNN\n4 minute read\nSave\nMarch 6, 2024" + BODY + "\nRelated topics\nRail travel\n"
    a = clean(text)
    kept = a.body + " ".join(r.text for r in a.removed) + (a.title or "") + (a.description or "")
    for word in set(text.split()):
        assert word.strip(".,") in kept


def test_a_headline_over_its_standfirst_is_not_read_as_one_wrapped_line():
    a = clean("Why cities should plant trees before they build bike lanes\nShade makes streets walkable, and everything else follows from it\n" + BODY)
    assert a.title == "Why cities should plant trees before they build bike lanes"


def test_a_sidecar_date_says_it_came_from_the_sidecar():
    a = clean("Some Title\nJune 9, 2025" + BODY, sidecar={"date": "2025-06-10"})
    assert (a.date, a.date_source) == ("2025-06-10", "sidecar")


def test_published_and_updated_glued_together_are_both_read():
    a = clean("Some Title\nBy Jane Roe\nPublished Nov. 8, 2023Updated Nov. 9, 2023, 10:37 a.m. ET" + BODY)
    assert (a.date, a.updated) == ("2023-11-08", "2023-11-09")


def test_a_label_on_its_own_line_above_its_date():
    a = clean("Some Title\nBy Jane Roe, CNN\n3 minute read\nPublished\n10:52 AM EDT, Wed June 5, 2024" + BODY)
    assert a.date == "2024-06-05" and a.authors == ["Jane Roe"]


def test_a_picture_credit_is_not_a_byline():
    a = clean("Some Title\nBy Jane Roe\nIllustration by Max Mustermann\nNovember 8, 2023" + BODY)
    assert (a.authors, a.date) == (["Jane Roe"], "2023-11-08")


def test_a_name_over_its_desk_line_is_the_author():
    a = clean("Some Title\n4 March 2024\nShare\nJane Doe\nBBC News, Washington" + BODY)
    assert a.authors == ["Jane Doe"] and "BBC News, Washington" not in a.body


def test_a_dotted_date_is_day_first():
    a = clean("Some Title\nBy Jane Roe\n08.11.2023" + BODY)
    assert a.date == "2023-11-08"
