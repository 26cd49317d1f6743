"""Bad files get clear errors, and the rest still builds.

Each case puts one bad file next to a good article and runs the real
``archive-build build``: the message names the file (and line where there
is one), there is no traceback, the exit status is non-zero, and the good
article is still written.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from archive_build.ingest.decode import MAX_RAW_BYTES

from .conftest import copy_project, run_cli

GOOD = "2024-01-01-good-article"
GOOD_TEXT = "A good article\n\nBy Anna Brandt\n\nJanuary 1, 2024\n\nGrain exports rose again in December, officials said on Thursday.\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    p = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    (p / "raw" / f"{GOOD}.txt").write_text(GOOD_TEXT, "utf-8")
    return p


def build_with(project: Path, name: str, data: bytes | str) -> str:
    path = project / "raw" / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    proc = run_cli(project, "build", "--quiet")
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert proc.returncode != 0, out
    assert (project / "docs" / "articles" / f"{GOOD}.md").exists(), out
    return proc.stderr


def test_an_empty_file_is_named_in_the_error(project: Path) -> None:
    assert "raw/2024-01-02-empty.txt: error: file is empty" in build_with(project, "2024-01-02-empty.txt", b"")


def test_a_binary_file_is_named_in_the_error(project: Path) -> None:
    err = build_with(project, "2024-01-02-photo.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    assert "raw/2024-01-02-photo.txt: error: file is binary" in err


def test_a_text_file_over_the_size_limit_is_refused_naming_the_limit(project: Path) -> None:
    err = build_with(project, "2024-01-02-huge.txt", b"All work and no play makes Jack a dull boy.\n" * (50 * 1024 * 1024 // 44))
    assert "raw/2024-01-02-huge.txt: error:" in err and f"{MAX_RAW_BYTES:,} bytes" in err


def test_undecodable_bytes_are_named_with_their_line(project: Path) -> None:
    data = b"Title\n\nok line\n" + bytes(range(0x80, 0x100)) * 4 + b"\x00\x00\n"
    assert "raw/2024-01-02-garbage.txt" in build_with(project, "2024-01-02-garbage.txt", data)


@pytest.mark.parametrize("name", ["2024-01-02 with spaces.txt", "2024-01-02-ünïcödé.txt", "2024..01-02-dots.txt"])
def test_an_unsafe_file_name_is_refused_by_name(project: Path, name: str) -> None:
    assert f"raw/{name}: error: file name must be" in build_with(project, name, GOOD_TEXT)


def test_two_raw_files_with_one_id_are_both_named(project: Path) -> None:
    (project / "raw" / "2024-01-02-dup.txt").write_text(GOOD_TEXT, "utf-8")
    err = build_with(project, "2024-01-02-dup.md", "# Another copy\n\nText.\n")
    assert "raw/2024-01-02-dup.md" in err and "raw/2024-01-02-dup.txt" in err and "two raw files have the id" in err


def test_a_sidecar_with_a_yaml_error_is_named_with_its_line(project: Path) -> None:
    (project / "raw" / "2024-01-02-other.txt").write_text(GOOD_TEXT, "utf-8")
    err = build_with(project, "2024-01-02-other.meta.yml", "title: ok\nsource: [unclosed\n")
    assert "raw/2024-01-02-other.meta.yml:" in err and "YAML error" in err


def test_a_sidecar_with_an_unknown_key_is_named_with_its_line(project: Path) -> None:
    (project / "raw" / "2024-01-02-other.txt").write_text(GOOD_TEXT, "utf-8")
    err = build_with(project, "2024-01-02-other.meta.yml", "title: ok\nsoruce: typo\n")
    assert "raw/2024-01-02-other.meta.yml:2: error: unknown key 'soruce'" in err


def test_a_symlink_pointing_outside_raw_is_refused(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret title\n\nThe password is hunter2.\n", "utf-8")
    (project / "raw" / "2024-01-02-link.txt").symlink_to(secret)
    proc = run_cli(project, "build", "--quiet")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "raw/2024-01-02-link.txt: error: symlink pointing outside raw/ refused" in proc.stderr
    assert not (project / "docs" / "articles" / "2024-01-02-link.md").exists()
    assert (project / "docs" / "articles" / f"{GOOD}.md").exists()


def test_inspect_reports_a_bad_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "2024-01-02-empty.txt"
    bad.write_bytes(b"   \n")
    proc = run_cli(tmp_path, "inspect", str(bad))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and "2024-01-02-empty.txt" in proc.stderr


def test_a_dangling_symlink_is_named_in_the_error(project: Path) -> None:
    (project / "raw" / "2024-01-02-dangling.txt").symlink_to(project / "raw" / "2024-01-02-missing.txt")
    proc = run_cli(project, "build", "--quiet")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "raw/2024-01-02-dangling.txt: error: cannot read file" in proc.stderr
    assert (project / "docs" / "articles" / f"{GOOD}.md").exists()
