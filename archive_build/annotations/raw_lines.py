"""What an annotation file's raw lines say that its parsed value hides.

YAML accepts two of contributors' most common mistakes without a word: an
item indented under the previous ``body: |`` becomes part of that body (the
note swallows the next one), and a plain ``quote: Hey #Russia`` is cut at
`` #`` by the comment rule.  Both are found here from the lines as written.
And when a file cannot be parsed at all, ``salvage`` recovers each note's
quote, author and body from its lines, so the page can still list them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive_build.errors import Problem

# The keys of an annotation item (kept here, not imported, so load.py can import this module).
ITEM_KEYS = ("id", "quote", "author", "created", "body", "prefix", "suffix", "kind", "links", "imported_from")
TEXT_KEYS = ("quote", "prefix", "suffix")  # anchoring text: a value cut at " #" anchors elsewhere
_KEYS = "|".join(ITEM_KEYS)
_BLOCK = re.compile(r"^([ \t]*)(-[ \t]+)?([\w-]+):[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")
_ITEM_LINE = re.compile(rf"^[ \t]*-[ \t]+(?:{_KEYS}):(?:[ \t]|$)")
_KEY_LINE = re.compile(rf"^[ \t]*(?:{_KEYS}):(?:[ \t]|$)")
# A plain (unquoted) value on its key's line, with " #" inside it.
_CUT = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)?)(?P<key>[\w-]+):[ \t]+(?P<value>[^\s\"'|>&*!\[{#][^#]*?)[ \t]+#(?P<rest>.*)$")


@dataclass
class Unread:
    """A note the build could not read, taken from the file's raw text.

    It is listed under "Unanchored notes" on the article's page with the
    reason, so that a mistake elsewhere in the file never makes it vanish.
    """

    line: int
    quote: str
    author: str
    body: str
    reason: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def lint_lines(text: str, display: str) -> list[Problem]:
    """Problems the parsed file cannot show: swallowed items and values cut at `` #``."""
    problems: list[Problem] = []
    lines = text.splitlines()
    block: tuple[int, int, str] | None = None  # (line of the "key: |", column of its key, key)
    for number, line in enumerate(lines, 1):
        if block is not None:
            if not line.strip() or _indent(line) > block[1]:
                if ":" not in line:  # (most lines of a body: no key-like line is without a colon)
                    continue
                if _ITEM_LINE.match(line):
                    item_col = line.index("-")
                    problems.append(Problem(display, number, (
                        f"this line looks like a new annotation, but it is indented under the '{block[2]}: |' of line {block[0]}, "
                        f"so YAML reads it as part of that {block[2]} and the note is lost: dedent its '- ' to the column of the other items' '- ' "
                        f"(now at column {item_col + 1})"
                    )))
                elif _KEY_LINE.match(line):
                    key = line.strip().split(":", 1)[0]
                    problems.append(Problem(display, number, (
                        f"'{key}:' is indented under the '{block[2]}: |' of line {block[0]}, so YAML reads it as text of the {block[2]}, not as a field: "
                        f"dedent it to line up with '{block[2]}:' (or reword the line if it is meant as text)"
                    ), "warning"))
                continue
            block = None
        m = _BLOCK.match(line) if ("|" in line or ">" in line) else None
        if m:
            block = (number, len(line) - len(line.lstrip(" -")), m.group(3))
            continue
        cut = _CUT.match(line) if " #" in line or "\t#" in line else None
        if cut and cut.group("key") in ITEM_KEYS and cut.group("key") not in ("id", "kind", "created", "links"):
            key, value = cut.group("key"), cut.group("value").strip()
            whole = f"{value} #{cut.group('rest')}".rstrip()
            problems.append(Problem(display, number, (
                f"YAML reads ' #' as the start of a comment, so this {key} is only \"{value}\": "
                f"put the whole value in double quotes ({key}: \"{_escaped(whole)}\"), or, if '#{cut.group('rest')[:20]}' is a comment, move it to a line of its own"
            ), "error" if key in TEXT_KEYS else "warning"))
    return problems


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _item_starts(lines: list[str]) -> list[int]:
    """Indexes of the lines that start an annotation item (``- key:`` at the outermost item column)."""
    starts = [i for i, l in enumerate(lines) if _ITEM_LINE.match(l) or re.match(r"^[ \t]*-[ \t]*$", l)]
    if not starts:
        return []
    col = min(_indent(lines[i]) for i in starts)
    return [i for i in starts if _indent(lines[i]) == col]


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def salvage(text: str, problem: Problem) -> list[Unread]:
    """Every note of a file that cannot be parsed, from its raw lines (quote, author and body as written)."""
    from archive_build.errors import InputError
    from archive_build.safe_yaml import load_text

    lines = text.splitlines()
    starts = _item_starts(lines)
    reason = f"line {problem.line}: {problem.message}" if problem.line else problem.message
    out: list[Unread] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        chunk = lines[start:end]
        col = _indent(chunk[0])
        item = None
        try:
            parsed = load_text("\n".join(l[col:] if l[:col].strip() == "" else l for l in chunk) + "\n", "item")
            if isinstance(parsed, list) and len(parsed) == 1 and isinstance(parsed[0], dict):
                item = parsed[0]
        except InputError:
            item = None
        if item is not None:
            def text_of(key: str) -> str:
                v = item.get(key)
                return v if isinstance(v, str) else "" if v is None or isinstance(v, (dict, list)) else str(v)

            out.append(Unread(start + 1, text_of("quote"), text_of("author"), text_of("body"), reason))
            continue
        fields: dict[str, str] = {}
        body: list[str] = []
        in_body = False
        for l in chunk:
            m = re.match(rf"^[ \t]*(?:-[ \t]+)?({_KEYS}):[ \t]*(.*)$", l)
            if m and not (in_body and _indent(l) > col + 2):
                in_body = m.group(1) == "body"
                value = m.group(2)
                if in_body and value.strip()[:1] not in ("|", ">", ""):
                    body.append(_scalar(value))
                fields.setdefault(m.group(1), _scalar(value))
            elif in_body:
                body.append(l.strip())
        if fields.get("quote") or body:
            out.append(Unread(start + 1, fields.get("quote", ""), fields.get("author", ""), "\n".join(body).strip(), reason))
    return out
