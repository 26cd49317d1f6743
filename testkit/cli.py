"""The real ``archive-build`` console script run in a project, as a user runs it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping

BIN = Path(sys.executable).parent


def cli_env() -> dict[str, str]:
    """The environment a project's commands run in: MkDocs' 2.0 banner and Python's warnings off."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


def run_cli(
    project: Path, *args: str, check: bool = False, timeout: float = 600, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real console script in ``project`` (``env``: variables to add); ``check``: raise, with its output, when it fails."""
    proc = subprocess.run(
        [str(BIN / "archive-build"), *args], cwd=project, capture_output=True, text=True, env={**cli_env(), **(env or {})}, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"archive-build {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc
