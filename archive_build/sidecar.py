"""``raw/<id>.meta.yml``: a curator's additions and corrections to one article."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputError
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
    for key in data:
        if key not in allowed:
            raise InputError(display, f"unknown key {key!r}; allowed: {', '.join(sorted(allowed))}", line_of(data, key))
        value = data[key]
        if key in ("authors", "tags") and not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise InputError(display, f"{key} must be a list of names", line_of(data, key))
        if key in ("title", "source", "url", "description", "author") and not isinstance(value, str):
            raise InputError(display, f"{key} must be text", line_of(data, key))
    return data
