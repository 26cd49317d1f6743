"""`annotate` and `import-hypothesis` append to a contributor's file in its own style: the diff is added lines only."""
from __future__ import annotations

import difflib
import re

import pytest
import yaml

from archive_build.annotations.append import STUB_BODY, appended_text, make_id
from tests.conftest import copy_project, run_cli

STERN = "2023-05-30-drone-attacks-on-moscow-stern"


def only_additions(old: str, new: str) -> list[str]:
    """The lines the change adds; fails if it removes or changes any."""
    diff = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    assert not [d for d in diff if d.startswith("- ")], "".join(diff)
    return [d[2:] for d in diff if d.startswith("+ ")]


COLUMN_0 = f"""article: {STERN}
annotations:
- id: first
  author: "@a"   # author before quote, as this contributor likes
  quote: "Ternopol"
  created: 2026-11-20
  body: x
"""

COMMENTED = f"""# Notes kept by the reading group.
article: {STERN}   # the Stern report
annotations:
  # The first one.
  - id: first
    quote: "Ternopol"
    author: "@a"
    created: 2026-11-20
    body: |
      x
# end of the list
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("p"), annotations=False)


@pytest.mark.parametrize("name, old", [("column-0", COLUMN_0), ("commented", COMMENTED), ("crlf", COMMENTED.replace("\n", "\r\n"))])
def test_annotate_only_adds_lines_in_the_files_own_style(project, name, old):
    path = project / "annotations" / f"{STERN}.yml"
    path.write_bytes(old.encode())
    proc = run_cli(project, "annotate", STERN, "Panzir anti-aircraft complex", "--author", "@me", "--single-file")
    assert proc.returncode == 0, proc.stderr
    new = path.read_bytes().decode()
    added = only_additions(old, new)
    assert new.startswith(old)
    items = yaml.safe_load(new)["annotations"]
    assert [i["id"] for i in items] == ["first", "panzir-anti-aircraft-complex"]
    item_lines = [line for line in added if line.lstrip().startswith("- ")]
    dash = re.match(r"^( *)-", old.splitlines()[4 if name != "column-0" else 2]).group(1)
    assert item_lines and all(line.startswith(dash + "- ") for line in item_lines)
    if name == "crlf":
        assert "\n" not in new.replace("\r\n", "")


def test_annotate_writes_keys_in_the_order_the_files_items_use(project):
    path = project / "annotations" / f"{STERN}.yml"
    path.write_text(COLUMN_0)
    run_cli(project, "annotate", STERN, "Panzir anti-aircraft complex", "--single-file", check=True)
    added = path.read_text()[len(COLUMN_0) :]
    keys = [m.group(1) for m in re.finditer(r"^-? *(\w+):", added, re.M)]
    assert keys == ["id", "author", "quote", "kind", "created", "body"]


def test_annotate_appends_to_an_existing_yaml_file(project):
    (project / "annotations" / f"{STERN}.yml").unlink(missing_ok=True)
    path = project / "annotations" / f"{STERN}.yaml"
    path.write_text(COLUMN_0)
    run_cli(project, "annotate", STERN, "Panzir anti-aircraft complex", "--single-file", check=True)
    assert not (project / "annotations" / f"{STERN}.yml").exists()
    assert len(yaml.safe_load(path.read_text())["annotations"]) == 2
    path.unlink()


def test_a_byte_order_mark_is_kept():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.yml"
        path.write_bytes(b"\xef\xbb\xbfarticle: a\nannotations:\n  - id: one\n    quote: fox\n")
        new = appended_text(path, "a.yml", "a", [({"id": "two", "quote": "dog"}, "")])
        assert new.startswith("\ufeffarticle: a\nannotations:\n  - id: one\n    quote: fox\n")


def test_a_multi_line_body_is_appended_as_a_literal_block(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("article: a\nannotations:\n  - id: one\n    quote: fox\n")
    new = appended_text(path, "a.yml", "a", [({"id": "two", "quote": "dog", "body": "First paragraph.\n\nSecond: with a colon.\n"}, "")])
    assert "    body: |\n      First paragraph.\n\n      Second: with a colon.\n" in new
    assert yaml.safe_load(new)["annotations"][1]["body"] == "First paragraph.\n\nSecond: with a colon.\n"


def test_the_stub_body_is_an_empty_block_to_write_under(tmp_path):
    new = appended_text(tmp_path / "a.yml", "a.yml", "a", [({"id": "x", "quote": "q", "body": STUB_BODY}, "")])
    assert new.endswith("    # Write your note below, indented like this line (Markdown; several paragraphs are fine).\n    body: |\n")


def test_one_id_maker_for_both_tools_reads_the_quote_and_never_repeats():
    taken = {"kiev-was-bombed"}
    assert make_id("Kiev was bombed!", taken) == "kiev-was-bombed-2"
    assert make_id("Ça déjà vu", set()) == "ca-deja-vu"
    assert make_id("«»", set()) == "note"
    import archive_build.annotations.commands as annotate_cmd
    import archive_build.opendata.hypothesis_import as hypothesis

    assert annotate_cmd.make_id is make_id and hypothesis.make_id is make_id
    assert annotate_cmd.appended_text is hypothesis.appended_text


def test_annotate_on_a_mistyped_article_id_suggests_the_nearest(project):
    proc = run_cli(project, "annotate", "2023-05-30-drone-attacks-on-moscow-strn", "Ternopol")
    assert proc.returncode == 2 and f"no article '2023-05-30-drone-attacks-on-moscow-strn' in raw/; did you mean '{STERN}'" in proc.stderr
