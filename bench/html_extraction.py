"""How well the readers read real saved pages and copy-pastes: metadata, body, speed, against trafilatura.

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

The table puts this project's pipeline and trafilatura (``bare_extraction``
with its metadata, the extractor most archives would use) side by side on the
same pages in the same run, per source:

* ``readability``: the Readability test pages, expected values from its
  snapshots corrected by hand where the snapshot is wrong
  (``bench/gold/readability.yml``, each correction with its reason: a
  snapshot that takes the publisher for the author, a UTC day for the day
  as written, a date the page states that the snapshot missed);
* ``zyte``: the article-extraction benchmark (body only; dates are checked
  on the pages whose address holds a full date, a silver label: the address
  day is the publication day at most sites);
* ``copy-paste``: plain-text copy-pastes written for this project in the
  shapes real news sites give a browser copy (``bench/copypaste/``, each
  with its expected fields and the site whose shape it follows).  No
  trafilatura column: it reads HTML only.

Dates count as right on the same calendar day; a wrong date and a missing
one are counted apart ("ok / wrong / missing").
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

import yaml
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


def readability_pages(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if (p / "source.html").exists() and (p / "expected-metadata.json").exists())


GOLD = Path(__file__).resolve().parent / "gold"
COPYPASTE = Path(__file__).resolve().parent / "copypaste"


def authors_ok(ours: list[str], expected: list[str] | None) -> bool:
    """The same people: the same name tokens (order, "By", "and" and case aside); none where the page names none."""
    if expected == []:
        return not ours
    return bool(ours) and name_tokens(" ".join(ours)) == name_tokens(" ".join(expected or []))


def day_of(expected: str | None) -> str | None:
    if not expected:
        return None
    m = re.match(r"\d{4}-\d{2}-\d{2}", expected.strip())
    if m:
        return m.group(0)
    from archive_build.text.dates import parse_date

    return parse_date(expected)


class Tally:
    """Right / total per field, and the date's wrong and missing apart, for one extractor on one source."""

    def __init__(self) -> None:
        self.c: Counter = Counter()
        self.f1: list[float] = []
        self.seconds = 0.0

    def field(self, name: str, want: object, ok: bool) -> None:
        if want in (None, ""):
            return
        self.c[f"{name}_n"] += 1
        self.c[f"{name}_ok"] += ok

    def date(self, want: str | None, got: str | None) -> None:
        if not want:
            return
        self.c["date_n"] += 1
        self.c["date_ok" if got == want else "date_missing" if not got else "date_wrong"] += 1

    def cell(self, name: str) -> str:
        n = self.c[f"{name}_n"]
        return f"{100 * self.c[f'{name}_ok'] / n:.0f}% ({self.c[f'{name}_ok']}/{n})" if n else "-"

    def date_cell(self) -> str:
        n = self.c["date_n"]
        if not n:
            return "-"
        return f"{100 * self.c['date_ok'] / n:.0f}% ({self.c['date_ok']}/{self.c['date_wrong']}/{self.c['date_missing']})"

    def f1_cell(self) -> str:
        return f"{statistics.fmean(self.f1):.3f}" if self.f1 else "-"


def trafilatura_read(html: bytes) -> dict[str, object] | None:
    """What trafilatura makes of a page: title, authors, date, body text (None when it finds nothing)."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, output_format="python")
    if doc is None:
        return None
    authors = [a.strip() for a in re.split(r";", doc.author or "") if a.strip()]
    return {"title": doc.title, "authors": authors, "date": (doc.date or "")[:10] or None, "body": doc.text or ""}


def load_gold() -> dict[str, dict[str, object]]:
    path = GOLD / "readability.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {} if path.exists() else {}


def readability_expected(page: Path, gold: dict[str, dict[str, object]]) -> dict[str, object]:
    """Title, authors, date (a day) and site the page should give: the snapshot, with the hand corrections."""
    snap = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
    byline = snap.get("byline")
    want: dict[str, object] = {
        "title": snap.get("title"),
        "authors": [byline] if byline else None,  # a snapshot without a byline is not judged; the corrections say where a page names no one
        "date": day_of(snap.get("publishedTime")),
        "site": snap.get("siteName"),
    }
    for key, value in (gold.get(page.name) or {}).items():
        if key in want:
            want[key] = day_of(str(value)) if key == "date" and value else value
    return want


def run_readability(corpus: Path, limit: int | None, show: bool, ours: Tally, theirs: Tally, misses: list[str]) -> int:
    pages = readability_pages(corpus)[:limit]
    gold = load_gold()
    for page in pages:
        data = (page / "source.html").read_bytes()
        want = readability_expected(page, gold)
        gold_text = tokens(BeautifulSoup((page / "expected.html").read_text(encoding="utf-8"), "lxml").get_text(" "))
        start = time.process_time()
        try:
            art = clean_article(data, f"raw/{page.name}.html")
        except Exception as exc:  # a crash is a miss on every field, and is shown
            ours.c["errors"] += 1
            misses.append(f"{page.name}: error {exc}")
            continue
        finally:
            ours.seconds += time.process_time() - start
        got_title = None if art.title == art.id else art.title
        ours.field("title", want["title"], bool(got_title) and title_ok(got_title or "", str(want["title"] or "")))
        ours.field("authors", want["authors"], authors_ok(art.authors, want["authors"]))  # type: ignore[arg-type]
        ours.date(want["date"], art.date)  # type: ignore[arg-type]
        ours.field("site", want["site"], fold(art.source) == fold(str(want["site"] or "")))
        if show:
            for name, got in (("title", got_title), ("authors", art.authors), ("date", art.date)):
                ok = {"title": lambda: bool(got_title) and title_ok(got_title or "", str(want["title"] or "")),
                      "authors": lambda: authors_ok(art.authors, want["authors"]),  # type: ignore[arg-type]
                      "date": lambda: art.date == want["date"]}[name]()
                if want[name] and not ok:
                    misses.append(f"readability {page.name}: {name} {got!r} != {want[name]!r}" + (f" [{getattr(art, 'date_source', None)}]" if name == "date" else ""))
        # The title and byline lines moved to front matter are part of the page's text too.
        body = body_tokens(art.body) + [t for r in art.removed if r.reason.startswith("metadata") and "<title>" not in r.reason for t in tokens(r.text)]
        ours.f1.append(token_f1(body, gold_text))
        start = time.process_time()
        try:
            t = trafilatura_read(data)
        except Exception:  # trafilatura's own failures count as misses too
            t = None
        theirs.seconds += time.process_time() - start
        t = t or {"title": None, "authors": [], "date": None, "body": ""}
        theirs.field("title", want["title"], bool(t["title"]) and title_ok(str(t["title"]), str(want["title"] or "")))
        theirs.field("authors", want["authors"], authors_ok(t["authors"], want["authors"]))  # type: ignore[arg-type]
        theirs.date(want["date"], t["date"])  # type: ignore[arg-type]
        theirs.f1.append(token_f1(tokens(str(t["title"] or "") + " " + str(t["body"])), gold_text))
    return len(pages)


def shingles(toks: list[str], n: int = 4) -> Counter:
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)))


def run_zyte(corpus: Path, limit: int | None, show: bool, ours: Tally, theirs: Tally, misses: list[str]) -> int:
    from archive_build.ingest.html_dates import url_date

    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit]
    for key in ids:
        data = gzip.decompress((corpus / "html" / f"{key}.html.gz").read_bytes())
        gold_body = tokens(truth[key]["articleBody"])
        want_date = url_date(truth[key].get("url"))
        start = time.process_time()
        try:
            art = clean_article(data, f"raw/{key[:16]}.html")
        except Exception as exc:
            ours.c["errors"] += 1
            misses.append(f"zyte {key[:16]}: error {exc}")
            continue
        finally:
            ours.seconds += time.process_time() - start
        ours.f1.append(token_f1(body_tokens(art.body), gold_body))
        ours.date(want_date, art.date)
        if show and want_date and art.date != want_date:
            misses.append(f"zyte {key[:16]}: date {art.date!r} [{getattr(art, 'date_source', None)}] != {want_date!r} ({truth[key].get('url')})")
        start = time.process_time()
        try:
            t = trafilatura_read(data)
        except Exception:
            t = None
        theirs.seconds += time.process_time() - start
        t = t or {"title": None, "authors": [], "date": None, "body": ""}
        theirs.f1.append(token_f1(tokens(str(t["body"])), gold_body))
        theirs.date(want_date, t["date"])  # type: ignore[arg-type]
    return len(ids)


def run_copypaste(folder: Path, show: bool, ours: Tally, misses: list[str]) -> int:
    """The copy-paste fixtures: each ``NAME.txt`` with its expected fields in ``expected.yml``."""
    expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
    for name, want in sorted(expected.items()):
        art = clean_article((folder / f"{name}.txt").read_bytes(), f"raw/{name}.txt")
        got_title = None if art.title == art.id else art.title
        checks = (
            ("title", want.get("title"), got_title, bool(got_title) and fold(got_title) == fold(want.get("title"))),
            ("authors", want.get("authors"), art.authors, authors_ok(art.authors, want.get("authors") or [])),
        )
        for field, w, got, ok in checks:
            ours.field(field, w, ok)
            if show and w and not ok:
                misses.append(f"copy-paste {name}: {field} {got!r} != {w!r}")
        want_date = day_of(str(want["date"])) if want.get("date") else None
        ours.date(want_date, art.date)
        if show and want_date and art.date != want_date:
            misses.append(f"copy-paste {name}: date {art.date!r} != {want_date!r}")
        body = (folder / f"{name}.body.txt")
        if body.exists():
            ours.f1.append(token_f1(body_tokens(art.body), tokens(body.read_text(encoding="utf-8"))))
    return len(expected)


def table(rows: list[tuple[str, int, Tally, Tally | None]]) -> list[str]:
    """One row per source and extractor: title, authors, date (ok/wrong/missing), body F1."""
    out = [
        "| source | pages | extractor | title | authors | date: same day (ok/wrong/missing) | body F1 (mean) | ms/page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for source, n, ours, theirs in rows:
        for label, t in (("archive-build", ours), ("trafilatura", theirs)):
            if t is None:
                continue
            ms = f"{1000 * t.seconds / max(1, n):.0f}"
            out.append(f"| {source} | {n} | {label} | {t.cell('title')} | {t.cell('authors')} | {t.date_cell()} | {t.f1_cell()} | {ms} |")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPORA / "readability-test-pages")
    ap.add_argument("--zyte", action="store_true", help="also run the Zyte article-extraction-benchmark (body, and dates from addresses)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", action="store_true", help="list what each page misses")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: corpus not found", file=sys.stderr)
        return 2
    misses: list[str] = []
    rows: list[tuple[str, int, Tally, Tally | None]] = []
    ours, theirs = Tally(), Tally()
    n = run_readability(args.corpus, args.limit, args.show, ours, theirs, misses)
    rows.append(("readability", n, ours, theirs))
    zyte_dir = CORPORA / "article-extraction-benchmark"
    if args.zyte and zyte_dir.is_dir():
        ours, theirs = Tally(), Tally()
        n = run_zyte(zyte_dir, args.limit, args.show, ours, theirs, misses)
        rows.append(("zyte", n, ours, theirs))
    if (COPYPASTE / "expected.yml").exists():
        ours = Tally()
        n = run_copypaste(COPYPASTE, args.show, ours, misses)
        rows.append(("copy-paste", n, ours, None))
    print("\n".join(table(rows)))
    errors = sum(r[2].c["errors"] for r in rows)
    if errors:
        print(f"{errors} pages raised an error in archive-build")
    if args.show:
        for line in misses:
            print("   -", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
