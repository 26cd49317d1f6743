"""Plain text renders exactly as written: no character of prose turns into formatting.

The body of a plain-text article is rendered with the site's own Markdown
configuration (``markdown_extensions`` of mkdocs.yml, loaded by MkDocs
itself) and the text is taken back out of the HTML.  It must equal the
original, modulo whitespace and the cleaning the article records in
``removed``; and the HTML may hold only the paragraphs and headings the
cleaner made, never emphasis, links, code, lists or anything else that a
character of the prose was mistaken for.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_build.pipeline import clean_article
from testkit.examples import examples

ROOT = Path(__file__).resolve().parent.parent
PLAIN_FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures" / "realistic").glob("*.txt")) + sorted((ROOT / "raw").glob("*.txt"))
# What the cleaner itself writes into a plain-text body.
ALLOWED = {"p", "h2", "h3", "em"}


@functools.lru_cache(maxsize=1)
def site_markdown() -> markdown.Markdown:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def render(body: str) -> BeautifulSoup:
    md = site_markdown()
    md.reset()
    return BeautifulSoup(md.convert(body), "html.parser")


# The reason clean.merge_captions records for the first copy of a caption pasted twice.
CAPTION_COPY = "photo caption pasted twice (kept once, with its credit)"


def edited_to(text: str, edits: list[tuple[str, str]], target: str) -> bool:
    """Whether making each edit (old, new) once, each at one of the places ``old`` occurs, turns ``text`` into ``target``.

    Squashed text repeats itself ("000***00"): a removed line may match at
    more than one place, so every place is tried.
    """
    if not edits:
        return text == target
    (old, new), rest = edits[0], edits[1:]
    at = text.find(old)
    while at != -1:
        if edited_to(text[:at] + new + text[at + len(old):], rest, target):
            return True
        at = text.find(old, at + 1)
    return False


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_fidelity(raw: str, path: str) -> None:
    article = clean_article(raw.encode("utf-8"), path)
    if article.footnotes:
        pytest.skip("the article's own notes become footnotes (tested with the notes)")
    soup = render(article.body)
    for permalink in soup.select("a.headerlink"):  # the toc extension's ¶ on headings
        permalink.decompose()
    for link in soup.find_all("a"):  # bare URLs the cleaner links: the text stays the URL as written
        assert link.get("href", "").endswith(link.get_text()) and "." in link.get_text(), f"prose turned into a link: {link}"
        link.unwrap()
    tags = {t.name for t in soup.find_all(True)}
    assert tags <= ALLOWED, f"prose turned into {tags - ALLOWED}: {article.body!r}"
    moves = []  # (credit, caption): clean.merge_captions puts a caption's credit after it
    for em in soup.find_all("em"):  # only the caption credits the cleaner marks
        assert em.get("class") == ["credit"], f"prose turned into emphasis: {em}"
        caption = squash(em.parent.get_text()).removesuffix(squash(em.get_text()))
        moves.append((squash(em.get_text()), caption))
    rendered = squash(soup.get_text())
    expected = squash(unicodedata.normalize("NFC", raw.replace("\ufeff", "")))  # the decoder's NFC
    # In the raw text a moved credit was glued on the front of its caption's second copy.
    edits = [(caption + credit + caption, caption + credit) for credit, caption in moves]
    for removed in article.removed:
        if removed.reason != CAPTION_COPY:  # a caption's first copy is accounted for by its move
            edits.append((squash(removed.text), ""))
    for old, _ in edits:
        assert old in expected, f"a recorded change the raw text does not hold: {old!r}"
    assert edited_to(expected, edits, rendered), f"{rendered!r} is not {expected!r} with the recorded changes {edits!r}"


def test_the_oracle_tries_every_place_a_removed_piece_matches() -> None:
    assert edited_to("©*©", [("©", "")], "©*")
    assert not edited_to("©*©", [("©", "")], "*©*")


def test_the_oracle_applies_a_caption_move_and_no_other_reordering() -> None:
    assert edited_to("Cap" + "Photo:X" + "Cap", [("CapPhoto:XCap", "CapPhoto:X")], "CapPhoto:X")
    assert not edited_to("ab", [], "ba")


_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\u0085")
_TRICKY = st.sampled_from([
    "*", "**", "_", "__", "`", "``", "#", "## ", ">", "- ", "+ ", "1. ", "2) ", "[", "]", "(", ")", "[x](y)", "[^1]", "[^1]: note",
    "<b>", "</p>", "<!-- c -->", "&amp;", "&#60;", "&lt;", "|", "{: .x}", "{#id}", "==mark==", "^^ins^^", "~~del~~", "\\", "\\*",
    "!!! note", "??? note", "???+ note", "--8<-- \"x.md\"", "*[HTML]: Hyper", ":", "---", "***", "===", "    ", "\t", "http://example.org",
    "<http://example.org>", "<a@b.c>", "![i](x.png)", '"quoted"', "’", "—", "…", "Kyiv", "the", "word", "Zelensky", "2023", "é", "🕊️",
])
_piece = st.one_of(_TRICKY, _TRICKY, st.text(_CHARS, min_size=1, max_size=6))
_line = st.lists(_piece, min_size=1, max_size=12).map(" ".join)
_para = st.lists(_line, min_size=1, max_size=3).map("\n".join)
_article = st.lists(_para, min_size=1, max_size=6).map("\n\n".join)


@pytest.mark.slow  # a long property run
@settings(max_examples=examples(1000), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=_article)
def test_generated_plain_text_renders_exactly_as_written(body: str) -> None:
    raw = "A headline for the article\n\n" + body + "\n"
    if not body.strip():
        return
    check_fidelity(raw, "raw/2024-01-01-generated.txt")


@pytest.mark.parametrize("path", PLAIN_FIXTURES, ids=lambda p: p.name)
def test_a_plain_text_fixture_renders_exactly_as_written(path: Path) -> None:
    from archive_build.ingest.decode import decode

    check_fidelity(decode(path.read_bytes(), path.name), f"raw/{path.name}")


@pytest.mark.parametrize(
    "line",
    ["!!! danger \"Click me\"", "??? note \"Hidden\"", "???+ warning", "--8<-- \"../../etc/passwd\"", "*[Kyiv]: capital", "[^1]: a note",
     "Term\n:   definition", "==marked== and ^^inserted^^ and ~~deleted~~", "<div markdown>*x*</div>", "    indented code"],
)
def test_a_line_of_markdown_extension_syntax_in_plain_text_stays_text(line: str) -> None:
    check_fidelity(f"A headline for the article\n\nFirst paragraph of the article.\n\n{line}\n\nLast paragraph of the article.\n", "raw/2024-01-01-x.txt")
