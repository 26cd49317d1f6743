"""Plain text of a Markdown body: what a reader reads, and what annotation offsets count in."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive_build.markdown.plaintext import plain_text, scan
from testkit.examples import examples


def plain(md: str) -> str:
    return plain_text(md)[0]


def test_backslash_escapes_become_the_escaped_character():
    assert plain(r"5 \* 3 costs \$2 \[sic\]") == "5 * 3 costs $2 [sic]"


def test_emphasis_and_mark_delimiters_are_not_text():
    assert plain("the *Times of London* and **bold** and ==marked==") == "the Times of London and bold and marked"


def test_a_lone_star_between_spaces_and_intraword_underscores_are_text():
    assert plain("5 * 3 and snake_case_name") == "5 * 3 and snake_case_name"


def test_a_link_keeps_its_words_and_loses_its_target():
    assert plain("Shoigu in [Kyiv](../entities/kyiv.md){ .ab-entity } said") == "Shoigu in Kyiv said"


def test_brackets_that_are_not_a_link_stay_text():
    assert plain("Apart from this, [Bendett] said") == "Apart from this, [Bendett] said"


def test_footnote_references_and_definitions_are_not_text():
    md = "A claim.[^1] Another.[^ann-x]\n\n[^1]: The note.\n    Its second line.\n"
    assert plain(md) == "A claim. Another.\n\n"


def test_attr_list_lines_and_inline_attributes_are_not_text():
    md = "Caption words *Credit*{: .credit }\n{: .caption }\n\nNext."
    assert plain(md) == "Caption words Credit\n\nNext."


def test_heading_markers_list_markers_and_quote_markers_are_not_text():
    assert plain("## A heading\n\n- item one\n1. item two\n\n> quoted") == "A heading\n\nitem one\nitem two\n\nquoted"


def test_inline_html_the_build_inserts_is_not_text():
    md = 'a <mark class="ab-ann ab-ann-note" id="ann-x">passage</mark>[^ann-x] here'
    assert plain(md) == "a passage here"


def test_code_spans_keep_their_content_verbatim():
    assert plain("run `make *all*` now") == "run make *all* now"


def test_plain_text_is_unchanged_by_highlights_footnote_refs_and_links():
    before = "Following the G7 summit, the WSWWS noted that *Washington* decided."
    after = ('Following the G7 summit, <mark class="ab-ann ab-ann-correction" id="ann-a">the WSWWS noted</mark>[^ann-a] '
             "that *[Washington](../entities/washington.md){ .ab-entity }* decided.")
    assert plain(before) == plain(after)


def test_every_plain_character_maps_back_to_its_source():
    md = r"An \*escaped\* star, a [link](x.md), *emphasis* and `code`."
    m = scan(md)
    for i, ch in enumerate(m.text):
        assert md[m.starts[i] : m.ends[i]].endswith(ch)


def test_the_offsets_list_has_one_entry_per_character_plus_the_end():
    text, offsets = plain_text("ab *c*")
    assert text == "ab c" and len(offsets) == 5 and offsets[3] == 4


@settings(max_examples=examples(400), deadline=None)
@given(st.text(alphabet=st.sampled_from("![]()`ab \\\n<>\"h:/."), max_size=50))
def test_link_and_code_span_patterns_match_exactly_what_their_readable_forms_do(text: str) -> None:
    """Both are written for speed (a literal or alternation of literals first); this is what they must mean."""
    import re

    from archive_build.markdown.escape import CODE_SPAN, LINK

    link = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(\s+\"[^\"]*\")?\s*\)")
    assert [(m.span(), m.group(1) + "[", m.groups()[1:]) for m in link.finditer(text)] == [(m.span(), m.group(1), m.groups()[1:]) for m in LINK.finditer(text)]
    code = re.compile(r"(`+)(.+?)\1", re.S)
    assert [(m.span(), m.groups()) for m in code.finditer(text)] == [(m.span(), m.groups()) for m in CODE_SPAN.finditer(text)]


@pytest.mark.parametrize("md", ["x``Kyiv`````aa`", "xKyiv``b `KyivKyiv````"])
def test_code_spans_are_read_as_python_markdown_reads_them(md: str) -> None:
    import markdown
    from bs4 import BeautifulSoup

    shown = BeautifulSoup(markdown.markdown(md, extensions=["pymdownx.superfences"]), "html.parser").get_text()
    assert "".join(plain_text(md)[0].split()) == "".join(shown.split())


def test_a_fence_line_that_is_never_closed_is_paragraph_text() -> None:
    md = "```\nPutin`Kyiv````\n`"
    import markdown
    from bs4 import BeautifulSoup

    shown = BeautifulSoup(markdown.markdown(md, extensions=["pymdownx.superfences"]), "html.parser").get_text()
    assert "".join(plain(md).split()) == "".join(shown.split())
    assert plain("```\ncode\n```\ntext") == "code\ntext"  # a closed fence: its code, then the text


def test_an_exclamation_mark_is_text_unless_it_starts_an_image():
    # The page shows "war!"; a quote copied from it must find the "!" in the plain text.
    assert plain_text("stop the war! We're")[0] == "stop the war! We're"
    assert plain_text("Hey!!\nThere *wow!*")[0] == "Hey!!\nThere wow!"
