"""No code from input reaches the site.

A site is built from ``tests/fixtures/hostile/`` (raw articles in every
format, a sidecar, an annotation file and a gazetteer, each full of
``<script>``, ``<iframe>``, ``<object>``, event handlers, ``javascript:`` /
``data:`` / ``vbscript:`` URLs, CSS ``expression()`` and Markdown tricks),
and every HTML file and feed it outputs is scanned with an HTML parser
(Pagefind's search records are scanned by ``browser/test_xss_corpus.py``).  A site built from one benign article tells which scripts the
theme itself puts there; anything else is a finding.
"""
from __future__ import annotations

import html
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import copy_project, mkdocs_build, run_cli

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
MARKER = re.compile(r"XSS-[\w-]+")
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset", "codebase", "cite"}
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset", "base", "form", "link", "meta", "style", "svg", "math"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.I)

pytestmark = pytest.mark.slow


def _norm(value: str) -> str:
    """Page-independent form of a theme element: relative prefixes and hashes removed."""
    value = re.sub(r"https://archive\.example\.org/[^'\"]*", "SITE_URL", value)  # canonical links
    value = re.sub(r"(?:\.\./)+|\./", "", value)
    value = re.sub(r"\b[0-9a-f]{8,}\b", "H", value)
    return re.sub(r'"base":\s*"[^"]*"', '"base":""', value)


class Scanner(HTMLParser):
    """Collects every element and attribute that could run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active: list[str] = []  # signatures of active elements / attributes
        self.findings: list[str] = []  # always wrong, theme or not
        self._in: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attrs_d = {k.lower(): v or "" for k, v in attrs}
        for name, value in attrs_d.items():
            clean = re.sub(r"[\x00-\x20]+", "", html.unescape(value))
            if name.startswith("on"):
                self.active.append(_norm(f"{tag}[{name}={value}]"))
            elif name in URL_ATTRS and BAD_SCHEME.match(clean):
                self.active.append(_norm(f"{tag}[{name}={value}]"))
            elif name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", clean, re.I):
                self.findings.append(f"<{tag} style={value!r}>")
        if "mermaid" in attrs_d.get("class", "").split():
            # Material fetches its diagram library from unpkg.com for these: a request to another origin.
            self.findings.append(f"<{tag} class={attrs_d['class']!r}>")
        if tag in ACTIVE_TAGS:
            keep = {k: v for k, v in attrs_d.items() if k in ("src", "href", "rel", "type", "id", "http-equiv", "name", "action", "data")}
            self.active.append(_norm(f"<{tag} {sorted(keep.items())}>"))
        if tag in ("script", "style"):
            self._in, self._buf = tag, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in:
            content = "".join(self._buf)
            if MARKER.search(content) or (tag == "style" and re.search(r"expression\s*\(|javascript:", content, re.I)):
                self.findings.append(f"<{tag}> holding input: {content[:120]!r}")
            self.active.append(_norm(f"<{tag}>{content.strip()}"))
            self._in = None


def scan_html(text: str) -> Scanner:
    s = Scanner()
    s.feed(text)
    s.close()
    return s


def scan_site(site: Path) -> dict[str, Scanner]:
    out = {p.relative_to(site).as_posix(): scan_html(p.read_text("utf-8", "replace")) for p in sorted(site.rglob("*.html"))}
    for feed in sorted(site.glob("*.xml")):  # Atom/RSS: readers render type="html" content as HTML
        for i, el in enumerate(ET.parse(feed).iter()):
            if el.get("type") in ("html", "xhtml") or el.tag.endswith("description"):
                out[f"{feed.name}#{i}"] = scan_html(el.text or "")
    return out


def _build(project: Path) -> Path:
    run_cli(project, "build", "--quiet", "--keep-going")  # errors in hostile files are expected; the rest must build
    proc = mkdocs_build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


@pytest.fixture(scope="module")
def theme_elements(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every active element the theme puts on pages of a benign site."""
    project = copy_project(tmp_path_factory.mktemp("benign"), raw=False, annotations=False, entities=False)
    shutil.copy(HOSTILE / "raw" / "2024-01-04-benign-article.txt", project / "raw")
    return {sig for scanner in scan_site(_build(project)).values() for sig in scanner.active}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile"), raw=False, annotations=False, entities=False)
    shutil.copytree(HOSTILE / "raw", project / "raw", dirs_exist_ok=True)
    shutil.copytree(HOSTILE / "annotations", project / "annotations", dirs_exist_ok=True)
    shutil.copy(HOSTILE / "entities.yml", project / "entities.yml")
    return _build(project)


def hostile_inputs() -> set[str]:
    return {m for p in HOSTILE.rglob("*") if p.is_file() for m in MARKER.findall(p.read_text("utf-8"))}


def test_the_hostile_fixtures_try_many_attacks() -> None:
    assert len(hostile_inputs()) >= 80


def test_every_hostile_article_page_is_built(hostile_site: Path) -> None:
    for name in ("2024-01-01-hostile-text", "2024-01-02-hostile-markdown", "2024-01-03-hostile-page", "2024-01-04-benign-article"):
        assert (hostile_site / "articles" / name / "index.html").exists(), name


def _problems(site: Path, theme_elements: set[str], pages: re.Pattern[str]) -> list[str]:
    problems = []
    for page, scanner in scan_site(site).items():
        if not pages.match(page):
            continue
        problems += [f"{page}: {f}" for f in scanner.findings]
        problems += [f"{page}: {sig[:200]}" for sig in scanner.active if sig not in theme_elements]
    return problems


def test_no_script_handler_or_active_element_from_input_reaches_the_site(hostile_site: Path, theme_elements: set[str]) -> None:
    problems = _problems(hostile_site, theme_elements, re.compile(r"(?!browse/tags/)"))
    assert not problems, "\n".join(problems)



def test_the_tags_index_shows_hostile_titles_and_tags_as_text(hostile_site: Path, theme_elements: set[str]) -> None:
    problems = _problems(hostile_site, theme_elements, re.compile(r"browse/tags/"))
    assert not problems, "\n".join(problems)


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    page = (hostile_site / "articles" / "2024-01-01-hostile-text" / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#39;XSS-txt-1&#39;)&lt;/script&gt;" in page or "&lt;script&gt;alert('XSS-txt-1')&lt;/script&gt;" in page


def test_the_scanner_sees_a_script_a_handler_and_a_javascript_url() -> None:
    s = scan_html(
        '<p onclick="x()">a</p><script>alert("XSS-1")</script><a href=" jav&#x09;ascript:alert(1)">x</a>'
        '<b style="width:expression(1)">b</b><pre class="x mermaid">graph</pre>'
    )
    assert any("onclick" in a for a in s.active) and any("<script>" in a for a in s.active)
    assert any(a.startswith("a[href=") for a in s.active) and len(s.findings) == 3


def test_an_unsafe_url_from_a_sidecar_is_not_kept_but_recorded() -> None:
    from archive_build.pipeline import clean_article

    a = clean_article(b"Title\n\nSome text of the article.\n", "raw/2024-01-01-x.txt", {"url": " JavaScript:alert(1)"})
    assert a.url is None and " JavaScript:alert(1)" in [r.text for r in a.removed]


def test_a_tag_with_markup_characters_is_not_kept_but_recorded() -> None:
    from archive_build.pipeline import clean_article

    a = clean_article(b"Title\n\nSome text of the article.\n", "raw/2024-01-01-x.txt", {"tags": ["war", "<script>x</script>"]})
    assert a.tags == ["war"] and "<script>x</script>" in [r.text for r in a.removed]
