"""Every pass that leaves code, links and markers alone sees them where ``markdown.tokens`` does."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_build.collection.internal_links import _rewrite
from archive_build.entities.link import SEP, Visible
from archive_build.markdown.escape import sanitize_markdown
from archive_build.markdown.plaintext import scan
from archive_build.markdown.tokens import CODE, CODE_KINDS, PROTECTED, tokenize, top_level
from archive_build.transforms.notes import _link_urls_in, _Mask

PROPERTY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Backticks, brackets, fences, markers and tags, without the line shapes only one pass reads as blocks
# (headings, rules, definitions, attribute lines): those are not code, links or markers.
PIECES = ["`", "``", "```", "~~~", "a", "b", " ", "[", "]", "(", ")", "](", "\n", "\n\n", "\\", "!", "[^1]", "<b>",
          "</b>", "<https://e.org>", "x{.c}", "https://old.example/p", "[w](https://old.example/p)"]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _code_texts(md: str) -> list[str]:
    return [md[t.start : t.end] for t in top_level(tokenize(md)) if t.kind in CODE_KINDS]


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_the_plain_text_shows_exactly_the_tokenizers_code_as_code(md: str) -> None:
    plain = scan(md)
    as_code = {plain.starts[i] for i, ch in enumerate(plain.text) if not plain.markable[i] and ch != "\n"}
    expected = {p for t in tokenize(md) if t.kind in CODE_KINDS for p in range(*t.inner) if md[p] != "\n"}
    assert as_code == expected


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_the_entity_linker_sees_no_word_inside_the_tokenizers_code(md: str) -> None:
    visible = Visible(md)
    code = [(t.start, t.end) for t in top_level(tokenize(md)) if t.kind in CODE_KINDS]
    for pos, ch in enumerate(visible.text):
        if ch != SEP:
            src = visible.source_start(pos)
            assert not any(s <= src < e for s, e in code), (pos, ch)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_the_notes_mask_hides_exactly_the_tokenizers_protected_spans(md: str) -> None:
    mask = _Mask(md)
    protected = [(t.start, t.end) for t in top_level(tokenize(md)) if t.kind in PROTECTED]
    for a in range(len(md)):
        assert mask.hides(a, a + 1) == any(s <= a < e for s, e in protected)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_bare_addresses_become_links_only_outside_the_tokenizers_protected_spans(md: str) -> None:
    assert _code_texts(_link_urls_in(md)) == _code_texts(md)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_links_between_articles_are_rewritten_only_outside_the_tokenizers_code(md: str) -> None:
    found: dict[str, str] = {}
    out = _rewrite(md, {"old.example/p": "2020-01-01-old"}, {"old.example"}, "2021-01-01-new", found)
    assert _code_texts(out) == _code_texts(md)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_the_sanitiser_keeps_the_tokenizers_code_as_written(md: str) -> None:
    assert _code_texts(sanitize_markdown(md)) == _code_texts(md)


def test_a_code_span_the_tokenizer_reads_is_code_for_every_pass() -> None:
    md = "see `https://old.example/p [w](https://old.example/p)` and [w](https://old.example/p)"
    (code,) = [t for t in tokenize(md) if t.kind == CODE]
    assert _code_texts(_link_urls_in(md)) == [md[code.start : code.end]]
    out = _rewrite(md, {"old.example/p": "2020-01-01-old"}, {"old.example"}, "2021-01-01-new", {})
    assert out.endswith("[w](2020-01-01-old.md)") and md[code.start : code.end] in out


def test_the_entity_linkers_fallback_plain_text_keeps_a_links_words_and_drops_its_target() -> None:
    from archive_build.entities.link import plain_fallback

    md = "In [Kyiv](../entities/kyiv.md){ .ab-entity } a <mark>note</mark>[^ann-a] and `[x](y)`\\."
    assert plain_fallback(md) == "In Kyiv a note and `[x](y)`."
