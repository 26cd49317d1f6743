"""``archive-build annotate ARTICLE_ID "quote"``: start an annotation for a contributor.

It cleans the article exactly as the build does, anchors the quote with the
build's own rules, and writes a stub to ``annotations/<id>/<note-id>.yml``
(with ``--single-file``, appends it to ``annotations/<id>.yml``) — with
``prefix``/``suffix`` filled in when the quote occurs more than once — so
that what the contributor commits is already known to anchor.  The body is
left empty on purpose: ``archive-build check`` fails until it is written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from archive_build.annotations.anchor import Anchor, Miss, anchor, context, excerpt, normalise
from archive_build.annotations.append import STUB_BODY, appended_text, make_id, note_file_text
from archive_build.annotations.files import EXTENSIONS, suggestion, taken_ids
from archive_build.annotations.load import KINDS, load_annotations
from archive_build.errors import InputError
from archive_build.markdown.plaintext import scan
from archive_build.project import Project


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), for messages."""
    return json.dumps(text, ensure_ascii=False)


def _cleaned(project: Project, article_id: str) -> tuple[str, str | None]:
    """The article's plain text, as the build anchors in it, and its standfirst (description)."""
    from archive_build.ingest.discover import discover
    from archive_build.pipeline import clean_raw

    raws, _ = discover(project)
    by_id = {r.id: r for r in raws}
    raw = by_id.get(article_id)
    if raw is None:
        raise InputError(project.rel(project.raw), f"no article {article_id!r} in raw/{suggestion(article_id, set(by_id))}")
    article = clean_raw(raw, project.rel)
    return scan(article.body).text, article.description


def _disambiguate(plain: str, start: int, end: int, quote: str) -> tuple[str, str]:
    """Shortest prefix/suffix (in whole words) that picks this occurrence."""
    norm = normalise(plain)
    for width in (16, 32, 64, 128, 256):
        prefix, suffix = context(plain, start, end, width)
        # Whole words only: drop a word cut in two at the outer edge.
        if start - width > 0 and plain[start - width - 1].isalnum() and " " in prefix.strip():
            prefix = prefix.split(" ", 1)[1]
        if end + width < len(plain) and plain[end + width].isalnum() and " " in suffix.strip():
            suffix = suffix.rsplit(" ", 1)[0]
        got = anchor(plain, quote, prefix, suffix, norm=norm, fuzzy=False)
        if isinstance(got, Anchor) and got.start == start:
            return prefix.lstrip(), suffix.rstrip()
    return context(plain, start, end, 256)


def _annotation_file(project: Project, article_id: str) -> Path:
    """The article's annotation file: the existing ``.yml`` or ``.yaml`` one, else a new ``.yml``."""
    for ext in EXTENSIONS:
        path = project.annotations / f"{article_id}{ext}"
        if path.exists():
            return path
    return project.annotations / f"{article_id}.yml"


def cmd_annotate(args: argparse.Namespace) -> int:
    project = Project.find(Path(args.root) if getattr(args, "root", None) else None)
    article_id: str = args.article
    quote: str = " ".join(args.quote.split())
    if args.kind not in KINDS:
        print(f"archive-build annotate: --kind {args.kind!r} is not one of: {', '.join(KINDS)}", file=sys.stderr)
        return 2
    plain, standfirst = _cleaned(project, article_id)
    path = _annotation_file(project, article_id)
    display = project.rel(path)
    found = anchor(plain, quote)
    prefix = suffix = ""
    note = ""
    if isinstance(found, Miss) and found.reason == "ambiguous":
        start, end = found.occurrences[0]
        prefix, suffix = _disambiguate(plain, start, end, quote)
        listing = "\n".join(f"    {i}. {excerpt(plain, s, e)}" for i, (s, e) in enumerate(found.occurrences[:10], 1))
        note = f"the quote occurs {len(found.occurrences)} times; prefix/suffix pick the first one:\n{listing}\nedit prefix: and suffix: if you meant another.\n"
    elif isinstance(found, Miss):
        # The build's own message: the nearest passage, or where a standfirst's words are in the text.
        from archive_build.annotations import miss_message

        print(f"{display}: error: {miss_message(plain, quote, found, article_id, standfirst)}", file=sys.stderr)
        return 1
    elif found.similarity < 100:
        exact = " ".join(plain[found.start : found.end].split())
        note = f"the quote was not found exactly; using the nearest passage ({found.similarity:.0f}% similar): {_yaml_str(exact)}\n"
        quote = exact
    single = bool(getattr(args, "single_file", False))
    if single:
        existing, problems = load_annotations(path, display, article_id) if path.exists() else ([], [])
        errors = [p for p in problems if p.severity == "error" and "missing required field 'body'" not in p.message]
        if errors:
            for p in errors:
                print(str(p), file=sys.stderr)
            print(f"{display}: fix the errors above before adding to this file", file=sys.stderr)
            return 1
    ident = make_id(quote, taken_ids(project.annotations, article_id))
    entry: dict[str, object] = {"id": ident, "quote": quote}
    if prefix:
        entry["prefix"] = prefix
    if suffix:
        entry["suffix"] = suffix
    entry.update(kind=args.kind, author=args.author, created=dt.date.today(), body=STUB_BODY)
    if not single:
        path = project.annotations / article_id / f"{ident}.yml"
        display = project.rel(path)
    try:
        text = appended_text(path, display, article_id, [(entry, "")]) if single else note_file_text(path, display, entry)
    except InputError as exc:
        print(f"{exc.problem}; add the annotation by hand", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    body_line = text.count("\n")
    sys.stdout.write(note)
    print(f"{display}:{body_line}: added annotation {ident!r}; write its body under 'body: |', then run: archive-build check")
    return 0
