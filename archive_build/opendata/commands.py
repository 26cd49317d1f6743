"""The open-data subcommands: ``export`` and ``import-hypothesis``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive_build.project import Project

# Which files each --format writes: JSON-LD comes with article.json, whose
# plain text is what the annotations' TextPositionSelectors count in.
_FORMAT_NAMES = {"jsonld": "JSON-LD", "csl": "CSL-JSON", "bibtex": "BibTeX"}


def _print_problems(problems: list) -> None:
    for p in sorted(problems, key=lambda p: (p.severity != "error", p.path, p.line or 0, p.message)):
        print(str(p), file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the open-data files of one format to ``--out`` without building the site."""
    from archive_build.build import collect
    from archive_build.opendata import data_files, site_info, write_files

    project = Project.find(Path(args.root) if getattr(args, "root", None) else None)
    result = collect(project, progress=False)
    _print_problems(result.problems)
    if result.errors:
        print(f"archive-build export: {len(result.errors)} errors; nothing exported (fix them, as for a build)", file=sys.stderr)
        return 1
    files = data_files(site_info(project), result.articles, [args.format])
    out = Path(args.out)
    written, unchanged = write_files(out, files)
    print(
        f"archive-build export: {_FORMAT_NAMES[args.format]} for {len(result.articles)} articles "
        f"({result.annotations} annotations) in {out}/: {written} files written, {unchanged} unchanged",
        file=sys.stderr,
    )
    return 0


def cmd_import_hypothesis(args: argparse.Namespace) -> int:
    """Import a Hypothesis export; exit 1 when a note could not be anchored and was not kept."""
    from archive_build.build import collect
    from archive_build.opendata import hypothesis_import as hi

    project = Project.find(Path(args.root) if getattr(args, "root", None) else None)
    rows = hi.read_export(Path(args.export))
    # keep_going: a broken existing annotation must not stop new ones from coming in.
    result = collect(project, keep_going=True, progress=False)
    single = bool(getattr(args, "single_file", False))
    outcomes = hi.plan(
        rows, result.articles, project.annotations, keep_unanchored=args.keep_unanchored, include_private=args.include_private, single_file=single
    )
    hi.write(outcomes, project.annotations, project.rel(project.annotations), single_file=single)
    sys.stdout.write(hi.table(outcomes, keep_unanchored=args.keep_unanchored))
    lost = any(o.status == hi.UNANCHORED and o.entry is None for o in outcomes)
    return 1 if lost else 0
