"""One note a file: ``annotations/<article-id>/<note-id>.yml`` beside ``annotations/<article-id>.yml``.

Two contributors annotating one article in two pull requests add two files,
so their branches merge without a conflict; ``check`` and ``build`` read
both layouts the same way, and every other entry of the folder is reported.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from archive_build.annotations.append import note_file_text
from archive_build.errors import InputError
from tests.conftest import copy_project, run_cli

STERN = "2023-05-30-drone-attacks-on-moscow-stern"
WSWS = "2023-05-30-drone-attack-on-moscow"

PANZIR = 'quote: "Panzir anti-aircraft complex"\nkind: context\nauthor: "@a"\ncreated: 2026-11-20\nbody: |\n  The German spelling of Pantsir.\n'
TERNOPOL = 'quote: "Ternopol"\nauthor: "@b"\ncreated: 2026-11-21\nbody: A city in western Ukraine.\n'


def as_item(note_id: str, text: str) -> str:
    lines = [f"  - id: {note_id}"] + [f"    {line}" if line else "" for line in text.splitlines()]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p", annotations=False)


def write_notes(project: Path, article: str, notes: dict[str, str]) -> None:
    folder = project / "annotations" / article
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in notes.items():
        (folder / name).write_text(text)


def front_matter(project: Path, article: str) -> dict:
    return yaml.safe_load((project / "docs" / "articles" / f"{article}.md").read_text().split("---\n", 2)[1])


def test_note_files_are_checked_and_built_like_a_list_file(project):
    write_notes(project, STERN, {"panzir.yml": PANZIR, "ternopol.yml": TERNOPOL})
    run_cli(project, "build", "--quiet", check=True)
    from_folder = front_matter(project, STERN)["annotations"]
    page = (project / "docs" / "articles" / f"{STERN}.md").read_text()
    assert "[^ann-panzir]:" in page and "The German spelling of Pantsir." in page
    for note in from_folder:
        del note["line"]
    (project / "annotations" / STERN / "panzir.yml").unlink()
    (project / "annotations" / STERN / "ternopol.yml").unlink()
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n" + as_item("panzir", PANZIR) + as_item("ternopol", TERNOPOL))
    run_cli(project, "build", "--quiet", check=True)
    from_list = front_matter(project, STERN)["annotations"]
    for note in from_list:
        del note["line"]
    assert from_folder == from_list


def test_both_layouts_for_one_article_are_read_together(project):
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n" + as_item("panzir", PANZIR))
    write_notes(project, STERN, {"ternopol.yml": TERNOPOL})
    proc = run_cli(project, "check")
    assert proc.returncode == 0 and "annotations/" not in proc.stderr, proc.stderr


def test_a_note_id_also_in_the_list_file_is_an_error_naming_both_files(project):
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n" + as_item("panzir", PANZIR))
    write_notes(project, STERN, {"panzir.yml": TERNOPOL})
    proc = run_cli(project, "check")
    assert proc.returncode == 1
    assert f"annotations/{STERN}/panzir.yml:1: error: duplicate id 'panzir': annotations/{STERN}.yml has it too" in proc.stderr


def test_an_id_written_in_a_note_file_must_be_its_name(project):
    write_notes(project, STERN, {"panzir.yml": "id: pantsir\n" + PANZIR})
    proc = run_cli(project, "check")
    assert f"annotations/{STERN}/panzir.yml:1: error: id 'pantsir' differs from the file's name" in proc.stderr


def test_a_note_file_gets_the_same_checks_as_an_item(project):
    write_notes(project, STERN, {"panzir.yml": PANZIR.replace("kind: context", "kind: remark").replace("quote:", "qoute:")})
    proc = run_cli(project, "check")
    assert f"annotations/{STERN}/panzir.yml:1: error: unknown key 'qoute' (did you mean 'quote'?)" in proc.stderr
    assert f"annotations/{STERN}/panzir.yml:2: error: kind 'remark' is not one of" in proc.stderr


def test_a_list_written_in_a_note_file_is_an_error(project):
    write_notes(project, STERN, {"panzir.yml": "- " + PANZIR.replace("\n", "\n  ")})
    proc = run_cli(project, "check")
    assert f"annotations/{STERN}/panzir.yml:1: error: a note file must be a mapping" in proc.stderr


def test_every_other_entry_of_an_article_folder_is_an_error(project):
    write_notes(project, STERN, {"notes.txt": "stray\n", "Panzir.yml": PANZIR, "ok.YML": PANZIR})
    (project / "annotations" / STERN / "more").mkdir()
    (project / "annotations" / "no-such-article").mkdir()
    err = run_cli(project, "check").stderr
    assert f"annotations/{STERN}/notes.txt: error: not a note file" in err
    assert f"annotations/{STERN}/Panzir.yml: error: the file name is the note's id" in err and f"annotations/{STERN}/panzir.yml" in err
    assert f"annotations/{STERN}/ok.YML: error: not a note file, so the build does not read it: rename it to annotations/{STERN}/ok.yml" in err
    assert f"annotations/{STERN}/more: error: a folder inside an article's notes" in err
    assert "annotations/no-such-article: error: a folder for an article that does not exist" in err


def test_a_note_file_yaml_cannot_parse_is_still_listed_on_the_page(project):
    write_notes(project, STERN, {"panzir.yml": PANZIR.replace('author: "@a"', "author: @a")})
    proc = run_cli(project, "build", "--quiet", "--keep-going")
    assert proc.returncode == 1 and f"annotations/{STERN}/panzir.yml:3:" in proc.stderr
    page = (project / "docs" / "articles" / f"{STERN}.md").read_text()
    assert "Unanchored notes" in page and "The German spelling of Pantsir." in page


def test_annotate_writes_a_note_file_and_never_reuses_an_id(project):
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n" + as_item("panzir-anti-aircraft-complex", PANZIR))
    proc = run_cli(project, "annotate", STERN, "Panzir anti-aircraft complex", "--author", "@me")
    assert proc.returncode == 0, proc.stderr
    path = project / "annotations" / STERN / "panzir-anti-aircraft-complex-2.yml"
    text = path.read_text()
    assert text.endswith("body: |\n") and 'quote: "Panzir anti-aircraft complex"' in text and "id:" not in text
    path.write_text(text + "  Written.\n")
    check = run_cli(project, "check")
    assert check.returncode == 0 and "annotations/" not in check.stderr, check.stderr


def test_annotate_single_file_keeps_the_list_form(project):
    proc = run_cli(project, "annotate", STERN, "Ternopol", "--single-file")
    assert proc.returncode == 0, proc.stderr
    assert (project / "annotations" / f"{STERN}.yml").exists() and not (project / "annotations" / STERN).exists()


def test_a_note_file_is_written_once_and_read_back(tmp_path):
    entry = {"id": "x", "quote": "q", "author": "@a", "body": "Line one.\n\nLine two.\n", "links": ["a-b"]}
    text = note_file_text(tmp_path / "x.yml", "x.yml", entry)
    assert yaml.safe_load(text) == {"quote": "q", "author": "@a", "body": "Line one.\n\nLine two.\n", "links": ["a-b"]}
    (tmp_path / "x.yml").write_text(text)
    with pytest.raises(InputError, match="already exists"):
        note_file_text(tmp_path / "x.yml", "x.yml", entry)


def _git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, env=env, check=False)


def test_two_branches_each_adding_a_note_to_one_article_merge_without_conflict(project):
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n" + as_item("first", TERNOPOL))
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    for branch, quote in (("one", "Panzir anti-aircraft complex"), ("two", "Sergei Shoigu")):
        _git(project, "checkout", "-q", "-b", branch, "main")
        proc = run_cli(project, "annotate", STERN, quote, "--author", f"@{branch}")
        assert proc.returncode == 0, proc.stderr
        for path in (project / "annotations" / STERN).glob("*.yml"):
            if not path.read_text().endswith("Written.\n"):
                path.write_text(path.read_text() + "  Written.\n")
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", f"note on {branch}")
    _git(project, "checkout", "-q", "main")
    assert _git(project, "merge", "-q", "--no-edit", "one").returncode == 0
    merged = _git(project, "merge", "--no-edit", "two")
    assert merged.returncode == 0 and "CONFLICT" not in merged.stdout, merged.stdout + merged.stderr
    notes = sorted(p.name for p in (project / "annotations" / STERN).iterdir())
    assert notes == ["panzir-anti-aircraft-complex.yml", "sergei-shoigu.yml"]
    check = run_cli(project, "check")
    assert check.returncode == 0 and "annotations/" not in check.stderr, check.stderr
