"""``raw/<id>.meta.yml``: a curator's additions and corrections to one article."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .safe_yaml import LineDict, line_of, load_file

SIDECAR_SUFFIX = ".meta.yml"


def sidecar_path(raw_path: Path) -> Path:
    return raw_path.with_name(raw_path.name[: -len(raw_path.suffix)] + SIDECAR_SUFFIX)


def load_sidecar(path: Path, display: str) -> dict[str, Any]:
    """Load and validate a sidecar; unknown keys are errors (typos must not pass silently)."""
    return validate_sidecar(load_file(path, display), display)


def validate_sidecar(data: Any, display: str) -> dict[str, Any]:
    """Check a loaded sidecar (split out so the fuzz target can drive it without files)."""
    if data is None:
        return LineDict()
    if not isinstance(data, dict):
        raise InputError(display, "a sidecar must be a mapping of field: value", 1)
    from .transforms.metadata import FIELDS  # the transforms are not needed to find sidecars

    allowed = set(FIELDS) | {"author"}
    problems: list[Problem] = []
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(display, line_of(data, key), f"unknown key {key!r}{hint}; allowed: {', '.join(sorted(allowed))}"))
            continue
        value = data[key]
        if key in ("authors", "tags") and not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            problems.append(Problem(display, line_of(data, key), f"{key} must be a list of names, e.g. {key}: [First Name, Second Name]"))
        if key in ("title", "source", "url", "description", "author") and not isinstance(value, str):
            problems.append(Problem(display, line_of(data, key), f"{key} must be text (put it in double quotes)"))
    if problems:
        raise InputError.many(problems)
    return data


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
    (``flags["warning_at"]``); the others name the raw file.
    """
    out: list[Problem] = []
    for article in articles:
        at = article.flags.get("warning_at") or {}
        for message in article.warnings:
            path, line = at.get(message, (article.raw, None))
            if message.startswith("sidecar: ") and path != article.raw:
                message = message[len("sidecar: ") :]
            fix = next((f for cue, f in _FIXES if cue in message), None)
            if fix and fix not in message:
                message = f"{message.removesuffix('; ignored')}, so it is not used: {fix}" if message.endswith("; ignored") else f"{message}; {fix}"
            out.append(Problem(path, line, message, "warning"))
    return out
