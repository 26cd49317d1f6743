"""Related reading: the five articles most like each one, from an inverted index.

Two signals, each a cosine similarity over IDF-weighted features:

* shared entities and curator tags, each weighted by how rare it is, so two
  reports that both quote James Cleverly count for more than two that both
  mention Russia;
* shared content words (the worker's per-article word counts, IDF-weighted,
  the top ``TERMS_KEPT`` per article).

Both vectors are normalised and scaled by the square root of their share, so
the combined score is a single dot product, accumulated from posting lists:
an article only meets the articles that share one of its features, never
every other article.  Each posting list keeps only the ``POSTINGS_KEPT``
articles where the feature weighs most (impact ordering), and each article
queries with its ``QUERY_FEATURES`` weightiest features, which bounds the
work per article by a constant: the whole step is linear in the archive's
size (10,000 articles: at most 2.4 million multiply-adds).  Small archives are
scored exactly.
"""
from __future__ import annotations

import functools
import math
from collections import defaultdict
from operator import itemgetter
from typing import Any

from ..model import Article

TOP = 5
# Below this score two articles share little more than the archive's common
# ground (a tag every article has, a few frequent words): not related reading.
MIN_SCORE = 0.12
SHARES_SHOWN = 3  # "shares: Sergei Shoigu, Pantsir, air defense"
TERMS_KEPT = 25
ENTITY_SHARE = 0.6  # the rest is text similarity
POSTINGS_KEPT = 20
QUERY_FEATURES = 12


def _entity_features(article: Article) -> list[str]:
    # Presence, not mention counts: how often a name recurs says more about an
    # article's length and style than about its subject; IDF does the weighting.
    return [f"e:{e}" for e in article.entities] + [f"t:{tag.casefold()}" for tag in article.tags]


def _document_frequency(docs: list[Any]) -> dict[str, int]:
    df: dict[str, int] = defaultdict(int)
    for d in docs:
        for f in set(d):
            df[f] += 1
    return df


def _unit(weights: dict[str, float], scale: float) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {f: scale * v / norm for f, v in weights.items()} if norm else {}


def vectors(articles: list[Article]) -> list[dict[str, float]]:
    """Each article's combined, normalised feature vector (entities/tags and words)."""
    n = len(articles)
    ents = [_entity_features(a) for a in articles]
    terms = [a.terms for a in articles]
    # A feature only one article has cannot make two articles alike; one all have tells nothing.
    eidf = {f: math.log(n / df) for f, df in _document_frequency(ents).items() if 1 < df < n}
    tidf = {f: math.log(n / df) for f, df in _document_frequency(terms).items() if 1 < df < n}
    es, ts = math.sqrt(ENTITY_SHARE), math.sqrt(1 - ENTITY_SHARE)
    out = []
    for fe, ft in zip(ents, terms):
        ew = {f: eidf[f] for f in sorted(set(fe)) if f in eidf}
        tw = {f: _tf(c) * tidf[f] for f, c in sorted(ft.items()) if c > 0 and f in tidf}
        if len(tw) > TERMS_KEPT:
            # Weightiest first; ties in name order, as tw is (a stable sort keeps it, reversed or not).
            tw = dict(sorted(tw.items(), key=itemgetter(1), reverse=True)[:TERMS_KEPT])
        out.append({**_unit(ew, es), **{"w:" + f: v for f, v in _unit(tw, ts).items()}})
    return out


@functools.lru_cache(maxsize=None)
def _tf(count: int) -> float:
    """Sublinear term frequency: the 20th mention of a word says less than the second."""
    return 1.0 + math.log(count)


def _postings(vecs: list[dict[str, float]]) -> dict[str, list[tuple[int, float]]]:
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vecs):
        for f, v in vec.items():
            postings[f].append((i, v))
    for f, plist in postings.items():
        if len(plist) > POSTINGS_KEPT:
            # The weightiest, ties to the earlier article: the list is in article
            # order, and a stable sort keeps it among equal weights.
            postings[f] = sorted(plist, key=itemgetter(1), reverse=True)[:POSTINGS_KEPT]
    return postings


def related_articles(articles: list[Article], top: int = TOP) -> list[list[dict[str, Any]]]:
    """For each article (same order), up to ``top`` related ones scoring at least ``MIN_SCORE``, as {id, title, score, shares}."""
    vecs = vectors(articles)
    # Each posting list as its articles and its weights, zipped in the loop
    # below (the innermost of the step: a third faster than unpacking pairs).
    postings = {f: (tuple(j for j, _ in plist), tuple(u for _, u in plist)) for f, plist in _postings(vecs).items()}
    out: list[list[dict[str, Any]]] = []
    for i, vec in enumerate(vecs):
        acc: dict[int, float] = {}
        get = acc.get
        # The weightiest features (ties: the greater name first); keys are unique, so a plain sort.
        query = vec.items() if len(vec) <= QUERY_FEATURES else sorted(vec.items(), key=itemgetter(1, 0), reverse=True)[:QUERY_FEATURES]
        for f, v in query:
            js, us = postings[f]
            for j, u in zip(js, us):
                acc[j] = get(j, 0.0) + v * u
        acc.pop(i, None)
        # A few extra candidates (a C sort: heapq.nlargest with a key runs in
        # Python, and picks the same), then an exact, id-broken order among them.
        best = sorted(acc.items(), key=itemgetter(1), reverse=True)[: top * 3]
        best = sorted(((-round(s, 6), articles[j].id, j) for j, s in best if s >= MIN_SCORE))[:top]
        out.append([
            {"id": articles[j].id, "title": articles[j].title or articles[j].id, "score": round(-s, 3), "shares": _shares(articles[i], vec, vecs[j])}
            for s, _, j in best
        ])
    return out


def _shares(article: Article, vec: dict[str, float], other: dict[str, float]) -> list[str]:
    """What two related articles have in common, weightiest first: entities ("e:<id>") and tags ("t:<tag>" as the article writes it)."""
    common = sorted(((vec[f] * other[f], f) for f in vec if f[:2] in ("e:", "t:") and f in other), key=lambda wf: (-wf[0], wf[1]))
    tags = {t.casefold(): t for t in article.tags}
    return [f if f[0] == "e" else "t:" + tags.get(f[2:], f[2:]) for _, f in common[:SHARES_SHOWN]]


def add_related(articles: list[Article], top: int = TOP) -> None:
    """Put each article's related reading in ``article.flags["related"]``."""
    for article, rel in zip(articles, related_articles(articles, top)):
        article.flags["related"] = rel
