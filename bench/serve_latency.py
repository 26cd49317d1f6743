"""``make bench-serve``: how long ``make serve`` takes to show an edited annotation.

Generates (or reuses, with ``--project``) a synthetic archive, builds it,
starts ``mkdocs serve --dirty`` exactly as ``make serve`` does (the build
step runs in MkDocs' ``on_pre_build`` hook), waits for the first build,
then edits one annotation and polls the article's page over HTTP until the
edit is served.  Prints the seconds from the file's save to the new page
being served, for a few edits in a row.

    python -m bench.serve_latency --n 10000

Nothing here asserts timings: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from testkit.serve import prepend_to_first_note, serving, wait_for
from testkit.skeleton import make_project

from .scale import BIN


def serve_latencies(project: Path, edits: int, startup_timeout: float) -> list[float | None] | None:
    """Seconds until ``mkdocs serve`` shows each of ``edits`` annotation edits (None: not within 600 s),
    printed as they come; None if the server did not come up."""
    subprocess.run([str(BIN / "archive-build"), "build", "--quiet"], cwd=project, check=False)
    ann = sorted((project / "annotations").glob("*.yml"))[0]
    with serving(project, project / "serve.log") as base:
        page = f"{base}articles/{ann.stem}/"
        t0 = time.perf_counter()
        first = wait_for(page, "<article", startup_timeout)
        if first is None:
            print("[bench] mkdocs serve did not come up; see serve.log", file=sys.stderr)
            return None
        print(f"first build served after {time.perf_counter() - t0:.1f} s", flush=True)
        latencies: list[float | None] = []
        for i in range(edits):
            marker = f"Serve-latency-edit-{i}-{time.time_ns()}"
            prepend_to_first_note(ann, f"{marker} ")
            took = wait_for(page, marker, 600)
            latencies.append(took)
            print(f"edit {i + 1}: " + (f"served after {took:.1f} s" if took is not None else "not served within 600 s"), flush=True)
            time.sleep(2)
    return latencies


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10,000)")
    p.add_argument("--project", type=Path, help="an existing generated project to reuse")
    p.add_argument("--edits", type=int, default=3, help="annotation edits to time (default 3)")
    p.add_argument("--startup-timeout", type=float, default=1800)
    args = p.parse_args(argv)
    project = args.project or Path(os.environ.get("TMPDIR", "/tmp")) / "archive-bench" / f"serve-{args.n}"
    if args.project is None:
        print(f"[bench] generating {args.n} articles in {project}", file=sys.stderr, flush=True)
        make_project(project, args.n)
    return 1 if serve_latencies(project, args.edits, args.startup_timeout) is None else 0


if __name__ == "__main__":
    raise SystemExit(main())
