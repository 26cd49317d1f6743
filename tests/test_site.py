"""The real site: mkdocs build --strict, article headers, removed text kept out of the article."""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from tests.conftest import build_site, copy_project, mkdocs_build, run_cli

SEEDS = {
    "2025-06-09-moscow-escalates-bombing-of-civilians": ("Moscow sharply escalates the bombing of civilians", "Roy Landersen", "2025-06-09"),
    "2023-05-30-drone-attack-on-moscow": ("Drone attack on Moscow aims to escalate US-NATO war with Russia", "Andre Damon", "2023-05-30"),
    "2023-05-30-drone-attacks-on-moscow-stern": (None, None, "2023-05-30"),
    "2026-02-27-ukraine-war-fourth-anniversary-statements": (None, None, "2026-02-27"),
}


def _page(site: Path, article_id: str) -> BeautifulSoup:
    return BeautifulSoup((site / "articles" / article_id / "index.html").read_text("utf-8"), "html.parser")


def _front_matter(project: Path, article_id: str) -> dict:
    text = (project / "docs" / "articles" / f"{article_id}.md").read_text("utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_strict_build_has_no_warnings(seed_site):
    proc = mkdocs_build(seed_site)
    assert proc.returncode == 0
    assert "WARNING" not in proc.stderr


def test_each_seed_page_shows_title_byline_and_date(seed_site):
    for article_id, (title, author, date) in SEEDS.items():
        header = _page(seed_site / "site", article_id).select_one(".ab-article-header")
        assert header is not None, article_id
        fm = _front_matter(seed_site, article_id)
        assert fm["title"] in header.get_text(" "), article_id
        if title:
            assert fm["title"].startswith(title)
        if author:
            assert author in header.get_text(" ")
        assert header.select_one("time")["datetime"] == date


def test_no_removed_text_appears_in_the_article_text(seed_site):
    for article_id in SEEDS:
        page = _page(seed_site / "site", article_id)
        article = page.select_one("article")
        for block in article.select(".ab-about"):
            block.decompose()
        text = " ".join(article.get_text("").split())
        for removed in _front_matter(seed_site, article_id)["removed"]:
            snippet = " ".join(removed["text"].split())
            if removed["reason"].startswith("metadata") or removed["reason"].startswith("standfirst"):
                continue  # shown in the header, where it belongs
            if "pasted twice" in removed["reason"]:
                assert text.count(snippet) == 1, (article_id, removed)  # the one kept copy
                continue
            assert snippet not in text, (article_id, removed)


def test_removed_text_is_listed_in_the_about_this_text_block(seed_site):
    page = _page(seed_site / "site", "2023-05-30-drone-attacks-on-moscow-stern")
    block = page.select_one("section.ab-about")
    assert "An author’s biography pasted after the article was removed." in block.get_text() and "24 Hours World" in block.get_text()


def test_the_about_this_text_block_says_where_the_date_came_from(seed_site):
    sources = {}
    for article_id in SEEDS:
        fm = _front_matter(seed_site, article_id)
        sources[article_id] = fm.get("date_source")
        if fm.get("date_source"):
            block = _page(seed_site / "site", article_id).select_one("section.ab-about .ab-date-source")
            assert block is not None and f"Date {fm['date']} taken from" in block.get_text(), article_id
    assert any(sources.values())


def test_home_page_lists_articles_newest_first(seed_site):
    home = BeautifulSoup((seed_site / "site" / "index.html").read_text("utf-8"), "html.parser")
    links = [a["href"] for a in home.select("article a[href*='articles/2']")]
    order = [h.split("articles/")[1].strip("/") for h in links]
    assert order[:2] == ["2026-02-27-ukraine-war-fourth-anniversary-statements", "2025-06-09-moscow-escalates-bombing-of-civilians"]


def test_undated_article_says_date_unknown(tmp_path):
    project = copy_project(tmp_path / "p", raw=False, annotations=False, entities=False)
    (project / "raw" / "2020-01-01-undated.txt").write_text("Undated piece\n\nA paragraph without any date in it at all, ending here.\n")
    site = build_site(project)
    header = _page(site, "2020-01-01-undated").select_one(".ab-article-header")
    assert "date unknown" in header.get_text().lower()


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_two_builds_of_the_same_inputs_are_byte_identical(tmp_path):
    a = copy_project(tmp_path / "a")
    b = copy_project(tmp_path / "b")
    run_cli(a, "build", "--quiet", check=True)
    run_cli(b, "build", "--quiet", "-j", "1", check=True)
    assert _tree_digest(a / "docs") == _tree_digest(b / "docs")
