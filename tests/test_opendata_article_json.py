"""article.json and the data files in the built site: front matter, clean body, plain text, links from each page."""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_build.markdown.plaintext import plain_text
from archive_build.model import Article
from archive_build.opendata import SiteInfo, data_files
from archive_build.opendata.packs import pack_of, unpack
from testkit.examples import examples

INFO = SiteInfo("https://archive.example.org/", "Reading Archive")
SEED = "2023-05-30-drone-attack-on-moscow"


def _front_matter(project: Path, article_id: str) -> dict:
    return yaml.safe_load((project / "docs" / "articles" / f"{article_id}.md").read_text("utf-8").split("---\n", 2)[1])


def _record(project: Path, article_id: str) -> dict:
    return json.loads((project / "site" / "data" / "articles" / article_id / "article.json").read_text("utf-8"))


def test_article_json_holds_the_pages_front_matter(seed_site):
    record = _record(seed_site, SEED)
    fm = _front_matter(seed_site, SEED)
    assert {k: record[k] for k in fm} == fm


def test_article_json_gives_the_page_url_body_and_plain_text(seed_site):
    record = _record(seed_site, SEED)
    assert record["page_url"] == f"https://archive.example.org/articles/{SEED}/"
    assert record["body"].startswith("On Tuesday, Ukraine launched")
    assert record["plain"].startswith("On Tuesday, Ukraine launched")


def test_the_body_is_the_clean_text_without_highlights_or_entity_links(seed_site):
    record = _record(seed_site, SEED)
    assert record["annotations"], "the seed article is annotated"
    assert "<mark" not in record["body"] and "[^ann-" not in record["body"] and "../entities/" not in record["body"]


def test_the_plain_text_is_the_bodys_plain_text(seed_site):
    record = _record(seed_site, SEED)
    assert plain_text(record["body"])[0] == record["plain"]


def test_annotation_positions_count_in_the_published_plain_text(seed_site):
    for path in sorted((seed_site / "site" / "data" / "articles").glob("*/article.json")):
        record = json.loads(path.read_text("utf-8"))
        for ann in record["annotations"]:
            assert record["plain"][ann["start"] : ann["end"]] == ann["quote"]


def test_every_article_page_links_to_its_data_files(seed_site):
    site = seed_site / "site"
    for page in sorted(site.glob("articles/*/index.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        links = [a["href"] for a in soup.select(".ab-opendata a[href]")]
        names = {Path(h).name for h in links}
        assert {"article.json", "annotations.jsonld", "citation.json", "citation.bib"} <= names, page
        for href in links:
            target = (page.parent / href).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (page, href)


def test_the_open_data_page_links_to_the_archive_files(seed_site):
    page = seed_site / "site" / "open-data" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.select("article a[href]")}
    for name in ("annotations.jsonld", "archive.bib", "archive.json"):
        href = next(h for h in hrefs if h.endswith(name))
        assert (page.parent / href).resolve().is_file(), href


def test_data_files_are_the_same_bytes_every_time():
    a = Article(id="2024-01-01-x", raw="raw/x.txt", sha256="0" * 64, format="txt", title="X", body="Text.", plain="Text.")
    assert data_files(INFO, [a]) == data_files(INFO, [a])


def test_a_project_without_articles_still_publishes_the_archive_files(empty_project):
    from tests.conftest import run_cli

    run_cli(empty_project, "build", "--quiet", check=True)
    data = empty_project / "docs" / "data"
    assert json.loads((data / "annotations.jsonld").read_text("utf-8"))["total"] == 0
    assert json.loads((data / "archive.json").read_text("utf-8")) == []
    assert (data / "archive.bib").read_text("utf-8") == ""


def test_a_rebuild_rewrites_only_the_data_of_the_article_that_changed(tmp_path):
    from tests.conftest import copy_project, run_cli

    project = copy_project(tmp_path / "archive")
    run_cli(project, "build", "--quiet", check=True)
    trees = (project / "docs" / "data", project / "site-data")  # archive-wide files; each article's files
    before = {p: p.stat().st_mtime_ns for data in trees for p in data.rglob("*") if p.is_file()}
    ann = project / "annotations" / f"{SEED}.yml"
    ann.write_text(ann.read_text("utf-8").replace("is a typo in the original", "is a misprint in the original", 1), "utf-8")
    run_cli(project, "build", "--quiet", check=True)
    changed = sorted(p.relative_to(project).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert changed == ["docs/data/annotations.jsonld", f"site-data/{pack_of(SEED)}"]
    files = unpack(unpack((project / "site-data" / pack_of(SEED)).read_bytes())[SEED])
    assert "is a misprint in the original" in files["annotations.jsonld"].decode("utf-8")


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.text() | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(min_value=0, max_value=1).map(lambda x: round(x, 3)) | st.floats(min_value=85, max_value=100),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=examples(400), deadline=None)
@given(_JSON_VALUES)
def test_open_data_json_is_the_standard_librarys_compact_utf8_json(value) -> None:
    """orjson writes it (for speed); the bytes are what json.dumps(ensure_ascii=False, separators=(",", ":")) gives."""
    from archive_build.opendata import dump_json

    assert dump_json(value) == (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def test_open_data_json_takes_an_integer_beyond_64_bits_through_the_standard_library() -> None:
    from archive_build.opendata import dump_json

    assert dump_json({"n": 2**70}) == b'{"n":1180591620717411303424}\n'


def test_open_data_json_writes_what_a_sidecar_passes_through_as_json() -> None:
    """NaN and infinity (which json.dumps writes as non-JSON NaN) become null; a date its ISO string."""
    import datetime as dt

    from archive_build.opendata import dump_json

    data = {"notes": float("nan"), "language": float("inf"), "date": dt.date(2024, 1, 1)}
    assert json.loads(dump_json(data)) == {"notes": None, "language": None, "date": "2024-01-01"}
