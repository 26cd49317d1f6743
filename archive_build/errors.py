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
        self._many: list[Problem] | None = None

    @property
    def problems(self) -> list[Problem]:
        """Every mistake found in the file (``many``), else just ``problem``."""
        return list(self._many) if self._many else [self.problem]

    @classmethod
    def many(cls, problems: list[Problem]) -> "InputError":
        """One error for a file with several mistakes, all reported."""
        first = problems[0]
        exc = cls(first.path, first.message, first.line)
        exc._many = list(problems)
        return exc


def kept_going(problems: Iterable[Problem], keep_going: bool) -> list[Problem]:
    """The problems as a run reports them: with ``--keep-going``, lenient errors are warnings.

    Decided here, after the cache, not where a problem is found, so that a
    cached article serves runs with and without ``--keep-going`` alike.
    """
    return [p.as_warning() if keep_going and p.lenient else p for p in problems]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, which GitHub shows on the line of the pull request's diff.

    ``::error file=annotations/x.yml,line=14::message``; the message and the
    properties are escaped as the runner expects (a note's text is a stranger's).
    """
    kind = "error" if problem.severity == "error" else "warning"
    props = f"file={_escape_property(problem.path)}"
    if problem.line:
        props += f",line={problem.line}"
    return f"::{kind} {props}::{_escape_data(problem.message)}"
