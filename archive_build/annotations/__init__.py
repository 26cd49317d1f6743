"""Reader annotations: loading ``annotations/<id>.yml`` and ``annotations/<id>/*.yml``, anchoring quotes, rendering footnotes.

``annotate`` runs in the build's worker processes, once per article, right
after cleaning: it sets ``article.plain`` (the text annotation offsets count
in), anchors each annotation, highlights its passage and adds its footnote.
``link_annotations`` runs once over the whole collection, because only
there is it known which articles an annotation's ``links`` may point to.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archive_build.annotations.anchor import (
    CONTEXT_THRESHOLD,
    MAX_LISTED,
    Anchor,
    Miss,
    anchor,
    context,
    excerpt,
    normalise,
    normalise_str,
)
from archive_build.annotations.load import Spec, read_annotations
from archive_build.annotations.raw_lines import Unread
from archive_build.annotations.render import Placed, footnote, highlight, see_also, unanchored_section
from archive_build.errors import Problem
from archive_build.markdown.plaintext import scan
from archive_build.model import Article


def annotate(
    article: Article, path: Path | None, display: str, more: tuple[tuple[str, str], ...] = ()
) -> tuple[Article, list[Problem]]:
    """Anchor and render the article's annotations.

    An annotation that cannot be anchored is a lenient error (a warning under
    ``--keep-going``: ``errors.kept_going``); either way it is listed under
    "Unanchored notes" at the end of the article, so no note is ever silently
    dropped.  A note the file's mistakes keep from being read at all is
    listed there too, from the file's raw text (an error, never lenient).
    ``more`` holds a second file for the same article (an error reported by
    the build's inventory, still read meanwhile).
    """
    pmap = scan(article.body)
    article.plain = pmap.text
    if path is None:
        return article, []
    loaded = read_annotations(path, display, article.id)
    specs, problems, unread = loaded.specs, loaded.problems, loaded.unread
    spec_file = {id(s): display for s in specs}
    owner = {s.id: display for s in specs}
    for other_path, other_display in more:
        extra = read_annotations(Path(other_path), other_display, article.id)
        for spec in extra.specs:
            if spec.id in owner:
                problems.append(Problem(other_display, spec.line, f"duplicate id {spec.id!r}: {owner[spec.id]} has it too; ids must be unique for the article (rename one of them)"))
                unread.append(Unread(spec.line, spec.quote, spec.author, spec.body, f"{other_display}:{spec.line}: duplicate id {spec.id!r}"))
                continue
            specs.append(spec)
            spec_file[id(spec)] = other_display
            owner[spec.id] = other_display
        problems += extra.problems
        unread += extra.unread
    article.annotation_file = display
    if more:  # where each note is written, for the problems found later (``link_annotations``)
        article.annotation_files = owner
    if not specs and not unread:
        return article, problems
    norm = normalise(pmap.text)
    placed: list[tuple[Spec, Anchor]] = []
    lost: list[tuple[Spec, str]] = []
    for spec in specs:
        where = spec_file[id(spec)]
        result = anchor(pmap.text, spec.quote, spec.prefix, spec.suffix, norm=norm)
        if isinstance(result, Anchor):
            if result.similarity < 100:
                found = " ".join(pmap.text[result.start : result.end].split())
                problems.append(Problem(where, spec.quote_line, f"quote {_q(spec.quote)} not found exactly; re-anchored to {_q(found)} ({result.similarity:.0f}% similar) — update the quote", "warning"))
            placed.append((spec, result))
        else:
            problems.append(Problem(where, spec.quote_line, miss_message(pmap.text, spec.quote, result, article.id, article.description), lenient=True))
            lost.append((spec, result.reason))
    placed.sort(key=lambda sa: (sa[1].start, sa[1].end))
    article.body = highlight(article.body, pmap, [Placed(s.id, s.kind, a.start, a.end) for s, a in placed])
    for spec, anch in placed:
        article.annotations.append(_record(spec, pmap.text, anch))
    taken = {s.id for s in specs}
    for note in unread:
        lost.append((_unread_spec(note, taken), f"unread: {note.reason}"))
    for spec, reason in lost:
        article.unanchored.append(_record(spec, pmap.text, None, reason))
    if lost:
        article.body = article.body.rstrip("\n") + "\n\n" + unanchored_section(lost)
    relative: list[tuple[str, int, str]] = []
    for spec, anchored in [(s, True) for s, _ in placed] + [(s, False) for s, _ in lost]:
        dropped: list[str] = []
        note = footnote(spec, dropped, anchored=anchored)
        article.footnotes.append(note)
        relative += [(spec.id, spec.line, t) for t in _RELATIVE.findall(note) if not _SCHEME.match(t) and not t.startswith("#")]
        for url in dropped:
            problems.append(Problem(spec_file.get(id(spec), display), spec.line, f"unsafe link target removed from the body: {url[:80]!r} (only http, https, mailto and relative links are kept)", "warning"))
    if relative:
        article.annotation_relative_links = relative
    return article, problems


# Link targets in a rendered footnote; ours are "#ann-…" (skipped) or added later.
_RELATIVE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_ARTICLE_LINK = re.compile(r"^(?:\.\./articles/)?([^/#?]+)\.md(?:#[\w.-]*)?$")


def _q(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"\"{text[:limit]}{'…' if len(text) > limit else ''}\""


def miss_message(plain: str, quote: str, miss: Miss, article_id: str, standfirst: str | None = None) -> str:
    """Why a quote could not be anchored, with what a contributor needs to fix it."""
    if miss.reason == "empty":
        return "quote is empty"
    if miss.reason == "not-found" and standfirst and normalise_str(quote).strip().lower() in normalise_str(standfirst).lower():
        start = _first_paragraph(plain)
        return (
            f"quote {_q(quote)} is from the standfirst, the summary at the top of the page, which repeats the article's "
            f"opening and is not part of the annotatable text: quote the same words from the article's first paragraph, "
            f"which begins {_q(plain[start[0]:start[1]], 120)}"
        )
    if miss.reason == "ambiguous":
        n = len(miss.occurrences)
        if miss.similarity:
            lines = [
                f"quote {_q(quote)} is ambiguous: it occurs {n} times in article {article_id}, and its prefix:/suffix: match none of them closely "
                f"(best {miss.similarity:.0f}%, {CONTEXT_THRESHOLD:.0f}% needed); copy the words just before or after the one you mean:"
            ]
        else:
            lines = [f"quote {_q(quote)} is ambiguous: it occurs {n} times in article {article_id}; add prefix: or suffix: (the words just before or after) to choose one:"]
        for i, (s, e) in enumerate(miss.occurrences[:MAX_LISTED], 1):
            lines.append(f"    {i}. {excerpt(plain, s, e)}")
        if n > MAX_LISTED:
            lines.append(f"    … and {n - MAX_LISTED} more")
        return "\n".join(lines)
    msg = f"quote not found in article {article_id}: {_q(quote)}"
    if miss.nearest:
        s, e = miss.nearest
        msg += f"; nearest: {_q(plain[s:e])} ({miss.similarity:.0f}%)"
    return msg


def _first_paragraph(plain: str) -> tuple[int, int]:
    """The span of the plain text's first paragraph (up to its first blank line)."""
    start = len(plain) - len(plain.lstrip())
    end = plain.find("\n\n", start)
    return start, len(plain) if end == -1 else end


def _unread_spec(note: Unread, taken: set[str]) -> Spec:
    """A note that could not be read, as a Spec with an id of its own (its written id may be the mistake)."""
    ident, n = f"unread-line-{note.line}", 2
    while ident in taken:
        ident, n = f"unread-line-{note.line}-{n}", n + 1
    taken.add(ident)
    return Spec(ident, note.quote, note.author, "", note.body or "(no text could be read)", note.line)


def _record(spec: Spec, plain: str, anch: Anchor | None, reason: str = "") -> dict[str, Any]:
    """The agreed shape of ``article.annotations`` / ``article.unanchored`` entries."""
    rec: dict[str, Any] = {"id": spec.id, "kind": spec.kind, "author": spec.author, "created": spec.created}
    if anch is not None:
        prefix, suffix = context(plain, anch.start, anch.end)
        rec.update(quote=plain[anch.start : anch.end], prefix=prefix, suffix=suffix)
    else:
        rec.update(quote=spec.quote, prefix=spec.prefix, suffix=spec.suffix)
    rec.update(body=spec.body, links=list(spec.links))
    if anch is not None:
        rec.update(start=anch.start, end=anch.end, similarity=anch.similarity)
    rec["line"] = spec.line
    if reason.startswith("unread: "):
        rec.update(status="unread", reason=reason[len("unread: ") :])
    elif reason:
        rec["status"] = "ambiguous" if reason == "ambiguous" else "not found"
    if spec.imported_from:
        rec["imported_from"] = spec.imported_from
    return rec


def link_annotations(articles: list[Article], problems: list[Problem]) -> None:
    """Check every annotation's ``links`` against the archive and add "See also" to its footnote.

    An unknown article id is an error at the annotation's line; it is dropped
    from ``links`` so that nothing downstream links to a missing page.
    """
    titles = {a.id: a.title or a.id for a in articles}
    for article in articles:
        display = article.annotation_file or f"annotations/{article.id}.yml"
        owners = article.annotation_files
        for ann_id, line, target in article.annotation_relative_links:
            m = _ARTICLE_LINK.match(target)
            if not m or m.group(1) not in titles:
                # A warning, as in an article's text: the words stay, as text, and one link never stops the site from publishing.
                problems.append(Problem(owners.get(ann_id, display), line, f"link {target!r} in the body of {ann_id!r} leads to no page, so it is shown as text: a relative link must name an article of the archive, as ARTICLE-ID.md; use a full https:// address for anything else", "warning"))
        where: dict[str, int] | None = None  # footnote label → index, built only if needed
        for ann in article.annotations + article.unanchored:
            good = []
            for target in ann.get("links", []):
                if target not in titles:
                    problems.append(Problem(owners.get(ann.get("id"), display), ann.get("line"), f"links: no article {target!r} in the archive"))
                elif target != article.id:
                    good.append(target)
            ann["links"] = good
            if not good:
                continue
            if where is None:
                where = {fn.split(" ", 1)[0]: i for i, fn in enumerate(article.footnotes)}
            i = where.get(f"[^ann-{ann['id']}]:")
            if i is not None:
                article.footnotes[i] = article.footnotes[i].rstrip("\n") + "\n\n" + see_also([(t, titles[t]) for t in good])
