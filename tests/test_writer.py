"""The writer's word count: what the reading time and the front matter's word_count read."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archive_build.writer import _WORD, word_count

# Mostly the characters that decide a word's edges, so that the edge cases come up often.
_TEXT = st.text(st.sampled_from(list("ab1_ '-’-.\n\t") + ["é", "\u00a0", "日"]), max_size=60) | st.text(max_size=60)


@given(_TEXT)
def test_the_word_count_is_the_number_of_words_the_word_pattern_finds(text: str) -> None:
    assert word_count(text) == len(_WORD.findall(text))


def test_apostrophes_and_hyphens_inside_a_word_do_not_split_it() -> None:
    assert word_count("rock'n'roll is a well-known don't") == 5
    assert word_count("a--b 'quoted' - x") == 4
