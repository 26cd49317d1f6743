"""The linear scans find exactly what the regular expressions they replace find."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_build.markdown.escape import CODE_SPAN, LINK
from archive_build.markdown.linear_scan import code_spans, inline_links, simple_links, strip_simple_links
from testkit.examples import examples

SIMPLE_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWNISH = st.text(alphabet="[]()!\\\n a\"<>`", max_size=40)
# Many small examples, each cheap: no deadline or generation-speed check (a loaded machine trips them).
PROPERTY = settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(matches) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:  # type: ignore[no-untyped-def]
    return [(m.span(), m.groups()) for m in matches]


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_simple_links_are_the_matches_of_the_simple_link_pattern(text: str) -> None:
    assert _spans(simple_links(text)) == _spans(SIMPLE_LINK.finditer(text))
    assert strip_simple_links(text) == SIMPLE_LINK.sub(r"\1", text)


@pytest.mark.slow  # a long property run
@PROPERTY
@given(MARKDOWNISH)
def test_inline_links_are_the_matches_of_the_link_pattern(text: str) -> None:
    assert _spans(inline_links(text)) == _spans(LINK.finditer(text))
    found, expected = list(inline_links(text)), list(LINK.finditer(text))
    assert [[(m.start(g), m.end(g)) for g in range(5)] for m in found] == [[m.span(g) for g in range(5)] for m in expected]


@pytest.mark.slow  # a long property run
@PROPERTY
@given(st.text(alphabet="`a\n", max_size=40))
def test_code_spans_are_the_matches_of_the_code_span_pattern(text: str) -> None:
    assert _spans(code_spans(text)) == _spans(CODE_SPAN.finditer(text))


def test_a_text_of_link_openers_is_read_once() -> None:
    text = "[a " * 30_000 + "](" + " " * 30_000
    assert list(inline_links(text)) == [] and list(simple_links(text)) == []


def test_a_long_run_of_backticks_is_one_code_span() -> None:
    text = "`" * 100_001
    (span,) = code_spans(text)
    assert span.span() == (0, 100_001)
