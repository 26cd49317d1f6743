"""Highlights and footnotes in the article: nesting, overlaps, formatting, untrusted bodies."""
from __future__ import annotations

import json
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from archive_build.annotations import annotate
from archive_build.errors import kept_going
from archive_build.markdown.plaintext import scan
from archive_build.model import Article

EXTENSIONS = ["abbr", "attr_list", "md_in_html", "footnotes", "pymdownx.escapeall", "pymdownx.mark"]


def article(body: str) -> Article:
    return Article(id="2024-01-01-example", raw="raw/2024-01-01-example.txt", sha256="0", format="md", body=body)


def write(tmp_path: Path, items: str) -> Path:
    p = tmp_path / "2024-01-01-example.yml"
    p.write_text("article: 2024-01-01-example\nannotations:\n" + items)
    return p


def item(ident: str, quote: str, body: str = "A note.", extra: str = "") -> str:
    return f"  - id: {ident}\n    quote: {json.dumps(quote)}\n    author: '@a'\n    created: 2026-01-02\n    body: {json.dumps(body)}\n{extra}"


def html_of(a: Article) -> BeautifulSoup:
    page = a.body + "\n\n" + "\n\n".join(a.footnotes) + "\n"
    return BeautifulSoup(markdown.markdown(page, extensions=EXTENSIONS), "html.parser")


def run(tmp_path: Path, body: str, items: str, keep_going: bool = False) -> tuple[Article, list]:
    a, problems = annotate(article(body), write(tmp_path, items), "annotations/2024-01-01-example.yml")
    return a, kept_going(problems, keep_going)  # as the build reports them


def test_the_passage_is_highlighted_and_followed_by_its_footnote_reference(tmp_path):
    a, problems = run(tmp_path, "One two three four.\n", item("x", "two three"))
    soup = html_of(a)
    mark = soup.find("mark", id="ann-x")
    assert not problems and mark.get_text() == "two three" and "ab-ann-note" in mark["class"]
    assert mark.find_next_sibling("sup").a["href"] == "#fn:ann-x"


def test_a_passage_crossing_emphasis_is_split_into_marks_and_only_the_first_has_the_id(tmp_path):
    a, _ = run(tmp_path, "the *Times of London* reported it\n", item("x", "London reported"))
    marks = html_of(a).find_all("mark")
    assert [m.get_text() for m in marks] == ["London", " reported"]
    assert marks[0]["id"] == "ann-x" and not marks[1].has_attr("id")
    assert a.plain == scan(a.body).text


def test_two_annotations_on_the_same_passage_both_render_and_link_back(tmp_path):
    a, _ = run(tmp_path, "One two three four.\n", item("a", "two three") + item("b", "two three"))
    soup = html_of(a)
    assert soup.find("mark", id="ann-a").get_text() == soup.find("mark", id="ann-b").get_text() == "two three"
    assert {li["id"] for li in soup.select("div.footnote li")} == {"fn:ann-a", "fn:ann-b"}
    assert soup.find(id="fnref:ann-a") and soup.find(id="fnref:ann-b")


def test_overlapping_passages_nest_properly_and_both_keep_their_whole_text(tmp_path):
    a, _ = run(tmp_path, "One two three four five.\n", item("a", "two three") + item("b", "three four"))
    soup = html_of(a)
    assert soup.find("mark", id="ann-a").get_text().startswith("two")
    assert soup.find("mark", id="ann-b").get_text() == "three"  # first piece; the rest follows
    assert soup.find(id="fnref:ann-a") and soup.find(id="fnref:ann-b")
    assert a.plain == scan(a.body).text


def test_the_footnote_has_a_kind_badge_author_date_and_body(tmp_path):
    a, _ = run(tmp_path, "One two three.\n", item("x", "two", "It is *two*.", "    kind: correction\n"))
    fn = html_of(a).find(id="fn:ann-x")
    assert fn.select_one(".ab-ann-kind-correction").get_text() == "Correction"
    assert "@a · 2 January 2026" in fn.get_text() and fn.em.get_text() == "two"


def test_a_hostile_body_is_escaped_and_loses_its_javascript_link(tmp_path):
    body = "<script>alert(1)</script> and [click](javascript:alert(2))"
    a, problems = run(tmp_path, "One two three.\n", item("x", "two", body))
    fn = html_of(a).find(id="fn:ann-x")
    assert fn.find("script") is None and "<script>alert(1)</script>" in fn.get_text()
    assert not any("javascript" in (l.get("href") or "") for l in fn.find_all("a"))
    assert any("unsafe link" in p.message for p in problems)


def test_a_body_cannot_change_the_rest_of_the_page(tmp_path):
    body = "[ok](https://example.org){ onclick=\"alert(1)\" } and [^x]\n\n*[three]: an abbreviation for the whole page"
    a, _ = run(tmp_path, "One two three.\n", item("x", "two", body))
    soup = html_of(a)
    assert soup.find("abbr") is None  # "three" in the article is untouched
    link = soup.find(id="fn:ann-x").find("a", href="https://example.org")
    assert link is not None and not link.has_attr("onclick")
    assert len(soup.select("div.footnote li")) == 1


def test_the_footnote_quotes_its_words_linked_back_to_the_passage(tmp_path):
    a, _ = run(tmp_path, "One two three.\n", item("x", "two three"))
    quote = html_of(a).find(id="fn:ann-x").select_one("a.ab-ann-quote")
    assert quote.get_text() == "“two three”" and quote["href"] == "#ann-x"


def test_a_long_quote_is_shortened_to_its_first_words_with_an_ellipsis(tmp_path):
    words = " ".join(f"w{i}" for i in range(30))
    a, _ = run(tmp_path, words + ".\n", item("x", words))
    assert html_of(a).select_one(".ab-ann-quote").get_text() == "“" + " ".join(f"w{i}" for i in range(14)) + "…”"


def test_the_footnote_has_a_permalink_to_itself(tmp_path):
    a, _ = run(tmp_path, "One two three.\n", item("x", "two"))
    assert html_of(a).find(id="fn:ann-x").select_one("a.ab-ann-permalink")["href"] == "#fn:ann-x"


def test_every_piece_of_a_passage_names_its_annotation_in_a_class(tmp_path):
    a, _ = run(tmp_path, "the *Times of London* reported it\n", item("x", "London reported"))
    assert all("ab-ann-for-x" in m["class"] for m in html_of(a).find_all("mark"))


def test_an_unanchored_note_quotes_its_words_without_a_link(tmp_path):
    a, _ = run(tmp_path, "One two three.\n", item("x", "nowhere to be found at all"), keep_going=True)
    quote = html_of(a).find(id="fn:ann-x").select_one(".ab-ann-quote")
    assert quote.name == "span" and quote.get_text() == "“nowhere to be found at all”"


def test_a_multi_paragraph_body_stays_inside_its_footnote(tmp_path):
    a, _ = run(tmp_path, "One two three.\n", item("x", "two", "First para.\n\nSecond para."))
    assert [p.get_text().strip(" \xa0↩") for p in html_of(a).find(id="fn:ann-x").find_all("p")][2:] == ["First para.", "Second para."]


def test_an_unanchorable_note_is_an_error_and_still_listed_under_unanchored_notes(tmp_path):
    a, problems = run(tmp_path, "One two three.\n", item("x", "nowhere to be found at all"))
    assert [p.severity for p in problems] == ["error"] and problems[0].line == 4  # the quote's line
    soup = html_of(a)
    assert soup.find("h2").get_text() == "Unanchored notes" and soup.find(id="fn:ann-x")
    assert a.unanchored[0]["id"] == "x" and not a.annotations


def test_with_keep_going_an_unanchorable_note_is_a_warning(tmp_path):
    _, problems = run(tmp_path, "One two three.\n", item("x", "nowhere to be found at all"), keep_going=True)
    assert [p.severity for p in problems] == ["warning"]


def test_the_annotation_record_has_the_agreed_shape(tmp_path):
    a, _ = run(tmp_path, "One two three four.\n", item("x", "two three"))
    rec = a.annotations[0]
    assert set(rec) >= {"id", "kind", "author", "created", "quote", "prefix", "suffix", "body", "links", "start", "end", "similarity", "line"}
    assert a.plain[rec["start"] : rec["end"]] == rec["quote"] == "two three" and rec["prefix"] == "One " and rec["suffix"] == " four.\n"


# --- Properties over the seed articles: highlighting never changes the text or loses part of a passage.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from archive_build.annotations.render import Placed, highlight  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tests.helpers import clean  # noqa: E402

SEED_BODIES = [clean((ROOT / "raw" / n).read_bytes(), n).body for n in (
    "2023-05-30-drone-attack-on-moscow.md",
    "2025-06-09-moscow-escalates-bombing-of-civilians.txt",
)]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_highlighted_passages_keep_the_plain_text_and_cover_exactly_their_words(data):
    body = data.draw(st.sampled_from(SEED_BODIES))
    m = scan(body)
    spans = []
    for k in range(data.draw(st.integers(1, 3))):
        s = data.draw(st.integers(0, len(m.text) - 2))
        e = data.draw(st.integers(s + 1, min(len(m.text), s + 200)))
        spans.append(Placed(f"p{k}", "note", s, e))
    out = highlight(body, m, spans)
    assert scan(out).text == m.text
    soup = BeautifulSoup(markdown.markdown(out, extensions=EXTENSIONS), "html.parser")
    for p in spans:
        pieces = [mk for mk in soup.find_all("mark") if mk.get("id") == f"ann-{p.id}"]
        if m.text[p.start : p.end].strip():
            assert len(pieces) == 1  # exactly one element carries the permalink id
    # A passage alone: its marks hold exactly its words (line breaks between blocks aside).
    first = spans[0]
    alone = BeautifulSoup(markdown.markdown(highlight(body, m, [first]), extensions=EXTENSIONS), "html.parser")
    marked = "".join(mk.get_text() for mk in alone.find_all("mark"))
    assert "".join(marked.split()) == "".join(m.text[first.start : first.end].split())


def test_a_passage_ending_in_a_line_break_puts_its_reference_before_the_break():
    # Found by the property test above: a passage that ends with the caption's line
    # break had its reference start the caption's attr_list line, which broke it.
    body = SEED_BODIES[1]
    m = scan(body)
    end = m.text.index("Forces") + len("Forces\n")
    out = highlight(body, m, [Placed("p0", "note", 99, end)])
    assert "\n{: .caption }\n" in out
    assert scan(out).text == m.text


def test_a_quote_copied_from_the_standfirst_points_to_the_first_paragraph(tmp_path):
    a = article("The city was shelled overnight, officials said on Tuesday.\n\nMore followed.\n")
    a.description = "Officials said the city, a regional capital, was shelled overnight."
    _, problems = annotate(a, write(tmp_path, item("x", "a regional capital")), "annotations/2024-01-01-example.yml")
    assert [p.line for p in problems] == [4]
    assert problems[0].message.startswith('quote "a regional capital" is from the standfirst, the summary at the top of the page')
    assert 'quote the same words from the article\'s first paragraph, which begins "The city was shelled overnight, officials said on Tuesday."' in problems[0].message
