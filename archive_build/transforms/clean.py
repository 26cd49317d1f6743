"""Cleaning the body: boilerplate out, captions merged, headings found, split paragraphs joined.

Each rule is a small function over the block list; each removal is recorded
with its reason.  The rules are deliberately conservative: when unsure, the
text stays in the article.
"""
from __future__ import annotations

import re
from typing import Iterator

from archive_build.markdown.tokens import without_link_syntax
from archive_build.model import Article, Block
from archive_build.text.dates import date_line
from archive_build.text.header_lines import is_header_line

_SHARE_WORDS = r"(?:share(?: this)?(?: article| story| post| page)?(?: on)?|facebook|twitter|x|email|e-mail|whatsapp|linkedin|reddit|telegram|print|copy link|tweet|pinterest|messenger|bluesky|threads|mastodon)"
_SHARE = re.compile(rf"^{_SHARE_WORDS}(?:[\s|,·•/:]+{_SHARE_WORDS})*[\s|,·•/:]*$", re.I)
_AD_WORDS = r"(?:advertisement|advertisements|skip advertisement|sponsored(?: content)?|ad|report (?:this )?ad|story continues below(?: advertisement)?|scroll to continue(?: with content)?)"
# One marker, or several on one line: "Advertisement · Scroll to continue".
_AD = re.compile(rf"^{_AD_WORDS}(?:\s*[|·•]\s*{_AD_WORDS})*$", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b).{0,160}$|^.{0,120}\ball rights reserved\b.{0,80}$", re.I)
# The longest text _COPYRIGHT can match (120 + "all rights reserved" + 80, and
# the line break "$" allows at the end): a longer paragraph is not tried,
# where the pattern would make 120 attempts at a match.
_COPYRIGHT_MAX = 120 + len("all rights reserved") + 80 + 1
_FOOTER_START = re.compile(
    r"^(?:to contact\b|contact us\b|subscribe\b|sign up\b|follow us\b|support (?:our|independent) journalism|donate\b|"
    r"get our (?:free )?newsletter|join our mailing list|read more at\b|related articles?:?$|more from\b|"
    r"follow (?:[\w’']+ )?(?:coverage|live updates)\b|a version of this article appears in print\b|become a member\b|support us\b|"
    r"we[’']ve been covering\b|note from the author:?$|thanks for reading\b)",
    re.I,
)
# A line drawn across the text: "___", "* * *", "----".
_SEPARATOR = re.compile(r"^(?:[_*=~-]\s*){3,}$")
TERMINAL = tuple(".!?…\"”’»)]'*:;")


_EMPHASIS = re.compile(r"[*_]{1,2}")


def _text(block: Block) -> str:
    t = block.text.strip()
    # Most paragraphs hold neither links nor emphasis: skip the substitutions (called ~40 times per article).
    if "[" in t:
        t = without_link_syntax(t)
    if "*" in t or "_" in t:
        t = _EMPHASIS.sub("", t)
    return t.replace("  \n", " ").replace("\n", " ").strip()


def remove_boilerplate(article: Article) -> Article:
    keep: list[Block] = []
    blocks = article.blocks
    n = len(blocks)
    footer_from = None
    for idx in range(max(0, n - 6), n):
        b = blocks[idx]
        if b.kind in ("para", "markdown") and _FOOTER_START.match(_text(b)) and len(_text(b)) < 300:
            # Everything after it must be short or a bare link for it to be a footer.
            if all(len(_text(x)) < 200 for x in blocks[idx + 1 :]):
                footer_from = idx - 1 if idx > 0 and _SEPARATOR.match(blocks[idx - 1].text.strip()) else idx
                break
    for idx, b in enumerate(blocks):
        if footer_from is not None and idx >= footer_from:
            article.remove(b.text, "site contact/subscription footer")
            continue
        t = _text(b) if b.kind in ("para", "markdown") else ""
        if t and len(t) < 120 and _SHARE.match(t):
            article.remove(b.text, "share buttons")
        elif t and _AD.match(t):
            article.remove(b.text, "advertisement marker")
        elif t and idx >= n // 2 and len(t) <= _COPYRIGHT_MAX and _COPYRIGHT.match(t):
            article.remove(b.text, "copyright line")
        else:
            keep.append(b)
    article.blocks = keep
    return article


# What a screen reader says after a link, copied with its words: "Licensing Rights, opens new tab".
# Only in the shapes sites use (", opens new tab", "(opens in a new window)"): prose may say "opens a new window".
_LINK_LABEL = re.compile(r",\s*opens new tab\b|\s*\(opens (?:in )?(?:a )?new (?:tab|window)\)", re.I)
LINK_LABEL_REASON = "link label for screen readers (opens new tab)"


def remove_link_labels(article: Article) -> Article:
    """", opens new tab" and its kin, glued to a link's words by a copy-paste: out of the text, each recorded."""
    if article.format == "html":
        return article  # a page's links are read as links; their hidden labels never reach the text
    for b in article.blocks:
        if b.kind in ("para", "markdown", "heading") and "new " in b.text and _LINK_LABEL.search(b.text):
            for m in _LINK_LABEL.finditer(b.text):
                article.remove(m.group(0), LINK_LABEL_REASON)
            b.text = _LINK_LABEL.sub("", b.text)
    article.blocks = [b for b in article.blocks if b.text.strip()]
    return article


# Lines that open a site's footer of topics and related links, or end an emailed copy.
_FOOTER_MARKER = re.compile(
    r"^(?:topics|tags|related topics|more on this story|explore more on these topics|related (?:stories|articles|content|coverage|links)|"
    r"more (?:from|on|about) (?:this|these|the) (?:story|stories|topics?|author|series)|read more|most read|most popular|"
    r"you may also like|recommended(?: for you)?|reuse this content|share this (?:article|story)|suggested topics)\s*:?$",
    re.I,
)
# A single footer line: its words stay on record, out of the article.
_FOOTER_LINE = re.compile(
    r"^(?:filed (?:in|under)|topics|tags|categories|posted in|more on|our standards)\s*:\s*\S.{0,200}$|^sent from my (?:iphone|ipad|phone|android|mobile|blackberry|galaxy)\b.{0,40}$",
    re.I,
)
# A block of related headlines inside the article: "More election coverage", "Related stories", "Read more:".
_PROMO_MARKER = re.compile(
    r"^(?:(?:more|related|latest|further|recommended)(?:\s+[\w’'-]+){0,3}\s+(?:coverage|stories|news|reading|articles|reads|on this(?: story)?)|"
    r"read more|see also|also read|related|read next|what to read next|more on this story|related topics)\s*:?$",
    re.I,
)
_CAPTION_LINE = re.compile(r"^(?:photo|image|picture|video|watch|listen|gallery)\s*:", re.I)
_PROMO_MAX_ITEMS = 8


def _short_item(b: Block) -> bool:
    """A related headline or its photo caption: one short line that is not a sentence of the article."""
    t = _text(b)
    return b.kind in ("para", "markdown", "heading") and 0 < len(t) <= 110 and (not t.endswith((".", "!", "?", "”", '"')) or bool(_CAPTION_LINE.match(t)))


def remove_promotions(article: Article) -> Article:
    """Footers of topics and related links, footer lines ("Filed in: …", "Sent from my phone") and
    blocks of related headlines inside the article: taken out, each recorded with its reason.

    A footer is a marker line ("Related topics", "Topics", "More on this story")
    followed only by short lines (at most fifteen) to the end; a
    promotion block is a marker line ("More election coverage") followed by
    at most eight short lines (headlines, "Photo: …" captions) and then the
    article again.  Plain text and Markdown only: a page's own footer never
    reaches the blocks (the HTML reader records it as page furniture).
    """
    if article.format == "html":
        return article
    blocks = article.blocks
    n = len(blocks)
    keep: list[Block] = []
    i = 0
    while i < n:
        b = blocks[i]
        t = _text(b) if b.kind in ("para", "markdown", "heading") else ""
        if t and _FOOTER_MARKER.match(t) and i > 0 and n - i <= 16 and all(len(_text(x)) <= 110 for x in blocks[i + 1 :]):
            article.remove("\n".join(x.text for x in blocks[i:]), "site footer: topics and related links")
            break
        if t and _PROMO_MARKER.match(t) and 0 < i:
            j = i + 1
            while j < n and j - i <= _PROMO_MAX_ITEMS and _short_item(blocks[j]):
                j += 1
            if j > i + 1 and (j == n or len(_text(blocks[j])) > 110 or _text(blocks[j]).endswith((".", "!", "?"))):
                reason = "in-article promotion: related headlines" if j < n else "site footer: topics and related links"
                article.remove("\n".join(x.text for x in blocks[i:j]), reason)
                i = j
                continue
        if t and i >= n // 2 and _FOOTER_LINE.match(t):
            article.remove(b.text, "footer line (filing, topics, sent-from signature)")
            i += 1
            continue
        keep.append(b)
        i += 1
    article.blocks = keep
    return article


# A dateline split over lines by a browser copy: "Washington" / "CNN" / "—" above the lede.
_DASH_ONLY = re.compile(r"^[—–-]{1,2}$")


def join_dateline(article: Article) -> Article:
    """A place and agency line ending in a lone dash, copied above the first paragraph, joined onto it (nothing is lost)."""
    blocks = article.blocks
    for k in range(min(4, len(blocks) - 1)):
        if blocks[k].kind == "para" and _DASH_ONLY.match(blocks[k].text.strip()):
            head = blocks[: k + 1]
            if all(x.kind == "para" and len(x.text) <= 40 for x in head) and blocks[k + 1].kind == "para":
                lede = blocks[k + 1]
                joined = " ".join(x.text.strip() for x in head) + " " + lede.text.lstrip()
                article.blocks = [Block(joined, head[0].line, "para")] + blocks[k + 2 :]
            break
    return article


CAPTION_REPEATED = "photo caption pasted twice (kept once)"


# A photo caption with its credit in brackets at the end: "… Nov. 17, 2024. (AP Photo/Evgeniy Maloletka)",
# "… in Sumy. (State Emergency Service of Ukraine / Telegram)", "… (Photo by X/AFP via Getty Images)".
# Or with it after the last sentence: "… hit in March. Photo: Jane Doe", "… Photograph by X/AFP".
_CREDITED_CAPTION = re.compile(
    r"^[^\n]{20,300}[.!?]\s+(?:\((?=[^()\n]{0,80}(?:/|\bPhoto\b|\bvia\b))[^()\n]{3,120}\)"
    r"|(?:Photo(?:graph)?|Image|Picture|Credit)\s*(?:by\b|:)\s*[^.!?\n]{2,80})$"
)


def merge_captions(article: Article) -> Article:
    """Photo captions: one pasted twice (two identical lines in a row, or the second copy with the
    credit glued on the front), and one that ends with its credit in brackets."""
    out: list[Block] = []
    i = 0
    blocks = article.blocks
    while i < len(blocks):
        a = blocks[i]
        if i + 1 < len(blocks) and a.kind in ("para", "markdown"):
            b = blocks[i + 1]
            if len(a.text) >= 20 and b.kind == a.kind and b.text.strip() == a.text.strip():
                article.remove(a.text, CAPTION_REPEATED)
                out.append(Block(b.text, b.line, "caption"))
                i += 2
                continue
            if len(a.text) >= 20 and b.text.endswith(a.text) and 2 <= len(b.text) - len(a.text) <= 80:
                credit = b.text[: -len(a.text)].strip()
                article.remove(a.text, "photo caption pasted twice (kept once, with its credit)")
                out.append(Block(a.text, b.line, "caption", credit=credit))
                i += 2
                continue
        if a.kind == "para" and len(a.text) <= 430 and _CREDITED_CAPTION.match(a.text.strip()):
            out.append(Block(a.text, a.line, "caption"))
            i += 1
            continue
        out.append(a)
        i += 1
    article.blocks = out
    return article


_NOT_HEADING_END = tuple(".!?…\"”’»)]':;,-–—")
_FUNCTION_END = re.compile(r"\b(?:the|a|an|of|and|or|to|in|on|for|with|by|at|from|as|that|which|who|is|are|was|were)$", re.I)


_ZONE = r"(?:GMT|BST|UTC|CET|CEST|ET|EST|EDT|CT|PT|PST|PDT|local time|local)"
# "19:45", "7.30pm BST", "1945 GMT" (a kick-off time; a bare "1945" may be a year heading).
_TIME_OF_DAY = re.compile(rf"^(?:\d{{1,2}}[.:]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*{_ZONE})?|\d{{3,4}}\s*{_ZONE})$", re.I)


def _heading_like(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 12
        and len(text) <= 90
        and not text.endswith(_NOT_HEADING_END)
        and (text[:1].isupper() or text[:1].isdigit())
        and not _FUNCTION_END.search(text)
        and not re.search(r",\s+[a-z]", text)
        and "  " not in text
        # "1945 GMT", "Tuesday, 1 March", a byline: never headings
        and not (_TIME_OF_DAY.match(text) or date_line(text)[1] or is_header_line(text))
    )


def find_headings(article: Article) -> Article:
    """Promote standalone short lines to headings (plain text only).

    A line directly followed by a date-only line ("February 24") opens a
    section with its own date: it becomes ``##`` and the subheadings inside
    such sections ``###``.
    """
    if article.format == "md":
        return article
    blocks = article.blocks
    sections = set()
    for i in range(len(blocks) - 1):
        a, b = blocks[i], blocks[i + 1]
        if a.kind == "para" and b.kind == "para" and len(a.text) <= 160 and i + 2 < len(blocks):
            label, iso = date_line(b.text)
            if iso and label is None and len(b.text) <= 30:
                sections.add(i)
                b.kind = "dateline"
    sub_level = 3 if sections else 2
    for i, a in enumerate(blocks):
        if i in sections:
            a.kind, a.level = "heading", 2
        elif (
            a.kind == "para"
            and 0 < i < len(blocks) - 1
            and blocks[i + 1].kind == "para"
            and blocks[i - 1].kind not in ("heading",)
            and _heading_like(a.text)
            and len(blocks[i + 1].text) > len(a.text)
        ):
            a.kind, a.level = "heading", sub_level
    return article


def _joinable(a: Block, b: Block) -> bool:
    if a.kind not in ("para", "markdown") or b.kind != a.kind:
        return False
    at, bt = a.text.rstrip(), b.text.lstrip()
    if not at or not bt or at.endswith(TERMINAL) or at.endswith("  "):
        return False
    if (len(at) <= 120 and is_header_line(at)) or (len(bt) <= 120 and is_header_line(bt)):
        return False  # a date line or byline is never glued onto a paragraph
    if len(at) <= 430 and _CREDITED_CAPTION.match(at):
        return False  # a caption ends with its credit, not mid-sentence
    if a.kind == "markdown" and (re.match(r"^(?:[-*+>|]|\d+[.)]|\[\^)", bt) or re.match(r"^(?:[-*+>|]|\d+[.)])", at)):
        return False
    if not (bt[0].isalnum() or bt[0] in "“\"‘'("):
        return False
    return len(at.split()) >= 5 or bt[0].islower()


def join_split_paragraphs(article: Article) -> Article:
    """Paragraphs broken mid-sentence by a copy-paste ("…asked Democratic" / "Representative …").

    Not for HTML: a page's <p> elements are the author's own paragraphs.
    """
    if article.format == "html":
        return article
    out: list[Block] = []
    for b in article.blocks:
        if out and _joinable(out[-1], b):
            out[-1] = Block(out[-1].text.rstrip() + " " + b.text.lstrip(), out[-1].line, out[-1].kind)
        else:
            out.append(b)
    article.blocks = out
    return article


# A sentence's end: a terminator, maybe a closing quote, then white space or the end; not an
# abbreviation's point ("Nov. 20", "U.S. officials", "Mr. Smith").
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bProf)"
    r"[.!?…][\"”’)]?(?=\s|$)(?!\s+[a-z0-9])"
)
_SPACE = re.compile(r"\s*")


def sentences(text: str) -> Iterator[str]:
    """The sentences ``(.+?[.!?…]["”’)]?)(?:\\s+|$)`` finds in ``text``, in time linear in its length.

    That pattern, run with ``finditer``, tries every position of a text without
    a terminator and scans on to its end from each: quadratic (5 MB of one
    line ran for minutes).  Here each sentence's end is searched for once, from
    at least one character past its start, as the lazy ``.+?`` would.
    """
    start, n = 0, len(text)
    while start < n:
        m = _SENTENCE_END.search(text, start + 1)
        if m is None:
            return
        yield text[start : m.end()]
        start = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]


def describe(article: Article) -> Article:
    """The standfirst, or the first sentences, as the description.

    A copy-paste without a title often starts with the standfirst: a short
    first block of whole sentences before the body proper.  It moves to the
    description (recorded) instead of being printed twice.
    """
    paras = [b for b in article.blocks if b.kind in ("para", "markdown")]
    if not paras:
        return article
    first = article.blocks[0]
    if (
        not article.description
        and article.title_in_text is False
        and first.kind == "para"
        and 40 <= len(first.text) <= 320
        and first.text.rstrip().endswith((".", "!", "?"))
        and len(article.blocks) > 3
    ):
        article.description = first.text.strip()
        article.remove(first.text, "standfirst (shown as the description)")
        article.blocks = article.blocks[1:]
        return article
    if not article.description:
        # A lead-in to a list ("Key developments on Nov. 20:") says too little.
        text = _text(next((p for p in paras if not p.text.rstrip().endswith(":")), paras[0]))
        desc = ""
        for sentence in sentences(text):
            if desc and len(desc) + len(sentence) > 240:
                break
            desc = (desc + " " + sentence).strip()
        article.description = (desc or text)[:300].strip()
        # The first sentences of the text: the page must not print them twice (writer.front_matter).
        article.derived_description = article.description
    return article


# A wire story's closing credits, not its last sentence: "Reporting by X; Editing by Y".
_CREDITS = re.compile(r"^\(?(?:additional |further )?(?:reporting|writing|editing|compiled|research) by\b", re.I)


def flag_truncation(article: Article) -> Article:
    prose = [b for b in article.blocks if b.kind in ("para", "markdown")]
    while prose and len(prose[-1].text) <= 300 and _CREDITS.match(_text(prose[-1])):
        prose.pop()
    if prose:
        last = _text(prose[-1])
        if last.endswith(":") or not last.endswith(TERMINAL):
            article.warn("the text may be truncated: it ends mid-sentence" + (" (on a colon)" if last.endswith(":") else ""))
    return article
