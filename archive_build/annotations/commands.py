"""``archive-build annotate ARTICLE_ID "quote"``: start an annotation for a contributor.

It cleans the article exactly as the build does, anchors the quote with the
build's own rules, and appends a stub to ``annotations/<id>.yml`` — with
``prefix``/``suffix`` filled in when the quote occurs more than once — so
that what the contributor commits is already known to anchor.  The body is
left empty on purpose: ``archive-build check`` fails until it is written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
from pathlib import Path

from ..errors import InputError
from ..plaintext import scan
from ..project import Project
from .anchor import Anchor, Miss, anchor, context, excerpt, normalise
from .load import KINDS, load_annotations

_WORD = re.compile(r"[a-z0-9]+")


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _make_id(quote: str, taken: set[str]) -> str:
    words = _WORD.findall(quote.lower())[:4] or ["note"]
    base = "-".join(words)[:48].strip("-") or "note"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _plain_of(project: Project, article_id: str) -> str:
    from ..discover import discover
    from ..pipeline import clean_raw

    raws, _ = discover(project)
    by_id = {r.id: r for r in raws}
    raw = by_id.get(article_id)
    if raw is None:
        close = difflib.get_close_matches(article_id, list(by_id), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(project.rel(project.raw), f"no article {article_id!r} in raw/{hint}")
    return scan(clean_raw(raw, project.rel).body).text


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


def cmd_annotate(args: argparse.Namespace) -> int:
    project = Project.find(Path(args.root) if getattr(args, "root", None) else None)
    article_id: str = args.article
    quote: str = " ".join(args.quote.split())
    if args.kind not in KINDS:
        print(f"archive-build annotate: --kind {args.kind!r} is not one of: {', '.join(KINDS)}", file=sys.stderr)
        return 2
    plain = _plain_of(project, article_id)
    path = project.annotations / f"{article_id}.yml"
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
        msg = f"quote not found in article {article_id}: {_yaml_str(quote)}"
        if found.nearest:
            s, e = found.nearest
            msg += f"; nearest: {_yaml_str(' '.join(plain[s:e].split()))} ({found.similarity:.0f}%)"
        print(f"{display}: error: {msg}", file=sys.stderr)
        return 1
    elif found.similarity < 100:
        exact = " ".join(plain[found.start : found.end].split())
        note = f"the quote was not found exactly; using the nearest passage ({found.similarity:.0f}% similar): {_yaml_str(exact)}\n"
        quote = exact
    existing, problems = load_annotations(path, display, article_id) if path.exists() else ([], [])
    errors = [p for p in problems if p.severity == "error" and "missing required field 'body'" not in p.message]
    if errors:
        for p in errors:
            print(str(p), file=sys.stderr)
        print(f"{display}: fix the errors above before adding to this file", file=sys.stderr)
        return 1
    taken = {s.id for s in existing}
    if path.exists():
        text = path.read_text("utf-8-sig")
        taken |= set(re.findall(r"^\s*-?\s*id:\s*[\"']?([a-z0-9-]+)", text, re.M))
    ident = _make_id(quote, taken)
    lines = [f"  - id: {ident}", f"    quote: {_yaml_str(quote)}"]
    if prefix:
        lines.append(f"    prefix: {_yaml_str(prefix)}")
    if suffix:
        lines.append(f"    suffix: {_yaml_str(suffix)}")
    lines += [
        f"    kind: {args.kind}",
        f"    author: {_yaml_str(args.author)}",
        f"    created: {dt.date.today().isoformat()}",
        "    # Write your note below, indented like this line (Markdown; several paragraphs are fine).",
        "    body: |",
        "",
    ]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        head = f"# Reader annotations; format: docs/how-to-annotate.md\narticle: {article_id}\nannotations:\n"
        path.write_text(head + "\n".join(lines), "utf-8")
    else:
        text = path.read_text("utf-8-sig")
        if not re.search(r"^annotations:\s*(#.*)?$", text, re.M):
            print(f"{display}: error: cannot find the 'annotations:' list to append to; add the stub by hand", file=sys.stderr)
            return 1
        sep = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        path.write_text(text + sep + "\n".join(lines), "utf-8")
    body_line = path.read_text("utf-8").count("\n")
    sys.stdout.write(note)
    print(f"{display}:{body_line}: added annotation {ident!r}; write its body under 'body: |', then run: archive-build check")
    return 0
