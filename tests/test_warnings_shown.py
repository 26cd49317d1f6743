"""Every warning is printed as file:line: warning: …, counted by check, and under GitHub Actions also shown on the diff."""
from __future__ import annotations

import pytest

from archive_build.errors import Problem, workflow_command
from tests.conftest import copy_project, run_cli

STERN = "2023-05-30-drone-attacks-on-moscow-stern"


@pytest.fixture(scope="module")
def sidecar_date(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("p"))
    (project / "raw" / f"{STERN}.meta.yml").write_text("title: Drone attacks on Moscow\ndate: 2023-05\n")
    return project


def test_a_sidecar_date_that_is_not_a_day_is_a_warning_at_its_line_with_the_fix(sidecar_date):
    proc = run_cli(sidecar_date, "check")
    assert f"raw/{STERN}.meta.yml:2: warning: date '2023-05' is not a date, so it is not used: write it as YYYY-MM-DD" in proc.stderr


def test_check_counts_the_warnings_it_prints(sidecar_date):
    proc = run_cli(sidecar_date, "check")
    printed = sum(": warning: " in line for line in proc.stderr.splitlines())
    assert printed >= 1 and f"0 errors, {printed} warnings" in proc.stderr


def test_build_prints_every_warning_it_counts(sidecar_date):
    proc = run_cli(sidecar_date, "build", "--quiet")
    printed = sum(": warning: " in line for line in proc.stderr.splitlines())
    assert printed >= 1 and f"{printed} warnings, 0 errors" in proc.stderr


def test_check_reports_every_mistake_of_a_sidecar_in_one_run(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "raw" / f"{STERN}.meta.yml").write_text("titel: X\ntags: {a: b}\nsource: [1]\n")
    proc = run_cli(project, "check")
    assert f"raw/{STERN}.meta.yml:1: error: unknown key 'titel' (did you mean 'title'?)" in proc.stderr
    assert f"raw/{STERN}.meta.yml:2: error: tags must be a list of names" in proc.stderr
    assert f"raw/{STERN}.meta.yml:3: error: source must be text" in proc.stderr


def test_under_github_actions_each_problem_is_also_a_workflow_command(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n  - id: a\n    author: @bob\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    proc = run_cli(project, "check")
    assert f"::error file=annotations/{STERN}.yml,line=4::YAML error: a value cannot start with '@' unless it is quoted" in proc.stdout
    assert f"annotations/{STERN}.yml:4: error: YAML error" in proc.stderr  # the usual line too


def test_locally_the_output_has_no_workflow_commands(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n  - id: a\n    author: @bob\n")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    proc = run_cli(project, "check")
    assert "::error" not in proc.stdout + proc.stderr


def test_a_workflow_command_escapes_newlines_percent_and_the_property_separators():
    p = Problem("annotations/a,b:c.yml", 3, "50% done\nsecond line")
    assert workflow_command(p) == "::error file=annotations/a%2Cb%3Ac.yml,line=3::50%25 done%0Asecond line"


def test_a_warning_without_a_line_is_a_warning_command_without_one():
    assert workflow_command(Problem("raw/x.txt", None, "no author found", "warning")) == "::warning file=raw/x.txt::no author found"
