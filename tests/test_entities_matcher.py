"""Finding mentions: whole words, longest match first, case as written, possessives."""
from __future__ import annotations

from archive_build.entities.matcher import Matcher

MATCHER = Matcher(
    {
        "vladimir-putin": ["Vladimir Putin", "Putin"],
        "united-states": ["United States", "US", "U.S."],
        "kremlin": ["Kremlin", "the Kremlin"],
        "nato": ["NATO", "North Atlantic Alliance"],
        "north-atlantic": ["North Atlantic"],
        "kyiv": ["Kyiv", "Kiev"],
        "new-york-times": ["New York Times"],
        "new-york": ["New York"],
    }
)


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity) for m in MATCHER.find(text)]


def test_the_longest_alias_wins_where_two_start_together():
    assert found("Vladimir Putin spoke.") == [("Vladimir Putin", "vladimir-putin")]
    assert found("the New York Times reported") == [("New York Times", "new-york-times")]


def test_overlapping_aliases_of_different_entities_give_one_mention():
    assert found("the North Atlantic Alliance met") == [("North Atlantic Alliance", "nato")]
    assert found("in the North Atlantic waters") == [("North Atlantic", "north-atlantic")]


def test_a_name_inside_a_longer_word_is_not_a_mention():
    assert found("Putinism and Kyivan and USSR") == []


def test_possessives_and_hyphenated_compounds_still_mention_the_name():
    assert found("Putin’s war") == [("Putin", "vladimir-putin")]
    assert found("Putin's war") == [("Putin", "vladimir-putin")]
    assert found("US-NATO proxy") == [("US", "united-states"), ("NATO", "nato")]


def test_case_matters_so_us_the_pronoun_is_not_the_us_the_country():
    assert found("let us see what the US does") == [("US", "united-states")]


def test_a_lowercase_alias_also_matches_with_a_capital_at_a_sentence_start():
    assert found("The Kremlin denied it.") == [("The Kremlin", "kremlin")]
    assert found("said the Kremlin") == [("the Kremlin", "kremlin")]


def test_aliases_ending_in_punctuation_match_before_a_space():
    assert found("the U.S. rulers") == [("U.S.", "united-states")]


def test_every_spelling_of_one_entity_is_a_mention_of_it():
    assert [e for _, e in found("Kyiv, or Kiev")] == ["kyiv", "kyiv"]


def test_an_empty_gazetteer_finds_nothing():
    assert Matcher({}).find("Putin") == []


def test_a_lone_surrogate_in_the_text_does_not_stop_the_matching_around_it():
    # A raw file decoded with "unicode_escape" can hold one; the automaton needs valid UTF-8.
    assert found("Kyiv \ud800 and Putin") == [("Kyiv", "kyiv"), ("Putin", "vladimir-putin")]


def test_a_gazetteer_too_big_for_a_dfa_finds_the_same_mentions(monkeypatch):
    import archive_build.entities.matcher as matcher

    text = "Vladimir Putin told the New York Times that the Kremlin and NATO met in Kyiv."
    monkeypatch.setattr(matcher, "DFA_BYTES", 0)  # every gazetteer is then too big for a DFA
    small = Matcher({"vladimir-putin": ["Vladimir Putin", "Putin"], "new-york-times": ["New York Times"], "kremlin": ["the Kremlin"], "kyiv": ["Kyiv"]})
    assert [m.entity for m in small.find(text)] == ["vladimir-putin", "new-york-times", "kremlin", "kyiv"]
