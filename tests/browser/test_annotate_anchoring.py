"""The page's quotes are the build's: what annotate.js computes in Chromium anchors exactly in Python.

No build per selection here: the selector the panel would show is anchored
with the build's own ``anchor()`` in the article's published ``text.txt``.
"""
from __future__ import annotations

import random
from typing import Any

import pytest

from archive_build.annotations.anchor import Anchor, anchor, normalise_str

pytestmark = pytest.mark.browser

ARTICLES = [
    "2023-05-30-drone-attack-on-moscow",
    "2023-05-30-drone-attacks-on-moscow-stern",
    "2025-06-09-moscow-escalates-bombing-of-civilians",
    "2026-02-27-ukraine-war-fourth-anniversary-statements",
]

TRICKY = [
    "“curly” ‘quotes’ and – dashes — here",
    "an ellipsis… and … spaced",
    "soft\u00adhyphen, zero\u200bwidth, word\u2060joiner",
    "tabs\tand\nnewlines\r\n\n and  double  spaces",
    "no-break\u00a0space, thin\u2009space, ideographic\u3000space",
    "separators\x1c\x1d and next\x85line",
    " \u00ad leading and trailing \u200b ",
    "emoji 🙂 and ℕ",
]

# For every block of the article's text, and for spans inside it chosen at random (seeded), the selector annotate.js gives.
_SELECTORS = """async ([count, seed]) => {
  let state = seed;
  const rand = n => { state = (state * 1103515245 + 12345) % 2147483648; return state % n; };
  const skip = ".ab-pilcrow, .headerlink, sup[id^='fnref'], .footnote, .ab-notes, .ab-about, .ab-print-refs, .ab-sidenotes, .ab-popnote";
  const body = document.querySelector('.ab-article-body');
  const blocks = [...body.querySelectorAll('p, li, h2, h3, h4, figcaption, td')].filter(b => !b.closest(skip) && !b.querySelector('p, li'));
  const out = [];
  for (const block of blocks) {
    const texts = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!n.parentElement.closest(skip) && n.data.trim()) texts.push(n);
    if (!texts.length) continue;
    const ranges = [];
    const whole = document.createRange();
    whole.selectNodeContents(block);
    ranges.push(whole);
    for (let k = 0; k < count; k++) {
      const a = texts[rand(texts.length)], b = texts[rand(texts.length)];
      const [first, last] = a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? [b, a] : [a, b];
      const r = document.createRange();
      const s = rand(first.data.length);
      r.setStart(first, s);
      r.setEnd(last, first === last ? s + 1 + rand(last.data.length - s) : 1 + rand(last.data.length));
      ranges.push(r);
    }
    for (const r of ranges) {
      const frag = r.cloneContents();
      frag.querySelectorAll(skip).forEach(e => e.remove());
      const shown = frag.textContent;  // what is selected, without what the page adds (markers, pilcrows)
      const got = await window.__abAnnotateParts.selectorFor(r);
      out.push(Object.assign({ shown: shown, block: block.tagName }, got));
    }
  }
  return out;
}"""


def test_javascript_normalises_text_exactly_as_the_build(page, site_url):
    page.goto(f"{site_url}articles/{ARTICLES[0]}/")
    got = page.evaluate("texts => texts.map(t => window.__abAnnotateParts.normalise(t).text)", TRICKY)
    assert got == [normalise_str(t) for t in TRICKY]


@pytest.mark.parametrize("article", ARTICLES)
def test_every_selection_in_the_text_anchors_exactly_where_it_was_made(page_and_log, site_url, seed_site, article: str):
    page, log = page_and_log
    page.goto(f"{site_url}articles/{article}/")
    plain = (seed_site / "site" / "data" / "articles" / article / "text.txt").read_text(encoding="utf-8")
    selections: list[dict[str, Any]] = page.evaluate(_SELECTORS, [4, random.Random(article).randrange(1, 2**31)])
    assert len(selections) > 20
    for sel in selections:
        if "error" in sel:
            # Only a selection of nothing but what the page adds (a marker, a pilcrow), or of words
            # so frequent that the build cannot tell one place from the others, may be refused.
            assert not normalise_str(sel["shown"]).strip() or "too often" in sel["error"], sel
            continue
        found = anchor(plain, sel["quote"], sel["prefix"], sel["suffix"], fuzzy=False)
        assert isinstance(found, Anchor) and found.similarity == 100, (sel, found)
        assert found.start == sel["plainStart"] + (len(plain[sel["plainStart"]:]) - len(plain[sel["plainStart"]:].lstrip())), sel
        assert normalise_str(sel["quote"]).strip() in normalise_str(sel["shown"]), sel
    assert not log.problems(), log.problems()


QUOTES = ["Kiev was bombed!", "Ça déjà vu", "«»", "the WSWWS noted", "“Panzir” anti-aircraft complex, again"]


def test_javascript_makes_the_note_ids_the_tool_makes(page, site_url):
    from archive_build.annotations.append import make_id

    page.goto(f"{site_url}articles/{ARTICLES[0]}/")
    taken = ["kiev-was-bombed", "the-wswws-noted", "the-wswws-noted-2"]
    got = page.evaluate("([quotes, taken]) => quotes.map(q => window.__abAnnotateParts.makeId(q, taken))", [QUOTES, taken])
    assert got == [make_id(q, set(taken)) for q in QUOTES]


BODIES = [
    "One line.",
    "Two paragraphs.\n\nThe second: with a colon # and a hash.\n",
    "Ends without a newline\nsecond line",
    "Ends with blank lines\n\n\n",
    "  starts with spaces\nand goes on",
    "a tab\there\nand more",
    "trailing spaces  \nhere",
    "line\u2028separator and next\x85line and \x1f control",
    "@handle `code` %percent \"quoted\" 'single' {braces} [brackets] & * ! |",
    "emoji 🙂 and a lone half \ud800 of a pair",
]


def test_javascript_yaml_reads_back_as_exactly_the_fields_written(page, site_url):
    from archive_build.safe_yaml import load_text

    page.goto(f"{site_url}articles/{ARTICLES[0]}/")
    for body in BODIES:
        note = {"quote": "q “x” — y…", "prefix": "a: b #c", "suffix": " @d", "kind": "source", "author": "@who: me", "created": "2026-12-07", "body": body, "links": ["2023-05-30-drone-attack-on-moscow"]}
        text = page.evaluate("note => window.__abAnnotateParts.noteYaml(note)", note)
        data = load_text(text, "note.yml")
        expected = {**note, "body": body.replace("\ud800", "\ufffd")}
        assert {k: (str(v) if k == "created" else v) for k, v in data.items()} == expected, text
