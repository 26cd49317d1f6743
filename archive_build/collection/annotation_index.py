"""``browse/annotations.md``: recent reader annotations across the archive.

Newest first (by ``created``, then article and annotation id so the order
is deterministic), each with its kind, author, date, the article it belongs
to and the quoted passage, linking straight to the highlight (``#ann-<id>``).
One pass over the articles and one sort: linear apart from the sort.
"""
from __future__ import annotations

from archive_build.collection.listing import human_date
from archive_build.markdown.escape import escape_text
from archive_build.model import Article
from archive_build.writer import dump_yaml

# The page lists the most recent ones; the rest stay on their articles.
MAX_LISTED = 500
QUOTE_CHARS = 240
KIND_LABELS = {"note": "Note", "correction": "Correction", "context": "Context", "source": "Source", "question": "Question"}


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    return escape_text(text)


def annotations_page(articles: list[Article]) -> bytes:
    rows = [(ann, a) for a in articles for ann in a.annotations]
    # Newest first; on the same day, by article and then in reading order.
    rows.sort(key=lambda r: (r[1].id, r[0].get("start", 0)))
    rows.sort(key=lambda r: r[0].get("created") or "", reverse=True)
    total = len(rows)
    unanchored = sum(len(a.unanchored) for a in articles)
    out = ["---", dump_yaml({"title": "Annotations", "hide": ["toc"]}).rstrip(), "---", "", "# Annotations", ""]
    if not rows:
        out.append("No reader annotations yet. [How to annotate](../how-to-annotate.md) explains how to add the first one.")
    else:
        n_articles = len({a.id for _, a in rows})
        intro = f"{total} annotation{'s' if total != 1 else ''} on {n_articles} article{'s' if n_articles != 1 else ''}, newest first."
        if total > MAX_LISTED:
            intro += f" The {MAX_LISTED} most recent are listed here; every article page shows all of its own."
        if unanchored:
            intro += f" {unanchored} more could not be placed in their article's text and are listed at the end of it."
        out += [intro + " [How to annotate](../how-to-annotate.md).", ""]
        for ann, article in rows[:MAX_LISTED]:
            kind = ann.get("kind", "note")
            label = KIND_LABELS.get(kind, kind.title())
            title = escape_text(article.title or article.id)
            out.append(
                f'- <span class="ab-ann-kind ab-ann-kind-{kind}">{label}</span> '
                f'[{title}](../articles/{article.id}.md#ann-{ann["id"]}) · '
                f'<span class="ab-meta">{escape_text(ann.get("author", ""))} · {human_date(ann.get("created"))}</span>'
                f'\n  <br><q class="ab-ann-quote">{_quote(ann.get("quote", ""))}</q>'
            )
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
