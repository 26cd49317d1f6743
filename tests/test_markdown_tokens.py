"""The one reading of a Markdown body: what each token kind is, and that the renderer reads code alike."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from archive_build.markdown.tokens import CODE, FENCE, Token, code_regions, fences, tokenize, top_level

PROPERTY = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def kinds(md: str) -> list[tuple[str, str]]:
    """Top-level tokens other than text, as (kind, source)."""
    return [(t.kind, md[t.start : t.end]) for t in top_level(tokenize(md)) if t.kind != "text"]


def test_a_code_span_closes_at_the_first_run_of_its_length() -> None:
    assert kinds("a ``b`c`` d`") == [("code", "``b`c``")]


def test_a_code_span_without_a_run_of_its_length_closes_at_the_longest_shorter_one() -> None:
    (token,) = [t for t in tokenize("```a`` b`") if t.kind == CODE]
    assert (token.start, token.end) == (0, 6)
    assert "```a`` b`"[token.inner[0] : token.inner[1]] == "`a"


def test_a_code_span_never_runs_past_a_blank_line() -> None:
    assert kinds("a `b\n\nc` d") == []


def test_an_escaped_backtick_opens_nothing() -> None:
    assert kinds(r"\`a` b") == [("escape", r"\`")]


def test_an_escaped_backslash_leaves_the_backtick_free_to_open() -> None:
    assert kinds(r"\\`a`") == [("escape", r"\\"), ("code", "`a`")]


def test_a_closed_fence_is_one_token_with_its_code_inside() -> None:
    md = "```python\nx = 1\n```\ntext"
    (fence,) = [t for t in tokenize(md) if t.kind == FENCE]
    assert md[fence.start : fence.end] == "```python\nx = 1\n```" and md[fence.inner[0] : fence.inner[1]] == "x = 1\n"


def test_a_fence_that_never_closes_is_paragraph_text() -> None:
    assert fences("```\ncode\nmore") == []


def test_a_fence_closes_only_with_a_fence_of_the_same_length() -> None:
    assert fences("```\ncode\n````\n") == []


def test_a_fence_line_with_unknown_words_after_the_language_is_no_fence() -> None:
    assert fences("```a b\ncode\n```") == []


def test_a_line_indented_less_than_the_opening_fence_abandons_it() -> None:
    assert fences("  ```\ncode\n  ```") == []


def test_a_code_span_may_run_across_a_fence_as_python_markdown_reads_it() -> None:
    assert kinds("a `b\n```\nx\n```\nc` d") == [("code", "`b\n```\nx\n```\nc`")]


def test_code_comes_before_links_so_a_link_cut_by_code_is_no_link() -> None:
    assert kinds("[a`](b)`") == [("code", "`](b)`")]


def test_a_link_keeps_the_tokens_of_its_text_after_it() -> None:
    md = "[x `y`](z)"
    link, *inside = tokenize(md)
    assert link.kind == "link" and md[link.dest[0] : link.dest[1]] == "z"
    assert [(t.kind, md[t.start : t.end]) for t in inside] == [("text", "x "), ("code", "`y`")]


def test_an_image_is_a_link_that_starts_with_an_exclamation_mark() -> None:
    assert kinds('![k](l "t")') == [("image", '![k](l "t")')]


def test_a_link_running_past_an_image_s_closing_bracket_leaves_the_image_as_text() -> None:
    # Python-Markdown reads links before images: the link takes the bracket the image needed.
    assert kinds("![[](]())") == [("link", "[](]())")]


def test_an_escaped_exclamation_mark_leaves_a_link() -> None:
    assert kinds(r"\![i](j)") == [("escape", r"\!"), ("link", "[i](j)")]


def test_footnote_references_tags_autolinks_and_attribute_lists_are_their_own_tokens() -> None:
    assert kinds("a[^1] <b>x</b> <https://e.org> {: .c}") == [
        ("footref", "[^1]"), ("tag", "<b>"), ("tag", "</b>"), ("autolink", "<https://e.org>"), ("attr", "{: .c}"),
    ]


def test_definitions_are_read_only_at_a_line_start() -> None:
    assert kinds("[^n]: note\n[r]: https://e.org\nsee [r][r]") == [
        ("footdef", "[^n]:"), ("refdef", "[r]: https://e.org"), ("reflink", "[r][r]"),
    ]


def test_text_tokens_fill_every_gap() -> None:
    md = "a `b` [c](d) e\\*"
    tops = top_level(tokenize(md))
    assert "".join(md[t.start : t.end] for t in tops) == md
    assert all(a.end == b.start for a, b in zip(tops, tops[1:]))


def test_a_hundred_thousand_backticks_and_brackets_are_read_in_one_pass() -> None:
    md = ("`" * 7 + "[a " + "``" * 3) * 20_000 + "](" * 10_000
    tokenize(md)  # linear: the growth check is in tests/test_hostile_inputs.py
    assert code_regions("`" * 100_001).spans == []  # one run and nothing to close it: text


# ------------------------------------------------------------------ against the renderer

EXTENSIONS = ["abbr", "tables", "admonition", "attr_list", "md_in_html", "footnotes", "pymdownx.escapeall",
              "pymdownx.mark", "pymdownx.details", "pymdownx.superfences"]
BACKTICKS_AND_BRACKETS = st.lists(
    st.sampled_from(["`", "``", "```", "a", "b", " ", "[", "]", "(", ")", "\n", "\n\n", "\\", "~~~"]), max_size=25,
).map("".join)


def _shown_code(md: str) -> list[str]:
    """The text of each outermost ``<code>`` Python-Markdown renders, without whitespace."""
    import markdown
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markdown.markdown(md, extensions=EXTENSIONS), "html.parser")
    return ["".join(c.get_text().split()) for c in soup.find_all("code") if c.find_parent("code") is None]


def _read_code(md: str) -> list[str]:
    """The text of each code token not inside another (a link's words may hold one), fences inside a code span shown as their code."""
    codes = sorted((t for t in tokenize(md) if t.kind in (CODE, FENCE)), key=lambda t: (t.start, -t.end))
    blocks = {s: (cs, ce, e) for s, e, cs, ce in fences(md)}
    out = []
    end = -1
    for t in codes:
        if t.start < end:
            continue  # inside the code before it
        end = t.end
        a, b = t.inner
        parts, i = [], a
        for s in sorted(blocks):
            if a <= s < b:
                cs, ce, e = blocks[s]
                parts += [md[i:s], md[cs:ce]]
                i = e
        parts.append(md[i:b])
        out.append("".join("".join(parts).split()))
    return out


def _renderer_agrees(md: str) -> bool:
    return _read_code(md) == _shown_code(md)


@pytest.mark.parametrize("md", ["x``Kyiv`````aa`", "a `b\n```\nx\n```\nc` d", "```\nx\n~~~\ny\n~~~", r"\\`a`", "```a b\nx\n```"])
def test_code_is_read_as_python_markdown_renders_it(md: str) -> None:
    assert _read_code(md) == _shown_code(md)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(BACKTICKS_AND_BRACKETS)
def test_code_spans_and_fences_are_read_as_python_markdown_renders_them(md: str) -> None:
    assume(not any(line.startswith(("    ", "\t")) for line in md.split("\n")))  # indented code blocks: not read here
    assert _read_code(md) == _shown_code(md)


def test_a_token_is_a_named_tuple_with_two_inner_ranges() -> None:
    assert Token("text", 0, 1) == ("text", 0, 1, (-1, -1), (-1, -1))


# ------------------------------------------------------------------ links against the renderer

BRACKETS_AND_PARENS = st.lists(
    st.sampled_from(["[", "]", "(", ")", "](", "a", "b", " ", "\n", "\n\n", "!", "\\", "<", ">", ' "t"']), max_size=25,
).map("".join)


def _shown_links(md: str) -> list[tuple[str, str]]:
    """Each outermost link or image Python-Markdown renders, as (kind, address)."""
    import markdown
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markdown.markdown(md, extensions=EXTENSIONS), "html.parser")
    found = soup.find_all(["a", "img"])
    return [("link" if e.name == "a" else "image", e.get("href", e.get("src", ""))) for e in found
            if e.find_parent("a") is None and e.find_parent("img") is None and "footnote" not in " ".join(e.get("class", []))]


def _read_links(md: str) -> list[tuple[str, str]]:
    import re

    # The address without the white space around it (an escaped space is part of it), unescaped.
    return [(t.kind, re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\s+$", "", md[t.dest[0] : t.dest[1]].lstrip()), flags=re.S))
            for t in top_level(tokenize(md)) if t.kind in ("link", "image")]


@pytest.mark.parametrize("md", ["[a](b c)", "[a [b] c](d)", "[a](b (c))", "[a](<b c> 't')", r"\![i](j)", "[a\n\nb](c)"])
def test_links_are_read_as_python_markdown_renders_them(md: str) -> None:
    assert _read_links(md) == _shown_links(md)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(BRACKETS_AND_PARENS)
def test_links_and_images_are_read_as_python_markdown_renders_them(md: str) -> None:
    assume(not any(line.startswith(("    ", "\t")) for line in md.split("\n")))  # indented code blocks: not read here
    assume("<" not in md or ">" not in md)  # raw HTML: not read here
    # Link titles: Python-Markdown's title tracking among parentheses goes back and forth; not read here.
    assume('"' not in md and "'" not in md)
    assume("\\\n" not in md)  # a backslash ending a line inside an address: not read here
    assume(not any(line.lstrip().startswith(">") for line in md.split("\n")))  # block quotes' markers: not read here
    assert _read_links(md) == _shown_links(md)


def test_a_link_never_runs_past_its_paragraph() -> None:
    assert kinds("[a\n\nb](c) [x](y)") == [("link", "[x](y)")]


def test_without_link_syntax_leaves_each_links_text_as_written() -> None:
    from archive_build.markdown.tokens import without_link_syntax

    assert without_link_syntax(r"Share [on \*X\*](https://x.example/s?u=1) and ![the photo](p.jpg)") == r"Share on \*X\* and the photo"
