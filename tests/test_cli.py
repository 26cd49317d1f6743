"""The command line: inspect, build with bad files, exit statuses, no tracebacks."""
from __future__ import annotations

import json

from tests.conftest import run_cli

GOOD = "A good article\n\nBy Jane Roe\nJune 9, 2025\n\nA paragraph of good text that ends properly.\n"


def test_inspect_json_prints_the_promised_fields(tmp_path):
    f = tmp_path / "2025-06-09-good.txt"
    f.write_text(GOOD)
    proc = run_cli(tmp_path, "inspect", str(f), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"id", "title", "authors", "date", "updated", "source", "url", "description", "body", "removed", "warnings"}
    assert data["authors"] == ["Jane Roe"] and data["updated"] is None and data["url"] is None
    assert {"text": "By Jane Roe", "reason": "metadata: byline/date (moved to front matter)"} in data["removed"]


def test_inspect_on_an_unreadable_file_exits_2_naming_it(tmp_path):
    f = tmp_path / "bin.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    proc = run_cli(tmp_path, "inspect", str(f), "--json")
    assert proc.returncode == 2 and "bin.txt" in proc.stderr and "Traceback" not in proc.stderr


def test_inspect_on_a_missing_file_exits_2(tmp_path):
    proc = run_cli(tmp_path, "inspect", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and "nope.txt" in proc.stderr and "Traceback" not in proc.stderr


def test_build_reports_bad_files_exits_nonzero_and_still_writes_the_good_ones(empty_project):
    raw = empty_project / "raw"
    (raw / "2025-06-09-good.txt").write_text(GOOD)
    (raw / "2025-06-10-empty.txt").write_bytes(b"")
    (raw / "2025-06-11-image.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))
    proc = run_cli(empty_project, "build", "--quiet")
    assert proc.returncode == 1
    assert "raw/2025-06-10-empty.txt: error: file is empty" in proc.stderr
    assert "raw/2025-06-11-image.txt: error: file is binary" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (empty_project / "docs" / "articles" / "2025-06-09-good.md").exists()


def test_two_raw_files_with_the_same_id_are_an_error(empty_project):
    raw = empty_project / "raw"
    (raw / "2025-06-09-same.txt").write_text(GOOD)
    (raw / "2025-06-09-same.md").write_text("# Same\n\nText of the other one.\n")
    proc = run_cli(empty_project, "build", "--quiet")
    assert proc.returncode == 1 and "two raw files have the id '2025-06-09-same'" in proc.stderr


def test_build_prints_a_one_line_summary(empty_project):
    (empty_project / "raw" / "2025-06-09-good.txt").write_text(GOOD)
    proc = run_cli(empty_project, "build", "--quiet")
    assert proc.returncode == 0
    assert "archive-build: 1 articles" in proc.stderr.splitlines()[-1]


def test_build_report_lists_the_problems_and_the_open_data_files_written(empty_project):
    raw = empty_project / "raw"
    (raw / "2025-06-09-good.txt").write_text(GOOD)
    (raw / "2025-06-10-empty.txt").write_bytes(b"")
    report = empty_project / "report.json"
    proc = run_cli(empty_project, "build", "--quiet", "--report", str(report))
    data = json.loads(report.read_text("utf-8"))
    assert proc.returncode == 1 and data["errors"] == 1 and data["articles"] == 1
    assert data["problems"] == ["raw/2025-06-10-empty.txt: error: file is empty", "raw/2025-06-09-good.txt: warning: no source found"]
    assert data["site_data_written"] and all(n.endswith(".pack") for n in data["site_data_written"])
    run_cli(empty_project, "build", "--quiet", "--report", str(report))
    assert json.loads(report.read_text("utf-8"))["site_data_written"] == []


def test_a_report_that_cannot_be_written_is_an_error_naming_it_not_a_traceback(empty_project):
    (empty_project / "raw" / "2025-06-09-good.txt").write_text(GOOD)
    proc = run_cli(empty_project, "build", "--quiet", "--report", str(empty_project / "no-such-folder" / "r.json"))
    assert proc.returncode == 2 and "no-such-folder/r.json: error: cannot write the report" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_report_lists_the_generated_pages_written(empty_project):
    (empty_project / "raw" / "2025-06-09-good.txt").write_text(GOOD)
    report = empty_project / "report.json"
    run_cli(empty_project, "build", "--quiet", "--report", str(report))
    assert "articles/2025-06-09-good.md" in json.loads(report.read_text("utf-8"))["docs_written"]
    run_cli(empty_project, "build", "--quiet", "--report", str(report))
    assert json.loads(report.read_text("utf-8"))["docs_written"] == []
