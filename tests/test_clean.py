"""Cleaning rules: boilerplate, captions, headings, joins, truncation — nothing lost."""
from __future__ import annotations

from tests.helpers import clean, removed_texts

LONG = "This paragraph is long enough to be prose in a real article, and it ends with a period."


def test_share_buttons_advertisement_and_copyright_lines_are_removed_and_recorded():
    a = clean(f"Title\n\n{LONG}\n\nShare this article\n\nFacebook Twitter Email\n\nAdvertisement\n\n{LONG}\n\n© 2024 Example News. All rights reserved.\n")
    reasons = {r.reason for r in a.removed}
    assert {"share buttons", "advertisement marker", "copyright line"} <= reasons
    assert "Advertisement" not in a.body and "Facebook" not in a.body


def test_contact_footer_is_removed_and_recorded():
    a = clean(f"# T\n\n{LONG}\n\nTo contact the WSWS and the  \nSocialist Equality Party visit:\n\n**[wsws.org/contact](https://wsws.org/contact)**\n", "x.md")
    assert "contact" not in a.body.lower()
    assert any(r.reason == "site contact/subscription footer" for r in a.removed)


def test_author_bio_after_the_article_is_removed():
    bio = "I have been working in the news industry for over 6 years, first as a reporter and now as an editor."
    a = clean(f"Title\n\n{LONG}\n\n{LONG}\n\n{bio}\n")
    assert bio in removed_texts(a) and bio not in a.body


def test_caption_pasted_twice_with_credit_becomes_one_caption():
    cap = "A woman stands in front of a damaged apartment building in the city."
    a = clean(f"Title\n\n{cap}\nReuters/Jane Photographer{cap}\n\n{LONG}\n")
    assert a.body.count("A woman stands") == 1
    assert "{: .caption }" in a.body and "Reuters/Jane Photographer" in a.body


def test_short_standalone_line_between_paragraphs_becomes_a_heading():
    a = clean(f"Title\n\n{LONG}\n\nRifts between U.S., European powers\n\n{LONG}\n")
    assert "## Rifts between U.S., European powers" in a.body


def test_a_line_ending_like_a_sentence_is_not_a_heading():
    a = clean(f"Title\n\n{LONG}\n\nGlory to international solidarity!\n\n{LONG}\n")
    assert "## Glory" not in a.body


def test_paragraph_split_mid_sentence_is_joined():
    a = clean(f"Title\n\n{LONG}\n\nLast week, a far-right reporter asked Democratic\n\nRepresentative Jerrold Nadler whether he opposed attacks.\n", "x.md")
    assert "asked Democratic Representative Jerrold Nadler" in a.body


def test_lowercase_continuation_is_joined():
    a = clean("# T\n\nThe ship carried out “freedom of navigation” operations\n\nin the Arctic waters near Russia.\n", "x.md")
    assert "operations in the Arctic" in a.body


def test_text_ending_on_a_colon_gets_a_truncation_warning():
    a = clean(f"Title\n\n{LONG}\n\nWe will support their demands:\n")
    assert any("truncated" in w for w in a.warnings)


def test_complete_text_gets_no_truncation_warning():
    a = clean(f"Title\n\n{LONG}\n")
    assert not any("truncated" in w for w in a.warnings)


def test_section_title_followed_by_a_date_line_opens_a_dated_section():
    a = clean(f"Title\n\n{LONG}\n\nGroup A: Statement on the anniversary\n\nFebruary 24\n\n{LONG}\n\nSubheading here\n\n{LONG}\n")
    assert "## Group A: Statement on the anniversary" in a.body and "### Subheading here" in a.body
    assert "February 24\n{: .dateline }" in a.body


# --- a wire story copied from its web page -------------------------------------------

WIRE = """Ukraine says it downed 50 Russian drones overnight

By Olena Harmash and Tom Balmforth

November 5, 20247:41 AM GMTUpdated 2 hours ago

KYIV, Nov 5 (Reuters) - Ukraine's air force said on Tuesday it had shot down 50 of 64 drones launched by Russia overnight.

Advertisement · Scroll to continue

Report This Ad

A firefighter works at the site of a drone strike in Odesa, November 5, 2024. Handout via REUTERS Purchase Licensing Rights, opens new tab
A firefighter works at the site of a drone strike in Odesa, November 5, 2024. Handout via REUTERS Purchase Licensing Rights, opens new tab

"Our air defence worked throughout the night," the governor said, opens new tab on Tuesday.

Reporting by Olena Harmash; Editing by Gareth Jones

Our Standards: The Thomson Reuters Trust Principles., opens new tab

Suggested Topics:
Europe
Ukraine
"""


def test_a_date_glued_to_its_time_and_an_updated_label_is_read():
    a = clean(WIRE)
    assert a.date == "2024-11-05" and "Updated 2 hours ago" in removed_texts(a)[2]


def test_the_agency_in_a_wire_dateline_is_the_source_and_the_dateline_stays():
    a = clean(WIRE)
    assert a.source == "Reuters"
    assert "KYIV, Nov 5 (Reuters) - Ukraine" in a.body


def test_several_advertisement_markers_on_one_line_are_removed():
    a = clean(WIRE)
    assert {"Advertisement · Scroll to continue", "Report This Ad"} <= set(removed_texts(a))
    assert "Scroll to continue" not in a.body and "Report This Ad" not in a.body


def test_a_caption_line_pasted_twice_is_kept_once_as_a_caption():
    a = clean(WIRE)
    assert a.body.count("A firefighter works") == 1
    assert "Purchase Licensing Rights\n{: .caption }" in a.body


def test_a_links_screen_reader_label_is_removed_from_the_words_and_recorded():
    a = clean(WIRE)
    assert "opens new tab" not in a.body
    assert "the governor said on Tuesday" in a.body
    assert sum(r.reason == "link label for screen readers (opens new tab)" for r in a.removed) == 4


def test_prose_about_opening_a_new_window_is_kept():
    a = clean(f"Title\n\n{LONG}\n\nThe deal opens a new window for talks, opens new doors too.\n")
    assert "opens a new window for talks, opens new doors too." in a.body


def test_a_wire_storys_closing_credits_are_kept_and_not_read_as_truncation():
    a = clean(WIRE)
    assert "Reporting by Olena Harmash; Editing by Gareth Jones" in a.body
    assert not any("truncated" in w for w in a.warnings)


def test_a_standards_line_and_suggested_topics_are_the_sites_footer():
    a = clean(WIRE)
    assert "Our Standards" not in a.body and "Suggested Topics" not in a.body and "Europe" not in a.body


def test_an_agencys_coverage_trailer_under_a_rule_is_the_sites_footer():
    a = clean(f"Title\n\n{LONG}\n\n___\n\nFollow AP's coverage of the war in Ukraine at https://apnews.com/hub/russia-ukraine\n")
    assert "___" in removed_texts(a) and "coverage" not in a.body and "___" not in a.body


def test_a_closing_news_agencies_credit_names_the_source():
    a = clean(f"Title\n\n{LONG}\n\nAl Jazeera and news agencies\n")
    assert a.source == "Al Jazeera" and "Al Jazeera and news agencies" in removed_texts(a)


def test_a_save_for_later_prompt_under_the_date_is_page_furniture():
    a = clean(f"Title\n\nPublished On 18 Nov 2024\n\nSave articles to read later and create your own reading list.\n\n{LONG}\n")
    assert a.date == "2024-11-18" and a.body.startswith("This paragraph")


# --- a newspaper page and a site's live page copied from the browser -------------------

NEWSPAPER = """Supported by

SKIP ADVERTISEMENT

Ukraine Fires U.S.-Made Longer-Range Missiles Into Russia for First Time

The strike came two days after the Biden administration gave Kyiv permission to use the weapons inside Russia.

Listen to this article · 6:12 min Learn more

Share full article

A Ukrainian soldier near the front line in the Donetsk region this month.Credit...Nicole Tung for The New York Times

By Marc Santora and Eric Schmitt
Reporting from Kyiv, Ukraine, and Washington

Nov. 19, 2024
Updated 4:35 p.m. ET

Ukraine fired American-made longer-range missiles into Russia for the first time on Tuesday, according to U.S. officials.

SKIP ADVERTISEMENT

The Russian Defense Ministry said that six missiles had been fired at a military facility in the Bryansk region.

Marc Santora is a senior international correspondent for The Times, based in Kyiv. More about Marc Santora

A version of this article appears in print on Nov. 20, 2024, Section A, Page 1 of the New York edition with the headline: Ukraine Fires U.S. Missiles Into Russia. Order Reprints | Today’s Paper | Subscribe

See more on: Russia-Ukraine War
"""


def test_a_sponsor_label_and_skip_links_above_the_headline_do_not_become_the_title():
    a = clean(NEWSPAPER)
    assert a.title == "Ukraine Fires U.S.-Made Longer-Range Missiles Into Russia for First Time"


def test_the_standfirst_is_found_past_listen_share_and_the_lead_pictures_caption():
    a = clean(NEWSPAPER)
    assert a.description.startswith("The strike came two days after")
    assert (a.authors, a.date) == (["Marc Santora", "Eric Schmitt"], "2024-11-19")
    assert a.body.startswith("Ukraine fired American-made")


def test_a_bio_linking_to_the_authors_page_and_the_print_edition_line_are_not_the_article():
    a = clean(NEWSPAPER)
    assert "senior international correspondent" not in a.body and "appears in print" not in a.body
    assert a.body.rstrip().endswith("in the Bryansk region.")


def test_a_byline_date_and_reading_time_on_one_line_without_separators_are_read():
    a = clean(f"Ukraine war latest\n\nby The Kyiv Independent news desk November 20, 2024 10:42 PM 5 min read\n\n{LONG}\n\n{LONG}\n")
    assert (a.source, a.date, a.authors) == ("The Kyiv Independent", "2024-11-20", [])


def test_a_paragraph_ending_with_its_photo_credit_in_brackets_is_a_caption():
    cap = "Rescuers work at the site of a Russian strike in Sumy on Nov. 17, 2024. (State Emergency Service of Ukraine / Telegram)"
    a = clean(f"Title\n\n{LONG}\n\n{cap}\n\n{LONG}\n")
    assert f"{cap}\n{{: .caption }}" in a.body


def test_a_sentence_ending_in_brackets_without_a_credit_stays_prose():
    a = clean(f"Title\n\n{LONG}\n\nSupport for the war fell to 40 per cent. (The poll was small.)\n\n{LONG}\n")
    assert "{: .caption }" not in a.body


def test_a_membership_appeal_and_a_note_from_the_author_at_the_end_are_the_sites_footer():
    tail = "We’ve been covering the war since day one. Help us keep going.\nBecome a member\n\nNote from the author:\n\nHi, this is Martin. Please consider supporting us.\n\nSupport us\n"
    a = clean(f"Title\n\n{LONG}\n\n{LONG}\n\n{tail}")
    assert "covering the war" not in a.body and "Martin" not in a.body and "Support us" not in a.body


def test_the_description_skips_a_lead_in_and_abbreviation_points():
    a = clean("Title\n\nKey developments on Nov. 20:\n\nRussia attacks Sumy with a missile, according to U.S. officials in Kyiv.\n")
    assert a.description == "Russia attacks Sumy with a missile, according to U.S. officials in Kyiv."


# --- a newsletter post saved as Markdown -------------------------------------------------

NEWSLETTER = """# The long winter ahead

### Why Ukraine's energy system is the front line this year

[![Jane Doe](https://substackcdn.com/image/fetch/w_80.png)](https://janedoe.substack.com/p/x)

[Jane Doe](https://substack.com/@janedoe)

Oct 02, 2024

27

5

Share

Last winter, Russian strikes took out half of the generating capacity. This year the grid is *more fragile* still.

A substation near Kharkiv, hit in March. Photo: Jane Doe

The repairs have relied on parts taken from Soviet-era plants.

Thanks for reading The Long View! Subscribe for free to receive new posts and support my work.

Subscribe
"""


def test_a_subtitle_heading_above_the_byline_is_the_description():
    a = clean(NEWSLETTER, "2024-10-02-post.md")
    assert a.description == "Why Ukraine's energy system is the front line this year"
    assert "### Why" not in a.body


def test_a_portrait_a_linked_name_a_date_and_counts_under_the_title_are_read_or_recorded():
    a = clean(NEWSLETTER, "2024-10-02-post.md")
    assert (a.authors, a.date) == (["Jane Doe"], "2024-10-02")
    assert a.body.startswith("Last winter")
    assert "page furniture: a picture (pictures are not kept)" in {r.reason for r in a.removed}


def test_a_caption_ending_with_its_photo_credit_is_not_joined_to_the_next_paragraph():
    a = clean(NEWSLETTER, "2024-10-02-post.md")
    assert "Photo: Jane Doe\n\nThe repairs" in a.body


def test_a_thanks_for_reading_appeal_opens_the_footer():
    a = clean(NEWSLETTER, "2024-10-02-post.md")
    assert "Thanks for reading" not in a.body and "Subscribe" not in a.body


def test_a_heading_under_the_title_with_no_byline_after_it_stays_a_heading():
    a = clean(f"# Title\n\n## The background of the crisis in 2022\n\n{LONG}\n\n{LONG}\n", "2024-01-01-x.md")
    assert "## The background of the crisis in 2022" in a.body and not (a.description or "").startswith("The background")
