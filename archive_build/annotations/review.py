"""``archive-build review --base REF``: what a pull request does to the annotations, for its reviewer.

For each annotation the working tree adds or changes against ``REF`` (the
pull request's base), the summary shows the article, the passage as the
build anchored it (with its context, and the similarity when the quote was
re-anchored), the kind, the author and the body as the page renders it;
notes that could not be anchored or read say why, and removed notes are
listed.  The check workflow writes it to ``$GITHUB_STEP_SUMMARY``.

The summary is Markdown, and quotes and bodies are strangers' text: each
annotation is one HTML block with every value escaped, the body rendered
from sanitised Markdown and cleaned again with an allowlist (no images, no
attributes but links' ``href``), and no blank line inside the block, so
nothing a contributor writes is read as the summary's own Markdown.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from archive_build.annotations.files import inventory
from archive_build.annotations.load import Spec, created_iso, read_annotations
from archive_build.errors import InputError
from archive_build.project import Project
from archive_build.safe_yaml import load_text

_TAGS = {"a", "b", "blockquote", "br", "code", "del", "em", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "ul", "hr"}


def _base_items(root: Path, base: str, rel: str) -> dict[str, dict[str, Any]] | None:
    """The annotation items of ``rel`` at ``base`` by id; None when the file did not exist there."""
    proc = subprocess.run(["git", "-C", str(root), "show", f"{base}:./{rel}"], capture_output=True)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if "exists on disk, but not in" in err or "does not exist in" in err:
            return None
        raise InputError(rel, f"cannot read it at {base!r}: {err.strip().splitlines()[-1] if err.strip() else 'git failed'}")
    try:
        data = load_text(proc.stdout.decode("utf-8-sig", "replace"), rel)
    except InputError:
        return {}
    if isinstance(data, dict) and "annotations" not in data and "article" not in data:  # a note file: one note, its id the file's name
        return {Path(rel).stem: {**data, "id": Path(rel).stem}}
    items = data.get("annotations") if isinstance(data, dict) else None
    return {str(i.get("id")): dict(i) for i in items if isinstance(i, dict)} if isinstance(items, list) else {}


def _base_note_files(project: Project, base: str, known: set[str]) -> dict[str, list[str]]:
    """The note files (``annotations/<article-id>/<note-id>.yml``) at ``base``, by article (those removed since are listed too)."""
    folder = project.rel(project.annotations)
    proc = subprocess.run(["git", "-C", str(project.root), "ls-tree", "-r", "--name-only", base, "--", f"./{folder}/"], capture_output=True)
    found: dict[str, list[str]] = {}
    if proc.returncode != 0:
        return found  # a missing base is reported where each file is read
    for rel in proc.stdout.decode("utf-8", "replace").splitlines():  # relative to the project, as asked (-C)
        parts = rel.split("/")
        if len(parts) == 3 and parts[0] == folder and parts[1] in known and parts[2].endswith((".yml", ".yaml")):
            found.setdefault(parts[1], []).append(rel)
    return found


def _written(item: dict[str, Any]) -> tuple[str, ...]:
    """The fields of an annotation as written, comparable between the base's parsed item and a ``Spec``."""
    links = item.get("links")
    links = [links] if isinstance(links, str) else list(links or [])
    created = created_iso(item.get("created")) or str(item.get("created") or "")
    values = [str(item.get(k) or "") for k in ("quote", "prefix", "suffix", "author", "body")]
    return (*values, str(item.get("kind") or "note"), created, " ".join(map(str, links)))


def _spec_fields(spec: Spec) -> tuple[str, ...]:
    return _written({"quote": spec.quote, "prefix": spec.prefix, "suffix": spec.suffix, "author": spec.author, "body": spec.body,
                     "kind": spec.kind, "created": spec.created, "links": spec.links})


def _esc(text: Any) -> str:
    return html.escape(" ".join(str(text or "").split()), quote=True)


def _esc_context(text: Any) -> str:
    """Escaped, whitespace runs made one space, the spaces at its ends kept (they separate it from the quote)."""
    return html.escape(re.sub(r"\s+", " ", str(text or "")), quote=True)


def _body_html(body: str) -> str:
    import markdown
    import nh3

    from archive_build.markdown.escape import sanitize_markdown

    rendered = markdown.markdown(sanitize_markdown(body.replace("\r\n", "\n").strip()), extensions=["fenced_code", "tables"])
    clean = nh3.clean(rendered, tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener", strip_comments=True)
    # No blank line: it would end the HTML block and the rest would be read as Markdown.
    lines = [line if line.strip() else "&#8203;" for line in clean.strip().split("\n")]
    return "\n".join(lines)


def _status(rec: dict[str, Any]) -> str:
    if rec.get("status") == "unread":
        return f"⚠️ not read: {_esc(rec.get('reason'))}"
    if rec.get("status") == "ambiguous":
        return "⚠️ not anchored: the quote is ambiguous (it occurs more than once)"
    if rec.get("status") == "not found":
        return "⚠️ not anchored: the quote is not in the article's text"
    sim = rec.get("similarity", 100)
    return "anchored exactly" if sim is None or sim >= 100 else f"⚠️ re-anchored to a similar passage ({sim:.0f}% similar): update the quote"


def entry_html(article_id: str, title: str, rec: dict[str, Any], change: str) -> str:
    """One annotation of the summary: one HTML block, every value escaped."""
    if rec.get("start") is not None:
        passage = f"…{_esc_context(rec.get('prefix'))}<mark><b>{_esc(rec.get('quote'))}</b></mark>{_esc_context(rec.get('suffix'))}…"
    else:
        passage = f"<b>{_esc(rec.get('quote'))}</b>"
    who = f"{_esc(rec.get('kind') or 'note')} by {_esc(rec.get('author'))}" + (f", {_esc(rec.get('created'))}" if rec.get("created") else "")
    lines = [
        "<div>",
        f"<h3>{change} <code>{_esc(rec.get('id'))}</code> on <code>{_esc(article_id)}</code></h3>",
        f"<p><i>{_esc(title)}</i> · {who} · {_status(rec)}</p>",
        f"<blockquote>{passage}</blockquote>",
        _body_html(str(rec.get("body") or "")),
        "</div>",
    ]
    return "\n".join(lines) + "\n"


def review(project: Project, base: str) -> str:
    """The Markdown summary of the annotations the working tree adds, changes or removes against ``base``."""
    from archive_build.build import collect

    result = collect(project, progress=False)
    by_id = {a.id: a for a in result.articles}
    files = inventory(os.fspath(project.annotations), project.rel(project.annotations), set(by_id))
    gone = _base_note_files(project, base, set(by_id))
    blocks: list[str] = []
    counts = {"added": 0, "changed": 0, "removed": 0}
    for article_id in sorted(set(files.by_article) | set(gone)):
        article = by_id[article_id]
        old: dict[str, dict[str, Any]] = {}
        now: dict[str, Spec] = {}
        current = files.by_article.get(article_id, [])
        for path, display in current:
            old.update(_base_items(project.root, base, display) or {})
            now.update((spec.id, spec) for spec in read_annotations(Path(path), display, article_id).specs)
        for display in sorted(set(gone.get(article_id, ())) - {d for _, d in current}):
            old.update(_base_items(project.root, base, display) or {})
        records = [*article.annotations, *article.unanchored]
        seen = set()
        for rec in sorted(records, key=lambda r: r.get("line") or 0):
            rid = str(rec.get("id"))
            seen.add(rid)
            before = old.get(rid)
            spec = now.get(rid)
            if before is not None and spec is not None and rec.get("status") != "unread" and _written(before) == _spec_fields(spec):
                continue
            change = "Added" if before is None else "Changed"
            counts[change.lower()] += 1
            blocks.append(entry_html(article_id, article.title or article_id, rec, change))
        for rid in sorted(set(old) - seen):
            counts["removed"] += 1
            blocks.append(f"<p>Removed <code>{_esc(rid)}</code> from <code>{_esc(article_id)}</code></p>\n")
    errors = [p for p in result.problems if p.severity == "error" and p.path.startswith(project.rel(project.annotations))]
    head = [
        "## Annotations in this pull request",
        "",
        f"{counts['added']} added, {counts['changed']} changed, {counts['removed']} removed against `{_esc(base)}`"
        + (f"; **{len(errors)} errors** in annotation files (see the check step)" if errors else "")
        + ".",
        "",
    ]
    if not blocks:
        head.append("No annotation is added or changed.")
    return "\n".join(head) + "\n" + "\n".join(blocks)


def cmd_review(args: argparse.Namespace) -> int:
    project = Project.find(Path(args.root) if getattr(args, "root", None) else None)
    text = review(project, args.base)
    out = args.out or os.environ.get("GITHUB_STEP_SUMMARY")
    if out:
        with open(out, "a", encoding="utf-8") as f:  # the job summary collects every step's text
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0
