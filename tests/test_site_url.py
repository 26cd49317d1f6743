"""site_url is the deployer's: `make site` warns while it is the placeholder; CI sets it from the repository."""
from __future__ import annotations

from pathlib import Path

import pytest
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
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    assert jobs["shard"]["needs"] == "plan" and jobs["merge"]["needs"] == "shard" and jobs["deploy"]["needs"] == "merge"
    assert any("archive-build merge shards/*" in s.get("run", "") for s in jobs["merge"]["steps"])


def _planned_shards(tmp_path: Path, articles: int, sidecars: int = 0, per_job: int | None = None) -> list[int]:
    """What the Pages workflow's plan step gives the shard matrix for a raw/ of ``articles`` articles."""
    import json
    import subprocess

    step = next(s for s in yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))["jobs"]["plan"]["steps"] if s.get("id") == "plan")
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(articles):
        (raw / f"a{i}.txt").touch()
    for i in range(sidecars):
        (raw / f"a{i}.meta.yml").touch()
    (raw / ".DS_Store").touch()
    out = tmp_path / "github-output"
    env = {**{k: str(v) for k, v in step["env"].items()}, "GITHUB_OUTPUT": str(out), "PATH": "/usr/bin:/bin"}
    if per_job is not None:
        env["ARTICLES_PER_JOB"] = str(per_job)
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, check=True)
    key, _, value = out.read_text("utf-8").strip().partition("=")
    assert key == "shards"
    return json.loads(value)


@pytest.mark.parametrize(("articles", "shards"), [(0, 1), (4, 1), (2500, 1), (2501, 2), (5001, 3)])
def test_the_pages_workflow_gives_a_shard_job_per_2500_articles(tmp_path: Path, articles: int, shards: int) -> None:
    assert _planned_shards(tmp_path, articles) == list(range(1, shards + 1))


def test_the_pages_workflow_runs_at_most_20_shard_jobs(tmp_path: Path) -> None:
    assert _planned_shards(tmp_path, 25, per_job=1) == list(range(1, 21))


def test_the_pages_workflow_does_not_count_sidecars_as_articles(tmp_path: Path) -> None:
    assert _planned_shards(tmp_path, 2500, sidecars=2500) == [1]


def test_citations_and_open_data_use_the_site_url_from_the_environment(tmp_path: Path, monkeypatch):
    from archive_build.opendata import site_info
    from archive_build.project import Project

    project = Project(copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False))
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_info(project).url == "https://archive.example.org/"
    monkeypatch.setenv("SITE_URL", "https://reading-group.github.io/archive/")
    assert site_info(project).url == "https://reading-group.github.io/archive/"
