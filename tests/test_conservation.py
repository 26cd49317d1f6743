"""Nothing is lost: every word of a raw article ends up in the body, the metadata or ``removed``.

A "word" is a maximal run of letters and digits (after the same NFC
normalisation the decoder applies), counted with multiplicity: an input
that says "Kyiv" three times must say it at least three times across body,
metadata and removed.  Escaping only ever inserts backslashes before
punctuation, so it never splits such a run.

The property runs over generated raw texts (paragraphs, headings, bylines,
dates, boilerplate lines, Markdown-significant characters, mixed line
endings, combining marks, right-to-left text, emoji and zero-width
characters), and as fixed cases over the seeds and the realistic fixtures.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from archive_build.errors import InputError
from archive_build.ingest.decode import decode
from archive_build.model import Article
from archive_build.pipeline import clean_article
from testkit.examples import examples

ROOT = Path(__file__).resolve().parent.parent
REALISTIC = sorted((ROOT / "tests" / "fixtures" / "realistic").iterdir())
SEEDS = sorted(p for p in (ROOT / "raw").iterdir() if p.suffix in (".txt", ".md", ".html", ".htm"))

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFC", text)))


def _flatten(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k} {_flatten(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(v) for v in value)
    return "" if value is None else str(value)


def kept_text(article: Article) -> str:
    """Everything the article keeps: body, footnotes, metadata fields and removed texts."""
    meta = {
        "title": article.title, "authors": article.authors, "date": article.date, "updated": article.updated,
        "source": article.source, "url": article.url, "description": article.description, "tags": article.tags, **article.extra,
    }
    return "\n".join([article.body, *article.footnotes, _flatten(meta), *(r.text for r in article.removed)])


def input_text(data: bytes, path: str) -> str:
    """What the reader sees as the article's words (HTML: the visible text of the page)."""
    text = decode(data, path)
    if path.endswith((".html", ".htm")):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style", "template", "noscript"]):
            tag.decompose()
        text = soup.get_text("\n")
    return text


def missing(source: str, article: Article) -> Counter[str]:
    """Words of ``source`` the article does not keep.

    A word the cleaner split where the raw copy had glued two words together
    (a photo credit glued to its caption: "ForcesNataliia") counts as kept
    when both halves are.
    """
    kept = words(kept_text(article))
    lost = words(source) - kept
    for word in list(lost):
        if any(kept[word[:i]] and kept[word[i:]] for i in range(1, len(word))):
            del lost[word]
    return lost


def lost_words(data: bytes, path: str, article: Article) -> Counter[str]:
    return missing(input_text(data, path), article)


def assert_conserved(data: bytes, path: str) -> Article:
    article = clean_article(data, path)
    lost = lost_words(data, path, article)
    assert not lost, f"{path}: words lost by the cleaner: {dict(lost)}"
    return article


# Known losses, each reported to the owner of the reader at fault (none at present).
KNOWN_LOSSES: dict[str, str] = {}


def _case(path: Path) -> object:
    reason = KNOWN_LOSSES.get(path.name)
    return pytest.param(path, marks=pytest.mark.xfail(reason=reason, strict=True)) if reason else path


@pytest.mark.parametrize("path", [_case(p) for p in REALISTIC + SEEDS], ids=lambda p: p.name)
def test_every_word_of_a_fixture_article_is_kept(path: Path) -> None:
    assert_conserved(path.read_bytes(), f"raw/{path.name}")


def test_there_are_at_least_twenty_realistic_fixtures() -> None:
    assert len(REALISTIC) >= 20


# --- generated raw texts -------------------------------------------------------------

_VOCAB = [
    "Kyiv", "Moscow", "drone", "the", "of", "and", "attack", "ceasefire", "Zelensky", "Putin", "NATO", "2023", "30",
    "May", "said", "officials", "on", "Tuesday", "reported", "Kharkiv", "ministry", "3.5", "%", "per", "cent",
    "café", "naïve", "Zürich", "Łódź", "Ħ", "Київ", "Харків", "Москва", "войны", "السلام", "עזה", "🕊️", "👍🏽", "🇺🇦",
    "e\u0301", "a\u0308\u0323", "x\u200by", "zero\u200dwidth", "non\u200cjoiner", "\u202eRTL\u202c", "\u2066iso\u2069", "\ufeff",
    "*", "**", "_", "__", "`", "```", "#", "##", ">", "-", "+", "1.", "2)", "[", "]", "(", ")", "[x](javascript:alert(1))",
    "<b>", "</b>", "<script>", "&amp;", "&lt;", "&#60;", "|", "{: .x}", "{#id}", "==", "^^", "~~", "\\", "!!!", "???", "[^1]",
    "--8<--", "*[HTML]:", ":", "—", "–", "…", "“", "”", "‘", "’", "«", "»", "„",
]
_word = st.one_of(st.sampled_from(_VOCAB), st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8))
_sentence = st.lists(_word, min_size=1, max_size=18).map(" ".join)
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(lambda s: ". ".join(s) + ".")
_name = st.lists(st.sampled_from(["Anna", "Mykola", "Brandt", "O'Neil", "de", "Jean-Luc", "ŁUKASZ", "Ng", "Smith", "Olena"]), min_size=2, max_size=3).map(" ".join)
_byline = st.one_of(
    _name.map(lambda n: f"By {n}"),
    st.tuples(_name, _name).map(lambda t: f"By {t[0]} and {t[1]}"),
    _name.map(lambda n: f"Written by: {n} | June 9, 2025"),
    _name,
)
_date = st.one_of(
    st.dates().map(lambda d: d.strftime("%B %d, %Y")),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: "Updated: " + d.strftime("%d %b %Y")),
    st.sampled_from(["February 24", "30 May 2023", "Published on 1.2.2024", "Tue, 30 May 2023 10:15 GMT"]),
)
_heading = st.one_of(_sentence.map(lambda s: s[:60]), _sentence.map(lambda s: "## " + s[:60]), _sentence.map(lambda s: s.title()[:60]))
_boilerplate = st.sampled_from([
    "Share this article", "Facebook Twitter Email", "Advertisement", "Story continues below advertisement",
    "© 2025 Example News. All rights reserved.", "Copyright 2024 Wire Service", "Subscribe to our newsletter",
    "Follow us on Telegram", "Related articles:", "Read more at example.org/news", "Source: The Example Times",
    "Jane Doe is a reporter who has covered politics for newspapers and writes for several editors.",
    "Photo: AFP", "Sign up for updates", "Support independent journalism",
])
_block = st.one_of(_paragraph, _paragraph, _paragraph, _heading, _byline, _date, _boilerplate, _sentence)
_WESTERN = set("’‘“”–—…€éèüöäçàñß")
_newline = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def raw_texts(draw: st.DrawFn) -> str:
    """A messy raw article: header-ish lines, then blocks, joined with mixed line endings."""
    parts = []
    if draw(st.booleans()):
        parts.append(draw(_heading))
    if draw(st.booleans()):
        parts.append(draw(_byline))
    if draw(st.booleans()):
        parts.append(draw(_date))
    parts += draw(st.lists(_block, min_size=1, max_size=10))
    out = []
    for part in parts:
        nl = draw(_newline)
        out.append(part.replace("\n", nl))
        out.append(nl * draw(st.integers(1, 3)))
    return "".join(out)


def _clean_or_refuse(data: bytes, path: str) -> Article | None:
    """The cleaner may refuse a text only with a clear InputError (e.g. whitespace only)."""
    try:
        article = clean_article(data, path)
    except InputError as exc:
        event(f"refused: {exc.problem.message[:40]}")
        return None
    event("cleaned")
    return article


GENERATED = settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def as_html(text: str) -> str:
    """The same raw text as a saved page: one <p> per block, escaped."""
    import html as html_mod

    blocks = [b for b in re.split(r"(?:\r\n|\r|\n){2,}", text) if b.strip()]
    return "<html><body><article>" + "".join(f"<p>{html_mod.escape(b)}</p>\n" for b in blocks) + "</article></body></html>"


@GENERATED
@given(text=raw_texts(), ext=st.sampled_from([".txt", ".md", ".html"]))
def test_every_word_of_a_generated_raw_text_is_kept(text: str, ext: str) -> None:
    if ext == ".html":
        text = as_html(text)
    data = text.encode("utf-8")
    path = f"raw/2024-01-01-generated{ext}"
    article = _clean_or_refuse(data, path)
    if article is None:
        return
    lost = lost_words(data, path, article)
    assert not lost, f"words lost: {dict(lost)}"


@GENERATED
@given(text=raw_texts(), encoding=st.sampled_from(["utf-8-sig", "utf-16", "cp1252"]))
def test_every_word_survives_any_supported_encoding(text: str, encoding: str) -> None:
    if encoding == "cp1252":
        # A legacy file's encoding is a guess from its bytes: keep to the
        # characters Western texts are written with, or no guess can be right.
        text = "".join(c if c.isascii() or c in _WESTERN else "?" for c in text)
        assume(not re.search(r"[^\x00-\x7f]{3}", text))  # three in a row look like Cyrillic
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        text = data.decode("utf-8-sig")  # cp1252 bytes that happen to be valid UTF-8 are UTF-8
    except UnicodeDecodeError:
        pass
    path = "raw/2024-01-01-generated.txt"
    article = _clean_or_refuse(data, path)
    if article is None:
        return
    lost = missing(text, article)
    assert not lost, f"words lost ({encoding}): {dict(lost)}"


# --- regressions the property tests found ---------------------------------------------


def test_a_few_isolated_accents_in_cp1252_are_not_read_as_cyrillic() -> None:
    assert decode("A naïve reader’s café, 10 °C».\n".encode("cp1252"), "raw/x.txt") == "A naïve reader’s café, 10 °C».\n"


def test_cp1251_cyrillic_is_still_read_as_cyrillic() -> None:
    text = "Заява профспілок. Three years ago Russia began its invasion.\n"
    assert decode(text.encode("cp1251"), "raw/x.txt") == text


def test_an_unsafe_link_in_a_markdown_heading_is_recorded_as_removed() -> None:
    article = clean_article(b"Intro paragraph here.\n\n## Read [x](javascript:alert(1)) now\n\nMore text follows.\n", "raw/2024-01-01-x.md")
    assert "javascript" not in article.body
    assert "javascript:alert(1)" in [r.text for r in article.removed]
