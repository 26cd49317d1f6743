"""``make bench-hostile``: how the build and site steps grow with each hostile input shape.

For every shape of ``testkit/hostile_shapes.py`` at 25, 50, 100, 200 and
400 KB: the CPU seconds of the build step's work on that one article
(cleaning, annotating, entity linking with the archive's gazetteer, writing
the page) and of the site step's (Python-Markdown with the site's
extensions, the sanitiser and the reading features of the MkDocs hook), and
the exponent of a least-squares fit of log(time) against log(size): 1 is
linear, 2 quadratic.  CPU time of this process, not wall-clock: on a shared
machine it is what stays put (the fit is robust to the rest).  Then the CPU
seconds of one real ``mkdocs build`` of a one-article site at the largest
size, per shape, and of the same site without the article.

The issue's targets: exponent <= 1.2, 400 KB <= 2 s for the build step and
<= 5 s for the site step.  ``--sizes`` and ``--shapes`` narrow a run.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from testkit.hostile_shapes import SHAPES, SIZES_KB, Shape
from testkit.one_article import ARTICLE_ID, build_step, site_step


def fit_exponent(sizes: list[float], seconds: list[float]) -> float:
    """The slope of log(seconds) against log(size), least squares; times floored at 0.1 ms (timer noise)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-4)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else float("nan")


def _cpu(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        value = fn()
        best = min(best, time.process_time() - start)
    return best, value


def mkdocs_seconds(ext: str, raw: str | None) -> float:
    """CPU seconds (user + system) of ``mkdocs build`` of a site holding this one raw article (None: none).

    CPU, not wall-clock: on a shared machine a build waits for the cores as long again as it runs.
    """
    import resource

    from testkit.skeleton import copy_skeleton

    with tempfile.TemporaryDirectory(prefix="hostile-site-") as tmp:
        project = copy_skeleton(Path(tmp) / "site", ())
        if raw is not None:
            (project / "raw" / f"{ARTICLE_ID}{ext}").write_text(raw, encoding="utf-8")
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([str(bin_dir / "archive-build"), "build", "--quiet"], cwd=project, env=env, capture_output=True, check=False)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([str(bin_dir / "mkdocs"), "build", "--quiet"], cwd=project, env=env, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(shape: Shape, sizes_kb: tuple[int, ...], repeat: int = 1) -> dict[str, list[float]]:
    """Build- and site-step CPU seconds of ``shape`` at each size."""
    build, site = [], []
    for kb in sizes_kb:
        text = shape.make(kb * 1000)
        t_build, page = _cpu(lambda: build_step(text, shape.ext), repeat)
        t_site, _ = _cpu(lambda: site_step(page), repeat)
        build.append(t_build)
        site.append(t_site)
    return {"build": build, "site": site}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES_KB)), help="sizes in KB (default %(default)s)")
    ap.add_argument("--shapes", default="", help="only the shapes whose name contains this")
    ap.add_argument("--no-mkdocs", action="store_true", help="skip the real MkDocs builds")
    args = ap.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    shapes = [s for s in SHAPES if args.shapes in s.name]
    head = " | ".join(f"{kb} KB" for kb in sizes)
    print(f"CPU seconds per step (build / site), {len(shapes)} shapes; exponent of the fit; targets: <= 1.2, 400 KB <= 2 s / 5 s\n")
    if not args.no_mkdocs:
        print(f"mkdocs build of the site without the article: {mkdocs_seconds('.txt', None):.1f} s CPU\n")
    print(f"| shape | {head} | build exp. | site exp. |" + ("" if args.no_mkdocs else f" mkdocs build at {sizes[-1]} KB, s CPU |"))
    print("|---" * (len(sizes) + 3 + (0 if args.no_mkdocs else 1)) + "|")
    worst = 0.0
    site_step(build_step("A title\n\nA warm-up.\n", ".txt"))  # imports and first-call set-up, not timed
    for shape in shapes:
        t = measure(shape, sizes)
        cells = " | ".join(f"{b:.2f} / {s:.2f}" for b, s in zip(t["build"], t["site"]))
        eb, es = fit_exponent(list(sizes), t["build"]), fit_exponent(list(sizes), t["site"])
        worst = max(worst, eb, es)
        row = f"| {shape.name} | {cells} | {eb:.2f} | {es:.2f} |"
        if not args.no_mkdocs:
            raw = shape.make(sizes[-1] * 1000)
            row += f" {mkdocs_seconds(shape.ext, raw):.1f} |"
        print(row, flush=True)
    print(f"\nlargest exponent: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
