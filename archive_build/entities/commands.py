"""``archive-build suggest-entities``: names the archive uses that the gazetteer lacks.

A curator extends ``entities.yml`` from this list.  Candidates are runs of
capitalised words ("Sam Bendett", "Gerald R. Ford"), counted per article;
a lone capitalised word counts only if it also appears mid-sentence (so
"However" at a sentence start is not a name), and anything the gazetteer
already matches is left out.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from archive_build.entities.link import plain_fallback
from archive_build.model import Article

_NAME = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'.-]*[\w.]|[A-Z])(?:[ \t]+(?:(?:of|the|de|von|van|der|al|bin|and)[ \t]+){0,2}(?:[A-Z][\w’'.-]*[\w.]|[A-Z]\.))*"
)
_SENTENCE_START = re.compile(r"(?:^|\n\s*|[.!?…:]['’\"”)]*\s+|[\"“‘(]\s*)$")
_COMMON = frozenset(
    """A An The This That These Those It Its In On At Of For From By With As But And Or If When While After Before Since
    He She We They I You Our Their His Her My Your There Here What Who Why How Mr Mrs Ms Dr Yet So Not No All Some
    Many Most One Two Three Four Five First Last Also However Despite Although Even Only Still Meanwhile According
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)
# Demonyms and adjectives ("Russian", "Western") are not entities of their own.
_ADJECTIVE_ENDINGS = ("ian", "ians", "ish", "ese", "ern", "ean", "eans", "ite", "ites")


def _candidates(text: str) -> list[tuple[str, bool]]:
    """(name, follows a sentence start) for each run of capitalised words."""
    out = []
    for m in _NAME.finditer(text):
        name = m.group().strip()
        if name.endswith(".") and name.count(".") == 1:
            name = name[:-1]
        for suffix in ("’s", "'s"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        words = name.split()
        while words and words[0] in _COMMON:
            words = words[1:]
        if not words or (len(words) == 1 and (len(words[0]) < 3 or words[0].endswith(_ADJECTIVE_ENDINGS))):
            continue
        name = " ".join(words)
        start = _SENTENCE_START.search(text, max(0, m.start() - 4), m.start()) is not None
        out.append((name, start and name.split()[0] == m.group().split()[0]))
    return out


def suggest(articles: list[Article], matcher: object | None, min_count: int = 2) -> list[tuple[str, int, list[str]]]:
    """(name, mentions, article ids) for unknown names mentioned at least ``min_count`` times."""
    counts: Counter[str] = Counter()
    mid_sentence: Counter[str] = Counter()
    where: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        for name, at_start in _candidates(a.plain or plain_fallback(a.body)):
            counts[name] += 1
            if not at_start:
                mid_sentence[name] += 1
            where[name].add(a.id)
    # "Later Sam Bendett" at a sentence start is "Sam Bendett" when that is seen elsewhere.
    for name in sorted(counts, key=lambda n: -len(n)):
        tail = name.split(" ", 1)[1] if " " in name else ""
        if tail in counts and not mid_sentence[name]:
            counts[tail] += counts.pop(name)
            mid_sentence[tail] += 0
            where[tail] |= where.pop(name)
    out = []
    for name, n in counts.items():
        if n < min_count or (" " not in name and not mid_sentence[name]):
            continue
        if matcher is not None:
            if matcher.find(name):  # type: ignore[attr-defined]
                continue  # names a known entity (perhaps with a title: "Russian President Vladimir Putin")
        out.append((name, n, sorted(where[name])))
    out.sort(key=lambda t: (-t[1], t[0].casefold(), t[0]))
    return out


def cmd_suggest(args: argparse.Namespace) -> int:
    from archive_build.build import collect
    from archive_build.project import Project

    project = Project.find(Path(args.root) if args.root else None)
    result = collect(project, progress=False)
    gazetteer_path = project.rel(project.gazetteer)
    for p in result.problems:
        if p.path == gazetteer_path:
            print(str(p), file=sys.stderr)
    from archive_build.entities import load_gazetteer

    gazetteer, _ = load_gazetteer(project.gazetteer, gazetteer_path)
    rows = suggest(result.articles, gazetteer.matcher if len(gazetteer) else None, args.min_count)
    if not rows:
        print(f"No unknown name is mentioned {args.min_count} or more times.")
        return 0
    print(f"Names mentioned {args.min_count}+ times that {gazetteer_path} does not know yet (mentions, name, articles):")
    for name, n, ids in rows:
        shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        print(f"{n:6d}  {name}  ({shown})")
    return 0
