"""Annotating from the published page, in real Chromium: select, write, open the pull request or copy.

Each note is written through the panel as a reader would, read back from the
"Copy YAML" action and from the pull-request link, saved as
``annotations/<article>/<note>.yml`` in a scratch copy of the archive, and
then checked and built with the real ``archive-build``: it must anchor
exactly (no fuzzy warning) at the passage that was selected.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from tests.browser.conftest import PHONE, open_context, run_axe
from tests.conftest import copy_project, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WSWS = "2023-05-30-drone-attack-on-moscow"
STERN = "2023-05-30-drone-attacks-on-moscow-stern"
MILITANT = "2025-06-09-moscow-escalates-bombing-of-civilians"
ANNIVERSARY = "2026-02-27-ukraine-war-fourth-anniversary-statements"

# Selects from the start of `first` (its nth occurrence in the container's text as shown) to the end of `last` after it.
_SELECT = """([root, first, last, nth]) => {
  const container = document.querySelector(root);
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.data; }
  let at = -1;
  for (let k = 0; k <= nth; k++) { at = text.indexOf(first, at + 1); if (at < 0) throw new Error('not on the page: ' + first); }
  const end = text.indexOf(last, at) + last.length;
  if (end < last.length) throw new Error('not on the page after it: ' + last);
  const point = (i, isEnd) => {
    for (const [n, s] of nodes) { if (isEnd ? (s < i && i <= s + n.data.length) : (s <= i && i < s + n.data.length)) return [n, i - s]; }
    throw new Error('no text node at ' + i);
  };
  const range = document.createRange();
  range.setStart(...point(at, false));
  range.setEnd(...point(end, true));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}"""


@dataclass
class Case:
    """A passage selected on an article's page, and where in the plain text its note must anchor."""

    article: str
    first: str  # the selection starts at this text (as the page shows it) …
    last: str  # … and ends with this
    locator: str  # a passage of the plain text that starts where the note must anchor, found once
    nth: int = 0  # which occurrence of `first` on the page
    what: str = ""


CASES = [
    Case(WSWS, "Eight fixed-wing", "of which at least one crashed", "Eight fixed-wing drones were launched, of which", what="across a highlight and its footnote marker"),
    Case(WSWS, "“The Pentagon has", "tacit endorsement", "“The Pentagon has given a tacit", what="across an entity link"),
    Case(WSWS, "reported in December", "reported in December", "reported in December", what="plain words"),
    Case(WSWS, "the Times of", "reported in", "the Times of London reported", what="across emphasis"),
    Case(WSWS, "into Russian territory.", "These attacks are aimed", "into Russian territory.\n\nThese attacks", what="across a paragraph break"),
    Case(WSWS, "the United States", "the United States", "the United States that it does not", nth=0, what="a passage that occurs more than once"),
    Case(STERN, "Panzir anti-aircraft", "complex", "Panzir anti-aircraft complex", what="the Stern article"),
    Case(MILITANT, "escalating its murderous", "bombing campaign", "escalating its murderous bombing campaign", what="the Militant article"),
    Case(ANNIVERSARY, "bombing the country", "energy system", "bombing the country’s energy system", what="the anniversary statements"),
]


def select(page: Any, first: str, last: str, nth: int = 0, root: str = ".ab-article-body") -> None:
    page.evaluate(_SELECT, [root, first, last, nth])


def open_article(page: Any, site_url: str, article: str) -> None:
    page.goto(f"{site_url}articles/{article}/")
    page.wait_for_function("() => !!document.querySelector('.ab-annotate-control')")


def open_panel_by_click(page: Any) -> None:
    control = page.locator(".ab-annotate-control")
    control.wait_for(state="visible")
    control.click()
    page.locator(".ab-annotate-panel [data-ab-annotate-form]").wait_for(state="visible")


def fill(page: Any, kind: str, author: str, body: str) -> None:
    page.locator("#ab-annotate-kind").select_option(kind)
    page.locator("#ab-annotate-author").fill(author)
    page.locator("#ab-annotate-body").fill(body)


def panel_yaml(page: Any) -> str:
    return page.locator("[data-ab-annotate-yaml]").text_content() or ""


def pr_url(page: Any) -> str:
    return page.locator("[data-ab-annotate-pr]").get_attribute("href") or ""


def copied(page: Any) -> str:
    page.locator("[data-ab-annotate-copy]").click()
    page.wait_for_function("() => /Copied/.test(document.querySelector('[data-ab-annotate-status]').textContent)")
    return page.evaluate("() => navigator.clipboard.readText()")


# The passage each case's panel showed, context included (filled by `written`).
contexts: dict[str, str] = {}


@pytest.fixture(scope="module")
def written(browser: Any, site_url: str) -> list[tuple[Case, str, str, str]]:
    """Every case's note as the panel gives it: (case, note file name, YAML from Copy, pull-request URL)."""
    context, log = open_context(browser, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    out = []
    contexts.clear()
    for i, case in enumerate(CASES):
        open_article(page, site_url, case.article)
        select(page, case.first, case.last, case.nth)
        open_panel_by_click(page)
        fill(page, "context", f"@reader{i}", f"Note {i}: {case.what}.\n\nA *second* paragraph.")
        if case.article == STERN:  # "See also": another article, chosen by its title
            page.locator(f"#ab-annotate-links option[value='{WSWS}']").wait_for(state="attached")
            page.locator("#ab-annotate-links").select_option(WSWS)
        url = pr_url(page)
        name = (page.locator(".ab-annotate-panel__file").text_content() or "").rsplit("/", 1)[-1]
        shown = page.locator(".ab-annotate-panel__quote").text_content() or ""
        out.append((case, name, copied(page), url))
        contexts[case.what] = shown
        assert panel_yaml(page) == out[-1][2]
    context.close()
    assert not log.problems(), log.problems()
    return out


@pytest.fixture(scope="module")
def built(written: list[tuple[Case, str, str, str]], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A scratch archive with every note written into annotations/<article>/, checked and built."""
    project = copy_project(tmp_path_factory.mktemp("annotated-from-page"))
    for case, name, text, _ in written:
        folder = project / "annotations" / case.article
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    check = run_cli(project, "check")
    run_cli(project, "build", "--quiet", check=True)
    return project, check.stdout + check.stderr


def front_matter(project: Path, article: str) -> dict[str, Any]:
    text = (project / "docs" / "articles" / f"{article}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_the_pull_request_link_opens_githubs_new_file_form_with_the_same_yaml(written):
    for case, name, text, url in written:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("https", "github.com")
        assert unquote(parts.path) == f"/reading-archive/archive/new/main/annotations/{case.article}"
        query = parse_qs(parts.query)
        assert query["filename"] == [name] and query["value"] == [text]


def test_notes_written_on_the_page_pass_the_check_without_a_warning(built):
    project, output = built
    assert " 0 errors" in output
    assert [line for line in output.splitlines() if "annotations/" in line] == []


@pytest.mark.parametrize("case", CASES, ids=[c.what for c in CASES])
def test_each_note_anchors_exactly_where_it_was_selected(case, written, built):
    project, _ = built
    name = next(n for c, n, _, _ in written if c is case)
    note = next(a for a in front_matter(project, case.article)["annotations"] if a["id"] == name[: -len(".yml")])
    plain = _plain(project, case.article)
    assert plain.count(case.locator) == 1, case.locator
    assert (note["similarity"], note["start"]) == (100, plain.index(case.locator))
    # The panel showed the passage with the context the build keeps with the note.
    shown = " ".join(contexts[case.what].split())
    assert shown == " ".join(f"…{note['prefix']}{note['quote']}{note['suffix']}…".split())


def _plain(project: Path, article: str) -> str:
    """The article's plain text, the one the build anchors in (and publishes as text.txt)."""
    from archive_build.ingest.discover import discover
    from archive_build.markdown.plaintext import scan
    from archive_build.pipeline import clean_raw
    from archive_build.project import Project

    proj = Project(project)
    raws, _ = discover(proj)
    raw = next(r for r in raws if r.id == article)
    return scan(clean_raw(raw, proj.rel).body).text


def test_a_passage_that_occurs_twice_gets_the_words_that_pick_it(written):
    case, _, text, _ = next(w for w in written if w[0].what == "a passage that occurs more than once")
    note = yaml.safe_load(text)
    assert note["quote"] == "the United States"
    assert note.get("prefix") or note.get("suffix")


def test_an_article_chosen_by_its_title_is_in_the_notes_links(written, built):
    project, _ = built
    _, name, text, _ = next(w for w in written if w[0].article == STERN)
    assert yaml.safe_load(text)["links"] == [WSWS]
    note = next(a for a in front_matter(project, STERN)["annotations"] if a["id"] == name[: -len(".yml")])
    assert note["links"] == [WSWS]


def test_a_passage_found_once_needs_no_prefix_or_suffix(written):
    _, _, text, _ = next(w for w in written if w[0].what == "across an entity link")
    note = yaml.safe_load(text)
    assert note["quote"] == "“The Pentagon has given a tacit endorsement" and "prefix" not in note and "suffix" not in note


def test_the_keyboard_alone_selects_opens_fills_and_copies(browser, site_url):
    context, log = open_context(browser, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_article(page, site_url, STERN)
    select(page, "Panzir anti-aircraft", "complex")
    page.keyboard.press("a")
    page.locator("#ab-annotate-kind").wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.id") == "ab-annotate-kind"
    page.keyboard.press("Tab")
    page.keyboard.type("@keys")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed with the keyboard.")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-ab-annotate-copy')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function("() => /Copied/.test(document.querySelector('[data-ab-annotate-status]').textContent)")
    note = yaml.safe_load(page.evaluate("() => navigator.clipboard.readText()"))
    assert note["author"] == "@keys" and note["body"] == "Typed with the keyboard." and note["quote"] == "Panzir anti-aircraft complex"
    page.keyboard.press("Escape")
    assert page.locator(".ab-annotate-panel").is_hidden()
    context.close()
    assert not log.problems(), log.problems()


def test_on_a_phone_the_button_appears_after_a_selection_and_opens_the_panel(browser, site_url):
    context, log = open_context(browser, viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    open_article(page, site_url, WSWS)
    select(page, "reported in December", "reported in December")
    control = page.locator(".ab-annotate-control")
    control.wait_for(state="visible")
    box = control.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    control.tap()
    page.locator("#ab-annotate-author").wait_for(state="visible")
    fill(page, "question", "@phone", "Which report?")
    assert yaml.safe_load(panel_yaml(page))["kind"] == "question"
    context.close()
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_panel_has_no_accessibility_violations(browser, site_url, scheme):
    context, log = open_context(browser, color_scheme=scheme)
    page = context.new_page()
    open_article(page, site_url, WSWS)
    select(page, "Eight fixed-wing", "of which at least one crashed")
    open_panel_by_click(page)
    fill(page, "note", "@axe", "Checked.")
    assert run_axe(page) == []
    context.close()
    assert not log.problems(), log.problems()


@pytest.mark.parametrize(
    ("root", "first", "last", "says"),
    [
        (".ab-standfirst", "Russia has been", "for months", "summary at the top"),
        (".ab-notes", "Panzir", "Panzir", "is a note"),
        (".md-header__topic", "Reading Archive", "Reading Archive", "not part of the article"),
    ],
    ids=["standfirst", "a note", "the site's header"],
)
def test_a_selection_outside_the_article_text_is_refused_with_the_reason(page_and_log, site_url, root, first, last, says):
    page, log = page_and_log
    open_article(page, site_url, STERN)
    if not page.locator(root).count():
        pytest.skip(f"no {root} on this page")
    select(page, first, last, root=root)
    page.evaluate("() => { const c = document.querySelector('.ab-annotate-control'); c.hidden = false; c.click(); }")
    status = page.locator("[data-ab-annotate-status]")
    status.wait_for(state="visible")
    page.wait_for_function("() => !/^(|Reading.*)$/.test(document.querySelector('[data-ab-annotate-status]').textContent)")
    assert says in status.text_content()
    assert page.locator("[data-ab-annotate-form]").is_hidden()
    assert not log.problems(), log.problems()


def test_without_a_repository_only_copy_is_offered(page_and_log, site_url):
    page, log = page_and_log
    open_article(page, site_url, WSWS)
    page.evaluate("() => document.querySelector('[data-ab-annotate]').setAttribute('data-repo', '')")
    select(page, "reported in December", "reported in December")
    open_panel_by_click(page)
    fill(page, "note", "@x", "No host.")
    assert page.locator("[data-ab-annotate-pr]").is_hidden()
    assert page.locator("[data-ab-annotate-copy]").is_visible()
    assert not log.problems(), log.problems()


def test_words_typed_in_the_find_box_narrow_the_see_also_titles(page_and_log, site_url):
    page, log = page_and_log
    open_article(page, site_url, WSWS)
    select(page, "reported in December", "reported in December")
    open_panel_by_click(page)
    page.locator(f"#ab-annotate-links option[value='{STERN}']").wait_for(state="attached")
    page.locator("#ab-annotate-links-filter").press_sequentially("war comes", delay=10)
    shown = page.evaluate("() => [...document.querySelectorAll('#ab-annotate-links option')].filter(o => !o.hidden).map(o => o.value)")
    assert shown == [STERN]
    assert not log.problems(), log.problems()


def load_scripts(page: Any) -> None:
    """The panel's scripts alone, on a blank page."""
    for name in ("annotate-text.js", "annotate.js"):
        page.add_script_tag(path=str(Path(__file__).resolve().parents[2] / "docs" / "javascripts" / name))


def test_a_gitlab_repository_gets_gitlabs_new_file_form(page):
    page.goto("about:blank")
    load_scripts(page)
    url = page.evaluate("() => window.__abAnnotateParts.pullRequestUrl({repo: 'https://gitlab.com/group/archive', editUri: '-/edit/trunk/docs/'}, 'a-1', 'n', 'quote: \"x\"\\n')")
    parts = urlsplit(url)
    assert parts.path == "/group/archive/-/new/trunk/annotations/a-1"
    assert parse_qs(parts.query) == {"file_name": ["n.yml"], "content": ['quote: "x"\n']}


def test_a_note_too_long_for_a_link_is_offered_as_copy_only(page):
    page.goto("about:blank")
    load_scripts(page)
    url = page.evaluate("() => window.__abAnnotateParts.pullRequestUrl({repo: 'https://github.com/o/r', editUri: 'edit/main/'}, 'a', 'n', 'x'.repeat(9000))")
    assert url == ""


def test_the_readers_text_is_shown_as_text_never_as_markup(page_and_log, site_url):
    page, log = page_and_log
    open_article(page, site_url, WSWS)
    select(page, "reported in December", "reported in December")
    open_panel_by_click(page)
    fill(page, "note", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>")
    assert page.locator(".ab-annotate-panel img, .ab-annotate-panel script").count() == 0
    assert "<script>alert(1)</script>" in panel_yaml(page)
    assert not log.problems(), log.problems()


def test_a_selection_in_the_unanchored_notes_list_is_refused_as_a_note(page_and_log, site_url):
    page, log = page_and_log
    open_article(page, site_url, WSWS)
    page.evaluate("""() => {
        const notes = document.querySelector('.ab-article-body .ab-notes');
        notes.insertAdjacentHTML('beforebegin', '<h2 id="ab-h-unanchored-notes">Unanchored notes</h2><ul><li id="lost">“Eight fixed-wing drones were launched” — not found in the text</li></ul>');
    }""")
    select(page, "Eight fixed-wing", "were launched", root="#lost")
    page.evaluate("() => { const c = document.querySelector('.ab-annotate-control'); c.hidden = false; c.click(); }")
    page.wait_for_function("() => !/^(|Reading.*)$/.test((document.querySelector('[data-ab-annotate-status]') || {}).textContent || '')")
    assert "is a note" in page.locator("[data-ab-annotate-status]").text_content()
    assert not log.problems(), log.problems()


def test_after_instant_navigation_the_panel_annotates_the_new_article(page_and_log, site_url):
    page, log = page_and_log
    open_article(page, site_url, WSWS)
    page.evaluate("() => { window.__samePage = true; }")
    page.locator(f"article a[href$='/{STERN}/']").first.click()
    page.wait_for_url(f"**/articles/{STERN}/")
    page.wait_for_function(f"() => (document.querySelector('[data-ab-annotate]') || {{}}).getAttribute && document.querySelector('[data-ab-annotate]').getAttribute('data-article') === '{STERN}'")
    select(page, "Panzir anti-aircraft", "complex")
    open_panel_by_click(page)
    fill(page, "note", "@nav", "After navigating.")
    assert f"annotations/{STERN}/" in (page.locator(".ab-annotate-panel__file").text_content() or "")
    assert yaml.safe_load(panel_yaml(page))["quote"] == "Panzir anti-aircraft complex"
    assert page.locator(".ab-annotate-control").count() == 1 and page.locator(".ab-annotate-panel").count() == 1
    assert page.evaluate("() => window.__samePage === true")  # Material's instant navigation, not a reload
    assert not log.problems(), log.problems()
