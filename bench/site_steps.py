"""``make bench-site``: the site step (``archive-build site``) at scale, against plain MkDocs in the same run.

For each N: generate an archive (``testkit.generate``), run the build step,
then time, with the peak memory of each whole process tree
(``bench.scale.measure``; the render's and the search index's shares told
apart by the program running): a cold ``archive-build site`` with its
default jobs (all cores; its render, search index and swap from
``--timings``), the bytes a first search query downloads from that site in
Chromium (``bench.searchprobe``), a no-op one (nothing changed: it must
render nothing and rewrite no file in ``site/``), the build step and the
site step after one annotation changed, a cold ``archive-build site -j 1``
(the render in one process, for the speedup of the shards), and plain
MkDocs + Material on the same ``docs/`` without the archive's plugin or
theme overrides.

    python -m bench.site_steps --sizes 1000,10000

Nothing here asserts timings: the numbers are for people to read.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from testkit.skeleton import make_project

from .scale import BIN, Step, change_one_annotation, measure

_TIMINGS = re.compile(r"archive-build site timings: (.*)")


def stage_seconds(out: str) -> dict[str, float]:
    """The stages ``archive-build site --timings`` printed: {"render": s, "index": s, "swap": s}."""
    m = None
    for m in _TIMINGS.finditer(out):
        pass
    if not m:
        return {}
    return {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", m.group(1))}


def plain_config(project: Path) -> Path:
    """mkdocs.yml without the archive's plugin and theme overrides: what MkDocs + Material alone make of ``docs/``."""
    config = (project / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"(?m)^  custom_dir: overrides\n", "", config)
    config = re.sub(r"(?m)^  - archive\n", "", config)
    config = re.sub(r"(?m)^strict: true\n", "strict: false\n", config)
    path = project / "mkdocs-plain.yml"
    path.write_text(config, "utf-8")
    return path


def snapshot(site: Path) -> dict[str, int]:
    """Every file of the site with its modification time: whether a run rewrote any."""
    return {str(p): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


@dataclass
class Row:
    n: int
    build: Step
    site: Step
    stages: dict[str, float]
    noop: Step
    noop_rewritten: int
    one_build: Step | None
    one_site: Step | None
    plain: Step | None
    single: Step | None = None  # the cold site step with -j 1
    first_query_kb: float | None = None


def first_query_kb(project: Path) -> float | None:
    """The most a first query for one of three one-word entity names downloads (KB, as served), or None without Chromium."""
    from .searchprobe import CHROMIUM, first_query

    if not Path(CHROMIUM).exists():
        return None
    data = yaml.safe_load((project / "entities.yml").read_text(encoding="utf-8"))
    names = [e["name"] for e in data["entities"] if " " not in e["name"]][:3]
    return max(first_query(project / "site", name).search_bytes for name in names) / 1024


TRASH = ".bench-trash"


def set_aside(path: Path, workdir: Path) -> None:
    """Move ``path`` (in ``workdir``) into the work folder's trash, emptied when the bench ends (``empty_trash``).

    These hosts' file system is ext4 without a journal: after tens of
    thousands of files are deleted, creating a file costs several times
    the usual system time for the next half minute or more (the inode
    allocator steps over every recently deleted inode), which would be
    charged to whatever runs next.
    """
    if path.exists():
        trash = workdir / TRASH
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{path.name}-{len(list(trash.iterdir()))}")


def empty_trash(workdir: Path) -> None:
    shutil.rmtree(workdir / TRASH, ignore_errors=True)


def forget_site(project: Path) -> None:
    """Make the next ``archive-build site`` render and index everything: it remembers the inputs of the site in place,
    each page's record (for an incremental render), the tree the site replaced, each search index part's run and
    the combined indexes' compressed chunks."""
    from archive_build.project import SPARE_FOLDER
    from archive_build.search.parts import CACHE_FOLDER, CHUNKS_FOLDER
    from archive_build.site import page_records

    cache = project / ".cache" / "archive-build"
    (cache / "site-inputs").unlink(missing_ok=True)
    page_records.forget(cache)
    for folder in (CACHE_FOLDER, CHUNKS_FOLDER, SPARE_FOLDER):
        set_aside(cache / folder, project.parent)


def run_size(
    n: int, workdir: Path, plain: bool, one: bool = True, jobs: int | None = None, single: bool = True, probe: bool = True
) -> Row:
    project = workdir / f"site-n{n}"
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    print(f"[bench-site] N={n}: generating", file=sys.stderr, flush=True)
    set_aside(project, workdir)  # a kept one
    make_project(project, n)
    build = [str(BIN / "archive-build"), "build", "-q"]
    site = [str(BIN / "archive-build"), "site", "--timings", *(["-j", str(jobs)] if jobs else [])]
    print(f"[bench-site] N={n}: build step", file=sys.stderr, flush=True)
    b = measure(build, project, env)
    print(f"[bench-site] N={n}: archive-build site, cold", file=sys.stderr, flush=True)
    s = measure(site, project, env)
    if probe:
        print(f"[bench-site] N={n}: a first search query", file=sys.stderr, flush=True)
    kb = first_query_kb(project) if probe else None
    before = snapshot(project / "site")
    print(f"[bench-site] N={n}: archive-build site, nothing changed", file=sys.stderr, flush=True)
    noop = measure(site, project, env)
    after = snapshot(project / "site")
    rewritten = sum(1 for k, v in after.items() if before.get(k) != v) + len(set(before) - set(after))
    one_build = one_site = None
    if one:
        change_one_annotation(project)
        print(f"[bench-site] N={n}: one annotation changed: build, site", file=sys.stderr, flush=True)
        one_build = measure(build, project, env)
        one_site = measure(site, project, env)
    j1 = None
    if single and jobs != 1:
        print(f"[bench-site] N={n}: archive-build site -j 1, cold", file=sys.stderr, flush=True)
        forget_site(project)
        j1 = measure([*site[:3], "-j", "1"], project, env)
    p = None
    if plain:
        print(f"[bench-site] N={n}: plain MkDocs + Material", file=sys.stderr, flush=True)
        p = measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(plain_config(project)), "--site-dir", str(workdir / f"plain-n{n}")], project, env)
        set_aside(workdir / f"plain-n{n}", workdir)
    return Row(n, b, s, stage_seconds(s.out), noop, rewritten, one_build, one_site, p, j1, kb)


def table(rows: list[Row]) -> str:
    """One line per size; memory is the peak PSS of the process tree, with the resident peaks of the render and the index."""
    head = ("N", "build s", "build MB", "site s", "render s", "index s", "swap s", "site MB", "render RSS MB", "index RSS MB",
            "1st query KB", "site -j1 s", "-j1/-jN", "no-op s", "no-op rewritten", "1-ann build s", "1-ann site s",
            "plain MkDocs s", "plain MB", "site/plain")
    lines = []
    for r in rows:
        st = r.stages
        phases = r.site.phase_rss_mb
        lines.append((
            f"{r.n:,}", f"{r.build.seconds:.1f}", f"{r.build.peak_mb:.0f}", f"{r.site.seconds:.1f}",
            f"{st.get('render', 0):.1f}", f"{st.get('index', 0):.1f}", f"{st.get('swap', 0):.2f}", f"{r.site.peak_mb:.0f}",
            f"{phases.get('mkdocs', 0):.0f}", f"{phases.get('pagefind', 0):.0f}",
            f"{r.first_query_kb:.0f}" if r.first_query_kb is not None else "-",
            *((f"{r.single.seconds:.1f}", f"{r.single.seconds / r.site.seconds:.2f}") if r.single else ("-",) * 2),
            f"{r.noop.seconds:.2f}", str(r.noop_rewritten),
            *((f"{r.one_build.seconds:.1f}", f"{r.one_site.seconds:.1f}") if r.one_build and r.one_site else ("-",) * 2),
            *((f"{r.plain.seconds:.1f}", f"{r.plain.peak_mb:.0f}", f"{r.site.seconds / r.plain.seconds:.2f}") if r.plain else ("-",) * 3),
        ))
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(head)]
    out = [" | ".join(h.rjust(w) for h, w in zip(head, widths)), "-+-".join("-" * w for w in widths)]
    out += [" | ".join(c.rjust(w) for c, w in zip(l, widths)) for l in lines]
    for r in rows:
        steps = (("build", r.build), ("site", r.site), ("no-op", r.noop), ("1-ann build", r.one_build), ("1-ann site", r.one_site), ("site -j1", r.single))
        for name, step in steps:
            if step is not None and step.returncode != 0:
                out.append(f"N={r.n:,}: {name} exited {step.returncode}: {step.out.strip().splitlines()[-1:]}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="The site step at scale, against plain MkDocs in the same run.")
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "archive-bench")
    p.add_argument("--no-plain", action="store_true", help="skip plain MkDocs")
    p.add_argument("--no-one", action="store_true", help="skip the one-annotation change")
    p.add_argument("--no-single", action="store_true", help="skip the cold site step with -j 1")
    p.add_argument("--project", type=int, default=100_000, help="the size to project the figures to (default 100,000)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="archive-build site -j (default: its own, all cores)")
    p.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = p.parse_args(argv)
    rows = []
    for n in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
        rows.append(run_size(n, args.workdir, plain=not args.no_plain, one=not args.no_one, jobs=args.jobs, single=not args.no_single))
        print(table(rows[-1:]), file=sys.stderr, flush=True)
        if not args.keep:
            set_aside(args.workdir / f"site-n{n}", args.workdir)
    empty_trash(args.workdir)
    print(table(rows))
    if len({r.n for r in rows}) >= 2:
        print(projections(rows, args.project))
    return 0


_FIGURES: tuple[tuple[str, Callable[[Row], float], str], ...] = (
    ("build step", lambda r: r.build.seconds, "s"), ("site step", lambda r: r.site.seconds, "s"),
    ("build peak", lambda r: r.build.peak_mb, "MB"), ("site peak", lambda r: r.site.peak_mb, "MB"),
)


def projected(rows: list[Row], n: int) -> dict[str, tuple[float, float]]:
    """Build step, site step and their peak memory projected to ``n`` articles (a power law over the sizes run):
    each figure's (value, fitted exponent)."""
    from .projection import project

    return {name: project([(r.n, figure(r)) for r in rows], n) for name, figure, _unit in _FIGURES}


def projections(rows: list[Row], n: int) -> str:
    """``projected`` in lines."""
    values = projected(rows, n)
    return "\n".join(
        f"{name} at N={n:,}: {values[name][0]:,.0f} {unit} (fitted exponent {values[name][1]:.2f})" for name, _figure, unit in _FIGURES
    )


if __name__ == "__main__":
    raise SystemExit(main())
