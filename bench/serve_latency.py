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
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from testkit.skeleton import make_project

from .scale import BIN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - localhost only
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def _wait_for(url: str, text: str, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _page(url):
            return time.perf_counter() - start
        time.sleep(0.1)
    return None


def _edit(path: Path, marker: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["annotations"][0]["body"] = f"{marker} " + str(data["annotations"][0]["body"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def serve_latencies(project: Path, edits: int, startup_timeout: float) -> list[float | None] | None:
    """Seconds until ``mkdocs serve`` shows each of ``edits`` annotation edits (None: not within 600 s),
    printed as they come; None if the server did not come up."""
    subprocess.run([str(BIN / "archive-build"), "build", "--quiet"], cwd=project, check=False)
    ann = sorted((project / "annotations").glob("*.yml"))[0]
    url_base = f"http://127.0.0.1:{_free_port()}/"
    page = f"{url_base}articles/{ann.stem}/"
    env = dict(os.environ, ARCHIVE_BUILD_ON_SERVE="1", NO_MKDOCS_2_WARNING="1")
    addr = url_base.split("//")[1].rstrip("/")
    cmd = [str(BIN / "mkdocs"), "serve", "--dirty", "--no-strict", "-a", addr, "--watch", "raw", "--watch", "annotations", "--watch", "entities.yml"]
    log = open(project / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        t0 = time.perf_counter()
        first = _wait_for(page, "<article", startup_timeout)
        if first is None:
            print("[bench] mkdocs serve did not come up; see serve.log", file=sys.stderr)
            return None
        print(f"first build served after {time.perf_counter() - t0:.1f} s", flush=True)
        latencies: list[float | None] = []
        for i in range(edits):
            marker = f"Serve-latency-edit-{i}-{time.time_ns()}"
            _edit(ann, marker)
            took = _wait_for(page, marker, 600)
            latencies.append(took)
            print(f"edit {i + 1}: " + (f"served after {took:.1f} s" if took is not None else "not served within 600 s"), flush=True)
            time.sleep(2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
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
