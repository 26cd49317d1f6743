"""Links between articles of the archive: a web link to an archived article goes to its page.

An article often cites another one the archive also holds, by its address
on the publisher's site.  Readers should land on the archived copy (it
carries the annotations, and the original may be gone), and the target
should show who cites it.  One index of every article's ``url`` (as a
``urls.normalize_url`` key, so scheme, ``www.``, trailing slash and
tracking parameters do not matter) makes this one pass over the links:
linear in the size of the archive, never pairwise.

Each rewritten link is recorded in the citing article's ``links_out`` as
``{"target": id, "passage": sentence}``; the backlinks step turns those into
the target's "Referenced by".  So this step must run before backlinks.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from archive_build.markdown.tokens import code_regions
from archive_build.model import Article

if TYPE_CHECKING:
    from archive_build.store.articles import Texts


def normalize_url(url: str | None) -> str | None:
    # Imported on first use: the worker has already normalised every article's
    # own address (``article.keys.url``), so a rebuild that finds no link to an
    # archived address never loads courlan.
    from archive_build.text.urls import normalize_url as normalize

    return normalize(url)


def url_key(article: Article) -> str | None:
    """The article's address as a matching key (``urls.normalize_url``), as the worker computed it."""
    return article.keys.url if article.keys is not None else normalize_url(article.url)

# [label](target "title") — not images; label may hold escapes and one level of brackets.
_LINK = re.compile(
    r"(?<![\\!])\[(?P<label>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
    r"\((?P<open>\s*<?)(?P<target>(?:[^()\s<>]|\([^()\s]*\))*)(?P<close>>?(?:\s+\"[^\"]*\")?\s*)\)"
)
_REF_DEF = re.compile(r"^(?P<lead>[ ]{0,3}\[(?!\^)(?P<ref>[^\]\n]+)\]:[ \t]*<?)(?P<target>[^\s>]+)", re.M)

PASSAGE_LIMIT = 300


def url_index(articles: Iterable[Article]) -> tuple[dict[str, str], dict[str, str]]:
    """Matching key → article id, and article id → the id that owns its (shared) address.

    When two articles give the same address, the first by id keeps it; the
    other is reported through the second dict so the caller can warn.
    """
    index: dict[str, str] = {}
    shared: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: a.id):
        key = url_key(article)
        if key is None:
            continue
        if key in index:
            shared[article.id] = index[key]
        else:
            index[key] = article.id
    return index, shared


# --- the citing passage -----------------------------------------------------------------

_REF_LINK = re.compile(r"(?<!\\)\[((?:[^\[\]\\]|\\.)*)\]\[[^\]\n]*\]")
_UNESCAPE = re.compile(r"\\(.)")
_MARKUP = re.compile(r"\[\^[^\]\s]+\]|</?[a-zA-Z][^<>]*>|\{:[^{}]*\}|(?<!\\)[*_]{1,3}|^#{1,6}[ \t]+|^[ ]{0,3}>[ \t]?", re.M)
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-Z0-9À-Ý])")


def _plain(markdown: str) -> str:
    """Markdown → roughly the text a reader sees (good enough to quote a sentence)."""
    text = _LINK.sub(lambda m: m.group("label"), markdown)
    text = _REF_LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    text = _UNESCAPE.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def passage(paragraph: str, start: int, end: int) -> str:
    """The sentence of ``paragraph`` around the link at ``start:end``, as plain text."""
    marker = "\x00"
    plain = _plain(paragraph[:start] + marker + paragraph[start:end] + marker + paragraph[end:])
    left, right = plain.find(marker), plain.rfind(marker)
    begin = 0
    for m in _SENTENCE_END.finditer(plain, 0, left):
        begin = m.end()
    stop = len(plain)
    m = _SENTENCE_END.search(plain, right)
    if m:
        stop = m.start() + len(m.group(0).rstrip())
    sentence = plain[begin:stop].replace(marker, "").strip()
    if len(sentence) > PASSAGE_LIMIT:
        sentence = sentence[: PASSAGE_LIMIT - 1].rstrip() + "…"
    return sentence


# --- rewriting ----------------------------------------------------------------------------


_HOST = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.\-]*:)?/*(?:[^/?#@\s]*@)?(?:www\.)?([^/?#:\s]*)", re.I)


def _may_match(url: str, hosts: set[str]) -> bool:
    """A cheap first filter on the host (lower-cased, no ``www.``) before the full normalisation."""
    m = _HOST.match(url)
    host = m.group(1).lower().rstrip(".") if m else ""
    return host in hosts or "xn--" in host or not host.isascii()


def _rewrite(text: str, index: dict[str, str], hosts: set[str], own_id: str, found: dict[str, str]) -> str:
    """``text`` with links to archived articles pointing at their pages; ``found`` gets target → passage."""
    if "http" not in text and "www." not in text:
        return text
    in_code = code_regions(text).covers

    def paragraph_around(pos: int) -> tuple[int, int]:
        left = text.rfind("\n\n", 0, pos)
        right = text.find("\n\n", pos)
        return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)

    def target_of(url: str) -> str | None:
        if not _may_match(url, hosts):
            return None  # most links go elsewhere: skip the full normalisation
        other = index.get(normalize_url(url) or "")
        return other if other and other != own_id else None

    def link(m: re.Match[str]) -> str:
        other = target_of(m.group("target"))
        if other is None or in_code(m.start()):
            return m.group(0)
        if other not in found:
            p0, p1 = paragraph_around(m.start())
            found[other] = passage(text[p0:p1], m.start() - p0, m.end() - p0)
        return f"[{m.group('label')}]({m.group('open')}{other}.md{m.group('close')})"

    def ref_def(m: re.Match[str]) -> str:
        other = target_of(m.group("target"))
        if other is None or in_code(m.start()):
            return m.group(0)
        if other not in found:
            # The passage is where the reference is used: [words][ref] or [ref].
            use = re.search(rf"(?<![\\!])\[(?:[^\[\]\n]*\]\[)?{re.escape(m.group('ref'))}\](?!:)", text, re.I)
            p0, p1 = paragraph_around(use.start()) if use else (0, 0)
            found[other] = passage(text[p0:p1], use.start() - p0, use.end() - p0) if use else ""
        return f"{m.group('lead')}{other}.md"

    return _REF_DEF.sub(ref_def, _LINK.sub(link, text))


def link_articles(articles: list[Article], texts: Texts | None = None) -> None:
    """Point every link to another archived article at its page, and record it in ``links_out``.

    ``texts`` hands out the body of an article that mentions a web address (None: the articles have theirs).
    """
    index, shared = url_index(articles)
    hosts = {key.split("/", 1)[0].split(":", 1)[0].split("?", 1)[0] for key in index}
    titles = {a.id: a.title or a.id for a in articles}
    for article in articles:
        if article.id in shared:
            owner = shared[article.id]
            article.warn(f"same url as {titles[owner]!r} ({owner}); links to that address go to {owner}")
        found: dict[str, str] = {}
        if article.keys is None or article.keys.web_text:  # False spares loading the text
            if texts is not None:
                texts.load(article)
            article.body = _rewrite(article.body, index, hosts, article.id, found)
        article.footnotes = [_rewrite(f, index, hosts, article.id, found) for f in article.footnotes]
        done = {entry.get("target") for entry in article.links_out}
        for target in found:  # in order of first citation
            if target not in done:
                article.links_out.append({"target": target, "passage": found[target]})
                # backlinks.add_backlinks reads (target, passage) pairs from here.
                article.links_to.append((target, found[target]))
