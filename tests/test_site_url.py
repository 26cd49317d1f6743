"""site_url is the deployer's: `make site` warns while it is the placeholder; CI sets it from the repository."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT, copy_project


def test_archive_build_site_warns_while_site_url_is_the_placeholder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    from archive_build.project import Project
    from archive_build.site.build import site_url_warning

    project = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    assert "site_url is still the placeholder" in (site_url_warning(Project(project)) or "")


def test_no_warning_once_site_url_is_set_in_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://reading-group.github.io/archive/")
    from archive_build.project import Project
    from archive_build.site.build import site_url_warning

    project = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    assert site_url_warning(Project(project)) is None


def test_the_pages_workflow_renders_with_the_repositorys_pages_address():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = workflow["jobs"]["shard"]["steps"]
    names = [s.get("id") or s.get("name") for s in steps]
    render = next(s for s in steps if s.get("name") == "Render one shard")
    assert names.index("pages") < names.index("Render one shard")
    assert render["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


def test_the_pages_workflow_renders_one_shard_per_matrix_job_and_merges_them_before_deploying():
    jobs = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))["jobs"]
    render = next(s for s in jobs["shard"]["steps"] if s.get("name") == "Render one shard")
    assert "--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in render["run"]
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == list(range(1, len(jobs["shard"]["strategy"]["matrix"]["shard"]) + 1))
    assert jobs["merge"]["needs"] == "shard" and jobs["deploy"]["needs"] == "merge"
    assert any("archive-build merge shards/*" in s.get("run", "") for s in jobs["merge"]["steps"])


def test_citations_and_open_data_use_the_site_url_from_the_environment(tmp_path: Path, monkeypatch):
    from archive_build.opendata import site_info
    from archive_build.project import Project

    project = Project(copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False))
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_info(project).url == "https://archive.example.org/"
    monkeypatch.setenv("SITE_URL", "https://reading-group.github.io/archive/")
    assert site_info(project).url == "https://reading-group.github.io/archive/"
