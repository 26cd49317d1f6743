"""Shared fixtures: a throw-away copy of the archive, and the real site built from it.

Tests never touch the checkout's own docs/ or site/: they copy the project
skeleton (config, hand-written docs, overrides, raw/, annotations/,
entities.yml) into a temporary directory and build there with the real
``archive-build`` and the real MkDocs.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

from testkit.cli import BIN, run_cli
from testkit.skeleton import copy_project

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
__all__ = ["BIN", "ROOT", "SHARED", "build_site", "copy_project", "mkdocs_build", "run_cli"]

# Property tests explore new random examples on every local run (and remember the
# failures they find in .hypothesis/); under CI they run a fixed, reproducible set,
# so that a pull request's result depends on its change, not on the draw.
# No per-example deadline: the suite runs on shared 2-core hosts, where a busy
# neighbour makes any example slow; speed is measured by the benches instead.
settings.register_profile("default-no-deadline", deadline=None)
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "default-no-deadline")


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


# What makes a test "slow" (pyproject's marker: builds whole sites): a call to
# MkDocs, in the test itself or in a fixture it uses.  Marked here, from the
# source, so that no site-building test can slip into `make test-fast`.
_SITE_BUILDERS = ("build_site(", "mkdocs_build(", 'run_cli(project, "site"')


def _builds_a_site(func: object) -> bool:
    import inspect

    try:
        source = inspect.getsource(func)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return False
    return any(marker in source for marker in _SITE_BUILDERS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") or not isinstance(item, pytest.Function):
            continue
        fixtures = [d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs]
        if _builds_a_site(item.function) or any(_builds_a_site(f) for f in fixtures):
            item.add_marker(pytest.mark.slow)
