"""The version of the package's own code, as the caches key it.

A leaf module: the cache, the collection steps and the build all key their
entries with it, and none of them should import the others to get it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path


def code_version() -> str:
    """Hash of the package's own source: a code change invalidates the cache."""
    h = hashlib.sha256()
    pkg = Path(__file__).parent
    for p in sorted(pkg.rglob("*.py")):
        h.update(p.relative_to(pkg).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
