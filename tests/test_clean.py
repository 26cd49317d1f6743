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
