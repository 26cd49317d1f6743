"""A small generated archive whose search indexes are built in several parts, as a large archive's are."""
from __future__ import annotations

from pathlib import Path

from archive_build.search.parts import NOTES_ENV, PAGES_ENV

from .cli import run_cli
from .skeleton import make_project

#: Limits low enough that 30 articles (about 540 searchable pages, 100 notes) make several parts of each index.
LIMITS = {PAGES_ENV: "150", NOTES_ENV: "40"}


def build_parted_site(project: Path) -> Path:
    """Generate 30 articles in ``project``, build them and publish the site with ``LIMITS``; returns ``site/``."""
    make_project(project, 30, seed=3)
    run_cli(project, "build", "--quiet", check=True)
    run_cli(project, "site", "-j", "1", check=True, timeout=900, env={"SOURCE_DATE_EPOCH": "1700000000", **LIMITS})
    return project / "site"
