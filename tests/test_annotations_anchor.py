"""Anchoring a quote in an article's plain text (W3C text-quote selector, Hypothesis-style)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_build.annotations.anchor import Anchor, Miss, anchor, normalise
from archive_build.markdown.plaintext import scan
from testkit.examples import examples
from tests.conftest import ROOT
from tests.helpers import clean

TEXT = "On Tuesday the leadership in Kiev rejected it. On Wednesday Kiev was bombed. The Panzir complex fired."


def passage(result: Anchor | Miss, text: str = TEXT) -> str:
    assert isinstance(result, Anchor), result
    return text[result.start : result.end]


def test_an_exact_quote_anchors_at_its_place():
    r = anchor(TEXT, "leadership in Kiev")
    assert passage(r) == "leadership in Kiev" and r.similarity == 100


def test_curly_quotes_dashes_and_whitespace_are_normalised():
    text = "He said “terror” – twice,\n  loudly."
    assert passage(anchor(text, 'said "terror" - twice, loudly'), text) == "said “terror” – twice,\n  loudly"


def test_a_quote_that_occurs_twice_without_context_is_ambiguous_with_every_occurrence():
    r = anchor(TEXT, "Kiev")
    assert isinstance(r, Miss) and r.reason == "ambiguous" and len(r.occurrences) == 2


def test_a_prefix_picks_one_of_several_matches():
    r = anchor(TEXT, "Kiev", prefix="On Wednesday ")
    assert isinstance(r, Anchor) and TEXT[r.start - 13 : r.start] == "On Wednesday "


def test_a_suffix_picks_one_of_several_matches():
    r = anchor(TEXT, "Kiev", suffix=" rejected")
    assert isinstance(r, Anchor) and TEXT[r.end :].startswith(" rejected")


def test_a_quote_with_a_typo_is_re_anchored_fuzzily_with_its_similarity():
    r = anchor(TEXT, "The Pantsir complex fired")
    assert passage(r) == "The Panzir complex fired" and 85 <= r.similarity < 100


def test_a_quote_that_is_not_there_reports_the_nearest_passage_and_its_similarity():
    r = anchor(TEXT, "completely different words about cats")
    assert isinstance(r, Miss) and r.reason == "not-found" and r.nearest and 0 < r.similarity < 85


def test_a_quote_spanning_emphasis_and_a_link_anchors_in_the_plain_text():
    m = scan("Ukraine, the *Times of London* reported in [December](x.md).")
    assert passage(anchor(m.text, "the Times of London reported in December"), m.text) == "the Times of London reported in December"


SEEDS = [clean((ROOT / "raw" / name).read_bytes(), name) for name in (
    "2023-05-30-drone-attacks-on-moscow-stern.txt",
    "2023-05-30-drone-attack-on-moscow.md",
)]
PLAINS = [scan(a.body).text for a in SEEDS]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_quote_cut_from_an_article_anchors_back_to_the_same_place(data):
    plain = data.draw(st.sampled_from(PLAINS))
    start = data.draw(st.integers(0, len(plain) - 2))
    end = data.draw(st.integers(start + 1, min(len(plain), start + 300)))
    if not plain[start:end].strip():
        return
    while plain[start].isspace():
        start += 1
    while plain[end - 1].isspace():
        end -= 1
    prefix, suffix = plain[max(0, start - 32) : start], plain[end : end + 32]
    r = anchor(plain, plain[start:end], prefix, suffix)
    assert isinstance(r, Anchor) and (r.start, r.end) == (start, end) and r.similarity == 100


def test_an_exact_quote_is_anchored_without_loading_the_fuzzy_matcher() -> None:
    # Importing rapidfuzz is a tenth of a second of every rebuild; only a quote that is gone needs it.
    code = (
        "import sys\n"
        "from archive_build.annotations.anchor import anchor\n"
        "assert anchor('The river rose in spring.', 'river rose').start == 4\n"
        "assert 'rapidfuzz' not in sys.modules\n"
        "anchor('The river rose in spring.', 'rivr rose')\n"
        "assert 'rapidfuzz' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr




def _normalised_one_character_at_a_time(text: str) -> tuple[str, list[int]]:
    """What ``normalise`` means, written for reading: its text, and the origin of each of its characters."""
    module = sys.modules["archive_build.annotations.anchor"]  # (the package's `anchor` is the function)
    out: list[str] = []
    origins: list[int] = []
    i = 0
    while i < len(text):
        if text[i].isspace() or text[i] in module._DROP:
            j = i
            while j < len(text) and (text[j].isspace() or text[j] in module._DROP):
                j += 1
            first_space = next((k for k in range(i, j) if text[k].isspace()), None)
            if first_space is not None:  # a run of only dropped characters leaves nothing
                out.append(" ")
                origins.append(first_space)
            i = j
        elif text[i] == "\u2026":
            out.append("...")
            origins.extend([i] * 3)
            i += 1
        else:
            out.append(text[i].translate(module._FOLD))
            origins.append(i)
            i += 1
    return "".join(out), origins


@pytest.mark.slow  # a long property run
@settings(max_examples=examples(600), deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n\t\r\u00a0\u2009\u3000\u2028\u2026\u00ad\u200b\ufeff\u2019\u2014`\"\u201c"), max_size=60))
def test_normalise_does_what_its_one_character_at_a_time_reading_does(text: str) -> None:
    """``normalise`` is written for speed (regex runs, folds by ``str.replace``); this is what it must mean."""
    norm = normalise(text)
    expected, origins = _normalised_one_character_at_a_time(text)
    assert norm.text == expected
    assert [norm.origin(i) for i in range(len(norm.text))] == origins


def test_other_space_is_every_regex_whitespace_but_the_plain_space() -> None:
    import re

    module = sys.modules["archive_build.annotations.anchor"]
    other = re.compile(f"[{module._OTHER_SPACE}]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(other.match(char)) == (char != " " and re.match(r"\s", char) is not None), hex(code)


def test_a_prefix_that_shares_only_a_character_with_an_occurrence_does_not_pick_it():
    r = anchor(TEXT, "Kiev", prefix="xyz n")
    assert isinstance(r, Miss) and r.reason == "ambiguous" and len(r.occurrences) == 2 and r.similarity < 80


def test_a_prefix_with_a_typo_still_picks_its_occurrence():
    r = anchor(TEXT, "Kiev", prefix="On Wednesdey ")
    assert isinstance(r, Anchor) and r.start == TEXT.index("Kiev was")


def test_a_context_that_fits_two_occurrences_equally_leaves_the_quote_ambiguous():
    text = "He said no. Then Kiev fell. He said no. Then Kiev rose."
    r = anchor(text, "Kiev", prefix="Then ")
    assert isinstance(r, Miss) and r.reason == "ambiguous"


def test_an_ambiguous_quote_whose_context_matches_nothing_says_so_with_the_similarity():
    from archive_build.annotations import miss_message

    r = anchor(TEXT, "Kiev", prefix="the mayor of ")
    message = miss_message(TEXT, "Kiev", r, "a")
    assert message.startswith('quote "Kiev" is ambiguous: it occurs 2 times in article a, and its prefix:/suffix: match none of them closely (best ')
    assert "80% needed" in message and "1. …" in message or "1. " in message
