"""Finding every mention of every entity in one pass over a text.

An Aho-Corasick automaton (ahocorasick_rs, the Rust aho-corasick crate) finds
all aliases at once, so the cost grows with the length of the text and the
number of hits, not with the number of entities times the text.  On top of
the raw hits this module adds what a reader expects of a name match:

* word boundaries: "Putin" does not match inside "Putinism", but does in
  "Putin’s" and "Trump-Putin" (apostrophes and hyphens end a word);
* longest match first: "Vladimir Putin" is one mention, not two;
* case as written: "US" the country never matches "us"; an alias written
  in lower case ("the Kremlin") also matches with a capital at a sentence start.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple

import ahocorasick_rs

# The automaton is a DFA while its estimated size stays under this (see Matcher).
DFA_BYTES = 32 * 2**20
# A lone surrogate (a text decoded with "unicode_escape" can hold one): the
# automaton needs valid UTF-8, so each is matched as U+FFFD, one for one.
_SURROGATE = re.compile("[\ud800-\udfff]")


class Mention(NamedTuple):
    start: int
    end: int
    entity: str


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def variants(alias: str) -> list[str]:
    """The spellings of one alias that the matcher looks for, the alias first."""
    out = [alias]
    if alias[:1].islower():
        out.append(alias[0].upper() + alias[1:])
    for s in list(out):
        if "'" in s:
            out.append(s.replace("'", "\u2019"))
    return list(dict.fromkeys(out))


def _dfa_bytes(words: Iterable[str]) -> int:
    """An upper estimate of a DFA's size: 4-byte transitions, states x distinct bytes."""
    encoded = [w.encode("utf-8", "surrogatepass") for w in words]
    return 4 * (sum(map(len, encoded)) + 1) * (len(set(b"".join(encoded))) + 1)


class Matcher:
    """All aliases of all entities in one automaton."""

    def __init__(self, names: dict[str, Iterable[str]]):
        exact: dict[str, str] = {}
        derived: dict[str, str] = {}
        for eid in sorted(names):
            for alias in names[eid]:
                forms = variants(alias)
                exact.setdefault(forms[0], eid)
                for form in forms[1:]:
                    derived.setdefault(form, eid)
        # An alias as written wins over another entity's derived spelling.
        words = {**derived, **exact}
        self._forms = [(eid, _is_word(form[0]), _is_word(form[-1])) for form, eid in words.items()]
        self._automaton = None
        if words:
            # A DFA matches three to four times as fast as pyahocorasick's trie
            # (measured: 30 against 109 us on a 6,000-character article) and,
            # for a gazetteer's few thousand spellings, builds in milliseconds.
            # It holds a transition per state (about one per byte of the
            # spellings) and per distinct byte: a gazetteer whose estimate is
            # too big gets the crate's own choice, which needs far less memory
            # (long spellings over many letters made a 416 MB DFA).
            implementation = ahocorasick_rs.Implementation.DFA if _dfa_bytes(words) <= DFA_BYTES else None
            self._automaton = ahocorasick_rs.AhoCorasick(list(words), implementation=implementation)

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions, leftmost first, longest at each position."""
        if self._automaton is None or not text:
            return []
        n = len(text)
        forms = self._forms
        hits: list[tuple[int, int, str]] = []
        try:
            found = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:
            found = self._automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
        for index, start, end in found:
            eid, word_start, word_end = forms[index]
            # (_is_word inlined: this loop runs for every hit in every article.)
            if word_start and start > 0 and ((c := text[start - 1]).isalnum() or c == "_"):
                continue
            if word_end and end < n and ((c := text[end]).isalnum() or c == "_"):
                continue
            hits.append((start, start - end, eid))
        hits.sort()
        out: list[Mention] = []
        pos = 0
        for start, neg_len, eid in hits:
            if start >= pos:
                out.append(Mention(start, start - neg_len, eid))
                pos = start - neg_len
        return out
