"""Home-page list, timeline, sources and authors: one pass over the articles each."""
from __future__ import annotations

from collections import defaultdict

from archive_build.collection.listing import MONTHS, article_item, newest_first
from archive_build.markdown.escape import escape_text
from archive_build.model import Article
from archive_build.writer import dump_yaml

LATEST_ON_HOME = 12


def _page(title: str, body: str, **meta: object) -> bytes:
    fm = {"title": title, **meta}
    return ("---\n" + dump_yaml(fm) + "---\n\n# " + escape_text(title) + "\n\n" + body.rstrip() + "\n").encode()


def latest_snippet(articles: list[Article]) -> bytes:
    items = [article_item(a, "", description=True) for a in newest_first(articles)[:LATEST_ON_HOME]]
    return ("\n".join(items) + "\n").encode() if items else b"*No articles yet.*\n"


def all_articles(articles: list[Article]) -> bytes:
    items = [article_item(a, "articles") for a in newest_first(articles)]
    return _page("All articles", f"{len(articles)} articles, newest first.\n\n" + "\n".join(items), hide=["toc"])


def timeline(articles: list[Article]) -> bytes:
    by_month: dict[str, dict[int, list[Article]]] = defaultdict(lambda: defaultdict(list))
    undated = []
    for a in newest_first(articles):
        if a.date:
            by_month[a.date[:4]][int(a.date[5:7])].append(a)
        else:
            undated.append(a)
    out = []
    for year in sorted(by_month, reverse=True):
        out.append(f"## {year}\n")
        for month in sorted(by_month[year], reverse=True):
            out.append(f"### {MONTHS[month - 1]} {year}\n")
            out.extend(article_item(a, "browse") for a in by_month[year][month])
            out.append("")
    if undated:
        out.append("## Date unknown\n")
        out.extend(article_item(a, "browse") for a in undated)
    return _page("Timeline", "\n".join(out))


def _grouped(title: str, intro: str, groups: dict[str, list[Article]]) -> bytes:
    out = [intro, ""]
    for name in sorted(groups, key=lambda n: (n.casefold(), n)):
        items = newest_first(groups[name])
        out.append(f"## {escape_text(name)}\n\n{len(items)} article{'s' if len(items) != 1 else ''}\n")
        out.extend(article_item(a, "browse") for a in items)
        out.append("")
    return _page(title, "\n".join(out))


def sources(articles: list[Article]) -> bytes:
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[a.source or "Source unknown"].append(a)
    return _grouped("Sources", "Publications in the archive, each with its articles.", groups)


def authors(articles: list[Article]) -> bytes:
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        for name in a.authors or ["Author unknown"]:
            groups[name].append(a)
    return _grouped("Authors", "Writers in the archive, each with their articles.", groups)
