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
import re
from collections import Counter, defaultdict
from operator import itemgetter
from typing import Any

from archive_build.model import Article
from archive_build.store.cache import stable_digest

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
    """Put each article's related reading in ``article.related``."""
    for article, rel in zip(articles, related_articles(articles, top)):
        article.related = rel


def related_key(article: Article) -> str:
    """Digest of what related reading reads from one article (computed in the worker).

    Annotations and highlights do not change it, so editing an annotation
    does not recompute related reading for the whole archive.
    """
    data = (article.id, article.title, sorted(article.entities), list(article.tags), sorted(article.terms.items()))
    return stable_digest(data)


# --- each article's content words, counted in the worker (pipeline) ---------------

# A word: letters, with digits, apostrophes and hyphens inside.  Only words of
# four or more characters can be terms, so only those are matched: a match
# can never start inside a shorter word, because any part of it that ends in
# a letter is shorter still.  Lowercased ASCII text (most articles) takes a
# narrower, twice as fast pattern that matches the same words.
_WORD4 = re.compile(r"[^\W\d_][\w'-]{2,}[^\W\d_]")
_WORD4_ASCII = re.compile(r"[a-z][a-z0-9_'-]{2,}[a-z]")
# Short function words carry no topic; longer ones are rare enough to keep.
STOPWORDS = frozenset(
    """about above after again against also although among another because been before being below between both
    could does doing down during each even every first from further have having here however into itself just
    least less many more most much must never only other ought ours over same should since some such than that
    their theirs them then there these they this those through under until upon very were what when where which
    while whom whose with within without would your yours said says will also like well year years time""".split()
)
TERMS_PER_ARTICLE = 60
_POSSESSIVE = re.compile(r"'s?$")


def _stem(word: str) -> str:
    """A light plural stemmer: "drones" and "drone" are one word for similarity."""
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _term(word: str) -> str:
    """A lowercase word as a similarity term ("" for words that carry no topic)."""
    word = _POSSESSIVE.sub("", word)
    return _stem(word) if len(word) >= 4 and word not in STOPWORDS else ""


class _Terms(dict[str, str]):
    """Word → term, shared by every article a process reads; a word seen first is worked out on lookup.

    (``__missing__`` runs only for a new word: a known one is a plain dict
    lookup in C, so no set of each article's words is built to find the new ones.)
    """

    def __missing__(self, word: str) -> str:
        term = self[word] = _term(word)
        return term


_TERMS = _Terms()


def content_terms(text: str) -> dict[str, int]:
    """The article's most frequent content words (lowercase, 4+ letters, no stopwords, plurals folded)."""
    low = text.lower().replace("’", "'")
    words = (_WORD4_ASCII if low.isascii() else _WORD4).findall(low)
    terms = _TERMS
    if len(terms) > 1 << 17:
        terms.clear()
    # Every token to its term and counted, in C (no Python loop over the words).
    counts = Counter(map(terms.__getitem__, words))
    counts.pop("", None)
    items: Any = counts.items()
    if len(counts) > TERMS_PER_ARTICLE:  # only terms as frequent as the last one kept can be kept
        cutoff = sorted(counts.values(), reverse=True)[TERMS_PER_ARTICLE - 1]
        items = [item for item in items if item[1] >= cutoff]
    # Most frequent first, ties alphabetical: two stable sorts with C-level keys.
    ranked = sorted(sorted(items, key=itemgetter(0)), key=itemgetter(1), reverse=True)
    return dict(ranked[:TERMS_PER_ARTICLE])
