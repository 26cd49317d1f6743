"""Loading contributors' YAML safely, with line numbers for every mapping.

Contributed files (sidecars, annotations, the gazetteer) come from strangers:
they are size-limited before parsing, loaded with the safe loader only, and
aliases, anchors, merge keys and custom tags are refused outright, since they
serve no purpose in these files and are the classic YAML attack surface
("billion laughs", object construction).  Mappings come back as ``LineDict``
so validators can report ``file:line`` for the exact key at fault.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from archive_build.errors import InputError
from archive_build.yaml_hints import explain

MAX_YAML_BYTES = 256 * 1024


class LineDict(dict):
    """A dict that remembers the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]


# libyaml's C parser when available: the pure-Python one made loading annotation
# files the slowest step of a 10,000-article build.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Strings, lists and mappings (nearly every node of these files) built
        # directly, without PyYAML's per-node bookkeeping, which exists for
        # aliases: those are refused before construction (``load_text``).
        if node.id == "scalar" and node.tag == _STR:
            return node.value
        if node.id == "sequence" and node.tag == _SEQ:
            return [self.construct_object(child, deep=True) for child in node.value]
        if node.id == "mapping" and node.tag == yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG:
            return _construct_mapping(self, node)
        return super().construct_object(node, deep=deep)


def _reject(loader: _Loader, node: yaml.Node) -> None:  # pragma: no cover - guarded in compose
    raise yaml.constructor.ConstructorError(None, None, f"custom tag {node.tag!r} is not allowed", node.start_mark)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(None, None, "merge keys (<<) are not allowed", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "mapping keys must be plain text", key_node.start_mark)
        key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _checked(construct: Any, what: str) -> Any:
    """A scalar constructor whose ValueError becomes a YAML error at the value's line.

    PyYAML's resolvers accept scalars its constructors then reject: a
    date-shaped "2024-02-30", a hex-shaped "0x_" (both found by fuzzing).
    """

    def constructor(loader: _Loader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a valid {what} ({exc})", node.start_mark) from None

    return constructor


for _tag, _construct, _what in (
    ("timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp, "date"),
    ("int", yaml.constructor.SafeConstructor.construct_yaml_int, "number"),
    ("float", yaml.constructor.SafeConstructor.construct_yaml_float, "number"),
):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _checked(_construct, _what))

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "binary", "set", "omap", "pairs")
}


def _check_events(text: str, path: str) -> None:
    """Refuse anchors, aliases and non-standard tags before constructing anything."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise InputError(path, "YAML aliases (*name) are not allowed in contributed files", line)
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise InputError(path, "YAML anchors (&name) are not allowed in contributed files", line)
        tag = getattr(event, "tag", None)
        if tag and tag not in _STANDARD_TAGS and tag != "!":
            raise InputError(path, f"YAML tag {tag} is not allowed in contributed files", line)
        if tag and tag.endswith((":binary", ":set", ":omap", ":pairs")):
            raise InputError(path, f"YAML tag {tag} is not allowed in contributed files", line)


def load_text(text: str, path: str) -> Any:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise InputError(path, f"file is larger than the {MAX_YAML_BYTES // 1024} KB limit for YAML files")
    try:
        # Anchors need "&", aliases "*" and explicit tags "!": a text with none of
        # them (most annotation files) is parsed once, not twice.
        if "&" in text or "*" in text or "!" in text:
            _check_events(text, path)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        context_line = exc.context_mark.line + 1 if exc.context_mark else None
        line, message = explain(problem, exc.context, line, context_line, text)
        raise InputError(path, message, line) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"YAML error: {exc}") from None


def load_file(path: Path, display: str | None = None) -> Any:
    from archive_build.safe_files import read_regular

    display = display or str(path)
    # Only a regular file inside the repository: a symlinked sidecar, annotation
    # file or gazetteer could publish any file of the build machine.
    data = read_regular(path, display, limit=MAX_YAML_BYTES, limit_message=f"file is {{size}} bytes; the limit for YAML files is {MAX_YAML_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(display, "YAML file is not valid UTF-8", line) from None
    return load_text(text, display)


def line_of(mapping: Any, key: str | None = None) -> int | None:
    """Line of ``key`` in ``mapping`` (or of the mapping itself), if known."""
    if isinstance(mapping, LineDict):
        if key is not None and key in mapping.key_lines:
            return mapping.key_lines[key]
        return mapping.line or None
    return None


def front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``---``-delimited front matter off a Markdown text.

    Returns (yaml_text or None, body, number of lines consumed).
    """
    if not text.startswith("---\n"):
        return None, text, 0
    end = text.find("\n---", 4)
    while end != -1 and text[end + 4 : end + 5] not in ("\n", ""):
        end = text.find("\n---", end + 4)
    if end == -1:
        return None, text, 0
    yaml_text = text[4 : end + 1]
    rest = text[end + 4 :]
    if rest.startswith("\n"):
        rest = rest[1:]
    consumed = text[: len(text) - len(rest)].count("\n")
    return yaml_text, rest, consumed
