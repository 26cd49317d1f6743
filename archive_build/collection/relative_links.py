"""Relative links in contributed text: kept when they lead to a page of the site, else shown as text.

MkDocs checks every relative link of every page, and the site is built with
``--strict``: one contributed article linking to ``earlier-report.md`` (a
file that is not in the archive) would stop the whole site from publishing.
So the build checks the links first.  A relative link in an article's text
or in an annotation body is kept when it names a Markdown page of the site
(another article, an entity page, a hand-written page); otherwise its words
stay, as text, and the article gets a warning that names the target (on the
page, under "About this text", and as ``file:line: warning`` in the build's
report).  A ``#fragment`` is dropped from a kept link: heading ids are the
site's (``html_safety.slugify``), and a fragment that names none would fail
the strict build too.  Hand-written pages keep MkDocs' own strict check.

The worker lists each article's relative link targets
(``transforms.relative_links.find``, cached with the article); this step,
which knows every page, runs on every build but
reads the text of only the articles that have such links.
"""
from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from archive_build.errors import Problem
from archive_build.markdown.escape import escape_text
from archive_build.markdown.linear_scan import Found, inline_links, substitute
from archive_build.model import Article

if TYPE_CHECKING:
    from archive_build.store.articles import Texts
from archive_build.transforms.relative_links import REF_DEF


def site_pages(docs: Path, articles: Iterable[Article], entity_ids: Iterable[str]) -> set[str]:
    """Every Markdown page of the site, as a path under ``docs/``."""
    from archive_build.project import GENERATED_DOCS

    pages = {f"articles/{a.id}.md" for a in articles}
    pages |= {f"entities/{e}.md" for e in entity_ids}
    pages |= {"articles/index.md", "entities/index.md", "browse/timeline.md", "browse/sources.md", "browse/authors.md", "browse/tags.md", "browse/annotations.md"}
    if docs.is_dir():
        for path in docs.rglob("*.md"):
            rel = path.relative_to(docs).as_posix()
            if rel.split("/", 1)[0] not in GENERATED_DOCS:
                pages.add(rel)
    return pages


def resolve(target: str, pages: set[str], base: str = "articles") -> str | None:
    """The kept form of a link from a page in ``base/`` (its fragment dropped), or None if it leads nowhere."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path.endswith(".md"):
        return None
    page = posixpath.normpath(posixpath.join(base, path))
    return path if page in pages else None


def _unlink(text: str, fixes: dict[str, str | None]) -> str:
    def link(m: Found) -> str:
        if m.group(1) != "[" or m.group(3) not in fixes:
            return m.group(0)
        kept = fixes[m.group(3)]
        if kept is None:
            return m.group(2)  # the words stay, the target goes (it is in the warning)
        start, end = m.start(3) - m.start(), m.end(3) - m.start()
        return m.group(0)[:start] + kept + m.group(0)[end:]

    def ref_def(m: re.Match[str]) -> str:
        if m.group(2) not in fixes:
            return m.group(0)
        kept = fixes[m.group(2)]
        return escape_text(m.group(0)) if kept is None else m.group(1) + kept + m.group(3)

    return REF_DEF.sub(ref_def, substitute(text, inline_links(text), link))


def check_relative_links(
    docs: Path, articles: list[Article], entity_ids: Iterable[str], problems: list[Problem], texts: Texts | None = None,
) -> None:
    """Turn every relative link that leads to no page into text, with a warning on its article.

    ``texts`` hands out the body of an article whose links change (None: the articles have theirs).
    """
    pending = [a for a in articles if a.relative_links or a.annotation_relative_links]
    if not pending:
        return
    pages = site_pages(docs, articles, entity_ids)
    for article in pending:
        fixes: dict[str, str | None] = {}
        for target, line in article.relative_links:
            kept = resolve(target, pages)
            if kept == target:
                continue
            fixes[target] = kept
            _warn(article, problems, article.raw, line, target, kept)
        if fixes:
            if texts is not None:
                texts.load(article)
            article.body = _unlink(article.body, fixes)
        notes: dict[str, str | None] = {}
        for ann_id, _line, target in article.annotation_relative_links:
            kept = resolve(target, pages)
            if kept != target:
                notes[target] = kept
                article.warn(f"annotation {ann_id!r}: link to {target!r} " + ("leads to no page of the site: its words are shown as text" if kept is None else "lost the part after '#'"))
        if notes:
            article.footnotes = [_unlink(f, notes) for f in article.footnotes]
        if fixes or notes:
            article.relative_links_changed = sorted((t, k or "") for t, k in {**fixes, **notes}.items())


def _warn(article: Article, problems: list[Problem], path: str, line: int | None, target: str, kept: str | None) -> None:
    if kept is None:
        message = f"link to {target!r} leads to no page of the site: its words are shown as text"
    else:
        message = f"link to {target!r}: the part after '#' was dropped (only whole pages can be linked from contributed text)"
    article.warn(message)
    problems.append(Problem(path, line, message, "warning"))


# --- MkDocs' own link check: strict for hand-written pages only ----------------------

_STRICT_LEVELS: dict[str, int] = {}
_LINK_CHECKS = ("not_found", "unrecognized_links")


def check_links_strictly(config: Any, strict: bool) -> None:
    """Set MkDocs' link-check levels for the page about to render (MkDocs renders one page at a time).

    Hand-written pages keep the levels of ``mkdocs.yml`` (a broken link fails
    ``mkdocs build --strict``); on a generated page a link the build could not
    check (Python-Markdown reads more shapes of link than ``find`` does) is
    reported at INFO level instead, so one contributed article never stops the
    site from publishing.
    """
    links = config.validation.links
    if not _STRICT_LEVELS:
        _STRICT_LEVELS.update({name: links[name] for name in _LINK_CHECKS})
    for name in _LINK_CHECKS:
        links[name] = _STRICT_LEVELS[name] if strict else min(logging.INFO, _STRICT_LEVELS[name])


def skip_anchor_check(page: Any) -> None:
    """Leave a generated page's links out of MkDocs' anchor check (run once every page is rendered)."""
    page.links_to_anchors = None
