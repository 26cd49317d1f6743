"""Plain-words fixes for the YAML mistakes contributors make, at the line where they made them.

PyYAML says *what* its parser met ("found character that cannot start any
token", "did not find expected key") and often *where it noticed*, which
can be a line after the mistake or even past the end of the file.  Here the
raw line is read again to say what the contributor wrote and how to write it.
"""
from __future__ import annotations

import re

_KEY_VALUE = re.compile(r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?P<key>[^\s:#][^:#]*?):[ \t]+(?P<value>.*)$")
_BLOCK_START = re.compile(r"^(?P<indent>[ \t]*)(?:-[ \t]+)?[^\s:#][^:]*?:[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quote_inside(value: str) -> str | None:
    """The fix when a quoted value holds its own quote character before its end."""
    value = value.rstrip()
    if not value or value[0] not in "\"'":
        return None
    q = value[0]
    body = value[1:]
    if q == '"':
        i = 0
        while i < len(body):
            if body[i] == "\\":
                i += 2
                continue
            if body[i] == '"':
                rest = body[i + 1 :].strip()
                if rest and not rest.startswith("#"):
                    return 'a " inside a double-quoted value ends the value early: write it as \\" (or put the value in single quotes)'
                return None
            i += 1
        return None
    i = 0
    while i < len(body):
        if body[i] == "'":
            if body[i + 1 : i + 2] == "'":
                i += 2
                continue
            rest = body[i + 1 :].strip()
            if rest and not rest.startswith("#"):
                return "an apostrophe inside a single-quoted value ends the value early: write it twice ('') or put the value in double quotes"
            return None
        i += 1
    return None


def _less_indented_body(lines: list[str], at: int) -> int | None:
    """The line of the ``key: |`` whose body line ``at`` (0-based) is less indented than, if any."""
    line = lines[at]
    if not line.strip():
        return None
    ind = _indent(line)
    for j in range(at - 1, -1, -1):
        prev = lines[j]
        if not prev.strip():
            continue
        m = _BLOCK_START.match(prev)
        if m:
            key_col = len(prev) - len(prev.lstrip(" -"))
            first = next((l for l in lines[j + 1 : at] if l.strip()), None)
            if first is not None and key_col < ind < _indent(first):
                return j + 1
            return None
        if _indent(prev) <= ind:
            return None
    return None


def _unclosed(value: str) -> bool:
    """A value that opens a double or single quote and does not close it on its line."""
    value = value.rstrip()
    if not value or value[0] not in "\"'":
        return False
    q, i = value[0], 1
    while i < len(value):
        if q == '"' and value[i] == "\\":
            i += 2
            continue
        if value[i] == q:
            if q == "'" and value[i + 1 : i + 2] == "'":
                i += 2
                continue
            return False
        i += 1
    return True


def _unclosed_before(lines: list[str], line: int) -> int | None:
    """The nearest line before ``line`` (1-based) whose quoted value is left open, if any."""
    for j in range(line - 1, max(0, line - 20), -1):
        m = _KEY_VALUE.match(lines[j - 1])
        if m and _unclosed(m.group("value")):
            return j
    return None


def explain(problem: str, context: str | None, line: int | None, context_line: int | None, text: str) -> tuple[int | None, str]:
    """The line to report and the message, with its fix, for one PyYAML error."""
    lines = text.splitlines()
    n = len(lines)
    message = f"YAML error: {problem}"
    if line is not None and line > n:
        line = n or None  # PyYAML marks the end of the stream one line past the last
    if "end of stream" in problem and context and "quoted scalar" in context and context_line:
        return context_line, f"YAML error: the quoted value that starts on this line is never closed; end it with the same quote character ({message[12:]})"
    raw = lines[line - 1] if line and 0 < line <= n else ""
    if line and ("cannot start any token" in problem or "did not find expected" in problem or "expected <block end>" in problem):
        opened = _unclosed_before(lines, line)
        if opened:
            return opened, "YAML error: the quoted value that starts on this line is not closed on it: end it with the same quote character on this line (or indent its next lines as a continuation)"
    if "tab" in problem or ("cannot start any token" in problem and "\t" in raw[: len(raw) - len(raw.lstrip())]):
        return line, "YAML error: a tab character: indent with spaces (YAML does not allow tabs for indentation)"
    if "cannot start any token" in problem:
        m = _KEY_VALUE.match(raw)
        if m and m.group("value")[:1] and m.group("value")[0] in "@`%":  # ("" is in every string)
            ch = m.group("value")[0]
            return line, f"YAML error: a value cannot start with {ch!r} unless it is quoted: write {m.group('key').strip()}: \"{m.group('value').rstrip()}\""
        return line, f"{message}; if a value starts with @, ` or %, put it in double quotes"
    if "mapping values are not allowed" in problem:
        m = _KEY_VALUE.match(raw)
        key = m.group("key").strip() if m else "key"
        return line, f"YAML error: a value holds ': ' (a colon and a space), which YAML reads as a new key: put the whole value in double quotes ({key}: \"…\")"
    if "did not find expected" in problem or "expected <block end>" in problem:
        for at in (line, (line or 0) - 1):
            if at and 0 < at <= n:
                m = _KEY_VALUE.match(lines[at - 1])
                fix = _quote_inside(m.group("value")) if m else None
                if fix:
                    return at, f"YAML error: {fix}"
        if line and 0 < line <= n:
            body = _less_indented_body(lines, line - 1)
            if body:
                return line, f"YAML error: this line is less indented than the body that starts under line {body}, so YAML ends the body here: indent every line of the body at least as much as its first line"
    if "is not a valid date" in problem:
        return line, f"{message}; write dates as YYYY-MM-DD (a day that exists)"
    return line, message
