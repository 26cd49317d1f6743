"""``raw/<id>.meta.yml``: a curator's additions and corrections to one article."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from archive_build.errors import InputError, Problem
from archive_build.model import FIELDS
from archive_build.safe_yaml import LineDict, line_of, load_file

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

