"""`archive-build review --base REF`: the pull request's annotations as its reviewer sees them, escaped."""
from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import copy_project, run_cli

WSWS = "2023-05-30-drone-attack-on-moscow"
HOSTILE = (
    "  - id: hostile\n    quote: \"Eight fixed-wing drones\"\n    author: \"@me <b>\"\n    created: 2026-12-01\n    body: |\n"
    "      **Bold** <script>alert(1)</script> [x](javascript:alert(1))\n\n      # Not a heading of the summary\n\n"
    "      [click](https://example.org/)\n"
)


def git(project, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org", *args], check=True, capture_output=True)


def commit_base(project):
    """Make ``project`` a repository of one commit: the base a review compares against."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    return project


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> str:
    project = copy_project(tmp_path_factory.mktemp("review"))
    commit_base(project)
    path = project / "annotations" / f"{WSWS}.yml"
    text = path.read_text().replace("Pantsir air-defence systems", "Pantsir-S1 air-defence systems")
    text = re.sub(r"\n  - id: wsws-editorial-board\n(?:    .*\n|\n)*?(?=  - id:)", "\n", text)
    path.write_text(text + "\n" + HOSTILE)
    out = project / "summary.md"
    run_cli(project, "review", "--base", "HEAD", "--out", str(out), check=True)
    return out.read_text()


def test_the_summary_counts_what_the_pull_request_adds_changes_and_removes(summary):
    assert "1 added, 1 changed, 1 removed against `HEAD`." in summary


def test_an_added_note_shows_its_article_passage_in_context_kind_author_and_body(summary):
    block = summary[summary.index("Added <code>hostile</code>") :]
    assert f"on <code>{WSWS}</code>" in block
    assert "<mark><b>Eight fixed-wing drones</b></mark> were launched" in block and "anchored exactly" in block
    assert "note by @me &lt;b&gt;, 2026-12-01" in block
    assert "<strong>Bold</strong>" in block and '<a href="https://example.org/" rel="nofollow noopener">click</a>' in block


def test_a_changed_note_is_listed_and_an_unchanged_one_is_not(summary):
    assert "Changed <code>eight-drones</code>" in summary and "Pantsir-S1" in summary
    assert "wswws-typo" not in summary


def test_a_removed_note_is_listed(summary):
    assert "Removed <code>wsws-editorial-board</code>" in summary


def test_nothing_a_contributor_writes_becomes_markup_or_markdown_of_the_summary(summary):
    assert "<script" not in summary and "javascript:" not in summary
    for block in re.findall(r"<div>\n.*?\n</div>", summary, re.S):
        assert "\n\n" not in block  # a blank line would end the HTML block: what follows would be Markdown
    assert not re.search(r"^#\s*Not a heading", summary, re.M)


def test_a_re_anchored_quote_gives_its_similarity(tmp_path):
    project = commit_base(copy_project(tmp_path / "p"))
    path = project / "annotations" / f"{WSWS}.yml"
    path.write_text(path.read_text() + "\n  - id: fuzzy\n    quote: \"Eight fixed-wing drone were launched\"\n    author: \"@me\"\n    created: 2026-12-01\n    body: x\n")
    proc = run_cli(project, "review", "--base", "HEAD", check=True)
    assert re.search(r"re-anchored to a similar passage \(\d\d% similar\)", proc.stdout)


def test_a_missing_base_is_an_error_not_a_traceback(tmp_path):
    project = commit_base(copy_project(tmp_path / "p"))
    proc = run_cli(project, "review", "--base", "no-such-branch")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "cannot read it at 'no-such-branch'" in proc.stderr


def test_the_check_workflow_writes_the_review_and_uploads_the_site():
    import yaml

    from tests.conftest import ROOT

    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text())["jobs"]["check"]["steps"]
    runs = "\n".join(str(s.get("run", "")) for s in steps)
    assert 'archive-build review --base "origin/$BASE_REF"' in runs and "archive-build site" in runs
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))["with"]["fetch-depth"] == 0


def test_a_note_whose_prefix_alone_changed_is_listed_as_changed(tmp_path):
    project = commit_base(copy_project(tmp_path / "p"))
    path = project / "annotations" / f"{WSWS}.yml"
    path.write_text(path.read_text().replace('prefix: "Following the G7 summit, "', 'prefix: "the G7 summit, "'))
    proc = run_cli(project, "review", "--base", "HEAD", check=True)
    assert "0 added, 1 changed, 0 removed" in proc.stdout and "Changed <code>wswws-typo</code>" in proc.stdout


def test_note_files_added_changed_and_removed_are_listed(tmp_path):
    project = copy_project(tmp_path / "p")
    folder = project / "annotations" / WSWS
    folder.mkdir()
    note = 'quote: "Eight fixed-wing drones"\nauthor: "@a"\ncreated: 2026-12-01\nbody: {}\n'
    (folder / "kept.yml").write_text(note.format("Kept."))
    (folder / "edited.yml").write_text(note.format("Before."))
    (folder / "dropped.yml").write_text(note.format("Dropped."))
    commit_base(project)
    (folder / "edited.yml").write_text(note.format("After."))
    (folder / "dropped.yml").unlink()
    (folder / "new.yml").write_text(note.format("New."))
    out = project / "summary.md"
    run_cli(project, "review", "--base", "HEAD", "--out", str(out), check=True)
    summary = out.read_text()
    assert "1 added, 1 changed, 1 removed against `HEAD`." in summary
    assert "Added <code>new</code>" in summary and "Changed <code>edited</code>" in summary and "Removed <code>dropped</code>" in summary
    assert "kept" not in summary
