"""``make bench-hooks``: what the archive's plugin and theme overrides cost over plain MkDocs + Material.

On one generated archive (default 1,000 articles, built by the build step
first), runs ``mkdocs build`` in turn with the archive's configuration (its
plugin and overrides, the search index left to ``archive-build site`` as
that command runs it) and with ``bench.site_steps.plain_config`` (the same
``docs/`` and Markdown extensions, without them), each a whole process into
a fresh output folder, and prints each build's CPU seconds (user, system)
and wall seconds, then the ratios.  CPU seconds are the measure: the
shared hosts this runs on change speed from minute to minute, which the
alternation and the ratio of medians absorb.

The output folders are deleted only at the end.  On an ext4 file system
without a journal (these hosts), creating a file right after many were
deleted is slow: the kernel's inode allocator steps over every inode
deleted in the last 30 seconds (``recently_deleted``), and a build that
creates four times as many files as plain MkDocs (the open data) pays
that four times over.  ``--tmpfs`` builds into ``/dev/shm`` instead,
which leaves the file system out of the comparison.

    python -m bench.hooks                     # 1,000 articles, 3 rounds
    python -m bench.hooks --n 300 --rounds 2 --tmpfs
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from testkit.skeleton import make_project

from .scale import BIN
from .site_steps import plain_config


@dataclass
class Run:
    user: float
    system: float
    wall: float

    @property
    def cpu(self) -> float:
        return self.user + self.system


def mkdocs_build(project: Path, config: Path, out: Path, env: dict[str, str]) -> Run:
    """One ``mkdocs build`` as its own process; its CPU seconds from the kernel's account of it."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "--site-dir", str(out)], cwd=project, env=env, stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build -f {config.name} failed ({proc.returncode})")
    return Run(usage.ru_utime, usage.ru_stime, time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the generated archive")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "archive-bench")
    parser.add_argument("--tmpfs", action="store_true", help="build into /dev/shm (leaves the file system out)")
    args = parser.parse_args(argv)

    project = args.workdir / f"hooks-n{args.n}"
    if not (project / "docs" / "articles").is_dir():
        print(f"[bench-hooks] generating {args.n} articles", file=sys.stderr, flush=True)
        make_project(project, args.n)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run([str(BIN / "archive-build"), "build", "-q"], cwd=project, env=env, check=True)
    notes = project / ".cache" / "bench-hooks-notes"
    notes.mkdir(parents=True, exist_ok=True)
    archive_env = {**env, "ARCHIVE_BUILD_SEARCH_LATER": str(notes)}
    plain = plain_config(project)
    outputs = Path("/dev/shm" if args.tmpfs else args.workdir) / f"hooks-out-{os.getpid()}"
    runs: dict[str, list[Run]] = {"plain MkDocs + Material": [], "with the archive's plugin and overrides": []}
    try:
        for r in range(args.rounds):
            print(f"[bench-hooks] round {r + 1} of {args.rounds}", file=sys.stderr, flush=True)
            runs["plain MkDocs + Material"].append(mkdocs_build(project, plain, outputs / f"plain-{r}", env))
            runs["with the archive's plugin and overrides"].append(mkdocs_build(project, project / "mkdocs.yml", outputs / f"archive-{r}", archive_env))
    finally:
        shutil.rmtree(outputs, ignore_errors=True)
    print(f"\n`mkdocs build` of {args.n} articles, {args.rounds} rounds, into {'tmpfs' if args.tmpfs else 'the work folder'}:\n")
    print("| build | user s | system s | CPU s (median) | wall s (median) |")
    print("|---|---|---|---|---|")
    for name, rs in runs.items():
        print(
            f"| {name} | {', '.join(f'{r.user:.1f}' for r in rs)} | {', '.join(f'{r.system:.1f}' for r in rs)} "
            f"| {statistics.median(r.cpu for r in rs):.1f} | {statistics.median(r.wall for r in rs):.1f} |"
        )
    plain_runs, archive_runs = runs.values()
    ratios = [a.cpu / p.cpu for p, a in zip(plain_runs, archive_runs)]
    print(
        f"\nCPU, archive / plain: {statistics.median(r.cpu for r in archive_runs) / statistics.median(r.cpu for r in plain_runs):.2f} "
        f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}); the issue's bound is 1.15."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
