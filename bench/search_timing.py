"""Search at scale: index size, a first query's download, and time from the last keystroke to results.

``python -m bench.search_timing --sizes 1000,10000`` generates synthetic
archives (testkit.generate, via testkit.skeleton.make_project), builds each site
and reports: the Pagefind index's size in all and per article, the bytes a
first query downloads (as the local server sent them, and gzip'd as most
static hosts would send the scripts), and milliseconds from the last
keystroke to results on screen for that first query (cold: it includes
loading Pagefind) and for further queries on the same page (warm).
Timings are wall-clock on this machine, for a closing note, not for
assertions; the issue's budget is 250 KB and 300 ms at 10,000 articles.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from testkit.skeleton import make_project

from .scale import BIN, dir_bytes
from .searchprobe import first_query, warm_query


def _queries(project: Path, n: int = 6) -> list[str]:
    """One-word gazetteer names: they occur in many generated articles."""
    data = yaml.safe_load((project / "entities.yml").read_text(encoding="utf-8"))
    return [e["name"] for e in data["entities"] if " " not in e["name"]][:n]


def _build(project: Path, reuse: bool) -> float | None:
    if reuse and (project / "site" / "pagefind").is_dir():
        return None
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(BIN / "archive-build"), "build", "-q"], cwd=project, check=True, env=env)
    start = time.perf_counter()
    subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=project, check=True, env=env)
    return time.perf_counter() - start


def _titles(project: Path, k: int = 3) -> list[tuple[str, str]]:
    """(title, page path) of ``k`` articles spread over the archive."""
    docs = sorted((project / "docs" / "articles").glob("*.md"))
    docs = [d for d in docs if d.name != "index.md"]
    out = []
    for d in docs[:: max(1, len(docs) // k)][:k]:
        title = yaml.safe_load(d.read_text(encoding="utf-8").split("---", 2)[1])["title"]
        out.append((str(title), f"/articles/{d.stem}/"))
    return out


def measure(project: Path, n: int) -> dict[str, Any]:
    site = project / "site"
    queries = _queries(project)
    firsts = [first_query(site, q) for q in queries[:3]]
    titled = [(first_query(site, title).results[:1], path) for title, path in _titles(project)]
    warm = warm_query(site, queries)
    index = dir_bytes(site / "pagefind")
    return {
        "n": n,
        "index_mb": index / 1e6,
        "index_kb_per_article": index / n / 1024,
        "first_kb": max(r.search_bytes for r in firsts) / 1024,
        "first_gzip_kb": max(r.gzip_bytes for r in firsts) / 1024,
        "cold_ms": statistics.median(r.ms_after_last_key for r in firsts),
        "warm_ms": statistics.median(warm[1:]),
        "warm_max_ms": max(warm[1:]),
        "foreign": sum(len(r.foreign) for r in firsts),
        "title_first": f"{sum(top == [path] for top, path in titled)}/{len(titled)}",
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "archive-search-timing")
    p.add_argument("--reuse", action="store_true", help="measure an already built site in the work folder")
    args = p.parse_args(argv)
    rows = []
    for n in (int(x.replace("_", "")) for x in args.sizes.split(",")):
        project = args.workdir / f"n{n}"
        if not (args.reuse and (project / "site").is_dir()):
            print(f"[search] N={n}: generating", file=sys.stderr, flush=True)
            make_project(project, n)
        print(f"[search] N={n}: building", file=sys.stderr, flush=True)
        seconds = _build(project, args.reuse)
        row = {**measure(project, n), "mkdocs_s": seconds}
        print(row, flush=True)
        rows.append(row)
    print(f"{'N':>6} {'index MB':>9} {'KB/article':>10} {'1st query KB':>12} {'gzip KB':>8} {'cold ms':>8} {'warm ms':>8} {'warm max':>9} {'title 1st':>9}")
    for r in rows:
        print(
            f"{r['n']:>6} {r['index_mb']:>9.1f} {r['index_kb_per_article']:>10.1f} {r['first_kb']:>12.0f} {r['first_gzip_kb']:>8.0f}"
            f" {r['cold_ms']:>8.0f} {r['warm_ms']:>8.0f} {r['warm_max_ms']:>9.0f} {r['title_first']:>9}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
