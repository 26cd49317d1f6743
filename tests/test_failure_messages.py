"""Every failure of the world around a build is one line naming the path and what to do, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from archive_build.build.lock import build_lock, holder
from archive_build.project import Project

from .conftest import run_cli


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_dot_cache_that_is_a_file_is_one_line_saying_to_remove_it(empty_project: Path) -> None:
    (empty_project / ".cache").write_text("", "utf-8")
    proc = run_cli(empty_project, "build", "--quiet")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ".cache: error: .cache is not a folder: remove it"


def test_a_lock_left_by_a_killed_build_is_taken_over_without_waiting(empty_project: Path) -> None:
    lock = empty_project / ".cache" / "archive-build" / "build.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(f"{_dead_pid()}\n", "ascii")
    proc = run_cli(empty_project, "build", "--quiet", "--no-wait")
    assert proc.returncode == 0, proc.stderr


def test_the_lock_names_its_holder_while_held_and_is_reentrant(tmp_path: Path) -> None:
    project = Project(tmp_path)
    with build_lock(project):
        with build_lock(project):
            assert holder(project.cache / "build.lock") == os.getpid()
        assert holder(project.cache / "build.lock") == os.getpid()
    assert holder(project.cache / "build.lock") is None


def test_site_refuses_to_publish_before_any_build(empty_project: Path) -> None:
    proc = run_cli(empty_project, "site")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["archive-build site: no build has finished yet; site/ left as it was: run archive-build build, fix what it reports, then publish"]
    assert not (empty_project / "site").exists()


def test_site_refuses_to_publish_when_the_last_build_reported_errors(empty_project: Path) -> None:
    (empty_project / "raw" / "2024-01-01-empty.txt").write_bytes(b"")
    assert run_cli(empty_project, "build", "--quiet").returncode == 1
    proc = run_cli(empty_project, "site")
    assert proc.returncode == 1
    assert "the last build failed: 1 error (see archive-build build)" in proc.stderr


def test_import_hypothesis_on_deeply_nested_json_is_one_line_naming_the_file(empty_project: Path) -> None:
    (empty_project / "export.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    proc = run_cli(empty_project, "import-hypothesis", "export.json")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "export.json: error: JSON nested too deeply to read: not a Hypothesis export (check the file)"


def test_import_hypothesis_on_a_lone_surrogate_is_one_line_naming_the_file_and_line(empty_project: Path) -> None:
    (empty_project / "export.json").write_text('{"rows": [\n{"id": "a", "text": "half \\ud800 a pair"}]}', "utf-8")
    proc = run_cli(empty_project, "import-hypothesis", "export.json")
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("export.json:2: error: a string holds half of a surrogate pair")
