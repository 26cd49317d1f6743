"""The article's own notes become Markdown footnotes; bare URLs become links."""
from __future__ import annotations

import json
import re

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_build.markdown.escape import escape_text
from archive_build.model import Article
from archive_build.transforms.notes import link_bare_urls
from tests.conftest import ROOT, run_cli
from tests.helpers import clean, removed_texts

LONG = "This paragraph is long enough to be prose in a real article, and it ends with a period."


def article(text: str, notes: str, heading: str = "Notes", name: str = "2024-01-01-example.txt"):
    """A plain-text article: title, prose, a notes section."""
    section = f"{heading}\n\n{notes}" if heading else notes
    return clean(f"Title\n\n{LONG}\n\n{text}\n\n{LONG}\n\n{section}\n", name)


def footnote(a, n: int) -> str:
    return next(f for f in a.footnotes if f.startswith(f"[^note-{n}]:"))


# --- marker styles ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "marked",
    [
        "Officials confirmed the strike.[1] Kyiv denied it.[2]",
        "Officials confirmed the strike (1). Kyiv denied it (2).",
        "Officials confirmed the strike.¹ Kyiv denied it.²",
        "Officials confirmed the strike.1 Kyiv denied it.2",
        "Officials confirmed the strike1. Kyiv denied it2.",
    ],
    ids=["brackets", "parentheses", "superscripts", "number-after-punctuation", "number-glued-to-word"],
)
def test_each_marker_style_becomes_a_footnote_reference(marked):
    a = article(marked, "[1] Reuters, 30 May 2023.\n\n[2] TASS.")
    assert "[^note-1]" in a.body and "[^note-2]" in a.body
    assert a.body.index("[^note-1]") < a.body.index("Kyiv") < a.body.index("[^note-2]")
    assert footnote(a, 1).endswith("Reuters, 30 May 2023.") and footnote(a, 2).endswith("TASS.")


def test_html_superscript_markers_in_markdown_become_footnote_references():
    a = clean(f"# Title\n\n{LONG}\n\nOfficials confirmed it.<sup>1</sup>\n\n## Notes\n\n1. Reuters.\n", "x.md")
    assert "Officials confirmed it.[^note-1]" in a.body
    assert footnote(a, 1).endswith("Reuters.")


def test_the_same_note_cited_twice_is_one_footnote_with_two_references():
    a = article("The strike came at dawn.[1] It came again at dusk.[1]", "[1] Reuters.")
    assert a.body.count("[^note-1]") == 2 and len(a.footnotes) == 1


# --- section styles --------------------------------------------------------------------


@pytest.mark.parametrize("heading", ["Notes", "Footnotes", "References", "Sources", "Endnotes", "NOTES", "Notes:", "Notes and references"])
def test_each_notes_heading_is_recognised_and_recorded_as_removed(heading):
    a = article("Officials confirmed the strike.[1]", "[1] Reuters.", heading=heading)
    assert footnote(a, 1).endswith("Reuters.")
    assert heading in removed_texts(a)
    assert any(r.reason.startswith("notes section heading") for r in a.removed)
    assert heading not in a.body


@pytest.mark.parametrize(
    "notes",
    ["[1] Reuters.\n\n[2] TASS.", "1. Reuters.\n\n2. TASS.", "¹ Reuters.\n\n² TASS.", "1) Reuters.\n\n2) TASS.", "[1] Reuters.\n[2] TASS."],
    ids=["brackets", "numbered", "superscripts", "parenthesised-numbers", "one-line-each"],
)
def test_each_note_style_becomes_a_footnote_definition(notes):
    a = article("The strike.[1] The denial.[2]", notes)
    assert [f.rsplit("</span> ", 1)[1] for f in a.footnotes] == ["Reuters.", "TASS."]


@pytest.mark.parametrize("rule", ["---", "***", "* * *", "___"])
def test_a_rule_before_the_notes_is_recorded_as_removed(rule):
    a = article("The strike.[1]", f"{rule}\n\nNotes\n\n[1] Reuters.", heading="")
    assert rule in removed_texts(a) and "Notes" in removed_texts(a)
    assert footnote(a, 1).endswith("Reuters.") and "\\*\\*\\*" not in a.body and "\\---" not in a.body


def test_notes_after_a_rule_without_a_heading_are_found():
    a = article("The strike.[1]", "---\n\n[1] Reuters.", heading="")
    assert footnote(a, 1).endswith("Reuters.") and "---" in removed_texts(a)


def test_bracketed_notes_at_the_very_end_need_no_heading():
    a = article("The strike.[1]", "[1] Reuters.", heading="")
    assert footnote(a, 1).endswith("Reuters.")


def test_notes_wrapped_onto_one_line_are_split_by_their_numbers():
    a = article("The strike.[1] The denial.[2]", "1. Reuters report on the strike by drones 2. TASS report on the denial by Kyiv")
    assert footnote(a, 1).endswith("Reuters report on the strike by drones")
    assert footnote(a, 2).endswith("TASS report on the denial by Kyiv")


def test_a_heading_the_cleaner_made_of_notes_is_handled():
    a = clean(f"Title\n\n{LONG}\n\nThe strike.[1]\n\n{LONG}\n\nNotes\n\n[1] Reuters, citing officials in the city who spoke on condition of anonymity.\n")
    assert footnote(a, 1).endswith("anonymity.") and "## Notes" not in a.body


def test_markdown_notes_section_becomes_footnotes():
    a = clean(f"# Title\n\n{LONG}\n\nThe strike.[1] The denial.[2]\n\n---\n\n**Notes**\n\n1. Reuters.\n2. TASS.\n", "x.md")
    assert "The strike.[^note-1] The denial.[^note-2]" in a.body
    assert [f.rsplit("</span> ", 1)[1] for f in a.footnotes] == ["Reuters.", "TASS."]
    assert "**Notes**" in removed_texts(a)


def test_text_after_the_notes_stays_in_the_body():
    a = article("The strike.[1]", "[1] Reuters.\n\nAbout the writer: a reporter in Kyiv")
    assert "About the writer" in a.body and not any("About" in f for f in a.footnotes)


def test_a_note_running_over_two_paragraphs_keeps_both():
    a = article("The strike.[1] The denial.[2]", "[1] Reuters.\n\nSecond paragraph of the first note.\n\n[2] TASS.")
    assert "\n\n    Second paragraph of the first note." in footnote(a, 1)


def test_author_notes_carry_a_visible_label_unlike_reader_annotations():
    a = article("The strike.[1]", "[1] Reuters.")
    assert footnote(a, 1) == '[^note-1]: <span class="ab-note-label">Author’s note</span> Reuters.'


def test_markdown_articles_with_real_footnotes_are_left_alone():
    src = f"# Title\n\n{LONG}\n\nThe strike.[^1]\n\n[^1]: Reuters.\n"
    a = clean(src, "x.md")
    assert a.footnotes == [] and "[^1]: Reuters." in a.body


# --- numbers that are not notes ----------------------------------------------------------

NOT_NOTES = [
    "In the 1990s the city changed.",
    "The aid package was worth $2 billion.",
    "Article 5 of the treaty applies.",
    "The economy grew in 2022.[citation needed]",
    "As John 3:16 says, the verse is known.",
    "The demands were (1) a ceasefire and (2) a withdrawal.",
    "The MiG-29 and the Su-34 flew over 12 towns.",
    "The flat covers 80 m² on 2 floors.",
]


@pytest.mark.parametrize("sentence", NOT_NOTES)
def test_numbers_that_are_not_notes_stay_text(sentence):
    a = article(sentence, "[1] Reuters.\n\n[2] TASS.")
    assert "[^note-" not in a.body
    assert a.footnotes == []


def test_a_numbered_list_in_the_body_is_not_taken_for_markers():
    a = article("The plan:\n\n1. Ceasefire now.\n\n2. Withdrawal later.", "[1] Reuters.\n\n[2] TASS.")
    assert "[^note-" not in a.body


def test_a_numbered_list_at_the_end_without_a_heading_is_not_a_notes_section():
    a = clean(f"Title\n\n{LONG}\n\nThe plan has 2 points.\n\n{LONG}\n\n1. Ceasefire now.\n\n2. Withdrawal later.\n")
    assert a.footnotes == [] and "Ceasefire now." in a.body


def test_a_sources_list_without_numbers_stays_text():
    a = article("The strike.", "Reuters, AP and TASS.", heading="Sources")
    assert a.footnotes == [] and "Sources" in a.body and "Reuters, AP and TASS." in a.body


# --- mismatches ----------------------------------------------------------------------------


def test_a_marker_without_a_note_stays_text_and_is_warned_about():
    a = article("The strike.[1] The denial.[3]", "[1] Reuters.")
    assert "The denial.\\[3\\]" in a.body
    assert any("[3]" in w and "without a note" in w for w in a.warnings)


def test_a_note_without_a_marker_stays_text_and_is_warned_about():
    a = article("The strike.[1]", "[1] Reuters.\n\n[2] TASS.")
    assert "\\[2\\] TASS." in a.body and len(a.footnotes) == 1
    assert any("note 2 has no marker" in w for w in a.warnings)


def test_notes_with_no_markers_at_all_keep_the_section_as_it_was():
    a = article("The strike.", "[1] Reuters.\n\n[2] TASS.")
    assert a.footnotes == [] and "Notes" in a.body and "\\[1\\] Reuters." in a.body
    assert any("notes 1, 2 have no marker" in w for w in a.warnings)
    assert "Notes" not in removed_texts(a)


def test_bracketed_markers_without_any_notes_section_are_warned_about():
    a = clean(f"Title\n\n{LONG}\n\nThe strike.[4]\n\n{LONG}\n")
    assert "\\[4\\]" in a.body and any("[4]" in w for w in a.warnings)


def test_nothing_is_lost_when_notes_are_converted():
    a = article("The strike.[1] The denial.[2]", "[1] Reuters, 30 May.\n\n[2] TASS.")
    for words in ("The strike.", "The denial.", "Reuters, 30 May.", "TASS."):
        assert words in a.body or any(words in f for f in a.footnotes)


# --- bare URLs ----------------------------------------------------------------------------


def body_of(sentence: str, name: str = "2024-01-01-example.txt") -> str:
    return clean(f"Title\n\n{LONG}\n\n{sentence}\n\n{LONG}\n", name).body


def test_a_bare_url_becomes_a_link_with_the_real_address():
    assert "[https://example.org/a\\_b?x\\=1\\&y\\=2](https://example.org/a_b?x=1&y=2)" in body_of("See https://example.org/a_b?x=1&y=2 for more.")


def test_trailing_sentence_punctuation_is_not_part_of_the_url():
    assert "[https://example.org/report](https://example.org/report)." in body_of("Read it at https://example.org/report.")


def test_a_closing_parenthesis_and_full_stop_after_a_url_stay_outside():
    assert "(see [https://example.org/x](https://example.org/x))." in body_of("The report (see https://example.org/x).")


def test_parentheses_inside_a_wikipedia_url_are_kept():
    body = body_of("See https://en.wikipedia.org/wiki/Kherson_(city), the article.")
    assert "](https://en.wikipedia.org/wiki/Kherson_(city)), the article." in body


def test_www_addresses_become_https_links():
    assert "[www.example.org/news](https://www.example.org/news)" in body_of("Visit www.example.org/news today.")


def test_utm_parameters_are_kept_in_the_link_target():
    assert "(https://example.org/a?utm_source=x)" in body_of("See https://example.org/a?utm_source=x now.")


@pytest.mark.parametrize("not_linked", ["ftp://example.org/file", "javascript:alert(1)", "mailto:desk@example.org", "user@www.example.org", "https://nodot/"])
def test_only_web_addresses_are_linked(not_linked):
    assert "](" not in body_of(f"Contact {not_linked} now.")


def test_links_and_code_in_markdown_articles_are_left_alone():
    body = body_of("A [report](https://example.org/r) and `https://example.org/code` and https://example.org/bare.", "x.md")
    assert "[report](https://example.org/r)" in body and "`https://example.org/code`" in body
    assert "[https://example.org/bare](https://example.org/bare)." in body


def test_urls_in_notes_become_links_too():
    a = article("The strike.[1]", "[1] Reuters, https://reuters.com/world/a_b.")
    assert footnote(a, 1).endswith("[https://reuters.com/world/a\\_b](https://reuters.com/world/a_b).")


# --- inspect --json ------------------------------------------------------------------------


def test_inspect_json_shows_the_notes_as_markdown_footnotes(empty_project):
    (empty_project / "raw" / "2024-01-01-notes.txt").write_text(f"Title\n\n{LONG}\n\nThe strike.[1]\n\n{LONG}\n\nNotes\n\n[1] Reuters.\n", encoding="utf-8")
    proc = run_cli(empty_project, "inspect", "--json", "raw/2024-01-01-notes.txt", check=True)
    body = json.loads(proc.stdout)["body"]
    assert "The strike.[^note-1]" in body
    assert body.rstrip().endswith('[^note-1]: <span class="ab-note-label">Author’s note</span> Reuters.')


def test_the_description_taken_from_the_first_sentences_loses_the_note_markers():
    a = clean(f"Title\n\nOfficials confirmed the strike on the city before dawn.[1] Kyiv denied it.\n\n{LONG}\n\nNotes\n\n[1] Reuters.\n")
    assert a.description.startswith("Officials confirmed the strike on the city before dawn. Kyiv denied it.")


def test_the_footnoted_essay_fixture_gets_its_three_notes_as_footnotes():
    path = ROOT / "tests" / "fixtures" / "realistic" / "2025-05-09-footnoted-essay.txt"
    a = clean(path.read_bytes(), path.name)
    assert [f.split("]:")[0] for f in a.footnotes] == ["[^note-1", "[^note-2", "[^note-3"]
    assert "Vladivostok.[^note-1]" in a.body and "Notes" in removed_texts(a) and "\\[2\\]" not in a.body


def test_markers_in_mixed_styles_are_each_taken_where_they_fall_in_order():
    a = article("The strike.1 The denial.[2] The aftermath.3", "[1] Reuters.\n\n[2] TASS.\n\n[3] AP.")
    assert "The strike.[^note-1] The denial.[^note-2] The aftermath.[^note-3]" in a.body


def test_a_marker_in_a_second_style_out_of_order_stays_text():
    a = article("The aftermath.[3] The strike.1 The denial.2", "1. Reuters.\n\n2. TASS.\n\n3. AP.")
    assert "The aftermath.\\[3\\]" in a.body and any("note 3 has no marker" in w for w in a.warnings)
    assert "The strike.[^note-1] The denial.[^note-2]" in a.body


# --- properties -------------------------------------------------------------------------------

_EXTENSIONS = ["attr_list", "footnotes", "pymdownx.escapeall", "pymdownx.mark"]
_url_chars = st.text(alphabet="abcxyz019_-~=&?%/.()*:#+", min_size=0, max_size=20)
_urls = st.builds(lambda scheme, host, path: f"{scheme}{host}.org/{path}", st.sampled_from(["https://", "http://", "www.", "HTTPS://www."]), st.sampled_from(["example", "ab-c", "x"]), _url_chars)
_pieces = st.one_of(_urls, st.sampled_from(["word", "The", "(", ")", ".", ",", "“", "”", "[1]", "_", "*", "\\", "1990s", " ", " ", " ", "\n"]))


def _rendered_text(md: str) -> tuple[str, list[str]]:
    soup = BeautifulSoup(markdown.markdown(md, extensions=_EXTENSIONS), "html.parser")
    return " ".join(soup.get_text().split()), [a["href"] for a in soup.find_all("a")]


@settings(max_examples=150, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=25).map("".join))
def test_linking_bare_urls_never_changes_what_the_reader_sees(text):
    body = escape_text(text)
    article = Article(id="x", raw="raw/x.txt", sha256="", format="txt", body=body)
    before, _ = _rendered_text(body)
    after, hrefs = _rendered_text(link_bare_urls(article).body)
    assert after == before
    assert all(h.lower().startswith(("http://", "https://")) for h in hrefs)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 6),
    marked=st.lists(st.booleans(), min_size=6, max_size=6),
    listed=st.lists(st.booleans(), min_size=6, max_size=6),
    shape=st.sampled_from(["[{}]", "({})", ".{}"]),
    heading=st.sampled_from(["Notes", "References", "---\n\nSources", "## Endnotes"]),
)
def test_every_note_and_sentence_survives_whatever_pairs_up(n, marked, listed, shape, heading):
    sentences = [f"Sentence number {chr(97 + i)} is here{shape.format(i + 1) if marked[i] else '.'}" for i in range(n)]
    notes = [f"[{i + 1}] Source {chr(97 + i)} said so." for i in range(n) if listed[i]]
    a = clean(f"Title\n\n{LONG}\n\n{' '.join(sentences)} End.\n\n{LONG}\n\n{heading}\n\n" + "\n\n".join(notes) + "\n")
    kept = "\n".join([a.body, *a.footnotes, *(r.text for r in a.removed)])
    for i in range(n):
        assert f"Sentence number {chr(97 + i)} is here" in kept
        if listed[i]:
            assert f"Source {chr(97 + i)} said so." in kept
    defined = {f.split("]:")[0] + "]" for f in a.footnotes}
    referenced = set(re.findall(r"\[\^note-\d+\]", a.body))
    assert defined == referenced  # no footnote without a reference, no reference without a footnote
    assert len(defined) <= sum(1 for i in range(n) if marked[i] and listed[i])
