"""`archive-build site` pins MkDocs' build date so that the same checkout builds the same site."""
from __future__ import annotations

import subprocess
from pathlib import Path

from archive_build.project import Project
from archive_build.site.build import _reproducible_env


def _git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_COMMITTER_DATE": "2024-01-02T03:04:05+00:00", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_the_build_date_is_the_last_commits_time(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "mkdocs.yml")
    _git(tmp_path, "commit", "-q", "-m", "x")
    assert _reproducible_env(Project.find(tmp_path))["SOURCE_DATE_EPOCH"] == str(1704164645)


def test_an_explicit_build_date_is_kept(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert _reproducible_env(Project.find(tmp_path))["SOURCE_DATE_EPOCH"] == "12345"
