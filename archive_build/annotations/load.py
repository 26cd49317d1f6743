"""Reading and validating ``annotations/<article-id>.yml`` and ``annotations/<article-id>/<note-id>.yml``.

Annotation files come from strangers through pull requests, so every
mistake gets a ``file:line`` message a contributor can act on — an unknown
key names the key it probably meant — and all of them are reported in one
run rather than one per run.  Parsing itself goes through ``safe_yaml``
(size limit, no aliases, anchors or custom tags).
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_build.annotations.raw_lines import Unread, lint_lines, salvage
from archive_build.errors import InputError, Problem
from archive_build.safe_yaml import line_of, load_file

KINDS = ("note", "correction", "context", "source", "question")
REQUIRED = ("id", "quote", "author", "created", "body")
OPTIONAL = ("prefix", "suffix", "kind", "links", "imported_from")
TOP_KEYS = ("article", "annotations")
# An id becomes a footnote label and an HTML id: keep it to a URL-safe slug.
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_ARTICLE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*$", re.I)


@dataclass
class Spec:
    """One annotation as written in the file, validated."""

    id: str
    quote: str
    author: str
    created: str
    body: str
    line: int
    kind: str = "note"
    prefix: str = ""
    suffix: str = ""
    links: list[str] = field(default_factory=list)
    imported_from: str | None = None
    quote_line: int = 0  # where anchoring problems are reported

    def __post_init__(self) -> None:
        self.quote_line = self.quote_line or self.line


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass
class Loaded:
    """What one annotation file gives: valid annotations, problems, and the notes that could not be read."""

    specs: list[Spec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)


def load_annotations(path: Path, display: str, article_id: str) -> tuple[list[Spec], list[Problem]]:
    """Every valid annotation in the file, and a problem for each mistake."""
    loaded = read_annotations(path, display, article_id)
    return loaded.specs, loaded.problems


def read_annotations(path: Path, display: str, article_id: str) -> Loaded:
    """Every valid annotation in the file, a problem for each mistake, and every note that could not be read.

    A note file (``annotations/<article-id>/<note-id>.yml``) holds one
    annotation as a mapping, its id the file's name; a list file holds
    ``article:`` and ``annotations:``.
    """
    if Path(path).parent.name == article_id:
        return read_note(path, display)
    try:
        data = load_file(path, display)
    except InputError as exc:
        return Loaded([], [exc.problem], salvage(_raw_text(path), exc.problem))
    except ValueError as exc:  # YAML turns 2026-13-45 into a date and fails outside its error types
        problem = Problem(display, _bad_timestamp_line(path), f"not a valid date: {exc}; write dates as YYYY-MM-DD")
        return Loaded([], [problem], salvage(_raw_text(path), problem))
    loaded = Loaded()
    loaded.specs, loaded.problems = validate(data, display, article_id, loaded.unread)
    loaded.problems += lint_lines(_raw_text(path), display)
    return loaded


def read_note(path: Path, display: str) -> Loaded:
    """The one annotation of a note file: the same fields and checks as an item of a list file.

    The id is the file's name; an ``id:`` written in the file must agree with it.
    """
    note_id = Path(path).stem
    try:
        data = load_file(path, display)
    except InputError as exc:
        return Loaded([], [exc.problem], _salvage_note(_raw_text(path), exc.problem))
    except ValueError as exc:
        problem = Problem(display, _bad_timestamp_line(path), f"not a valid date: {exc}; write dates as YYYY-MM-DD")
        return Loaded([], [problem], _salvage_note(_raw_text(path), problem))
    loaded = Loaded()

    def err(line: int | None, message: str) -> None:
        loaded.problems.append(Problem(display, line, message))

    if data is None:
        err(1, "the note file is empty: write its quote:, author:, created: and body: (see docs/how-to-annotate.md)")
        return loaded
    if not isinstance(data, dict):
        err(1, "a note file must be a mapping: quote:, author:, created:, body: … (one note a file, no '- ')")
        return loaded
    if "id" in data and str(data["id"]) != note_id:
        err(line_of(data, "id"), f"id {str(data['id'])!r} differs from the file's name: a note's id is its file name ({note_id!r}); remove the id: line or rename the file")
        loaded.unread.append(_unread_item(data, loaded.problems[-1:], line_of(data) or 1))
        return loaded
    data.setdefault("id", note_id)
    spec = _validate_item(data, 1, err)
    if spec is not None:
        loaded.specs.append(spec)
    else:
        loaded.unread.append(_unread_item(data, loaded.problems, line_of(data) or 1))
    loaded.problems += lint_lines(_raw_text(path), display)
    return loaded


def _salvage_note(text: str, problem: Problem) -> list[Unread]:
    """The quote, author and body of a note file YAML cannot parse, from its lines (``salvage`` reads list items)."""
    lines = text.splitlines()
    first = next((i for i, l in enumerate(lines) if re.match(r"^[\w-]+:", l)), None)
    if first is None:
        return []
    as_item = [("- " if i == first else "  ") + l for i, l in enumerate(lines)]
    return [Unread(n.line, n.quote, n.author, n.body, n.reason) for n in salvage("\n".join(as_item), problem)]


def _raw_text(path: Path, limit: int = 8 * 1024 * 1024) -> str:
    """The file's text as far as it can be read (for salvaging notes and checking raw lines).

    Only a regular file is opened: a fifo or device refused by ``load_file``
    would block or never end here.
    """
    import stat

    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return ""
        with open(path, "rb") as f:
            data = f.read(limit)
    except OSError:
        return ""
    return data.decode("utf-8-sig", errors="replace")


def _bad_timestamp_line(path: Path) -> int | None:
    """Line of the first date-like value YAML cannot turn into a date."""
    import yaml

    try:
        root = yaml.compose(path.read_text("utf-8-sig"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    stack = [root] if root is not None else []
    ctor = yaml.SafeLoader("")
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            if node.tag.endswith(":timestamp"):
                try:
                    ctor.construct_yaml_timestamp(node)
                except ValueError:
                    return node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
    return None


def validate(data: Any, display: str, article_id: str, unread: list[Unread] | None = None) -> tuple[list[Spec], list[Problem]]:
    """The valid annotations of a parsed file and its problems; an item that is not valid goes to ``unread``."""
    problems: list[Problem] = []
    unread = unread if unread is not None else []

    def err(line: int | None, message: str) -> None:
        problems.append(Problem(display, line, message))

    if data is None:
        return [], []
    if not isinstance(data, dict):
        err(1, "an annotation file must be a mapping with 'article:' and 'annotations:'")
        return [], problems
    for key in data:
        if key not in TOP_KEYS:
            err(line_of(data, key), f"unknown key {key!r}{_did_you_mean(key, TOP_KEYS)}; allowed: {', '.join(TOP_KEYS)}")
    article = data.get("article")
    if article is None:
        err(line_of(data), f"missing 'article:' (it must be {article_id!r}, the file's name)")
    elif str(article) != article_id:
        err(line_of(data, "article"), f"article {str(article)!r} does not match the file name: this file annotates {article_id!r}")
    items = data.get("annotations")
    if items is None:
        if "annotations" not in data:
            err(line_of(data), "missing 'annotations:' (a list of annotations)")
        return [], problems
    if not isinstance(items, list):
        err(line_of(data, "annotations"), "'annotations:' must be a list (each item starting with '- ')")
        if isinstance(items, dict):  # one note written without its "- ": listed on the page all the same
            unread.append(_unread_item(items, problems[-1:], line_of(data, "annotations") or 1))
        return [], problems
    specs: list[Spec] = []
    seen: dict[str, int] = {}
    for item in items:
        raw_id = str(item.get("id")) if isinstance(item, dict) and isinstance(item.get("id"), (str, int)) else None
        before = len(problems)
        if raw_id is not None and raw_id in seen:
            err(line_of(item) or line_of(data, "annotations"), f"duplicate id {raw_id!r} (first used on line {seen[raw_id]}); ids must be unique within the file")
            spec = None
        else:
            if raw_id is not None:
                seen[raw_id] = line_of(item) or 0
            spec = _validate_item(item, line_of(data, "annotations"), err)
        if spec is not None:
            specs.append(spec)
        elif isinstance(item, dict):
            unread.append(_unread_item(item, problems[before:], line_of(item) or line_of(data, "annotations") or 1))
    return specs, problems


def _unread_item(item: dict[str, Any], problems: list[Problem], line: int) -> Unread:
    """An annotation that failed validation, kept as written for the page's "Unanchored notes"."""

    def text(key: str) -> str:
        value = item.get(key)
        return value if isinstance(value, str) else "" if value is None or isinstance(value, (dict, list)) else str(value)

    reason = problems[0] if problems else None
    why = f"line {reason.line}: {reason.message}" if reason and reason.line else (reason.message if reason else "not valid")
    return Unread(line, text("quote"), text("author"), text("body"), why)


def _validate_item(item: Any, list_line: int | None, err: Any) -> Spec | None:
    if not isinstance(item, dict):
        err(list_line, "each annotation must be a mapping (id:, quote:, author:, created:, body: …)")
        return None
    line = line_of(item) or list_line or 1
    ok = True
    allowed = REQUIRED + OPTIONAL
    for key in item:
        if key not in allowed:
            err(line_of(item, key), f"unknown key {key!r}{_did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}")
            ok = False
    for key in REQUIRED:
        if key not in item or item[key] is None or (isinstance(item[key], str) and not item[key].strip()):
            err(line_of(item, key) if key in item else line, f"missing required field {key!r}")
            ok = False

    def text(key: str) -> str:
        nonlocal ok
        value = item.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            err(line_of(item, key), f"{key} must be text (put it in quotes)")
            ok = False
            return ""
        return str(value)

    ann_id = text("id")
    if ann_id and not _ID.match(ann_id):
        err(line_of(item, "id"), f"id {ann_id!r} must be lower-case letters, digits and '-' (at most 64), starting with a letter or digit")
        ok = False
    kind = text("kind") or "note"
    if "kind" in item and kind not in KINDS:
        err(line_of(item, "kind"), f"kind {kind!r} is not one of: {', '.join(KINDS)}")
        ok = False
    created = created_iso(item.get("created"))
    if "created" in item and item.get("created") is not None and created is None:
        err(line_of(item, "created"), f"created {item.get('created')!s:.40} is not a date; write it as YYYY-MM-DD")
        ok = False
    links_raw = item.get("links")
    links: list[str] = []
    if links_raw is not None:
        if isinstance(links_raw, str):
            links_raw = [links_raw]
        if not isinstance(links_raw, list) or not all(isinstance(v, str) and _ARTICLE_ID.match(v) for v in links_raw):
            err(line_of(item, "links"), "links must be a list of article ids, e.g. [2023-05-30-drone-attacks-on-moscow-stern]")
            ok = False
        else:
            links = list(dict.fromkeys(links_raw))
    quote, author, body = text("quote"), text("author"), text("body")
    prefix, suffix, imported = text("prefix"), text("suffix"), text("imported_from")
    if not ok:
        return None
    return Spec(ann_id, quote, author.strip(), created or "", body, line, kind, prefix, suffix, links, imported or None, line_of(item, "quote") or line)


def created_iso(value: Any) -> str | None:
    """An ISO date (``2026-11-20``), or date and UTC time (``2024-02-10T14:03:11Z``), from what YAML gave us."""
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        if len(text) <= 10:
            return None
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        when = value.astimezone(dt.timezone.utc) if value.tzinfo else value
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return None
