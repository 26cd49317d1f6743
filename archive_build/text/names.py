"""Authors' names as citations need them: a person's parts, or an organisation's whole name.

Bylines name people ("Martin Luther King Jr.", "Ursula von der Leyen") and
organisations ("Associated Press", "Reuters").  A person is split with
nameparser (given names, particle, family name, suffix), so that citation
styles can invert and sort the name; an organisation, or a single-word name,
is kept whole as a literal, which no style will invert into "Press, A.".

nameparser takes about half a millisecond a name, so the common byline of
two capitalised words is split directly, and every name is parsed once per
process (``lru_cache``): a 10,000-article archive repeats its authors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words that make a byline an organisation, not a person.
ORGANISATION_WORDS = frozenset(
    """
    agency agencies association associated board bureau center centre channel commission committee company
    corp corporation correspondents council daily department desk editorial editors federation foundation
    gazette government group herald inc institute journal league ltd llc magazine media ministry network
    news newsroom office organisation organization party post press radio reporters reuters service services
    society staff team television times tribune tv union university weekly wire writers
    """.split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"})
_SIMPLE = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]*[a-zß-ÿ.][\w'’-]* [A-ZÀ-ÖØ-Þ][\w'’-]*[a-zß-ÿ][\w'’-]*$")


@dataclass(frozen=True)
class Name:
    """A person's name in parts, or ``literal`` for an organisation or a one-word name."""

    literal: str = ""
    given: str = ""
    particle: str = ""  # "von der", "van": kept with the family name
    family: str = ""
    suffix: str = ""  # "Jr.", "III"

    @property
    def family_with_particle(self) -> str:
        return f"{self.particle} {self.family}".strip()


def is_organisation(name: str) -> bool:
    """An organisation's name: a word like Press, News, Agency or Staff, or an acronym (AFP, BBC)."""
    words = re.findall(r"[\w&]+", name)
    if len(words) < 2:
        return False
    for word in words:
        if word.lower() in ORGANISATION_WORDS or "&" in word:
            return True
        if len(word) >= 2 and word.isupper() and word.isalpha() and word.lower() not in _SUFFIXES:
            return True
    return False


@lru_cache(maxsize=4096)
def parse_name(text: str) -> Name:
    """The parts of one author's name (see the module's docstring)."""
    name = " ".join(text.split())
    if not name:
        return Name(literal="")
    if " " not in name or is_organisation(name):
        return Name(literal=name)
    if _SIMPLE.match(name) and name.split(" ", 1)[1].lower().rstrip(".") not in _SUFFIXES:
        given, family = name.split(" ")
        return Name(given=given, family=family)
    from nameparser import HumanName
    from nameparser.config import CONSTANTS

    parsed = HumanName(name)
    last = parsed.last.split()
    particle: list[str] = []
    while len(last) > 1 and last[0].lower() in CONSTANTS.prefixes:
        particle.append(last.pop(0))
    given = " ".join(p for p in (parsed.first, parsed.middle) if p)
    if not last or not given:
        return Name(literal=name)
    return Name(given=given, particle=" ".join(particle), family=" ".join(last), suffix=parsed.suffix)


def csl_name(name: Name) -> dict[str, str]:
    """A CSL-JSON name: ``literal``, or family, given, particle and suffix."""
    if name.literal:
        return {"literal": name.literal}
    out = {"family": name.family, "given": name.given}
    if name.particle:
        out["non-dropping-particle"] = name.particle
    if name.suffix:
        out["suffix"] = name.suffix
    return out


def inverted(name: Name) -> str:
    """As a bibliography lists its first author: "King, Martin Luther, Jr."; an organisation as written."""
    if name.literal:
        return name.literal
    out = f"{name.family_with_particle}, {name.given}"
    return f"{out}, {name.suffix}" if name.suffix else out


def natural(name: Name) -> str:
    """As written in running text: "Martin Luther King Jr."."""
    if name.literal:
        return name.literal
    return " ".join(p for p in (name.given, name.family_with_particle, name.suffix) if p)
