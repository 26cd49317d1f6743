"""A corpus of published XSS vectors pushed through every channel a pull request reaches.

``tests/fixtures/xss/vectors.yml`` holds 275 vectors (the OWASP XSS Filter
Evasion Cheat Sheet, its event handlers on carrier elements, and Markdown,
YAML and theme tricks).  One site is built from all of them:

- raw articles: one plain-text, one Markdown and one saved-HTML article
  holding every vector (the Markdown one in four contexts: paragraph,
  heading, link text and title, link target), and one article per vector
  whose format rotates through txt, md and html (the HTML one with the
  vector in its ``<title>`` and meta tags too);
- sidecars: each per-vector article's sidecar sets ten fields from the
  corpus, rotated so every vector passes through every field once
  (title, description, source, authors, tags, notes, translator,
  original_title, license, the query of url);
- annotations: every vector as an author, a body (three contexts) and a quote;
- the gazetteer: every vector as an entity name, alias and description;
- Hypothesis import rows: every vector as the note, a tag and the user.

Every page of the site is then opened once in Chromium with the checks of
``hostile_site.PageCheck``, search is typed into the attacked pages, and
the feed, the sitemap, the search index and the open-data JSON are parsed.
"""
from __future__ import annotations

import gzip
import html
import json
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from tests.browser.hostile_site import PageCheck, search_works, serve
from tests.conftest import copy_project, mkdocs_build, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "xss" / "vectors.yml"
SIDECAR_FIELDS = ("title", "description", "source", "authors", "tags", "notes", "translator", "original_title", "license", "url")
FORMATS = ("txt", "md", "html")


def load_vectors() -> list[str]:
    groups = yaml.safe_load(CORPUS.read_text("utf-8"))
    return [v for group in groups.values() for v in group]


VECTORS = load_vectors()
N = len(VECTORS)


def _vec(i: int) -> str:
    return VECTORS[i % N]


def _aid(k: int) -> str:
    return f"2024-05-01-v{k:03d}"


def _url(k: int) -> str:
    return f"https://news.example.org/story-{k}"


def _md_contexts(v: str) -> str:
    return f"{v}\n\n## {v}\n\n[link {v}](https://example.org/ \"{v}\")\n\n[target]({v})\n"


def _article_text(k: int, fmt: str) -> str:
    v = _vec(k)
    lead = f"Report number {k} from the archive.\n\nThe second sentence of article {k} is here and long enough to quote.\n\n"
    if fmt == "txt":
        return lead + v + f"\n\nClosing paragraph {k}.\n"
    if fmt == "md":
        return f"# Report {k}\n\n" + lead + _md_contexts(v) + f"\nClosing paragraph {k}.\n"
    attr = html.escape(v, quote=True)
    return (
        f"<!doctype html><html><head><title>{v}</title><meta name=\"author\" content=\"{attr}\">"
        f"<meta name=\"description\" content=\"{attr}\"><meta property=\"og:title\" content=\"{attr}\"></head>"
        f"<body><article><h1>Report {k}</h1><p>Report number {k} from the archive.</p>"
        f"<p>The second sentence of article {k} is here and long enough to quote.</p>"
        f"<p>{v}</p><p>{html.escape(v)}</p><p>Closing paragraph {k}.</p></article></body></html>"
    )


def _sidecar(k: int) -> dict[str, Any]:
    side: dict[str, Any] = {}
    for j, field in enumerate(SIDECAR_FIELDS):
        v = _vec(k + j)
        side[field] = [v] if field in ("authors", "tags") else v
    side["url"] = _url(k) + "?ref=" + side["url"]
    return side


def _annotations(k: int) -> dict[str, Any]:
    v = _vec(k)
    return {
        "article": _aid(k),
        "annotations": [
            {"id": f"a{k}", "quote": f"The second sentence of article {k}", "kind": "note", "author": v, "created": "2024-06-01",
             "body": f"{v}\n\n[see]({v}) and [the source](https://example.org/ \"{v}\")\n"},
            {"id": f"b{k}", "quote": v, "kind": "context", "author": "@editor", "created": "2024-06-02", "body": "Quoted as it stands."},
        ],
    }


def _hypothesis_rows() -> list[dict[str, Any]]:
    rows = []
    for k in range(N):
        v = _vec(k + 3)
        rows.append({
            "id": f"hypothesis{k:04d}", "created": "2024-07-01T10:00:00+00:00", "user": f"acct:{v}@hypothes.is",
            "uri": _url(k), "text": v, "tags": [v, "context"], "permissions": {"read": ["group:__world__"]},
            "target": [{"source": _url(k), "selector": [{"type": "TextQuoteSelector", "exact": f"article {k} is here"}]}],
        })
    return rows


def _entities() -> list[dict[str, Any]]:
    kinds = ("person", "place", "organization", "event", "topic")
    return [
        {"id": f"xss-{k:03d}", "name": _vec(k), "kind": kinds[k % len(kinds)], "aliases": [_vec(k + 1) + " (alias)"], "description": _vec(k + 2)}
        for k in range(N)
    ]


#: How many times each channel received a vector (reported by the test).
CHANNELS: Counter[str] = Counter()


def _write(project: Path) -> None:
    raw = project / "raw"
    (raw / "2024-04-01-corpus-txt.txt").write_text("All vectors as plain text.\n\n" + "\n\n".join(VECTORS) + "\n", "utf-8")
    CHANNELS["raw txt (one article)"] += N
    (raw / "2024-04-02-corpus-md.md").write_text("# All vectors in Markdown\n\n" + "\n".join(_md_contexts(v) for v in VECTORS), "utf-8")
    CHANNELS["raw md (4 contexts each)"] += 4 * N
    body = "".join(f"<p>{v}</p>\n" for v in VECTORS)
    (raw / "2024-04-03-corpus-html.html").write_text(f"<!doctype html><html><head><title>All vectors</title></head><body><article><h1>All vectors in HTML</h1>{body}</article></body></html>", "utf-8")
    CHANNELS["raw html body (one article)"] += N
    for k in range(N):
        fmt = FORMATS[k % 3]
        (raw / f"{_aid(k)}.{fmt}").write_text(_article_text(k, fmt), "utf-8")
        CHANNELS[f"raw {fmt} (article per vector)"] += 1
        if fmt == "html":
            CHANNELS["raw html <title> and meta tags"] += 1
        (raw / f"{_aid(k)}.meta.yml").write_text(json.dumps(_sidecar(k), ensure_ascii=False), "utf-8")
        CHANNELS["sidecar fields (10 per article)"] += len(SIDECAR_FIELDS)
        (project / "annotations" / f"{_aid(k)}.yml").write_text(yaml.safe_dump(_annotations(k), allow_unicode=True, sort_keys=False, width=10000), "utf-8")
        CHANNELS["annotation author, body (3 contexts), quote"] += 5
    (project / "entities.yml").write_text(json.dumps({"entities": _entities()}, ensure_ascii=False), "utf-8")
    CHANNELS["gazetteer name, alias, description"] += 3 * N
    (project / "hypothesis.json").write_text(json.dumps({"rows": _hypothesis_rows()}, ensure_ascii=False), "utf-8")
    CHANNELS["hypothesis row note, tag, user"] += 3 * N


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = copy_project(tmp_path_factory.mktemp("xss-corpus"), raw=False, annotations=False, entities=False)
    _write(project)
    imported = run_cli(project, "import-hypothesis", "hypothesis.json")
    assert f"{N} imported," in imported.stdout, imported.stdout[-2000:] + imported.stderr[-2000:]
    build = run_cli(project, "build", "--keep-going", "--quiet")
    assert "Traceback" not in build.stderr, build.stderr
    site = mkdocs_build(project)
    assert site.returncode == 0, f"mkdocs build --strict failed:\n{site.stdout[-3000:]}\n{site.stderr[-3000:]}"
    with serve(project) as base:
        yield project, base


def test_the_corpus_holds_at_least_150_published_vectors():
    assert N >= 150 and len(set(VECTORS)) == N


def test_no_page_of_the_corpus_site_runs_or_is_taken_over_by_a_vector(corpus_site, browser, capsys):
    project, base = corpus_site
    site = project / "site"
    pages = sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 2 * N
    check = PageCheck(browser)
    problems: dict[str, list[str]] = {}
    try:
        for path in pages:
            # Titles are hovered on the pages that gather many values; the tooltip
            # guard is one script for all pages (test_issue_vectors hovers the rest).
            hover = not path.startswith(("articles/2024-05-", "entities/xss-"))
            found = check.findings(base + path, hover=hover)
            if found:
                problems[path] = found
    finally:
        check.close()
    with capsys.disabled():
        print(f"\nXSS corpus: {N} vectors, {len(pages)} pages checked in Chromium; vectors per channel:")
        for channel, count in sorted(CHANNELS.items()):
            print(f"  {channel}: {count}")
    assert not problems, json.dumps(problems, indent=1)[:5000]


def test_search_still_answers_on_the_pages_holding_every_vector(corpus_site, browser):
    _, base = corpus_site
    check = PageCheck(browser)
    try:
        for path in ("articles/2024-04-01-corpus-txt/", "articles/2024-04-02-corpus-md/", "articles/2024-04-03-corpus-html/", "browse/annotations/", "entities/"):
            assert check.findings(base + path, hover=False) == [], path
            assert search_works(check.page, "second sentence"), path
            assert check.findings(check.page.url, hover=False) == [], path  # results rendered from the index hold no markup
    finally:
        check.close()


class _Markup(HTMLParser):
    """Elements and attributes in an HTML fragment that could run code."""

    ALLOWED = {"code", "pre", "mark", "em", "strong", "b", "i", "br", "p", "ul", "ol", "li", "span", "a", "sup", "sub", "del", "s", "blockquote", "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "div", "q", "small", "abbr", "cite", "time", "details", "summary", "dl", "dt", "dd", "figure", "figcaption"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.ALLOWED:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value and value.replace(" ", "").lower().startswith(("javascript:", "data:", "vbscript:"))):
                self.bad.append(f"<{tag} {name}={value!r}>")


def _markup_in(fragment: str) -> list[str]:
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    return parser.bad


def test_the_search_holds_the_vectors_as_text_records_only(corpus_site):
    """Pagefind stores each page's text and metadata as plain text, which the search box shows as text
    (tests/browser/test_search_safety.py); Material's HTML index, which the theme inserted as markup, is gone."""
    project, _ = corpus_site
    site = project / "site"
    assert not (site / "search" / "search_index.json").exists()
    records = 0
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        assert isinstance(record.get("content"), str) and isinstance(record.get("meta"), dict)
        records += 1
    assert records > N


def test_the_feed_and_sitemap_are_well_formed_and_their_html_holds_no_markup_from_a_vector(corpus_site):
    project, _ = corpus_site
    site = project / "site"
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    ET.fromstring((site / "sitemap.xml").read_bytes())
    bad = []
    for el in feed.iter():
        if el.get("type") in ("html", "xhtml") and el.text:
            bad += _markup_in(el.text)
        for name, value in el.attrib.items():
            if value.replace(" ", "").lower().startswith(("javascript:", "data:", "vbscript:")):
                bad.append(f"{el.tag} {name}={value}")
    assert not bad, bad[:20]


def test_the_open_data_of_every_article_is_valid_json(corpus_site):
    project, _ = corpus_site
    files = list((project / "site/data/articles").rglob("*.json*"))
    assert len(files) >= 3 * N
    for f in files:
        json.loads(f.read_text("utf-8"))
