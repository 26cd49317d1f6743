"""Related reading: the five articles most like each one, from an inverted index.

Two signals, each a cosine similarity over IDF-weighted features:

* shared entities and curator tags, each weighted by how rare it is, so two
  reports that both quote James Cleverly count for more than two that both
  mention Russia;
* shared content words (the worker's per-article word counts, IDF-weighted,
  the top ``TERMS_KEPT`` per article).

Candidates come from posting lists, never from comparing every pair: an
article only meets the articles that share one of its features.  Features
carried by more than ``max_postings`` articles are skipped for candidate
generation, since they add little (low IDF) and would make the work grow with
the square of the archive.
"""
from __future__ import annotations

import heapq
import math
from collections import defaultdict
from typing import Any, Iterable

from ..model import Article

TOP = 5
TERMS_KEPT = 25
ENTITY_SHARE = 0.6  # the rest is text similarity


def max_postings(n: int) -> int:
    """Longest posting list used: everything for small archives, ~1% for large ones."""
    return max(100, n // 100)


def _weights(features: Iterable[tuple[str, int]], idf: dict[str, float]) -> dict[str, float]:
    return {f: (1.0 + math.log(c)) * idf[f] for f, c in features if c > 0 and idf.get(f, 0.0) > 0.0}


def _idf(docs: list[dict[str, int]]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for d in docs:
        for f in d:
            df[f] += 1
    n = len(docs)
    return {f: math.log(n / k) for f, k in df.items()}


def _entity_features(article: Article) -> dict[str, int]:
    # Presence, not mention counts: how often a name recurs says more about an
    # article's length and style than about its subject; IDF does the weighting.
    feats = {f"e:{e}": 1 for e in article.entities}
    for tag in article.tags:
        feats.setdefault(f"t:{tag.casefold()}", 1)
    return feats


class _Space:
    """One feature space: per-article weight vectors, norms and posting lists."""

    def __init__(self, docs: list[dict[str, int]], keep: int | None = None):
        idf = _idf(docs)
        if keep is not None:
            # A word only one article uses cannot make two articles alike; keep
            # the places in each article's top list for words that can.
            idf = {f: v for f, v in idf.items() if v < math.log(len(docs))}
        self.vectors: list[dict[str, float]] = []
        for d in docs:
            w = _weights(sorted(d.items()), idf)
            if keep is not None and len(w) > keep:
                w = dict(sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
            self.vectors.append(w)
        self.norms = [math.sqrt(sum(v * v for v in w.values())) for w in self.vectors]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, w in enumerate(self.vectors):
            for f, v in w.items():
                postings[f].append((i, v))
        limit = max_postings(len(docs))
        self.postings = {f: p for f, p in postings.items() if 1 < len(p) <= limit}

    def scores(self, i: int) -> dict[int, float]:
        """Cosine similarity of article ``i`` to every article it shares a feature with."""
        acc: dict[int, float] = defaultdict(float)
        for f, v in self.vectors[i].items():
            for j, u in self.postings.get(f, ()):
                if j != i:
                    acc[j] += v * u
        ni = self.norms[i]
        return {j: s / (ni * self.norms[j]) for j, s in acc.items() if ni and self.norms[j]}


def related_articles(articles: list[Article], top: int = TOP) -> list[list[dict[str, Any]]]:
    """For each article (same order), up to ``top`` related ones as {id, title, score}."""
    entities = _Space([_entity_features(a) for a in articles])
    terms = _Space([dict(a.flags.get("terms") or {}) for a in articles], keep=TERMS_KEPT)
    out: list[list[dict[str, Any]]] = []
    for i in range(len(articles)):
        combined: dict[int, float] = defaultdict(float)
        for j, s in entities.scores(i).items():
            combined[j] += ENTITY_SHARE * s
        for j, s in terms.scores(i).items():
            combined[j] += (1 - ENTITY_SHARE) * s
        best = heapq.nsmallest(top, ((-round(s, 6), articles[j].id, j) for j, s in combined.items() if s > 0))
        out.append([{"id": articles[j].id, "title": articles[j].title or articles[j].id, "score": round(-s, 3)} for s, _, j in best])
    return out


def add_related(articles: list[Article], top: int = TOP) -> None:
    """Put each article's related reading in ``article.flags["related"]``."""
    for article, rel in zip(articles, related_articles(articles, top)):
        article.flags["related"] = rel
