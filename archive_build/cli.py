"""``archive-build``: build, check, inspect and the contributor commands.

Every user error is printed as ``file:line: message`` and turns into a
non-zero exit status; tracebacks are reserved for bugs in this program.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from archive_build.budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS
from archive_build.errors import InputError, Problem
from archive_build.project import Project

if TYPE_CHECKING:
    from archive_build.budget import Budget
    from archive_build.build import BuildResult


def _problem_order(p: Problem) -> tuple[bool, str, int, str]:
    return (p.severity != "error", p.path, p.line or 0, p.message)


def _print_problems(problems: list[Problem]) -> None:
    """Every problem as ``file:line: severity: message`` on stderr; under GitHub Actions also as workflow commands on stdout."""
    ordered = sorted(problems, key=_problem_order)
    for p in ordered:
        print(str(p), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from archive_build.errors import workflow_command

        for p in ordered:
            print(workflow_command(p))
        sys.stdout.flush()


def cmd_build(args: argparse.Namespace) -> int:
    from archive_build.build import build

    project = Project.find(Path(args.root) if args.root else None)
    if _EXITING:
        # The build turns the cyclic collector off while it runs; turned back on,
        # its first pass would walk every object the build made (0.2 s at 10,000
        # articles) just before the process ends: leave it off (see run()).
        import gc

        gc.disable()
    result = build(
        project, keep_going=args.keep_going, workers=args.jobs, progress=not args.quiet, wait=not args.no_wait, budget=_budget(args),
        on_wait=lambda message: print(message, file=sys.stderr, flush=True),
    )
    if _EXITING:
        _RETAINED.append(result)  # see run()
    _print_problems(result.problems)
    if args.timings:
        print("archive-build timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()), file=sys.stderr)
    print(result.summary_line(), file=sys.stderr)
    if args.report:
        try:
            _write_report(Path(args.report), result)
        except OSError as exc:
            print(f"{args.report}: error: cannot write the report: {exc.strerror or exc}", file=sys.stderr)
            return 2
    return 1 if result.errors else 0


def _positive(value: str) -> float:
    """A number of seconds or megabytes, 0 for no limit."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or a positive number: {value!r}")
    return number


def _budget(args: argparse.Namespace) -> "Budget | None":
    """The per-article budget the build's options ask for (None: both limits off)."""
    from archive_build.budget import Budget

    if not args.article_timeout and not args.article_memory:
        return None
    return Budget(seconds=args.article_timeout or float("inf"), memory_mb=int(args.article_memory) or None)


def _write_report(path: Path, result: BuildResult) -> None:
    """The build's outcome as JSON, for tools (``make serve``'s hook reads which generated pages and open-data files were written)."""
    report = {
        "articles": result.article_count, "annotations": result.annotations, "entities": result.entities,
        "warnings": result.warning_count, "errors": len(result.errors),
        "seconds": round(result.seconds, 3), "files_written": result.written, "files_unchanged": result.unchanged,
        "problems": [str(p) for p in sorted(result.problems, key=_problem_order)],
        "site_data_written": result.site_data_written, "docs_written": sorted(result.docs_written),
    }
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def cmd_check(args: argparse.Namespace) -> int:
    from archive_build.check import check

    project = Project.find(Path(args.root) if args.root else None)
    start = time.perf_counter()
    problems = check(project)
    _print_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    print(f"archive-build check: {len(errors)} errors, {len(problems) - len(errors)} warnings, {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 1 if errors else 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from archive_build.ingest.decode import MAX_RAW_BYTES
    from archive_build.ingest.sidecar import load_sidecar, sidecar_path
    from archive_build.pipeline import clean_article
    from archive_build.safe_files import read_regular

    path = Path(args.file)
    try:
        data = read_regular(path, args.file, limit=MAX_RAW_BYTES, limit_message=f"file is {{size}} bytes; the limit for a raw article is {MAX_RAW_BYTES:,} bytes", anywhere=True)
    except InputError as exc:
        print(str(exc.problem), file=sys.stderr)
        return 2
    try:
        side = sidecar_path(path)
        sidecar = load_sidecar(side, str(side)) if side.exists() else None
        article = clean_article(data, args.file, sidecar)
    except InputError as exc:
        print(str(exc.problem), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(article.inspect_dict(), ensure_ascii=False, indent=2))
    else:
        from archive_build.writer import page_text

        sys.stdout.write(page_text(article))
    return 0


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return importlib.import_module(f"archive_build.{module}").__dict__[name](args)

    return run


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="archive-build", description="Build an annotated reading archive from raw articles.")
    p.add_argument("--root", help="project directory (default: nearest with mkdocs.yml)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the whole archive into docs/")
    b.add_argument("--keep-going", action="store_true", help="build even when annotations cannot be anchored")
    b.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument(
        "--article-timeout", type=_positive, default=DEFAULT_SECONDS, metavar="SECONDS",
        help=f"stop an article whose processing takes longer (default {DEFAULT_SECONDS:g}; 0: no limit)",
    )
    b.add_argument(
        "--article-memory", type=_positive, default=DEFAULT_MEMORY_MB, metavar="MB",
        help=f"memory an article's worker may take beyond its start (default {DEFAULT_MEMORY_MB}; 0: no limit)",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.add_argument("--timings", action="store_true", help="print the seconds each phase took")
    b.add_argument("--report", metavar="FILE", help="also write the outcome as JSON: counts, problems, open-data files written")
    b.add_argument("--no-wait", action="store_true", help="if a build is already running on this project, stop at once instead of waiting for it")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="validate annotations, sidecars and the gazetteer without building")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("inspect", help="show what the cleaner makes of one raw file")
    i.add_argument("file")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_inspect)

    a = sub.add_parser("annotate", help="write an annotation stub for a quote (annotations/<id>/<note-id>.yml)")
    a.add_argument("article")
    a.add_argument("quote")
    a.add_argument("--kind", default="note")
    a.add_argument("--author", default="@you")
    a.add_argument("--single-file", action="store_true", help="append to annotations/<id>.yml instead of writing a note file of its own")
    a.set_defaults(func=_lazy("annotations.commands", "cmd_annotate"))

    r = sub.add_parser("review", help="summarise the annotations added or changed against a base revision (the pull request's review)")
    r.add_argument("--base", required=True, help="the git revision to compare with, e.g. origin/main")
    r.add_argument("--out", help="append the Markdown summary to this file (default: $GITHUB_STEP_SUMMARY, else standard output)")
    r.set_defaults(func=_lazy("annotations.review", "cmd_review"))

    s = sub.add_parser("suggest-entities", help="frequent names the gazetteer does not know yet")
    s.add_argument("--min-count", type=int, default=2)
    s.set_defaults(func=_lazy("entities.commands", "cmd_suggest"))

    e = sub.add_parser("export", help="write open data (JSON-LD, CSL-JSON, BibTeX) without building the site")
    e.add_argument("--format", choices=("jsonld", "csl", "bibtex"), required=True)
    e.add_argument("--out", default="export")
    e.set_defaults(func=_lazy("opendata.commands", "cmd_export"))

    h = sub.add_parser("import-hypothesis", help="import annotations from a Hypothesis API export")
    h.add_argument("export")
    h.add_argument("--keep-unanchored", action="store_true", help="also write the notes whose quote is not in the article (shown under \"Unanchored notes\")")
    h.add_argument("--single-file", action="store_true", help="append to each article's annotations/<id>.yml instead of writing one file per note")
    h.add_argument("--include-private", action="store_true", help="also import notes that are not public (group or private), hidden or flagged")
    h.set_defaults(func=_lazy("opendata.commands", "cmd_import_hypothesis"))

    w = sub.add_parser("site", help="mkdocs build --strict into a temporary directory, swapped into site/ when complete")
    w.add_argument("--timings", action="store_true", help="print the seconds the render, the search index and the swap took")
    w.add_argument("-j", "--jobs", type=int, default=None, help="render in this many mkdocs processes, each a shard of the article pages (default: all cores)")
    w.add_argument("--shard", metavar="K/N", help="render only shard K of N into --out, for archive-build merge (CI jobs)")
    w.add_argument("--out", metavar="DIR", help="with --shard: the folder to render into (default site-shard-K-of-N)")
    w.set_defaults(func=_lazy("site.build", "cmd_site"))

    m = sub.add_parser("merge", help="put the folders of archive-build site --shard K/N together, index them and swap them into site/")
    m.add_argument("shards", nargs="+", metavar="DIR")
    m.set_defaults(func=_lazy("site.build", "cmd_merge"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        _print_problems(exc.problems)
        return 2
    except OSError as exc:  # a system call on a path no command expected to fail
        from archive_build.failures import os_problem

        print(str(os_problem(Project.find(Path(args.root) if args.root else None), exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


# Set by run(): the process ends right after main(), so the build's result is
# kept referenced (in _RETAINED) rather than freed object by object.
_EXITING = False
_RETAINED: list[object] = []


def run() -> None:
    """The console script: ``main``, then exit without freeing the build's objects one by one.

    A build of 10,000 articles holds millions of small objects; letting the
    interpreter tear them down costs about half a second after all output is
    written and flushed (a quarter of it when ``cmd_build`` lets go of its
    result).  Only the console script does this; ``main`` returns normally
    for callers that go on running.
    """
    global _EXITING
    _EXITING = True
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
