"""The articles' own warnings as ``file:line: warning: …`` problems, each with its fix.

Readers and transforms record warnings in the article (``Article.warn``):
a date they could not read, an author they could not find.  The build
reports them with every other problem, so that ``build`` and ``check``
print and count each one; a sidecar's warning names the sidecar and the
line of its key, since that is the line to fix.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from archive_build.errors import InputError, Problem
from archive_build.safe_yaml import line_of, load_file

# The fix to add to an article warning, by what the warning says.
_FIXES = (
    ("is not a date", "write it as YYYY-MM-DD"),
    ("is not an http(s) address", "write the full address, starting with https://"),
    ("holds markup characters", "write the tag without < > &"),
)
_WARNED_KEY = {"tag": "tags"}


def sidecar_warning_lines(warnings: list[str], path: Path, display: str) -> dict[str, tuple[str, int | None]]:
    """Where each of an article's "sidecar: …" warnings comes from: the sidecar file and its key's line."""
    mine = [w for w in warnings if w.startswith("sidecar: ")]
    if not mine:
        return {}
    try:
        data = load_file(path, display)
    except (InputError, ValueError):
        data = None
    out: dict[str, tuple[str, int | None]] = {}
    for w in mine:
        word = w[len("sidecar: ") :].split(" ", 1)[0]
        out[w] = (display, line_of(data, _WARNED_KEY.get(word, word)))
    return out


def article_warnings(articles: list[Any]) -> list[Problem]:
    """Every warning the articles recorded, as ``file:line: warning: …`` problems with their fix.

    A sidecar's warning names the sidecar and the line of its key
    (``warning_lines``); the others name the raw file.
    """
    out: list[Problem] = []
    for article in articles:
        at = article.warning_lines
        for message in article.warnings:
            path, line = at.get(message, (article.raw, None))
            if message.startswith("sidecar: ") and path != article.raw:
                message = message[len("sidecar: ") :]
            fix = next((f for cue, f in _FIXES if cue in message), None)
            if fix and fix not in message:
                message = f"{message.removesuffix('; ignored')}, so it is not used: {fix}" if message.endswith("; ignored") else f"{message}; {fix}"
            out.append(Problem(path, line, message, "warning"))
    return out
