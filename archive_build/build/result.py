"""What a build hands back: its counts, problems and timings, and the clock that times its steps."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from archive_build.errors import Problem
from archive_build.model import Article
from archive_build.project import Project
from archive_build.store.articles import Texts


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    annotations: int = 0
    entities: int = 0
    seconds: float = 0.0
    article_count: int = 0
    # Seconds per phase of the build (``archive-build build --timings``).
    timings: dict[str, float] = field(default_factory=dict)
    # Names of the files in ``site-data/`` this build wrote (the MkDocs hook places only these under serve).
    site_data_written: list[str] = field(default_factory=list)
    # The generated files (paths under docs/) this build wrote (the pages ``make serve`` renders again).
    docs_written: list[str] = field(default_factory=list)
    # Articles read and processed afresh (not taken from the cache).
    processed: int = 0
    # A no-op rebuild does not load the articles; ``articles`` loads them on first use.
    # The groups of the articles' fields not on their cards, handed out on request.
    texts: Texts = field(default_factory=Texts, repr=False)
    _articles: list[Article] | None = field(default=None, repr=False)
    _loader: Callable[[], list[Article]] | None = field(default=None, repr=False)

    @property
    def warning_count(self) -> int:
        """Every warning, the articles' own included (``cross_link`` puts them among the problems)."""
        return len(self.warnings)

    def summary_line(self) -> str:
        """The one line every build ends with (the CLI, and each `make serve` rebuild)."""
        return (
            f"archive-build: {self.article_count} articles, {self.annotations} annotations, {self.entities} entities, "
            f"{self.warning_count} warnings, {len(self.errors)} errors, {self.seconds:.1f} s "
            f"({self.written} files written, {self.unchanged} unchanged)"
        )

    @property
    def articles(self) -> list[Article]:
        if self._articles is None:
            self._articles = self._loader() if self._loader else []
        return self._articles

    @articles.setter
    def articles(self, value: list[Article]) -> None:
        self._articles = value

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


class Clock:
    """Seconds per phase, for ``--timings`` and the benchmark."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


def damage_warning(project: Project, paths: list[str]) -> Problem | None:
    """The cache files found damaged in this build, as one warning (each was ignored and is written again)."""
    names = sorted({project.rel(Path(p)) for p in paths})
    if not names:
        return None
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return Problem(
        project.rel(project.cache), None,
        f"{len(names)} damaged cache file{'s' if len(names) != 1 else ''} ignored and rebuilt from the inputs: {shown}", "warning",
    )
