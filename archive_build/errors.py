"""Problems found in contributors' files, reported as ``file:line: message``.

Every error a user can cause is a ``Problem``; code raises ``InputError`` to
abort work on one file, and the CLI prints all problems at the end.  No user
error is ever allowed to surface as a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = "error"  # error | warning
    # An error that ``--keep-going`` turns into a warning (an annotation that cannot be anchored).
    lenient: bool = False

    def as_warning(self) -> "Problem":
        return Problem(self.path, self.line, self.message, "warning", self.lenient)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class InputError(Exception):
    """A contributor's file cannot be used; carries the Problem to report."""

    def __init__(self, path: str, message: str, line: int | None = None):
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.problem = Problem(path, line, message)


def kept_going(problems: Iterable[Problem], keep_going: bool) -> list[Problem]:
    """The problems as a run reports them: with ``--keep-going``, lenient errors are warnings.

    Decided here, after the cache, not where a problem is found, so that a
    cached article serves runs with and without ``--keep-going`` alike.
    """
    return [p.as_warning() if keep_going and p.lenient else p for p in problems]
