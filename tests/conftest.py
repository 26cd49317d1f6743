"""Shared fixtures: a throw-away copy of the archive, and the real site built from it.

Tests never touch the checkout's own docs/ or site/: they copy the project
skeleton (config, hand-written docs, overrides, raw/, annotations/,
entities.yml) into a temporary directory and build there with the real
``archive-build`` and the real MkDocs.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BIN = Path(sys.executable).parent
COPIED = ("mkdocs.yml", "overrides", "raw", "annotations", "entities.yml", "archive_build/site_hooks.py")
HAND_WRITTEN_DOCS = ("index.md", "about.md", "how-to-annotate.md", "open-data.md", "stylesheets", "javascripts", "assets")


def copy_project(dest: Path, *, raw: bool = True, annotations: bool = True, entities: bool = True) -> Path:
    """A fresh archive project in ``dest`` with the checkout's config and (optionally) content."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if not src.exists():
            continue
        if (name == "raw" and not raw) or (name == "annotations" and not annotations) or (name == "entities.yml" and not entities):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
    (dest / "raw").mkdir(exist_ok=True)
    (dest / "annotations").mkdir(exist_ok=True)
    (dest / "docs").mkdir(exist_ok=True)
    for name in HAND_WRITTEN_DOCS:
        src = ROOT / "docs" / name
        if src.is_dir():
            shutil.copytree(src, dest / "docs" / name)
        elif src.exists():
            shutil.copy2(src, dest / "docs" / name)
    return dest


def run_cli(project: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real console script in ``project``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([str(BIN / "archive-build"), *args], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"archive-build {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=project, capture_output=True, text=True, env=env, timeout=900)
    return proc


def build_site(project: Path, *build_args: str) -> Path:
    """archive-build build + mkdocs build --strict; returns the site directory."""
    run_cli(project, "build", "--quiet", *build_args, check=True)
    proc = mkdocs_build(project)
    if proc.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return project / "site"


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive's own content built into a real site (once per test session)."""
    project = copy_project(tmp_path_factory.mktemp("seed-archive"))
    build_site(project)
    return project


@pytest.fixture()
def empty_project(tmp_path: Path) -> Path:
    """A project with the archive's config but no articles, annotations or entities."""
    return copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)


@pytest.fixture(scope="session")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed archive built with the Pagefind search backend."""
    project = copy_project(tmp_path_factory.mktemp("pagefind-archive"))
    cfg = project / "mkdocs.yml"
    cfg.write_text(re.sub(r"(?m)^(\s*search_backend:\s*)\S+", r"\g<1>pagefind", cfg.read_text(encoding="utf-8")), encoding="utf-8")
    return build_site(project)
