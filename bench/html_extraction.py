"""How well the HTML reader reads real saved pages: metadata accuracy, body quality, speed.

Runs every page of ``../shared/corpora/readability-test-pages/`` through the
real pipeline (``pipeline.clean_article``, i.e. the HTML reader plus the
shared cleaning transforms) and compares with the corpus's
``expected-metadata.json`` (title, byline, publishedTime, siteName) and
``expected.html`` (the article text).  Optionally (``--zyte``) also the
Zyte article-extraction-benchmark, body only.

The expected values are Readability.js snapshots, not human gold labels, so
the comparison is deliberately lenient where the snapshot is noisy: bylines
lose a leading "By"/"Par" and compare as sets of name tokens; dates compare
as calendar days; titles compare case- and whitespace-insensitively with
typographic quotes folded.

Body quality is token F1 (multiset of lower-cased ``\\w+`` tokens, link
targets and Markdown syntax removed first), per page, reported as mean and
median.  Usage::

    python -m bench.html_extraction [--corpus DIR] [--zyte] [--limit N] [--show]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

from archive_build.pipeline import clean_article

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
_TOKEN = re.compile(r"\w+")
_MD_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " "})


def fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def body_tokens(markdown: str) -> list[str]:
    return tokens(_MD_LINK_TARGET.sub("]", markdown))


def token_f1(ours: list[str], gold: list[str]) -> float:
    if not ours and not gold:
        return 1.0
    common = sum((Counter(ours) & Counter(gold)).values())
    if not common:
        return 0.0
    p, r = common / len(ours), common / len(gold)
    return 2 * p * r / (p + r)


def name_tokens(text: str) -> set[str]:
    text = re.sub(r"^\s*(?:by|par|von|door|di|por)\b[:\s]*", "", fold(text))
    return {t for t in tokens(text) if t not in ("and", "by", "et", "und")}


_SEP = re.compile(r"\s+(?:[|•·»–—-]|--|::)\s+")


def title_ok(ours: str, expected: str) -> bool:
    """Equal, or equal to the snapshot without a leading/trailing " | Site name" segment (the rule we follow)."""
    ours, expected = fold(ours), fold(expected)
    if ours == expected:
        return True
    seps = list(_SEP.finditer(expected))
    return any(ours in (expected[: m.start()], expected[m.end():]) for m in seps)


def byline_ok(ours: list[str], expected: str) -> bool:
    want = name_tokens(expected)
    got = name_tokens(" ".join(ours))
    return bool(got) and got <= want | {"jr"}


def date_ok(ours: str | None, expected: str) -> bool:
    m = re.match(r"\d{4}-\d{2}-\d{2}", expected.strip())
    if m:
        return ours == m.group(0)
    from archive_build.transforms.dates import parse_date

    return ours is not None and ours == parse_date(expected)


def readability_pages(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if (p / "source.html").exists() and (p / "expected-metadata.json").exists())


def run_readability(corpus: Path, limit: int | None, show: bool) -> dict[str, object]:
    pages = readability_pages(corpus)[:limit]
    counts = Counter()
    f1s: list[float] = []
    seconds = 0.0
    misses: list[str] = []
    for page in pages:
        data = (page / "source.html").read_bytes()
        expected = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        start = time.process_time()
        try:
            art = clean_article(data, f"raw/{page.name}.html")
        except Exception as exc:  # a crash is a miss on every field, and is shown
            counts["errors"] += 1
            misses.append(f"{page.name}: error {exc}")
            continue
        finally:
            seconds += time.process_time() - start
        title_missing = art.title == art.id
        # field, expected key, ours, does it match
        checks = [
            ("title", "title", art.title, lambda want: not title_missing and title_ok(art.title, want)),
            ("byline", "byline", art.authors, lambda want: byline_ok(art.authors, want)),
            ("date", "publishedTime", art.date, lambda want: date_ok(art.date, want)),
            ("site", "siteName", art.source, lambda want: fold(art.source) == fold(want)),
        ]
        for field, key, ours_value, ok in checks:
            want = expected.get(key)
            if not want:
                if field == "byline" and art.authors:
                    counts["byline_extra"] += 1
                continue
            counts[f"{field}_n"] += 1
            if ok(want):
                counts[f"{field}_ok"] += 1
            elif show:
                misses.append(f"{page.name}: {field} {ours_value!r} != {want!r}")
        gold_html = (page / "expected.html").read_text(encoding="utf-8")
        gold = tokens(BeautifulSoup(gold_html, "lxml").get_text(" "))
        # The title and byline lines moved to front matter are part of the page's text too.
        ours = body_tokens(art.body) + [t for r in art.removed if r.reason.startswith("metadata") and "<title>" not in r.reason for t in tokens(r.text)]
        f1 = token_f1(ours, gold)
        f1s.append(f1)
        if show and f1 < 0.8:
            misses.append(f"{page.name}: body F1 {f1:.2f}")
    return {"pages": len(pages), "counts": counts, "f1": f1s, "seconds": seconds, "misses": misses}


def shingles(toks: list[str], n: int = 4) -> Counter:
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)))


def run_zyte(corpus: Path, limit: int | None) -> dict[str, object]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit]
    ps, rs, f1s = [], [], []
    seconds = 0.0
    errors = 0
    for key in ids:
        data = gzip.decompress((corpus / "html" / f"{key}.html.gz").read_bytes())
        start = time.process_time()
        try:
            art = clean_article(data, f"raw/{key[:16]}.html")
        except Exception:
            errors += 1
            continue
        finally:
            seconds += time.process_time() - start
        ours = shingles(_TOKEN.findall(_MD_LINK_TARGET.sub("]", art.body)))
        gold = shingles(_TOKEN.findall(truth[key]["articleBody"]))
        tp = sum((ours & gold).values())
        fp, fn = sum(ours.values()) - tp, sum(gold.values()) - tp
        if tp + fp:
            ps.append(tp / (tp + fp))
        if tp + fn:
            rs.append(tp / (tp + fn))
        f1s.append(token_f1(_TOKEN.findall(art.body.casefold()), _TOKEN.findall(truth[key]["articleBody"].casefold())))
    p, r = statistics.fmean(ps), statistics.fmean(rs)
    return {"pages": len(ids), "precision": p, "recall": r, "f1": 2 * p * r / (p + r), "token_f1": f1s, "seconds": seconds, "errors": errors}


def pct(ok: int, n: int) -> str:
    return f"{100 * ok / n:5.1f}% ({ok}/{n})" if n else "  n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPORA / "readability-test-pages")
    ap.add_argument("--zyte", action="store_true", help="also run the Zyte article-extraction-benchmark (body only)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", action="store_true", help="list the pages that miss")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: corpus not found", file=sys.stderr)
        return 2
    res = run_readability(args.corpus, args.limit, args.show)
    c: Counter = res["counts"]  # type: ignore[assignment]
    f1s: list[float] = res["f1"]  # type: ignore[assignment]
    print(f"readability-test-pages: {res['pages']} pages, {c['errors']} errors")
    print(f"  {'title':<22}{pct(c['title_ok'], c['title_n'])}")
    print(f"  {'byline':<22}{pct(c['byline_ok'], c['byline_n'])}   (+{c['byline_extra']} pages with an author where the snapshot has none)")
    print(f"  {'date (published)':<22}{pct(c['date_ok'], c['date_n'])}")
    print(f"  {'source (site name)':<22}{pct(c['site_ok'], c['site_n'])}")
    if f1s:
        print(f"  {'body token F1':<22}mean {statistics.fmean(f1s):.3f}  median {statistics.median(f1s):.3f}  (<0.5 on {sum(f < 0.5 for f in f1s)} pages)")
    print(f"  {'speed':<22}{res['pages'] / res['seconds']:.1f} pages/s  ({1000 * res['seconds'] / max(1, res['pages']):.0f} ms/page, whole pipeline, one core)")  # type: ignore[operator]
    if args.show:
        for line in res["misses"]:  # type: ignore[attr-defined]
            print("   -", line)
    zyte_dir = CORPORA / "article-extraction-benchmark"
    if args.zyte and zyte_dir.is_dir():
        z = run_zyte(zyte_dir, args.limit)
        tf1: list[float] = z["token_f1"]  # type: ignore[assignment]
        print(f"article-extraction-benchmark: {z['pages']} pages, {z['errors']} errors")
        print(f"  {'4-gram P / R / F1':<22}{z['precision']:.3f} / {z['recall']:.3f} / {z['f1']:.3f}  (upstream's metric)")
        print(f"  {'body token F1':<22}mean {statistics.fmean(tf1):.3f}  median {statistics.median(tf1):.3f}")
        print(f"  {'speed':<22}{z['pages'] / z['seconds']:.1f} pages/s")  # type: ignore[operator]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
