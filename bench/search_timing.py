"""Time from typing a query to seeing results, in Chromium, for both search backends.

``python -m bench.search_timing --sizes 1000,10000`` generates synthetic
archives (bench.generate, via bench.scale.make_project), builds each site
twice (Material's search, then Pagefind) and reports, per backend: the bytes
of the search index a first query needs, the time from the last keystroke of
a first query typed right after the page loaded to the first result on
screen (cold: it includes downloading and building the index), and the same
for a second query (warm).  Timings are wall-clock on this machine, for a
closing note, not for assertions.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from .scale import BIN, dir_bytes, make_project, set_backend
from .searchprobe import CHROMIUM, CHROMIUM_ARGS, serve



def _queries(project: Path) -> tuple[str, str]:
    """Two one-word gazetteer names: they occur in many generated articles."""
    data = yaml.safe_load((project / "entities.yml").read_text(encoding="utf-8"))
    names = [e["name"] for e in data["entities"] if " " not in e["name"]]
    return names[0], names[1]


def _build(project: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(BIN / "archive-build"), "build", "-q"], cwd=project, check=True, env=env)
    start = time.perf_counter()
    subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=project, check=True, env=env)
    return time.perf_counter() - start


def _time_query(page: Any, box: str, results: str, query: str) -> float:
    """Seconds from the last keystroke of ``query`` to a result on screen."""
    page.locator(box).fill("")
    page.locator(box).press_sequentially(query[:-1])
    start = time.perf_counter()
    page.locator(box).press(query[-1])
    # A visible result that mentions the query (not one left from the previous query).
    page.wait_for_function(
        "([sel, q]) => { const r = document.querySelector(sel); return r && r.offsetParent !== null && r.closest('li, .pagefind-ui__result').textContent.toLowerCase().includes(q.toLowerCase()) }",
        arg=[results, query],
        timeout=120_000,
    )
    return time.perf_counter() - start


def measure(site: Path, backend: str, queries: tuple[str, str]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {"backend": backend}
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            fetched: list[int] = []
            page.on("response", lambda r: fetched.append(int(r.headers.get("content-length") or 0)))
            page.goto(base, wait_until="load")
            loaded = sum(fetched)
            if backend == "pagefind":
                page.click("[data-ab-pagefind-open]")
                box, results = ".pagefind-ui__search-input", ".pagefind-ui__result-link"
                page.wait_for_selector(box, timeout=60_000)
            else:
                box, results = "input.md-search__input", ".md-search-result__item"
                page.click(box)
            out["cold_s"] = _time_query(page, box, results, queries[0])
            page.wait_for_load_state("networkidle")
            out["first_query_bytes"] = sum(fetched) - loaded + (loaded if backend == "material" else 0)
            page.locator(box).fill("")
            page.wait_for_timeout(300)
            out["warm_s"] = _time_query(page, box, results, queries[1])
        finally:
            browser.close()
    if backend == "material":
        index = site / "search" / "search_index.json"
        out["index_bytes"] = index.stat().st_size
    else:
        out["index_bytes"] = dir_bytes(site / "pagefind")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "archive-search-timing")
    args = p.parse_args(argv)
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        project = args.workdir / f"n{n}"
        print(f"[search] N={n}: generating", file=sys.stderr, flush=True)
        make_project(project, n)
        for backend in ("material", "pagefind"):
            set_backend(project, backend)
            print(f"[search] N={n}: building with {backend}", file=sys.stderr, flush=True)
            seconds = _build(project)
            row = {"n": n, "mkdocs_s": round(seconds, 1), **measure(project / "site", backend, _queries(project))}
            print(row, flush=True)
            rows.append(row)
    print(f"{'N':>6} {'backend':<9} {'index MB':>9} {'1st query MB':>12} {'cold s':>7} {'warm s':>7}")
    for r in rows:
        print(f"{r['n']:>6} {r['backend']:<9} {r['index_bytes'] / 1e6:>9.1f} {r['first_query_bytes'] / 1e6:>12.2f} {r['cold_s']:>7.2f} {r['warm_s']:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
