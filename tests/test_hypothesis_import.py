"""Importing annotations from a Hypothesis export: matching, anchoring, appending, the report, round trip."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from archive_build.model import Article
from archive_build.opendata import SiteInfo
from archive_build.opendata.hypothesis_import import (
    IMPORTED,
    PRIVATE,
    REANCHORED,
    SKIPPED,
    UNANCHORED,
    appended_text,
    author_of,
    kind_of,
    parse_row,
    plan,
    read_export,
    table,
)
from archive_build.opendata.jsonld import PURPOSES, article_annotations
from tests.conftest import copy_project, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "hypothesis" / "search.json"
WSWS = "2023-05-30-drone-attack-on-moscow"
WSWS_URL = "https://www.wsws.org/en/articles/2023/05/30/pers-m30.html"
INFO = SiteInfo("https://archive.example.org/", "Reading Archive")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """The seed archive, with the WSWS article's original URL in its sidecar."""
    proj = copy_project(tmp_path / "archive")
    side = proj / "raw" / f"{WSWS}.meta.yml"
    side.write_text(side.read_text("utf-8") + f"url: {WSWS_URL}\n", "utf-8")
    return proj


def _annotations(project: Path) -> list[dict]:
    """The article's notes in both layouts: the list file's in order, then the note files' in import order."""
    listed = yaml.safe_load((project / "annotations" / f"{WSWS}.yml").read_text("utf-8"))["annotations"]
    folder = project / "annotations" / WSWS
    files = sorted(folder.glob("*.yml"), key=lambda p: p.stat().st_mtime_ns) if folder.is_dir() else []
    return listed + [{"id": f.stem, **yaml.safe_load(f.read_text("utf-8"))} for f in files]


def _note_files(project: Path) -> dict[str, bytes]:
    folder = project / "annotations" / WSWS
    return {f.name: f.read_bytes() for f in sorted(folder.glob("*.yml"))} if folder.is_dir() else {}


def _row(**over) -> dict:
    row = {
        "id": "abc", "uri": "https://example.org/a", "text": "A note.", "user": "acct:alice@hypothes.is", "permissions": {"read": ["group:__world__"]},
        "created": "2024-02-10T14:03:11.214635+00:00", "tags": [],
        "target": [{"source": "https://example.org/a", "selector": [{"type": "TextQuoteSelector", "exact": "brown fox", "prefix": "quick ", "suffix": " jumps"}]}],
    }
    row.update(over)
    return row


# --- Reading one Hypothesis row ---------------------------------------------------------------


def test_the_hypothesis_user_becomes_a_handle():
    assert author_of("acct:alice@hypothes.is") == "@alice"


def test_a_tag_naming_a_kind_sets_the_kind_case_insensitively():
    assert kind_of(["G7", "Correction"]) == "correction"


def test_without_a_kind_tag_the_kind_is_note():
    assert kind_of(["G7", "drones"]) == "note"


def test_created_keeps_its_time_in_utc():
    assert parse_row(_row(created="2024-03-01T23:30:00.5-05:00"), 1).created.isoformat() == "2024-03-02T04:30:00+00:00"


def test_quote_prefix_and_suffix_come_from_the_text_quote_selector():
    row = parse_row(_row(), 1)
    assert (row.exact, row.prefix, row.suffix) == ("brown fox", "quick ", " jumps")


def test_a_reply_a_page_note_and_a_bare_highlight_are_not_annotations_of_a_passage():
    assert "reply" in parse_row(_row(references=["x"]), 1)
    assert "page note" in parse_row(_row(target=[{"source": "https://example.org/a"}]), 1)
    assert "highlight" in parse_row(_row(text=""), 1)


def test_urls_match_ignoring_scheme_www_trailing_slash_and_utm_parameters(tmp_path):
    article = Article(id="2024-01-01-fox", raw="raw/x.txt", sha256="0", format="txt", url="https://www.example.org/a", plain="The quick brown fox jumps.")
    for uri in ("http://example.org/a/", "https://www.example.org/a?utm_source=x&utm_medium=y"):
        (outcome,) = plan([_row(uri=uri)], [article], tmp_path)
        assert (outcome.status, outcome.article_id) == (IMPORTED, "2024-01-01-fox"), uri


def test_a_row_matches_on_its_targets_source_when_its_uri_is_another_address(tmp_path):
    article = Article(id="2024-01-01-fox", raw="raw/x.txt", sha256="0", format="txt", url="https://example.org/a", plain="The quick brown fox jumps.")
    (outcome,) = plan([_row(uri="urn:x-pdf:1234")], [article], tmp_path)
    assert (outcome.status, outcome.article_id) == (IMPORTED, "2024-01-01-fox")


# --- Appending to annotation files ------------------------------------------------------------


def test_appending_keeps_the_existing_file_byte_for_byte(tmp_path):
    path = tmp_path / "a.yml"
    old = "# Notes on the fox.\narticle: a\nannotations:\n    - id: first   # the first one\n      quote: fox\n      author: '@me'\n      created: 2024-01-01\n      body: Hi.\n"
    path.write_text(old, "utf-8")
    new = appended_text(path, "annotations/a.yml", "a", [({"id": "second", "quote": "dog", "author": "@you", "body": "Ho."}, "")])
    assert new.startswith(old)
    assert "\n    - id: second\n      quote: \"dog\"\n" in new
    assert [a["id"] for a in yaml.safe_load(new)["annotations"]] == ["first", "second"]


def test_appending_to_an_empty_list_or_a_missing_file_works(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("article: a\nannotations: []  # none yet\n", "utf-8")
    new = appended_text(path, "a.yml", "a", [({"id": "x", "quote": "q"}, "")])
    assert yaml.safe_load(new)["annotations"] == [{"id": "x", "quote": "q"}]
    missing = appended_text(tmp_path / "b.yml", "b.yml", "b", [({"id": "x", "quote": "q"}, "")])
    assert yaml.safe_load(missing) == {"article": "b", "annotations": [{"id": "x", "quote": "q"}]}


def test_a_file_whose_last_key_is_not_annotations_is_refused(tmp_path):
    from archive_build.errors import InputError

    path = tmp_path / "a.yml"
    path.write_text("annotations:\n  - id: one\narticle: a\n", "utf-8")
    with pytest.raises(InputError, match="must be the file's last key"):
        appended_text(path, "a.yml", "a", [({"id": "x", "quote": "q"}, "")])


# --- The command on the fixture export --------------------------------------------------------


def test_import_reports_each_row_and_writes_only_anchored_notes(project):
    before = (project / "annotations" / f"{WSWS}.yml").read_text("utf-8")
    proc = run_cli(project, "import-hypothesis", str(FIXTURE))
    assert proc.returncode == 1, proc.stderr  # one note could not be anchored and was not kept
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(IMPORTED) and "the imperialist powers" in lines[0]
    assert lines[1].startswith(REANCHORED) and "similarity 98%" in lines[1]
    assert lines[2].startswith(UNANCHORED) and "nearest:" in lines[2]
    assert lines[3].startswith(SKIPPED) and "no article with the URL https://www.example.com/" in lines[3]
    assert lines[-1] == "1 imported, 1 re-anchored, 1 not anchored (not written; --keep-unanchored keeps them), 3 skipped"
    assert (project / "annotations" / f"{WSWS}.yml").read_text("utf-8") == before  # the list file is untouched
    assert len(_note_files(project)) == 2  # a note file each
    new = _annotations(project)[-2:]
    assert [a["imported_from"] for a in new] == ["https://hypothes.is/a/Wm9vQW5uMDAxXzAx", "https://hypothes.is/a/Wm9vQW5uMDAyXzAy"]


def test_an_imported_note_takes_body_author_date_and_kind_from_hypothesis(project):
    run_cli(project, "import-hypothesis", str(FIXTURE))
    note = _annotations(project)[-2]
    assert note["quote"] == "the imperialist powers have decided to bring the war"
    assert note["prefix"] == "S announced it would send F-16 fighters—" and note["suffix"] == " ever more directly into Russian "
    assert note["body"].startswith("The G7 summit in Hiroshima")
    assert (note["author"], note["created"].isoformat(), note["kind"]) == ("@olena_k", "2024-02-10T14:03:11+00:00", "context")


def test_imported_notes_pass_check(project):
    run_cli(project, "import-hypothesis", str(FIXTURE))
    proc = run_cli(project, "check")
    assert proc.returncode == 0, proc.stderr
    assert "re-anchored" in proc.stderr  # the typo'd quote: the same warning as for any annotation


def test_importing_twice_imports_nothing_new(project):
    run_cli(project, "import-hypothesis", str(FIXTURE))
    once = _note_files(project)
    proc = run_cli(project, "import-hypothesis", str(FIXTURE))
    assert _note_files(project) == once
    assert proc.stdout.splitlines()[-1].startswith("0 imported, 0 re-anchored")
    assert proc.stdout.count("already imported") == 2


def test_single_file_appends_to_the_list_file_and_keeps_what_it_held(project):
    before = (project / "annotations" / f"{WSWS}.yml").read_text("utf-8")
    run_cli(project, "import-hypothesis", "--single-file", str(FIXTURE))
    after = (project / "annotations" / f"{WSWS}.yml").read_text("utf-8")
    assert after.startswith(before) and after != before
    assert _note_files(project) == {}


def test_notes_imported_into_one_layout_are_not_imported_again_into_the_other(project):
    run_cli(project, "import-hypothesis", "--single-file", str(FIXTURE))
    proc = run_cli(project, "import-hypothesis", str(FIXTURE))
    assert _note_files(project) == {}
    assert proc.stdout.count("already imported") == 2


def test_keep_unanchored_writes_the_note_with_its_nearest_passage(project):
    proc = run_cli(project, "import-hypothesis", "--keep-unanchored", str(FIXTURE))
    assert proc.returncode == 0
    assert "not anchored (kept)" in proc.stdout
    text = b"".join(_note_files(project).values()).decode("utf-8")
    assert "\n# not anchored when imported: quote not found in article" in text
    assert _annotations(project)[-1]["quote"] == "Kremlin spokesman announced a general ceasefire on all fronts"
    build = run_cli(project, "build", "--quiet", "--keep-going")
    assert build.returncode == 0
    page = (project / "docs" / "articles" / f"{WSWS}.md").read_text("utf-8")
    fm = yaml.safe_load(page.split("---\n", 2)[1])
    assert "Kremlin spokesman" not in [a["quote"] for a in fm["annotations"]]
    assert "This sentence was in the first version of the page only." in page.split("---\n", 2)[2]  # under "Unanchored notes"


def test_an_unreadable_export_is_a_file_line_error(project, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"rows": [\n  {"id": 1,,}\n]}', "utf-8")
    proc = run_cli(project, "import-hypothesis", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{bad}:2: error: JSON error")
    assert "Traceback" not in proc.stderr


# --- Round trip: JSON-LD out, Hypothesis shape, back in -----------------------------------------


def _as_hypothesis(item: dict, uri: str, number: int) -> dict:
    """What Hypothesis' API would return for this Web Annotation."""
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    quote = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
    kind = {purpose: kind for kind, purpose in PURPOSES.items()}[bodies[0]["purpose"]]
    return {
        "id": f"RoundTrip{number:03d}",
        "created": item["created"].replace("Z", "+00:00"),
        "user": f"acct:{item['creator']['nickname'].lstrip('@')}@hypothes.is",
        "permissions": {"read": ["group:__world__"]},
        "uri": uri,
        "text": bodies[0]["value"],
        "tags": [kind],
        "target": [{"source": uri, "selector": [{"type": "TextQuoteSelector", "exact": quote["exact"], "prefix": quote.get("prefix", ""), "suffix": quote.get("suffix", "")}]}],
    }


def _comparable(item: dict) -> dict:
    """A Web Annotation without what Hypothesis cannot carry: its id, origin and links to other articles."""
    bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
    return {"body": bodies[0], "creator": item["creator"], "created": item["created"], "target": item["target"], "motivation": item["motivation"]}


def test_round_trip_through_the_hypothesis_shape_gives_the_same_annotations(project):
    run_cli(project, "export", "--format", "jsonld", "--out", "out", check=True)
    exported = json.loads((project / "out" / "articles" / WSWS / "annotations.jsonld").read_text("utf-8"))["first"]["items"]
    rows = [_as_hypothesis(item, WSWS_URL + "?utm_source=hypothesis", n) for n, item in enumerate(exported)]
    (project / "rows.json").write_text(json.dumps({"total": len(rows), "rows": rows}), "utf-8")
    (project / "annotations" / f"{WSWS}.yml").unlink()
    proc = run_cli(project, "import-hypothesis", "rows.json")
    assert proc.stdout.splitlines()[-1] == f"{len(rows)} imported, 0 re-anchored, 0 not anchored, 0 skipped", proc.stdout
    run_cli(project, "export", "--format", "jsonld", "--out", "again", check=True)
    again = json.loads((project / "again" / "articles" / WSWS / "annotations.jsonld").read_text("utf-8"))["first"]["items"]
    assert [_comparable(i) for i in again] == [_comparable(i) for i in exported]
    assert [i["via"] for i in again] == [f"https://hypothes.is/a/RoundTrip{n:03d}" for n in range(len(rows))]


def test_round_trip_in_memory_keeps_quote_context_and_kind(tmp_path):
    article = Article(id="2024-01-01-fox", raw="raw/x.txt", sha256="0", format="txt", url="https://example.org/fox", plain="The quick brown fox jumps over the lazy dog. The fox sleeps.")
    article.annotations = [
        {"id": "one", "kind": "correction", "author": "@reader", "created": "2026-11-20", "quote": "fox", "prefix": "The quick brown ", "suffix": " jumps over", "body": "Vixen?\n", "links": [], "start": 16, "end": 19, "similarity": 100, "line": 3},
    ]
    rows = [_as_hypothesis(i, "http://www.example.org/fox/", n) for n, i in enumerate(article_annotations(article, INFO))]
    (outcome,) = plan(rows, [article], tmp_path)
    assert outcome.status == IMPORTED
    entry = outcome.entry
    assert (entry["quote"], entry["prefix"], entry["suffix"], entry["kind"], entry["author"], entry["created"].isoformat(), entry["body"]) == (
        "fox", "The quick brown ", " jumps over", "correction", "@reader", "2026-11-20T00:00:00+00:00", "Vixen?\n"
    )


def test_appending_keeps_crlf_line_ends(tmp_path):
    path = tmp_path / "a.yml"
    path.write_bytes(b"article: a\r\nannotations:\r\n  - id: one\r\n    quote: fox\r\n")
    new = appended_text(path, "a.yml", "a", [({"id": "two", "quote": "dog"}, "")])
    assert new.startswith("article: a\r\nannotations:\r\n  - id: one\r\n    quote: fox\r\n")
    assert "\n" not in new.replace("\r\n", "")


def test_an_import_that_would_pass_the_size_limit_is_refused(tmp_path):
    from archive_build.errors import InputError

    entries = [({"id": f"n{i}", "quote": "q", "body": "x" * 1000}, "") for i in range(300)]
    with pytest.raises(InputError, match="256 KB limit"):
        appended_text(tmp_path / "a.yml", "a.yml", "a", entries)


# --- Who may read a note, and who wrote it ---------------------------------------------------


@pytest.mark.parametrize(
    "over, why",
    [
        ({"permissions": {"read": ["acct:alice@hypothes.is"]}}, "not public (its permissions.read is acct:alice@hypothes.is)"),
        ({"permissions": {"read": ["group:8xkA9Ywq"]}}, "not public (its permissions.read is group:8xkA9Ywq)"),
        ({"hidden": True}, "hidden by the group's moderators"),
        ({"flagged": True}, "flagged by readers"),
    ],
    ids=["private", "group", "hidden", "flagged"],
)
def test_a_note_that_is_not_public_is_skipped_and_counted_unless_asked_for(tmp_path, over, why):
    article = Article(id="2024-01-01-fox", raw="raw/x.txt", sha256="0", format="txt", url="https://example.org/a", plain="The quick brown fox jumps.")
    (outcome,) = plan([_row(**over)], [article], tmp_path)
    assert outcome.status == PRIVATE and why in outcome.detail and outcome.entry is None
    assert table([outcome], keep_unanchored=False).endswith("0 skipped, 1 not public (not imported; --include-private imports them)\n")
    (included,) = plan([_row(**over)], [article], tmp_path, include_private=True)
    assert included.status == IMPORTED


def test_a_row_without_permissions_is_not_taken_for_public(tmp_path):
    article = Article(id="2024-01-01-fox", raw="raw/x.txt", sha256="0", format="txt", url="https://example.org/a", plain="The quick brown fox jumps.")
    row = _row()
    del row["permissions"]
    (outcome,) = plan([row], [article], tmp_path)
    assert outcome.status == PRIVATE


def test_a_users_authority_stays_part_of_the_handle():
    assert author_of("acct:alice@hypothes.is") == "@alice"
    assert author_of("acct:alice@lms.hypothes.is") == "@alice@lms.hypothes.is"
    assert author_of("acct:alice@lms.hypothes.is") != author_of("acct:alice@hypothes.is")


def test_replies_listed_apart_are_counted_as_skipped_replies(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"rows": [_row()], "replies": [_row(id="r1"), _row(id="r2")]}), "utf-8")
    rows = read_export(export)
    article = Article(id="2024-01-01-fox", raw="raw/x.txt", sha256="0", format="txt", url="https://example.org/a", plain="The quick brown fox jumps.")
    outcomes = plan(rows, [article], tmp_path)
    assert [o.status for o in outcomes] == [IMPORTED, SKIPPED, SKIPPED]
    assert all("a reply to another annotation" in o.detail for o in outcomes[1:])


def test_a_row_with_selectors_but_no_quote_is_not_called_a_page_note():
    why = parse_row(_row(target=[{"source": "https://example.org/a", "selector": [{"type": "TextPositionSelector", "start": 1, "end": 5}]}]), 1)
    assert "page note" not in why and "no TextQuoteSelector" in why
