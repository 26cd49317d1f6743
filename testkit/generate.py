"""A synthetic archive of any size, in every raw shape the readers accept.

Why synthetic: the scale issue needs 10,000 articles of ~900 words with
annotations and a 500-entity gazetteer, deterministic (same seed, same
bytes) so that figures can be compared between runs.  The text is made of
pseudo-words drawn from a Zipf-like distribution (so the search index sees
a realistic vocabulary) with entity names mixed in (so entity linking and
related reading have work to do).  Annotation quotes are cut from the
sentences generated here, so they anchor exactly in the cleaned text.

Shapes, by article number modulo 10:
0-3 ``.txt`` one paragraph per line, 4-5 ``.txt`` hard-wrapped at 72
columns, 6-7 ``.md`` with YAML front matter, 8 ``.md`` without front
matter, 9 ``.html`` saved page (navigation, article, footer).
"""
from __future__ import annotations

import argparse
import bisect
import html
import random
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

SYLLABLES = (
    "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "di", "ba", "gre", "str", "pol", "ven", "dar", "mon", "tul",
    "ris", "an", "el", "or", "is", "us", "ek", "ar", "ol", "in", "ov", "ash", "ber", "cal", "fen", "hol", "jin",
)
FUNCTION_WORDS = (
    "the", "of", "and", "to", "in", "a", "that", "is", "was", "for", "on", "with", "as", "by", "at", "from",
    "it", "an", "be", "this", "which", "or", "have", "had", "not", "but", "were", "are", "their", "its",
)
KINDS = ("note", "correction", "context", "source", "question")
ENTITY_KINDS = ("person", "place", "organization", "event", "topic")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
PUBLICATIONS = ("The Morning Ledger", "Harbour Review", "Eastern Dispatch", "The Weekly Lantern", "Field Notes Quarterly", "Riverside Gazette", "Open Wire", "The Plain Report")


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class Sentence:
    words: list[str]
    plain_start: int  # index of the first word that is not an entity name part


class Words:
    """A deterministic vocabulary with Zipf-like frequencies."""

    def __init__(self, rng: random.Random, size: int = 20_000) -> None:
        seen: set[str] = set(FUNCTION_WORDS)
        vocab: list[str] = []
        while len(vocab) < size:
            w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
            if w not in seen and len(w) >= 4:
                seen.add(w)
                vocab.append(w)
        self.vocab = vocab
        weights = [1.0 / (r + 10) for r in range(size)]
        self.cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> str:
        if rng.random() < 0.35:
            return rng.choice(FUNCTION_WORDS)
        return self.vocab[bisect.bisect_left(self.cum, rng.random() * self.total)]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def make_entities(rng: random.Random, words: Words, count: int = 500) -> list[Entity]:
    """``count`` entities with unique names and aliases (some with a second spelling)."""
    used: set[str] = set()
    out: list[Entity] = []

    def fresh(parts: int) -> str:
        while True:
            name = " ".join(_cap("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3))))) for _ in range(parts))
            if name not in used and name.lower() not in words.vocab:
                used.add(name)
                return name

    for i in range(count):
        kind = ENTITY_KINDS[i % len(ENTITY_KINDS)]
        if kind == "person":
            name = fresh(2)
            aliases = []
        elif kind == "organization":
            name = fresh(1) + " " + rng.choice(("Ministry", "Party", "Council", "Union", "Network", "Institute"))
            used.add(name)
            aliases = []
        else:
            name = fresh(1)
            aliases = []
        if i % 7 == 0:
            # A second spelling, like Kiev / Kyiv.
            alt = name[:-1] + ("y" if not name.endswith("y") else "i")
            if alt not in used:
                used.add(alt)
                aliases.append(alt)
        out.append(Entity(f"e{i:03d}-{name.lower().replace(' ', '-')}", name, kind, aliases))
    return out


def gazetteer_yaml(entities: list[Entity]) -> str:
    items = []
    for e in entities:
        item: dict[str, object] = {"id": e.id, "name": e.name, "kind": e.kind}
        if e.aliases:
            item["aliases"] = list(e.aliases)
        item["description"] = f"A synthetic {e.kind} for benchmarks."
        items.append(item)
    return yaml.safe_dump({"entities": items}, sort_keys=False, allow_unicode=True, width=1000)


def _sentence(rng: random.Random, words: Words, entities: list[Entity], focus: list[Entity]) -> Sentence:
    n = rng.randint(12, 22)
    body = [words.pick(rng) for _ in range(n)]
    body[0] = _cap(body[0])
    plain_start = 0
    if rng.random() < 0.5:
        e = rng.choice(focus) if rng.random() < 0.8 else rng.choice(entities)
        name = rng.choice([e.name, *e.aliases])
        # Entity at the front: the quotable part (plain words) starts after it.
        parts = name.split()
        body = parts + [body[0].lower()] + body[1:]
        plain_start = len(parts)
    return Sentence(body, plain_start)


def _text(s: Sentence) -> str:
    return " ".join(s.words) + "."


@dataclass
class Generated:
    id: str
    filename: str
    data: bytes
    annotations: str | None


def make_article(i: int, rng: random.Random, words: Words, entities: list[Entity], all_ids: list[str], start: date) -> Generated:
    day = start + timedelta(days=(i * 7919) % 4000)
    title_words = [_cap(words.vocab[rng.randrange(3000)]) for _ in range(rng.randint(4, 8))]
    title = " ".join(title_words)
    slug = "-".join(w.lower() for w in title_words[:4])
    aid = f"{day.isoformat()}-{slug}-{i}"
    focus = rng.sample(entities, 6)
    author = f"{_cap(words.vocab[rng.randrange(2000)])} {_cap(words.vocab[rng.randrange(2000)])}"
    source = PUBLICATIONS[i % len(PUBLICATIONS)]
    paragraphs: list[list[Sentence]] = []
    total = 0
    while total < 900:
        para = [_sentence(rng, words, entities, focus) for _ in range(rng.randint(3, 6))]
        total += sum(len(s.words) for s in para)
        paragraphs.append(para)
    headings = {len(paragraphs) // 3: " ".join(_cap(words.pick(rng)) for _ in range(4)), 2 * len(paragraphs) // 3: " ".join(_cap(words.pick(rng)) for _ in range(3))}
    ptexts = [" ".join(_text(s) for s in p) for p in paragraphs]
    full = "\n".join(ptexts)

    # Annotations: quotes of 4-9 plain words from inside a sentence, unique in the article.
    n_ann = min(9, int(rng.expovariate(1 / 3.2) + 0.5))
    anns = []
    for k in range(n_ann):
        for _attempt in range(10):
            p = rng.randrange(1, len(paragraphs))
            s = rng.choice(paragraphs[p])
            lo = s.plain_start + 1
            if len(s.words) - lo < 6:
                continue
            length = rng.randint(4, 9)
            a = rng.randrange(lo, max(lo + 1, len(s.words) - length))
            quote = " ".join(s.words[a : a + length])
            if full.count(quote) == 1 and not any(x["quote"] == quote for x in anns):
                break
        else:
            continue
        ann: dict[str, object] = {
            "id": f"n{k}",
            "quote": quote,
            "kind": KINDS[(i + k) % len(KINDS)],
            "author": f"@reader{(i * 31 + k) % 97}",
            "created": (day + timedelta(days=30 + k)).isoformat(),
            "body": " ".join(words.pick(rng) for _ in range(rng.randint(10, 40))).capitalize() + ".\n",
        }
        if all_ids and rng.random() < 0.15:
            ann["links"] = [all_ids[rng.randrange(len(all_ids))]]
        anns.append(ann)
    ann_text = yaml.safe_dump({"article": aid, "annotations": anns}, sort_keys=False, allow_unicode=True, width=1000) if anns else None

    shape = i % 10
    human_date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    if shape <= 3:
        lines = [title, f"By {author}", human_date]
        for n, t in enumerate(ptexts):
            if n in headings:
                lines.append(headings[n])
            lines.append(t)
        lines.append(f"Source: {source}")
        return Generated(aid, aid + ".txt", ("\n".join(lines) + "\n").encode(), ann_text)
    if shape <= 5:
        out = [title, "", f"By {author}", human_date, ""]
        for n, t in enumerate(ptexts):
            if n in headings:
                out += [headings[n], ""]
            out += textwrap.wrap(t, 72, break_long_words=False, break_on_hyphens=False) + [""]
        out.append(f"Source: {source}")
        return Generated(aid, aid + ".txt", ("\n".join(out) + "\n").encode(), ann_text)
    if shape <= 8:
        body: list[str] = []
        for n, t in enumerate(ptexts):
            if n in headings:
                body.append(f"## {headings[n]}")
            body.append(t)
        if shape <= 7:
            fm = yaml.safe_dump({"title": title, "authors": [author], "date": day.isoformat(), "source": source, "tags": ["synthetic"]}, sort_keys=False)
            text = f"---\n{fm}---\n\n" + "\n\n".join(body) + "\n"
        else:
            text = f"# {title}\n\n{author}  \n{day.day} {MONTHS[day.month - 1]} {day.year}\n\n" + "\n\n".join(body) + f"\n\nSource: {source}\n"
        return Generated(aid, aid + ".md", text.encode(), ann_text)
    parts = []
    for n, t in enumerate(ptexts):
        if n in headings:
            parts.append(f"<h2>{html.escape(headings[n])}</h2>")
        parts.append(f"<p>{html.escape(t)}</p>")
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)} | {html.escape(source)}</title>"
        f"<meta name=\"author\" content=\"{html.escape(author)}\">"
        f"<meta property=\"article:published_time\" content=\"{day.isoformat()}T08:00:00Z\">"
        f"<meta property=\"og:site_name\" content=\"{html.escape(source)}\">"
        "</head><body><header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/about\">About</a></nav></header>"
        f"<main><article><h1>{html.escape(title)}</h1><p class=\"byline\">By {html.escape(author)}</p>"
        f"<time datetime=\"{day.isoformat()}\">{human_date}</time>\n" + "\n".join(parts) + "</article></main>"
        f"<footer><p>© {day.year} {html.escape(source)}. All rights reserved.</p></footer></body></html>\n"
    )
    return Generated(aid, aid + ".html", page.encode(), ann_text)


def generate(dest: Path, n: int, *, seed: int = 1, entities: int = 500) -> list[str]:
    """Write ``n`` raw articles, their annotation files and a gazetteer into ``dest``.

    Returns the article ids.  ``dest/raw``, ``dest/annotations`` and
    ``dest/entities.yml`` are replaced; nothing else in ``dest`` is touched.
    """
    rng = random.Random(seed)
    words = Words(rng)
    ents = make_entities(rng, words, entities)
    raw = dest / "raw"
    ann = dest / "annotations"
    for d in (raw, ann):
        d.mkdir(parents=True, exist_ok=True)
        for p in d.iterdir():
            if p.is_file():
                p.unlink()
    (dest / "entities.yml").write_text(gazetteer_yaml(ents), encoding="utf-8")
    ids: list[str] = []
    start = date(2015, 1, 1)
    for i in range(n):
        g = make_article(i, random.Random(seed * 1_000_003 + i), words, ents, ids, start)
        (raw / g.filename).write_bytes(g.data)
        if g.annotations:
            (ann / f"{g.id}.yml").write_text(g.annotations, encoding="utf-8")
        ids.append(g.id)
    return ids


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic archive (raw/, annotations/, entities.yml).")
    p.add_argument("dest", type=Path)
    p.add_argument("-n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    ids = generate(args.dest, args.n, seed=args.seed)
    print(f"{len(ids)} articles written to {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
