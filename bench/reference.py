"""The scale issue's own measurement, reproduced on this machine: how fast is this machine?

Issue 6 states its targets "on this 2-core machine" and measured there,
with MkDocs 1.6.1 + Material 9.x, 1,000 plain ~900-word pages with
footnotes and tags behind a short navigation: 5.6 s.  The development
hosts differed by about three times from one session to the next (and by
up to about one and a half times between runs on one host), so a build
time alone says little.  This builds that same plain site and reports its
time against the issue's 5.6 s: the factor by which the absolute targets
(500 articles/s, 2 s, 5 s) scale on this machine.  Only the issue's 1,000
pages compare: MkDocs' start-up does not shrink with the page count.

    python -m bench.reference              # 1,000 pages, best of 2 builds
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

# The issue's figure for this very build (1,000 pages, short navigation).
ISSUE_SECONDS = 5.6
ISSUE_PAGES = 1000
_WORDS = (
    "archive reading river council harbour winter budget railway museum letter market evidence witness mayor "
    "record garden station report teacher history minister village factory island library summer treaty"
).split()


def _page(rng: random.Random, i: int) -> str:
    """About 900 words in ten paragraphs, three footnotes, three tags: the issue's page."""
    paragraphs = []
    for p in range(10):
        words = [rng.choice(_WORDS) for _ in range(90)]
        words[0] = words[0].capitalize()
        text = " ".join(words) + "."
        if p in (2, 5, 8):
            text += f"[^{p}]"
        paragraphs.append(text)
    notes = [f"[^{p}]: A note on paragraph {p} of page {i}." for p in (2, 5, 8)]
    tags = "\n".join(f"  - {t}" for t in rng.sample(_WORDS, 3))
    return f"---\ntitle: Page {i}\ntags:\n{tags}\n---\n\n# Page {i}\n\n" + "\n\n".join(paragraphs) + "\n\n" + "\n".join(notes) + "\n"


def make_reference(dest: Path, pages: int = ISSUE_PAGES) -> Path:
    """A plain MkDocs + Material project: the pages, a listing that reaches them, a nav of two."""
    shutil.rmtree(dest, ignore_errors=True)
    docs = dest / "docs" / "pages"
    docs.mkdir(parents=True)
    rng = random.Random(6)
    for i in range(pages):
        (docs / f"page-{i:05d}.md").write_text(_page(rng, i), encoding="utf-8")
    listing = "\n".join(f"- [Page {i}](pages/page-{i:05d}.md)" for i in range(pages))
    (dest / "docs" / "index.md").write_text("# Home\n\nA plain site.\n", encoding="utf-8")
    (dest / "docs" / "all.md").write_text(f"# All pages\n\n{listing}\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        "site_name: Reference\n"
        "theme:\n  name: material\n"
        "plugins:\n  - search\n  - tags\n"
        "markdown_extensions:\n  - footnotes\n"
        "nav:\n  - index.md\n  - all.md\n",
        encoding="utf-8",
    )
    return dest


def time_build(project: Path, runs: int = 2) -> float:
    """Seconds of ``mkdocs build`` on ``project``, best of ``runs`` (a whole process each, as the issue timed it)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).parent / "mkdocs"
    best = float("inf")
    for _ in range(runs):
        os.sync()  # the files just written (or deleted) are not written back while it is timed
        start = time.perf_counter()
        subprocess.run([str(mkdocs), "build", "-q"], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def slowdown(workdir: Path, pages: int = ISSUE_PAGES, runs: int = 2) -> tuple[float, float | None]:
    """(seconds here, how many times slower than the issue's machine) for the reference build.

    The factor is None unless ``pages`` is the issue's 1,000.
    """
    project = make_reference(workdir / "reference", pages)
    try:
        seconds = time_build(project, runs)
    finally:
        shutil.rmtree(project, ignore_errors=True)
    return seconds, seconds / ISSUE_SECONDS if pages == ISSUE_PAGES else None


def describe(seconds: float, factor: float | None, pages: int = ISSUE_PAGES) -> str:
    head = f"Reference (the issue's plain MkDocs + Material build of {pages:,} ~900-word pages, short nav): {seconds:.1f} s here"
    if factor is None:
        return f"{head} (the issue timed {ISSUE_PAGES:,} pages: no factor)"
    return f"{head}, {ISSUE_SECONDS} s in the issue: this machine is {relative(factor)} the issue's"


def relative(factor: float) -> str:
    """How a machine ``factor`` times slower compares with the issue's, in words."""
    return f"{factor:.1f} times slower than" if factor >= 1 else f"{1 / factor:.1f} times faster than"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time the scale issue's reference MkDocs build on this machine.")
    p.add_argument("--pages", type=int, default=ISSUE_PAGES)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "archive-bench")
    args = p.parse_args(argv)
    seconds, factor = slowdown(args.workdir, args.pages, args.runs)
    print(describe(seconds, factor, args.pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
