"""No contributor mistake makes a note vanish: every file is read or reported, every unread note is still on the page."""
from __future__ import annotations

import pytest

from tests.conftest import copy_project, run_cli

STERN = "2023-05-30-drone-attacks-on-moscow-stern"
WSWS = "2023-05-30-drone-attack-on-moscow"
MILITANT = "2025-06-09-moscow-escalates-bombing-of-civilians"
ANNIVERSARY = "2026-02-27-ukraine-war-fourth-anniversary-statements"


def note(ident: str, quote: str, body: str = "x", indent: str = "  ") -> str:
    return (
        f"{indent}- id: {ident}\n{indent}  quote: \"{quote}\"\n{indent}  author: \"@a\"\n"
        f"{indent}  created: 2026-11-20\n{indent}  body: {body}\n"
    )


@pytest.fixture(scope="module")
def misplaced(tmp_path_factory) -> str:
    """Annotation files the build would not read, one of each kind; `check` run once."""
    project = copy_project(tmp_path_factory.mktemp("misplaced"), annotations=False)
    ann = project / "annotations"
    (ann / f"{STERN}.YML").write_text(f"article: {STERN}\nannotations:\n" + note("a", "Ternopol"))
    (ann / f"{WSWS}.yml").write_text(f"article: {WSWS}\nannotations:\n" + note("a", "Eight fixed-wing drones were launched"))
    (ann / f"{WSWS}.yaml").write_text(f"article: {WSWS}\nannotations:\n" + note("b", "the WSWWS noted"))
    (ann / "notes.txt").write_text("a stray note\n")
    (ann / "2025").mkdir()
    (ann / "2025" / f"{MILITANT}.yml").write_text(f"article: {MILITANT}\nannotations: []\n")
    (ann / "2023-05-30-drone-attack-on-moscw.yml").write_text("article: 2023-05-30-drone-attack-on-moscw\nannotations: []\n")
    return run_cli(project, "check").stderr


def test_an_upper_case_extension_is_an_error_that_says_how_to_rename_it(misplaced):
    assert f"annotations/{STERN}.YML: error: the build reads only lower-case extensions: rename it to annotations/{STERN}.yml" in misplaced


def test_two_files_for_one_article_are_an_error(misplaced):
    assert f"annotations/{WSWS}.yaml:1: error: two annotation files for one article (annotations/{WSWS}.yml and annotations/{WSWS}.yaml)" in misplaced


def test_a_yaml_extension_is_read_like_yml(misplaced):
    # Its quote is anchored: a misspelt one would be reported at its line.
    assert "quote not found" not in misplaced


def test_a_stray_file_and_a_subfolder_are_errors_naming_what_to_do(misplaced):
    assert "annotations/notes.txt: error: not an annotation file, so the build does not read it: annotations go in annotations/<article-id>.yml" in misplaced
    assert "annotations/2025: error: a folder for an article that does not exist: '2025'" in misplaced


def test_an_article_id_with_no_article_suggests_the_nearest_ids(misplaced):
    assert f"annotations for an article that does not exist: '2023-05-30-drone-attack-on-moscw'; did you mean '{WSWS}'" in misplaced


def test_both_files_for_one_article_are_on_its_page(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    ann = project / "annotations"
    (ann / f"{WSWS}.yml").write_text(f"article: {WSWS}\nannotations:\n" + note("a", "Eight fixed-wing drones were launched", "First file."))
    (ann / f"{WSWS}.yaml").write_text(f"article: {WSWS}\nannotations:\n" + note("b", "the WSWWS noted", "Second file."))
    proc = run_cli(project, "build", "--quiet", "--keep-going")
    assert proc.returncode == 1  # the two files are an error, --keep-going or not
    page = (project / "docs" / "articles" / f"{WSWS}.md").read_text()
    assert "[^ann-a]:" in page and "First file." in page and "[^ann-b]:" in page and "Second file."


BROKEN = {
    "a tab": "\tbody: x\n",
    "an unquoted @handle": "    author: @bob\n",
    "a bad date": "    created: 2026-13-45\n",
    "a file over the size limit": "    author: \"@a\"\n# " + "padding " * 40_000 + "\n",
}


@pytest.mark.parametrize("mistake", sorted(BROKEN))
def test_a_file_that_cannot_be_read_still_lists_every_note_on_the_page(tmp_path, mistake):
    project = copy_project(tmp_path / "p", annotations=False)
    text = f"article: {STERN}\nannotations:\n" + note("first", "Ternopol", "Note one survives.") + note("second", "Kiev", "Note two survives.")
    (project / "annotations" / f"{STERN}.yml").write_text(text + "  - id: third\n    quote: \"Pantsir\"\n" + BROKEN[mistake])
    proc = run_cli(project, "build", "--quiet", "--keep-going")
    assert proc.returncode == 1 and f"annotations/{STERN}.yml:" in proc.stderr
    page = (project / "docs" / "articles" / f"{STERN}.md").read_text()
    section = page[page.index("## Unanchored notes") :]
    assert "Note one survives." in section and "Note two survives." in section and "“Pantsir”" in section
    assert section.count("not read: the annotation file has a mistake") == 3


def test_an_item_that_fails_validation_is_listed_not_dropped(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(
        f"article: {STERN}\nannotations:\n" + note("good", "Ternopol") + note("bad", "Kiev", "Still here.").replace("2026-11-20", '"20 November"')
    )
    proc = run_cli(project, "build", "--quiet", "--keep-going")
    assert f"annotations/{STERN}.yml:11: error: created 20 November is not a date; write it as YYYY-MM-DD" in proc.stderr
    page = (project / "docs" / "articles" / f"{STERN}.md").read_text()
    assert "[^ann-good]" in page and "“Kiev”[^ann-unread-line-8] — not read" in page and "Still here." in page


def test_an_open_data_record_says_why_a_note_is_unanchored(tmp_path):
    from archive_build.build import collect
    from archive_build.project import Project

    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(
        f"article: {STERN}\nannotations:\n" + note("twice", "Kiev") + note("gone", "never written in this article") + note("bad", "Pantsir").replace("2026-11-20", "someday")
    )
    article = next(a for a in collect(Project(project), progress=False, workers=1).articles if a.id == STERN)
    assert [(r["id"], r["status"]) for r in article.unanchored] == [("twice", "ambiguous"), ("gone", "not found"), ("unread-line-13", "unread")]


def test_unanchored_notes_say_ambiguous_or_not_found(tmp_path):
    project = copy_project(tmp_path / "p", annotations=False)
    (project / "annotations" / f"{STERN}.yml").write_text(f"article: {STERN}\nannotations:\n" + note("twice", "Kiev") + note("gone", "never written in this article"))
    run_cli(project, "build", "--quiet", "--keep-going")
    page = (project / "docs" / "articles" / f"{STERN}.md").read_text()
    assert "“Kiev”[^ann-twice] — ambiguous: the quote occurs more than once" in page
    assert "“never written in this article”[^ann-gone] — not found in the text" in page


def test_a_note_written_without_its_dash_is_listed_not_dropped(tmp_path):
    from archive_build.annotations.load import read_annotations

    path = tmp_path / f"{STERN}.yml"
    path.write_text(f"article: {STERN}\nannotations:\n  id: a\n  quote: \"Ternopol\"\n  author: \"@a\"\n  created: 2026-11-20\n  body: Not lost.\n")
    loaded = read_annotations(path, f"annotations/{STERN}.yml", STERN)
    assert [str(p) for p in loaded.problems] == [f"annotations/{STERN}.yml:2: error: 'annotations:' must be a list (each item starting with '- ')"]
    assert [(u.quote, u.body) for u in loaded.unread] == [("Ternopol", "Not lost.")]
