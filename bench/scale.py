"""``make bench``: build synthetic archives of growing size and print one table.

For each N: generate an archive (``testkit.generate``), then time, as separate
processes and with the peak memory of each whole process tree (the build's
workers included, shared pages counted once: ``_Memory``): the cold build step, ``mkdocs build`` on its output
(including the Pagefind indexes), a no-op rebuild, and a
rebuild after one annotation changed.  Then the site's bytes per article and,
in a real browser, the bytes a first search query downloads.

    python -m bench.scale                    # N = 1,000 and 10,000
    python -m bench.scale --sizes 20 --no-browser   # what the tests run

Nothing here asserts timings: the numbers are for people to read.  Machines
differ (and drift): each size's build-step runs are bracketed by the issue's
own reference build timed here (``bench.reference``), which turns the
issue's absolute targets into this machine's at that moment, and the table
ends with a CPU probe.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from testkit.skeleton import make_project

from . import reference

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
_SUMMARY = re.compile(r"archive-build: (?P<articles>\d+) articles, (?P<annotations>\d+) annotations, (?P<entities>\d+) entities, (?P<warnings>\d+) warnings, (?P<errors>\d+) errors, [\d.]+ s \((?P<written>\d+) files written, (?P<unchanged>\d+) unchanged\)")


@dataclass
class Step:
    seconds: float
    peak_mb: float
    returncode: int
    out: str
    summary: dict[str, int] = field(default_factory=dict)
    # The peak of the processes' resident sizes added up (shared pages counted in each).
    rss_sum_mb: float = 0.0
    # That peak while a program of ``PHASES`` ran in the tree ("mkdocs": the render, "pagefind": the search index).
    phase_rss_mb: dict[str, float] = field(default_factory=dict)


def _tree_pids(root_pid: int) -> set[int]:
    """A process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as f:
                    stat = f.read()
                parents[int(d)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


def _rss(pid: int, page: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * page
    except (OSError, ValueError, IndexError):
        return 0


#: Programs whose share of a step's memory is told apart (the last one running in the tree names the phase).
PHASES = ("mkdocs", "pagefind")


def _phase(pids: set[int]) -> str:
    """``pagefind`` while Pagefind runs in the tree, else ``mkdocs`` while MkDocs does, else ``other``."""
    seen = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        seen.update(name for name in PHASES if name.encode() in cmd)
    return next((name for name in reversed(PHASES) if name in seen), "other")


def _pss(pid: int) -> int:
    """Proportional set size: each page shared by n processes counts 1/n in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class _Memory:
    """Peak memory of a process tree, sampled.

    The build forks workers that share most of their memory with it, so the
    sum of the processes' resident sizes counts shared pages several times;
    the peak reported is the sum of their proportional set sizes (PSS),
    which counts every page once.  Reading PSS makes the kernel walk each
    process's page tables (about 5 ms per GB), so it is read only while the
    resident sum could exceed the peak so far, and after a pause ten times
    as long as the last reading took (at most a tenth of a core).
    """

    def __init__(self, root_pid: int) -> None:
        self.root = root_pid
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak_pss = 0
        self.peak_rss_sum = 0
        self.phase_rss: dict[str, int] = {}
        self._next_pss = 0.0

    def sample(self) -> None:
        pids = _tree_pids(self.root)
        rss = sum(_rss(p, self.page) for p in pids)
        self.peak_rss_sum = max(self.peak_rss_sum, rss)
        phase = _phase(pids)
        self.phase_rss[phase] = max(self.phase_rss.get(phase, 0), rss)
        now = time.perf_counter()
        if rss > self.peak_pss and now >= self._next_pss:
            self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
            done = time.perf_counter()
            self._next_pss = done + 10 * (done - now)


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Step:
    """Run ``cmd``, sampling the process tree's memory every 50 ms.

    The previous step's writes are flushed first (``os.sync``): MkDocs'
    5 GB site at 10,000 articles was otherwise still being written back
    while the next step ran.
    """
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    memory = _Memory(proc.pid)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            memory.sample()
            done.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    t.join()
    step = Step(seconds, memory.peak_pss / 2**20, proc.returncode, out, rss_sum_mb=memory.peak_rss_sum / 2**20,
                phase_rss_mb={k: v / 2**20 for k, v in memory.phase_rss.items()})
    m = None
    for m in _SUMMARY.finditer(out):
        pass
    if m:
        step.summary = {k: int(v) for k, v in m.groupdict().items()}
    return step


def change_one_annotation(project: Path) -> str:
    """Edit the body of the first annotation of the first annotated article; returns its id."""
    path = sorted((project / "annotations").glob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["annotations"][0]["body"] = "Edited for the benchmark. " + data["annotations"][0]["body"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return path.stem


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@dataclass
class Row:
    n: int
    cold: Step
    mkdocs: Step | None  # None: no MkDocs step (--no-mkdocs)
    noop: Step
    one: Step
    site_bytes: int
    search_bytes: int | None = None
    search_results: int | None = None
    notes: list[str] = field(default_factory=list)
    # The reference build timed just before and just after this size's build-step runs.
    calibration: list[tuple[float, float | None]] = field(default_factory=list)


def run_size(
    n: int, workdir: Path, *, browser: bool, query: str | None, mkdocs_step: bool = True,
    calibrate: Callable[[], tuple[float, float | None] | None] | None = None,
) -> Row:
    """One table row.  ``calibrate`` (the reference build) is timed just before and just after the
    build step's three runs, so the targets they are held to come from the same minutes: the
    host's speed was seen to drift by a fifth within one bench."""
    project = workdir / f"n{n}"
    print(f"[bench] N={n}: generating in {project}", file=sys.stderr, flush=True)
    make_project(project, n)
    build = [str(BIN / "archive-build"), "build", "-q"]
    mkdocs = [str(BIN / "mkdocs"), "build", "-q"]
    notes: list[str] = []
    bracket = [calibrate()] if calibrate else []
    print(f"[bench] N={n}: cold build", file=sys.stderr, flush=True)
    cold = measure(build, project)
    print(f"[bench] N={n}: no-op rebuild", file=sys.stderr, flush=True)
    noop = measure(build, project)
    changed = change_one_annotation(project)
    print(f"[bench] N={n}: rebuild after changing annotations/{changed}.yml", file=sys.stderr, flush=True)
    one = measure(build, project)
    if calibrate:
        bracket.append(calibrate())
    if cold.returncode != 0:
        notes.append(f"build exited {cold.returncode} ({cold.summary.get('errors', '?')} errors)")
    site = None
    if mkdocs_step:
        print(f"[bench] N={n}: mkdocs build", file=sys.stderr, flush=True)
        site = measure(mkdocs, project)
    else:
        browser = False
    if site is not None and site.returncode != 0:
        notes.append(f"mkdocs exited {site.returncode}: {site.out.strip().splitlines()[-1:]}")
    row = Row(n, cold, site, noop, one, dir_bytes(project / "site") if (project / "site").is_dir() else 0, notes=notes)
    row.calibration = [got for got in bracket if got is not None]
    if browser:
        from .searchprobe import first_query

        q = query or _query_word(project)
        print(f"[bench] N={n}: first search for {q!r} in Chromium", file=sys.stderr, flush=True)
        run = first_query(project / "site", q)
        row.search_bytes, row.search_results = run.search_bytes, len(run.results)
        if run.foreign:
            notes.append(f"search requested another origin: {run.foreign[:3]}")
    return row


def _query_word(project: Path) -> str:
    """A gazetteer name: it occurs in many articles, so results are plentiful."""
    data = yaml.safe_load((project / "entities.yml").read_text(encoding="utf-8"))
    return str(data["entities"][0]["name"]).split()[0]


def _fmt_mb(x: float) -> str:
    return f"{x:.0f}"


def table(rows: list[Row]) -> str:
    head = (
        "N", "build s", "art/s", "build MB", "mkdocs s", "mkdocs MB", "build/mkdocs", "no-op s", "no-op MB", "no-op written",
        "1-ann s", "1-ann MB", "1-ann written", "site KB/art", "1st query KB",
    )
    lines = []
    for r in rows:
        site = r.mkdocs
        lines.append((
            f"{r.n:,}", f"{r.cold.seconds:.1f}", f"{r.n / r.cold.seconds:.0f}", _fmt_mb(r.cold.peak_mb),
            *((f"{site.seconds:.1f}", _fmt_mb(site.peak_mb), f"{r.cold.seconds / site.seconds:.2f}") if site else ("-",) * 3),
            f"{r.noop.seconds:.2f}", _fmt_mb(r.noop.peak_mb), str(r.noop.summary.get("written", "?")),
            f"{r.one.seconds:.2f}", _fmt_mb(r.one.peak_mb), str(r.one.summary.get("written", "?")), f"{r.site_bytes / r.n / 1024:.0f}" if site else "-",
            "-" if r.search_bytes is None else f"{r.search_bytes / 1024:.0f}",
        ))
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
    out = [" | ".join(h.rjust(w) for h, w in zip(head, widths)), "-+-".join("-" * w for w in widths)]
    out += [" | ".join(c.rjust(w) for c, w in zip(l, widths)) for l in lines]
    out.append("MB: peak proportional set size of the process tree (shared pages counted once); resident sizes added up:")
    out += [f"N={r.n:,}: build {_fmt_mb(r.cold.rss_sum_mb)} MB, no-op {_fmt_mb(r.noop.rss_sum_mb)} MB, 1-ann {_fmt_mb(r.one.rss_sum_mb)} MB" for r in rows]
    for r in rows:
        out += [f"N={r.n:,}: {note}" for note in r.notes]
    return "\n".join(out)


def cpu_probe(steps: int = 5_000_000, runs: int = 3) -> float:
    """Seconds for a fixed pure-Python loop, best of ``runs``: how fast this machine runs Python right now.

    The build is CPU-bound Python, so its seconds follow this figure; printed
    with the table so that runs on different (or busier) machines compare.
    """
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        total = 0
        for i in range(steps):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


# The archive size the issue's targets are stated for.
ISSUE_N = 10_000


@dataclass(frozen=True)
class Targets:
    """The issue's timed targets on one machine."""

    articles_per_s: float  # the cold build, at least
    rebuild_s: float  # the no-op and one-annotation rebuilds, at most
    serve_edit_s: float  # `make serve` showing an edit, at most


def scaled_targets(factor: float) -> Targets:
    """The issue's timed targets, scaled to a machine ``factor`` times slower than the issue's."""
    return Targets(articles_per_s=500 / factor, rebuild_s=2 * factor, serve_edit_s=5 * factor)


def targets_here(factor: float) -> str:
    """``scaled_targets`` in a sentence."""
    t = scaled_targets(factor)
    return (
        f"The issue's targets on this machine (the mean factor: {reference.relative(factor)} the issue's): "
        f"cold build >= {t.articles_per_s:.0f} articles/s, no-op and one-annotation rebuilds <= {t.rebuild_s:.1f} s, "
        f"`make serve` edit <= {t.serve_edit_s:.1f} s"
    )


@dataclass(frozen=True)
class Standing:
    """A row's build-step runs as fractions of the scaled targets."""

    articles_per_s: float
    of_target: float | None  # the cold build's rate over the target; None below ISSUE_N, where a build is mostly start-up
    of_limit: float  # the slower of the no-op and one-annotation rebuilds over their limit


def standing(row: Row, factor: float) -> Standing:
    """How the row's build-step runs compare with the issue's targets scaled by ``factor``."""
    targets = scaled_targets(factor)
    rate = row.n / row.cold.seconds
    # The issue sets its rates for 10,000 articles.
    of_target = rate / targets.articles_per_s if row.n >= ISSUE_N else None
    return Standing(rate, of_target, max(row.noop.seconds, row.one.seconds) / targets.rebuild_s)


def against_targets(row: Row, factor: float) -> str:
    """``standing`` in a sentence."""
    s = standing(row, factor)
    cold = f"{s.of_target:.2f} of the target" if s.of_target is not None else f"the target is set for {ISSUE_N:,} articles"
    return (
        f"N={row.n:,} against them: cold build {s.articles_per_s:.0f} articles/s, {cold}; "
        f"no-op {row.noop.seconds:.2f} s and one annotation {row.one.seconds:.2f} s, {s.of_limit:.2f} of the limit"
    )


def _calibrate(workdir: Path, pages: int) -> tuple[float, float | None] | None:
    """The reference build's (seconds, factor); None if it failed (the table is printed all the same)."""
    try:
        return reference.slowdown(workdir, pages)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"[bench] the reference build failed: {exc}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Scale benchmark: synthetic archives at several sizes, one table.")
    p.add_argument("--sizes", default="1000,10000", help="comma-separated article counts (default 1000,10000)")
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "archive-bench")
    p.add_argument("--no-browser", action="store_true", help="skip the first-query measurement in Chromium")
    p.add_argument("--query", help="search query (default: a gazetteer name)")
    p.add_argument("--keep", action="store_true", help="keep the generated projects")
    p.add_argument("--no-mkdocs", action="store_true", help="time the build step only (no site, no search)")
    p.add_argument(
        "--reference-pages", type=int, default=reference.ISSUE_PAGES,
        help="pages of the issue's reference MkDocs build timed for calibration (0: skip; only the default 1,000 gives a factor)",
    )
    args = p.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    rows = []
    probes = [cpu_probe()]
    calibrate = (lambda: _calibrate(args.workdir, args.reference_pages)) if args.reference_pages > 0 else None
    for n in sizes:
        rows.append(run_size(
            n, args.workdir, browser=not args.no_browser, query=args.query, mkdocs_step=not args.no_mkdocs,
            calibrate=calibrate,
        ))
    probes.append(cpu_probe())
    # Removed only after every size is measured: on a file system mounted with
    # online discard (as here), creating files just after deleting tens of
    # thousands costs several times the usual system time, and would be
    # charged to the next size's build.
    if not args.keep:
        for n in sizes:
            shutil.rmtree(args.workdir / f"n{n}", ignore_errors=True)
    print(table(rows))
    print(f"CPU probe (a 5-million-step Python loop, best of 3): {probes[0]:.2f} s before, {probes[1]:.2f} s after")
    for row in rows:
        for when, got in zip(("before", "after"), row.calibration):
            print(f"{reference.describe(*got, pages=args.reference_pages)} ({when} the build step's runs at N={row.n:,})")
        factors = [got[1] for got in row.calibration if got[1] is not None]
        if factors:
            factor = sum(factors) / len(factors)
            print(targets_here(factor))
            print(against_targets(row, factor))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
