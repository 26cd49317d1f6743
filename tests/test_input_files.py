"""Only regular files inside the repository are read, in every channel; reserved and colliding ids are errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import run_cli

SECRET = "build-machine-secret-7f3a"
TEXT = "Kyiv residents reported the attack in the morning. The mayor spoke later.\n"


@pytest.fixture()
def project(empty_project: Path) -> Path:
    (empty_project / "raw" / "2024-01-01-report.txt").write_text(TEXT)
    return empty_project


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.yml"
    path.parent.mkdir()
    path.write_text(f"title: {SECRET}\n")
    return path


def _published(project: Path) -> bool:
    return any(SECRET in p.read_text("utf-8", "replace") for p in (project / "docs").rglob("*") if p.is_file())


def test_a_sidecar_symlinked_outside_the_repository_is_refused_and_not_published(project: Path, secret: Path) -> None:
    (project / "raw" / "2024-01-01-report.meta.yml").symlink_to(secret)
    proc = run_cli(project, "build")
    assert "raw/2024-01-01-report.meta.yml: error: is a symlink to a file outside the repository: refused" in proc.stderr
    assert not _published(project)


def test_an_annotation_file_symlinked_outside_the_repository_is_refused(project: Path, secret: Path) -> None:
    (project / "annotations" / "2024-01-01-report.yml").symlink_to(secret)
    proc = run_cli(project, "build")
    assert "annotations/2024-01-01-report.yml: error: is a symlink to a file outside the repository: refused" in proc.stderr


def test_a_gazetteer_symlinked_outside_the_repository_is_refused(project: Path, secret: Path) -> None:
    (project / "entities.yml").symlink_to(secret)
    proc = run_cli(project, "check")
    assert "entities.yml: error: is a symlink to a file outside the repository: refused" in proc.stderr


def test_a_symlink_inside_the_repository_is_followed(project: Path) -> None:
    (project / "shared-sidecar.yml").write_text("source: The Kyiv Independent\n")
    (project / "raw" / "2024-01-01-report.meta.yml").symlink_to(project / "shared-sidecar.yml")
    proc = run_cli(project, "build")
    assert proc.returncode == 0, proc.stderr
    assert "The Kyiv Independent" in (project / "docs/articles/2024-01-01-report.md").read_text()


@pytest.mark.parametrize("channel", ["raw/2024-01-02-zero.txt", "annotations/2024-01-01-report.yml", "raw/2024-01-01-report.meta.yml"])
def test_a_symlink_to_dev_zero_is_refused_not_read(project: Path, channel: str) -> None:
    (project / channel).symlink_to("/dev/zero")
    proc = run_cli(project, "build")
    assert proc.returncode != 0
    assert f"{channel}: error:" in proc.stderr and "refused" in proc.stderr


@pytest.mark.parametrize("channel", ["raw/2024-01-02-pipe.txt", "annotations/2024-01-01-report.yml", "raw/2024-01-01-report.meta.yml", "entities.yml"])
def test_a_fifo_is_refused_without_blocking_the_build(project: Path, channel: str) -> None:
    os.mkfifo(project / channel)
    proc = run_cli(project, "build")  # run_cli times out instead of hanging for ever
    assert f"{channel}: error: is not a regular file" in proc.stderr


def test_a_hypothesis_export_may_be_anywhere_but_must_be_a_regular_file(project: Path, tmp_path: Path) -> None:
    export = tmp_path / "elsewhere" / "export.json"
    export.parent.mkdir()
    export.write_text(json.dumps({"rows": []}))
    assert "Traceback" not in run_cli(project, "import-hypothesis", str(export)).stderr
    assert "is not a regular file" not in run_cli(project, "import-hypothesis", str(export)).stderr
    proc = run_cli(project, "import-hypothesis", "/dev/zero")
    assert "/dev/zero: error: is not a regular file (a character device): refused" in proc.stderr


@pytest.mark.parametrize("name", ["index", "tags", "search", "404", "timeline", "Index"])
def test_a_raw_file_with_a_reserved_id_is_an_error_naming_the_page_it_would_replace(project: Path, name: str) -> None:
    (project / "raw" / f"{name}.txt").write_text(TEXT)
    proc = run_cli(project, "build")
    assert f"raw/{name}.txt: error: the id {name!r} is reserved: the site's " in proc.stderr
    assert not (project / "docs/articles" / f"{name}.md").exists() or name.lower() == "index"


def test_ids_that_differ_only_in_case_are_an_error_naming_both_files(project: Path) -> None:
    (project / "raw" / "2024-01-01-Report.txt").write_text(TEXT)
    proc = run_cli(project, "build")
    both = "raw/2024-01-01-Report.txt, raw/2024-01-01-report.txt"
    assert "raw/2024-01-01-report.txt: error: two raw files have the id" in proc.stderr
    assert both in proc.stderr


def test_a_broken_relative_link_in_an_article_is_a_warning_with_its_line_and_the_words_stay(project: Path) -> None:
    (project / "raw" / "2024-01-03-links.md").write_text(
        "# Links\n\nKyiv residents reported the attack.\n\nAs [the earlier report](earlier-report.md) said, and [the report](2024-01-01-report.md#x).\n"
    )
    proc = run_cli(project, "build")
    assert proc.returncode == 0, proc.stderr
    assert "raw/2024-01-03-links.md:5: warning: link to 'earlier-report.md' leads to no page of the site" in proc.stderr
    page = (project / "docs/articles/2024-01-03-links.md").read_text()
    assert "As the earlier report said" in page
    assert "[the report](2024-01-01-report.md)" in page


def test_a_broken_relative_link_in_an_annotation_body_is_reported_and_its_words_stay_on_the_page(project: Path) -> None:
    (project / "annotations" / "2024-01-01-report.yml").write_text(
        "article: 2024-01-01-report\nannotations:\n  - id: first\n    quote: The mayor spoke later\n    kind: note\n"
        "    author: '@editor'\n    created: 2024-01-02\n    body: See [the earlier report](earlier-report.md).\n"
    )
    proc = run_cli(project, "build")
    # A warning at the annotation's line, as for an article's own links: the build succeeds and the site publishes.
    assert proc.returncode == 0
    assert "annotations/2024-01-01-report.yml:3: warning: link 'earlier-report.md' in the body of 'first' leads to no page" in proc.stderr
    assert "annotation 'first': link to 'earlier-report.md' leads to no page of the site" in (project / "docs/articles/2024-01-01-report.md").read_text()
    body = (project / "docs/articles/2024-01-01-report.md").read_text().split("\n---\n", 1)[1]  # after the front matter
    assert "See the earlier report." in body and "(earlier-report.md)" not in body


def test_a_link_that_was_broken_is_kept_once_its_target_article_arrives_and_shown_as_text_once_it_leaves(project: Path) -> None:
    (project / "raw" / "2024-01-03-links.md").write_text("# Links\n\nAs [the earlier report](2024-01-04-earlier.md) said.\n")
    run_cli(project, "build", check=True)
    page = project / "docs/articles/2024-01-03-links.md"
    assert "As the earlier report said." in page.read_text()
    (project / "raw" / "2024-01-04-earlier.txt").write_text(TEXT)
    run_cli(project, "build", check=True)
    assert "[the earlier report](2024-01-04-earlier.md)" in page.read_text()
    (project / "raw" / "2024-01-04-earlier.txt").unlink()
    run_cli(project, "build", check=True)
    assert "As the earlier report said." in page.read_text()
