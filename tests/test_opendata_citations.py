"""Citations as CSL-JSON and BibTeX: read back by real citation libraries, the same as the page's block."""
from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bs4 import BeautifulSoup
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from tests.conftest import run_cli

SEEDS = (
    "2023-05-30-drone-attack-on-moscow",
    "2023-05-30-drone-attacks-on-moscow-stern",
    "2025-06-09-moscow-escalates-bombing-of-civilians",
    "2026-02-27-ukraine-war-fourth-anniversary-statements",
)


def _parse_bib(text: str) -> list[dict]:
    return bibtexparser.loads(text, parser=BibTexParser(common_strings=True)).entries


def test_archive_bib_parses_into_one_entry_per_article(seed_site):
    entries = _parse_bib((seed_site / "site" / "data" / "archive.bib").read_text("utf-8"))
    assert sorted(e["ID"] for e in entries) == sorted(SEEDS)
    wsws = next(e for e in entries if e["ID"] == "2023-05-30-drone-attack-on-moscow")
    assert wsws["title"] == "{Drone attack on Moscow aims to escalate US-NATO war with Russia}"
    assert wsws["journal"] == "World Socialist Web Site"
    assert wsws["year"] == "2023"
    assert "Damon" in wsws["author"]


def test_each_articles_citation_bib_is_its_entry_in_archive_bib(seed_site):
    data = seed_site / "site" / "data"
    archive = (data / "archive.bib").read_text("utf-8")
    for article_id in SEEDS:
        entry = (data / "articles" / article_id / "citation.bib").read_text("utf-8")
        assert entry in archive
        assert [e["ID"] for e in _parse_bib(entry)] == [article_id]


def test_the_bibtex_file_says_what_the_pages_cite_block_says(seed_site):
    for article_id in SEEDS:
        page = BeautifulSoup((seed_site / "site" / "articles" / article_id / "index.html").read_text("utf-8"), "html.parser")
        shown = page.select_one(".ab-cite pre").get_text()
        entry = (seed_site / "site" / "data" / "articles" / article_id / "citation.bib").read_text("utf-8")
        assert shown.strip() == entry.strip()


def test_csl_json_renders_with_a_citation_processor(seed_site):
    items = json.loads((seed_site / "site" / "data" / "archive.json").read_text("utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=True)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = {str(e) for e in bibliography.bibliography()}
    assert len(rendered) == len(SEEDS)
    assert any(r.startswith("Damon, A. (2023) “Drone attack on Moscow aims to escalate US-NATO war with Russia”") for r in rendered)


def test_each_articles_citation_json_is_one_csl_item(seed_site):
    data = seed_site / "site" / "data"
    archive = {i["id"]: i for i in json.loads((data / "archive.json").read_text("utf-8"))}
    for article_id in SEEDS:
        (item,) = json.loads((data / "articles" / article_id / "citation.json").read_text("utf-8"))
        assert item == archive[article_id]
        assert item["type"] == "article-newspaper" and item["title"] and item["URL"].startswith("https://")
        assert all(isinstance(p, int) for p in item["issued"]["date-parts"][0])


def _copy(seed_site: Path, tmp_path: Path) -> Path:
    from tests.conftest import copy_project

    return copy_project(tmp_path / "archive")


def test_export_writes_bibtex_without_building_the_site(tmp_path, seed_site):
    project = _copy(seed_site, tmp_path)
    proc = run_cli(project, "export", "--format", "bibtex", "--out", "out", check=True)
    assert "BibTeX for 4 articles" in proc.stderr
    assert (project / "out" / "archive.bib").read_bytes() == (seed_site / "site" / "data" / "archive.bib").read_bytes()
    assert (project / "out" / "articles" / SEEDS[0] / "citation.bib").is_file()
    assert not (project / "site").exists() and not (project / "docs" / "articles").exists()


def test_export_of_each_format_writes_the_same_files_as_the_site(tmp_path, seed_site):
    project = _copy(seed_site, tmp_path)
    for fmt in ("jsonld", "csl"):
        run_cli(project, "export", "--format", fmt, "--out", "out", check=True)
    site_data = seed_site / "site" / "data"
    for rel in ("annotations.jsonld", "archive.json", f"articles/{SEEDS[0]}/article.json", f"articles/{SEEDS[0]}/citation.json", f"articles/{SEEDS[0]}/annotations.jsonld"):
        assert (project / "out" / rel).read_bytes() == (site_data / rel).read_bytes(), rel


def test_export_refuses_an_archive_with_a_broken_annotation(tmp_path, seed_site):
    project = _copy(seed_site, tmp_path)
    (project / "annotations" / f"{SEEDS[1]}.yml").write_text(f"article: {SEEDS[1]}\nannotations:\n  - id: x\n    qoute: nope\n", "utf-8")
    proc = run_cli(project, "export", "--format", "jsonld", "--out", "out")
    assert proc.returncode == 1
    assert f"annotations/{SEEDS[1]}.yml:4: error: unknown key 'qoute'" in proc.stderr
    assert not (project / "out").exists()


def test_with_an_original_url_the_files_and_the_page_still_agree(tmp_path):
    from tests.conftest import build_site, copy_project

    project = copy_project(tmp_path / "archive")
    side = project / "raw" / f"{SEEDS[0]}.meta.yml"
    side.write_text(side.read_text("utf-8") + "url: https://www.wsws.org/en/articles/2023/05/30/pers-m30.html\n", "utf-8")
    site = build_site(project)
    page = BeautifulSoup((site / "articles" / SEEDS[0] / "index.html").read_text("utf-8"), "html.parser")
    entry = (site / "data" / "articles" / SEEDS[0] / "citation.bib").read_text("utf-8")
    assert page.select_one(".ab-cite pre").get_text().strip() == entry.strip()
    (parsed,) = _parse_bib(entry)
    assert parsed["url"] == "https://www.wsws.org/en/articles/2023/05/30/pers-m30.html"
    (item,) = json.loads((site / "data" / "articles" / SEEDS[0] / "citation.json").read_text("utf-8"))
    assert item["URL"] == "https://www.wsws.org/en/articles/2023/05/30/pers-m30.html"
    assert item["archive_location"] == f"https://archive.example.org/articles/{SEEDS[0]}/"
