"""The HTML reader: a saved web page becomes its article, with what the page states about itself.

Each test feeds a small inline page through the real pipeline
(``clean_article``: reader + shared cleaning transforms + renderer) and, where
the promise is about what a reader sees, renders the body with the site's
own Markdown extensions.
"""
from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from archive_build.ingest.html_metadata import strip_site_suffix
from archive_build.pipeline import clean_article

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "readability-test-pages"

PARA = "The council met on Tuesday and agreed, after a long debate, to repair the old bridge before winter comes."


def page(head: str = "", body: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def article_body(*paras: str) -> str:
    return "<article>" + "".join(f"<p>{p}</p>" for p in (paras or (PARA, PARA.replace("bridge", "road")))) + "</article>"


def read(html: bytes, name: str = "raw/2024-01-02-page.html"):
    return clean_article(html, name)


def rendered(md_body: str) -> BeautifulSoup:
    """The body as the site renders it (same Markdown extensions as mkdocs.yml)."""
    md = markdown.Markdown(extensions=["abbr", "tables", "attr_list", "md_in_html", "footnotes", "pymdownx.escapeall", "pymdownx.mark", "pymdownx.superfences"])
    return BeautifulSoup(md.convert(md_body), "html.parser")


# --- title -------------------------------------------------------------------


def test_og_title_loses_its_site_name_suffix():
    art = read(page('<meta property="og:title" content="Bridge to be repaired | The Daily Bugle"><meta property="og:site_name" content="The Daily Bugle">', article_body()))
    assert art.title == "Bridge to be repaired"


def test_title_tag_suffix_is_dropped_when_an_h1_states_the_title():
    art = read(page("<title>Bridge to be repaired - Town news - Bugle</title>", "<h1>Bridge to be repaired</h1>" + article_body()))
    assert art.title == "Bridge to be repaired"


def test_h1_is_the_title_when_the_page_has_no_title_tags():
    art = read(page("", "<article><h1>Bridge to be repaired</h1>" + "".join(f"<p>{PARA}</p>" for _ in range(2)) + "</article>"))
    assert art.title == "Bridge to be repaired"


def test_a_title_without_a_site_suffix_is_kept_whole():
    assert strip_site_suffix("Review: the bridge - a retrospective", None, []) == "Review: the bridge - a retrospective"


def test_the_h1_repeating_the_title_is_not_printed_twice():
    art = read(page('<meta property="og:title" content="Bridge to be repaired">', "<article><h1>Bridge to be repaired</h1>" + f"<p>{PARA}</p><p>{PARA}</p></article>"))
    assert "Bridge to be repaired" not in art.body
    assert any(r.text == "Bridge to be repaired" for r in art.removed)


# --- byline ------------------------------------------------------------------


def test_byline_from_meta_author():
    art = read(page('<meta name="author" content="Jane Doe">', article_body()))
    assert art.authors == ["Jane Doe"]


def test_byline_from_a_rel_author_link():
    art = read(page("", '<article><div class="meta"><a rel="author" href="/people/jane">Jane Doe</a></div>' + f"<p>{PARA}</p><p>{PARA}</p></article>"))
    assert art.authors == ["Jane Doe"]


def test_byline_from_a_by_line_at_the_top_of_the_article():
    art = read(page("<title>Bridge</title>", article_body("By JANE DOE and John Roe", PARA, PARA)))
    assert art.authors == ["Jane Doe", "John Roe"]
    assert "By JANE DOE" not in art.body


def test_byline_from_json_ld():
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "author": [{"@type": "Person", "name": "Jane Doe"}]})
    art = read(page(f'<script type="application/ld+json">{ld}</script>', article_body()))
    assert art.authors == ["Jane Doe"]


# --- dates, source, url ------------------------------------------------------


def test_date_from_article_published_time_and_updated_from_modified_time():
    head = '<meta property="article:published_time" content="2024-03-05T22:10:00-05:00"><meta property="article:modified_time" content="2024-03-07T08:00:00Z">'
    art = read(page(head, article_body()))
    assert (art.date, art.updated) == ("2024-03-05", "2024-03-07")


def test_date_from_a_time_element():
    art = read(page("", f'<article><p>Posted <time datetime="2023-05-30T09:00">yesterday</time></p><p>{PARA}</p><p>{PARA}</p></article>'))
    assert art.date == "2023-05-30"


def test_a_page_without_a_date_has_none_and_says_so():
    art = read(page("<title>Bridge</title>", article_body()))
    assert art.date is None
    assert "no date found" in art.warnings


def test_source_from_og_site_name():
    art = read(page('<meta property="og:site_name" content="The Daily Bugle">', article_body()))
    assert art.source == "The Daily Bugle"


def test_url_from_the_canonical_link():
    art = read(page('<link rel="canonical" href="https://bugle.example/2024/bridge"><meta property="og:url" content="https://bugle.example/other">', article_body()))
    assert art.url == "https://bugle.example/2024/bridge"


def test_description_from_og_description():
    art = read(page('<meta property="og:description" content="The bridge will be fixed.">', article_body()))
    assert art.description == "The bridge will be fixed."


# --- the body: main article only ----------------------------------------------


FURNITURE = (
    "<header><nav><a href='/'>Home</a> <a href='/world'>World news</a> <a href='/sport'>Sport pages</a></nav></header>"
    "{article}"
    "<aside><h3>Related stories</h3><ul><li><a href='/x'>Cats elect a mayor</a></li></ul></aside>"
    "<footer><p>Contact the newsroom at desk@bugle.example</p></footer>"
    "<script>document.write('tracking pixel')</script><style>body {{ color: red }}</style>"
)


def test_navigation_related_boxes_footer_scripts_and_styles_stay_out_of_the_body():
    art = read(page("<title>Bridge</title>", FURNITURE.format(article=article_body())))
    for text in ("World news", "Cats elect a mayor", "Contact the newsroom", "tracking pixel", "color: red"):
        assert text not in art.body
    assert "repair the old bridge" in art.body


def test_dropped_page_furniture_is_recorded_with_its_reason():
    art = read(page("<title>Bridge</title>", FURNITURE.format(article=article_body())))
    furniture = [r for r in art.removed if r.reason.startswith("page furniture")]
    assert len(furniture) == 1
    assert "World news" in furniture[0].text and "Contact the newsroom" in furniture[0].text
    assert "tracking pixel" not in furniture[0].text  # scripts are code, not text


def test_furniture_words_after_a_script_or_a_comment_are_recorded_and_the_code_is_not():
    footer = "<footer><p>Call us<script>track()</script> at the desk<!-- ad slot --> before noon</p></footer>"
    art = read(page("<title>Bridge</title>", article_body() + footer))
    furniture = next(r for r in art.removed if r.reason.startswith("page furniture"))
    assert furniture.text == "Call us\nat the desk\nbefore noon"


def test_a_page_nested_hundreds_of_elements_deep_keeps_every_word():
    deep = "<div>word " * 1500 + "</div>" * 1500
    art = read(page("<title>Deep</title>", f"<p>{PARA}</p>{deep}<p>The closing paragraph after it all.</p>"))
    kept = art.body + "\n".join(r.text for r in art.removed)
    assert kept.count("word") == 1500 and "closing paragraph after it all" in kept


def test_a_page_nested_deeper_than_the_parser_reads_is_refused_by_name():
    from archive_build.errors import InputError

    deep = "<div>word " * 3000 + "</div>" * 3000
    with pytest.raises(InputError) as err:
        read(page("<title>Deep</title>", deep), "raw/2024-01-02-deep.html")
    assert str(err.value.problem).startswith("raw/2024-01-02-deep.html: error: the page nests its elements more than 2,047 levels deep")


def test_the_fallback_keeps_the_paragraphs_of_the_main_element_without_navigation_or_forms():
    from archive_build.ingest.html import _fallback_blocks
    from archive_build.ingest.html_tree import parse_page as _parse

    body = "<nav>Home World</nav><main><h2>Notice</h2>Shop closed<br>until<!-- x --> Monday<form>Search</form></main>"
    assert [b.text for b in _fallback_blocks(_parse(page("<title>Notice</title>", body).decode()))] == ["Notice", "Shop closed", "until Monday"]


def test_furniture_is_recorded_in_full_in_page_order_with_repeats():
    nav = "".join(f"<li><a href='/s{i}'>Section number {i}</a></li>" for i in range(600))
    art = read(page("<title>Bridge</title>", f"<nav><ul>{nav}<li>bridge</li></ul></nav>" + article_body()))
    furniture = next(r for r in art.removed if r.reason.startswith("page furniture"))
    assert furniture.text.split("\n")[:2] == ["Section number 0", "Section number 1"]
    assert furniture.text.endswith("Section number 599\nbridge")  # "bridge" is also in the article: still recorded


def test_the_page_title_with_its_site_name_is_recorded():
    art = read(page("<title>Bridge to be repaired | The Daily Bugle</title>", article_body()))
    assert art.title == "Bridge to be repaired"
    assert any(r.text == "Bridge to be repaired | The Daily Bugle" and r.reason.startswith("metadata") for r in art.removed)


def test_a_saved_page_with_comments_below_the_article_keeps_only_the_article():
    comments = (
        "<section id='comments' class='comments'><h2>3 comments</h2>"
        "<div class='comment'><p>First! This bridge has been broken for years, about time.</p></div>"
        "<div class='comment'><p>I drive over it every day and never noticed a thing wrong.</p></div></section>"
    )
    art = read(page("<title>Bridge</title>", "<main>" + article_body() + comments + "</main>"))
    assert "repair the old bridge" in art.body
    assert "First!" not in art.body and "never noticed" not in art.body
    kept_out = " ".join(r.text for r in art.removed)
    assert "First!" in kept_out


# --- untrusted page markup -----------------------------------------------------

HOSTILE = article_body(
    'Read <a href="javascript:alert(1)">the report</a> and <a href="/council/minutes" onclick="steal()">the minutes</a>'
    " before the vote, which is scheduled for next week in the hall.",
    '<img src="x" onerror="alert(2)">An image <span onmouseover="alert(3)">hovered</span> here. '
    "&lt;script&gt;alert(4)&lt;/script&gt; is what the page printed as text, literally, in this line.",
    PARA,
)


def test_scripts_handlers_and_javascript_links_never_reach_the_body():
    art = read(page("<title>Bridge</title><script>alert(0)</script>", HOSTILE))
    html = str(rendered(art.body))
    assert "javascript:" not in art.body
    for bad in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "<img"):
        assert bad not in html
    assert "the report" in art.body  # the words stay, the target goes
    assert any(r.text == "javascript:alert(1)" and "unsafe link" in r.reason for r in art.removed)


def test_text_that_looks_like_markup_renders_as_written():
    tricky = "Use *stars*, _underscores_, [brackets](x), {: .class}, AT&amp;T, 1 &lt; 2 &amp;&amp; x &gt; 0, ==mark== and a \\ backslash."
    art = read(page("<title>Bridge</title>", article_body(tricky, "# not a heading but a hash at the start of a paragraph", PARA)))
    text = rendered(art.body).get_text()
    assert "Use *stars*, _underscores_, [brackets](x), {: .class}, AT&T, 1 < 2 && x > 0, ==mark== and a \\ backslash." in text
    assert "# not a heading" in text


def test_emphasis_links_lists_and_quotes_are_kept():
    body = (
        "<article><h1>Bridge</h1>"
        f"<p>{PARA} It was <em>finally</em> <strong>approved</strong> (see <a href='https://council.example/minutes'>the minutes</a>).</p>"
        "<ul><li>steel beams</li><li>new railings</li></ul>"
        f"<blockquote><p>We waited long enough for this, said the mayor to the press.</p></blockquote><p>{PARA}</p></article>"
    )
    html = rendered(read(page("", body)).body)
    assert html.find("em").get_text() == "finally"
    assert html.find("strong").get_text() == "approved"
    assert html.find("a", href="https://council.example/minutes").get_text() == "the minutes"
    assert [li.get_text() for li in html.find_all("li")] == ["steel beams", "new railings"]
    assert "We waited long enough" in html.find("blockquote").get_text()


def test_subheadings_stay_headings():
    body = f"<article><h1>Bridge</h1><p>{PARA}</p><h2>What happens next</h2><p>{PARA}</p></article>"
    assert "## What happens next" in read(page("", body)).body


def test_relative_links_are_resolved_against_the_canonical_url():
    body = article_body(f"{PARA} See <a href='/2024/roads'>the roads story</a>.", PARA)
    art = read(page('<link rel="canonical" href="https://bugle.example/2024/bridge">', body))
    assert "[the roads story](https://bugle.example/2024/roads)" in art.body


def test_relative_links_without_a_known_site_keep_their_words_only():
    art = read(page("<title>Bridge</title>", article_body(f"{PARA} See <a href='/2024/roads'>the roads story</a>.", PARA)))
    assert "the roads story" in art.body and "/2024/roads" not in art.body
    assert [r.text for r in art.removed if r.reason.startswith("link targets relative")] == ["/2024/roads"]


def test_a_layout_table_holding_the_article_becomes_paragraphs_not_one_cell():
    body = f"<table><tr><td><h1>Bridge</h1><p>{PARA}</p><p>{PARA.replace('bridge', 'road')}</p></td></tr></table>"
    art = read(page("<title>Bridge</title>", body))
    assert "|" not in art.body
    assert art.body.count("The council met") == 2


def test_a_data_table_stays_a_table():
    rows = "<tr><th>Item</th><th>Cost</th></tr><tr><td>Beams</td><td>5</td></tr>"
    html = rendered(read(page("<title>Bridge</title>", article_body(PARA, PARA) + f"<table>{rows}</table>")).body)
    assert [td.get_text() for td in html.find_all("td")] == ["Beams", "5"]


# --- real pages -----------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpora not present")
@pytest.mark.parametrize("name", ["aclu", "guardian-1", "lwn-1", "wapo-1", "wikipedia"])
def test_real_saved_pages_come_out_with_their_title_and_article(name):
    expected = json.loads((CORPUS / name / "expected-metadata.json").read_text(encoding="utf-8"))
    art = read((CORPUS / name / "source.html").read_bytes(), f"raw/{name}.html")
    assert art.title and art.title != art.id
    assert expected["title"].lower().startswith(art.title.lower()[:20])
    assert len(art.body.split()) > 200
    assert "<script" not in art.body.lower()
    assert any(r.reason.startswith("page furniture") for r in art.removed)


# --- property: page text renders as written ---------------------------------------

from html import escape as html_escape  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st

from archive_build.ingest import read_bytes  # noqa: E402
from archive_build.transforms.render import to_markdown  # noqa: E402

TRICKY = st.text(alphabet="ab Z*_`[](){}<>&#!=^~|\\-+.:;1 \n\"'", min_size=1, max_size=40)


def _norm(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=TRICKY, bold=TRICKY, link=TRICKY, after=TRICKY)
def test_any_paragraph_text_renders_exactly_as_written(before, bold, link, after):
    para = (
        f"The council said {html_escape(before)} <b>{html_escape(bold)}</b> "
        f"<a href='https://council.example/x'>{html_escape(link)}</a> {html_escape(after)} end."
    )
    art = to_markdown(read_bytes(page("", article_body(para, PARA, PARA)), "raw/x.html"))
    first = rendered(art.body).find(["p", "ul", "ol", "blockquote", "h1", "h2", "pre"])
    expected = _norm(f"The council said {before} {bold} {link} {after} end.")
    assert _norm(rendered(art.body).get_text(" ")).startswith(expected) or _norm(first.get_text()) == expected


@pytest.mark.parametrize("href", ["JaVaScRiPt:alert(1)", " javascript:alert(1)", "java&#x09;script:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"])
def test_disguised_script_links_lose_their_target(href):
    art = read(page('<link rel="canonical" href="https://bugle.example/a">', article_body(f"{PARA} Read <a href='{href}'>the report</a> now.", PARA)))
    html = rendered(art.body)
    assert "the report" in html.get_text()
    assert all(not a["href"].lower().lstrip().startswith(("javascript", "data", "vbscript", "java")) for a in html.find_all("a"))
    assert "script:" not in art.body.lower().replace("\\", "") and "data:" not in art.body
