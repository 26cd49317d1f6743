"""archive-build site's MkDocs: MkDocs' own command line, exit codes and messages kept, no teardown."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "archive_build.site.run_mkdocs", *args], cwd=project, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", "utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nText.\n", "utf-8")
    return tmp_path


def test_a_build_that_succeeds_exits_0_with_its_pages_written(project: Path) -> None:
    result = _mkdocs(project, "build", "--strict", "--site-dir", "out")
    assert result.returncode == 0, result.stderr
    assert "Documentation built" in result.stderr
    assert (project / "out" / "index.html").is_file()


def test_a_strict_build_with_a_warning_fails_with_mkdocs_message(project: Path) -> None:
    (project / "docs" / "index.md").write_text("# Home\n\n[gone](missing.md)\n", "utf-8")
    result = _mkdocs(project, "build", "--strict", "--site-dir", "out")
    assert result.returncode == 1
    assert "Aborted with 1 warnings in strict mode!" in result.stdout  # where mkdocs itself prints it


def test_a_usage_error_exits_2_as_mkdocs_does(project: Path) -> None:
    result = _mkdocs(project, "build", "--no-such-option")
    assert result.returncode == 2
    assert "No such option" in result.stderr
