"""The one way tools write annotations: ``annotate`` and ``import-hypothesis`` both write here.

A note file (``annotations/<article-id>/<note-id>.yml``, ``note_file_text``)
is new, one note a file.  A list file (``annotations/<article-id>.yml``,
``appended_text``) may already exist, and a contributor's file is theirs: its comments, its list style (items at
column 0 or indented), its line ends (LF or CRLF), a byte-order mark, and
the order in which its items write their keys.  New entries are appended
as lines after everything else, written in that same style, so a one-note
diff is a few added lines; the result is parsed back and must hold the old
entries plus the new ones, or nothing is written.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from archive_build.errors import InputError
from archive_build.safe_yaml import MAX_YAML_BYTES, LineDict, load_text

DEFAULT_INDENT = "  "
# Written instead of a body by ``annotate``: the contributor writes the note under it.
STUB_BODY = object()
STUB_COMMENT = "# Write your note below, indented like this line (Markdown; several paragraphs are fine)."
# The order of an entry's keys when the file has no item to copy it from.
KEY_ORDER = ("id", "quote", "prefix", "suffix", "kind", "author", "created", "body", "links", "imported_from")
# Written in double quotes (a JSON string is a YAML one): a contributor who edits them later
# cannot cut them at " #" or start them with "@" by accident.
QUOTED = ("quote", "prefix", "suffix", "author")
_EMPTY_LIST = re.compile(r"^annotations:[ \t]*\[[ \t]*\][ \t]*(#[^\r\n]*)?(?=\r?$)", re.M)
_BOM = "\ufeff"


def make_id(text: str, taken: set[str], fallback: str = "note", tried: dict[str, int] | None = None) -> str:
    """A readable annotation id from a quote's first words, unique among ``taken`` (which it joins).

    ``tried`` remembers the next number to try for each base, so that an
    import of thousands of rows on one quote does not count up from 2 for each.
    """
    ascii_text = unicodedata.normalize("NFKD", text[:1000]).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)[:4]
    base = "-".join(words)[:48].strip("-") or fallback
    tried = {} if tried is None else tried
    candidate, n = base, tried.get(base, 2)
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    tried[base] = n
    taken.add(candidate)
    return candidate


def _literal(key: str, value: str, indent: str) -> list[str] | None:
    """A multi-line text as a ``|`` block (as people write bodies), or None when only quoting keeps it exact."""
    if "\n" not in value.rstrip("\n") or "\r" in value or "\t" in value or value[:1].isspace():
        return None
    lines = value.rstrip("\n").split("\n")
    if any(line != line.rstrip() for line in lines):
        return None
    trailing = len(value) - len(value.rstrip("\n"))
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    out = [f"{key}: |{chomp}"] + [(f"{indent}  {line}" if line else "") for line in lines]
    out += [""] * (trailing - 1 if trailing > 1 else 0)
    return out


def entry_text(entry: dict[str, Any], indent: str, comment: str = "", key_order: tuple[str, ...] = KEY_ORDER, *, item: bool = True) -> str:
    """One list item as YAML text (``\\n`` line ends), its ``- `` at ``indent``, its keys in ``key_order``.

    With ``item=False``, a mapping at ``indent`` instead (a note file's whole text).
    """
    from archive_build.writer import dump_yaml

    rank = {k: i for i, k in enumerate(key_order)}
    # A stub's empty body is written last: the contributor writes the note under it.
    keys = sorted(entry, key=lambda k: (entry[k] is STUB_BODY, rank.get(k, len(rank))))
    out = [f"{indent}# {' '.join(comment.split())}"] if comment else []
    first = True
    inner = f"{indent}  " if item else indent  # the column of the entry's keys
    for key in keys:
        value = entry[key]
        lead = f"{indent}- " if first and item else inner
        first = False
        if value is STUB_BODY:
            out.append(f"{inner}{STUB_COMMENT}")
            out.append(f"{lead}{key}: |")
            continue
        if key in QUOTED and isinstance(value, str) and "\n" not in value:
            out.append(f"{lead}{key}: {json.dumps(value, ensure_ascii=False)}")
            continue
        if isinstance(value, dt.datetime):  # a YAML timestamp as people write it: 2024-02-10T14:03:11Z
            when = value.astimezone(dt.timezone.utc) if value.tzinfo else value
            out.append(f"{lead}{key}: {when.strftime('%Y-%m-%dT%H:%M:%SZ')}")
            continue
        block = _literal(key, value, inner) if isinstance(value, str) else None
        if block is not None:
            out.append(lead + block[0])
            out.extend(block[1:])
            continue
        dumped = dump_yaml({key: value}).rstrip("\n").split("\n")
        out.append(lead + dumped[0])
        out.extend((f"{inner}{line}" if line else line) for line in dumped[1:])
    return "\n".join(out) + "\n"


NOTE_HEADER = "# A reader's note; format: docs/how-to-annotate.md. The note's id is this file's name.\n"


def note_file_text(path: Path, display: str, entry: dict[str, Any], comment: str = "") -> str:
    """The whole text of a new note file for ``entry`` (its ``id`` is the file's name, so not written).

    ``comment`` becomes a ``#`` line above the fields.  The text is parsed
    back and must give the entry's fields, or ``InputError``; an existing
    file is never overwritten.
    """
    if path.exists() or path.is_symlink():
        raise InputError(display, f"a note named {path.stem!r} already exists; choose another id")
    fields = {k: v for k, v in entry.items() if k != "id"}
    text = NOTE_HEADER + entry_text(fields, "", comment, item=False)
    try:
        back = load_text(text, display)
    except InputError:
        back = None
    if not isinstance(back, dict) or set(back) != set(fields):
        raise InputError(display, "cannot write the note: its fields do not read back as written", 1)
    return text


def _style(text: str, data: Any) -> tuple[str, tuple[str, ...]]:
    """The indentation of the file's ``- `` items and the key order of its first item."""
    items = data.get("annotations") if isinstance(data, dict) else None
    if isinstance(items, list) and items and isinstance(items[0], LineDict) and items[0].line:
        line = text.splitlines()[items[0].line - 1]
        m = re.match(r"^([ \t]*)-", line)
        return (m.group(1) if m else DEFAULT_INDENT), _merged_order(tuple(items[0].keys()))
    return DEFAULT_INDENT, KEY_ORDER


def _merged_order(order: tuple[str, ...]) -> tuple[str, ...]:
    """The file's key order, each key it does not use placed after the keys that precede it in ``KEY_ORDER``."""
    merged = [k for k in order if k in KEY_ORDER]
    for i, key in enumerate(KEY_ORDER):
        if key in merged:
            continue
        before = [merged.index(k) for k in KEY_ORDER[:i] if k in merged]
        merged.insert(max(before) + 1 if before else 0, key)
    return tuple(merged)


def appended_text(path: Path, display: str, article_id: str, entries: list[tuple[dict[str, Any], str]]) -> str:
    """The text of ``path`` with ``entries`` (entry, comment) appended; the existing text is kept byte for byte.

    Raises ``InputError`` when the file cannot take them: ``annotations:`` is
    not its last key, or the result would pass the size limit.
    """
    bom = ""
    if path.exists() or path.is_symlink():
        from archive_build.safe_files import read_regular

        raw = read_regular(path, display, limit=MAX_YAML_BYTES, limit_message=f"file is {{size}} bytes; the limit for YAML files is {MAX_YAML_BYTES // 1024} KB")
        try:
            old = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(display, "YAML file is not valid UTF-8") from None
        if old.startswith(_BOM):
            bom, old = _BOM, old[1:]
        before = load_text(old, display)
        n_before = len(before.get("annotations") or []) if isinstance(before, dict) else 0
        eol = "\r\n" if "\r\n" in old else "\n"
        text = old if old.endswith("\n") or not old else old + eol
        text = _EMPTY_LIST.sub(lambda m: "annotations:" + (f" {m.group(1)}" if m.group(1) else ""), text, count=1)
        if not re.search(r"^annotations:", text, re.M):
            text += "annotations:" + eol
        indent, order = _style(text, before)
    else:
        n_before, indent, order, eol = 0, DEFAULT_INDENT, KEY_ORDER, "\n"
        text = f"# Reader annotations; format: docs/how-to-annotate.md\narticle: {article_id}\nannotations:\n"
    # A blank line before each new entry, as between the entries people write (one already there is enough).
    blank_already = text.endswith(eol + eol) or text.endswith("annotations:" + eol)
    parts = []
    for i, (entry, comment) in enumerate(entries):
        sep = "" if (i == 0 and (blank_already or not n_before)) else "\n"
        parts.append(sep + entry_text(entry, indent, comment, order))
    new = text + "".join(parts).replace("\n", eol)
    if len((bom + new).encode("utf-8")) > MAX_YAML_BYTES:
        raise InputError(display, f"appending would make the file larger than the {MAX_YAML_BYTES // 1024} KB limit for annotation files; add fewer annotations at a time")
    try:
        after = load_text(new, display)
    except InputError:
        after = None
    items = after.get("annotations") if isinstance(after, dict) else None
    if not isinstance(items, list) or len(items) != n_before + len(entries) or [i.get("id") for i in items[n_before:]] != [e["id"] for e, _ in entries]:
        raise InputError(display, "cannot append annotations: 'annotations:' must be the file's last key, a list", 1)
    return bom + new
