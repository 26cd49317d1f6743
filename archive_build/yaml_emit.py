"""YAML for generated front matter, written directly rather than through PyYAML.

PyYAML's representer builds a node per value in pure Python: at 10,000 articles
(~200 values each: entities, related reading, annotations) it was the largest
single cost of writing the pages.  The front matter only holds strings,
numbers, booleans, lists and mappings, so this module writes those in PyYAML's
block layout itself and hands anything else to PyYAML.

Untrusted text is never written plain unless it is certainly read back as the
same string: plain scalars are limited to word characters and a few
punctuation marks and are checked against YAML's implicit types (``yes``,
``1_000``, ``2024-05-01`` ...); everything else is double-quoted with every
character YAML does not accept raw escaped.  A property test checks that
``yaml.safe_load(dump(x)) == x`` for arbitrary text.
"""
from __future__ import annotations

import functools
import re
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

import yaml

# Libyaml's C emitter when available, for values this module does not write itself.
_FallbackDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_RESOLVER = yaml.resolver.Resolver()

# Conservative plain scalars: start and end with a letter or digit, inside only
# word characters, spaces and punctuation with no meaning to YAML's plain style.
_PLAIN = re.compile(r"[^\W_](?:[\w ,.’'“”()/?&%+!;=$€£-]*[\w,.’'“”()/?&%+!;=$€£-])?")
_DOUBLE_SPACE = re.compile(r"  ")
# Characters YAML cannot hold raw in a double-quoted scalar (beyond what JSON
# already escapes): non-printables, surrogates and the Unicode line breaks.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# What a literal block (``|``) may hold: printable text, no carriage return or Unicode line break.
_BLOCK_UNSAFE = re.compile("[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quoted(text: str) -> str:
    """A double-quoted YAML scalar that reads back as ``text``."""
    # encode_basestring is what json.dumps(text, ensure_ascii=False) runs, without its set-up per call.
    return _UNPRINTABLE.sub(_escape, encode_basestring(text))


# Keys, entity ids and related titles repeat across pages.
@functools.lru_cache(maxsize=1 << 16)
def _plain_ok(text: str) -> bool:
    if _PLAIN.fullmatch(text) is None or _DOUBLE_SPACE.search(text):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"


def _block_ok(text: str) -> bool:
    return not text.startswith((" ", "\n", "\t")) and _BLOCK_UNSAFE.search(text) is None


def _literal(text: str, indent: str) -> str:
    """A literal block scalar (``|``), header included, with the chomping indicator the ending needs."""
    if text.endswith("\n\n"):
        head, body = "|+", text[:-1]
    elif text.endswith("\n"):
        head, body = "|", text[:-1]
    else:
        head, body = "|-", text
    return head + "".join("\n" + (indent + line if line else "") for line in body.split("\n"))


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    # YAML 1.1 (PyYAML) reads a float only with a dot: 1e-05 must be 1.0e-05.
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _scalar(value: Any, indent: str) -> str | None:
    """The inline text of a scalar (a block's lines at ``indent``), or None when ``value`` is not one this module writes."""
    if isinstance(value, str):
        if "\n" in value and _block_ok(value):
            return _literal(value, indent)
        return value if _plain_ok(value) else quoted(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        return _float(value)
    return None


def _key(key: Any) -> str:
    if type(key) is not str or "\n" in key:
        raise _Unsupported
    return key if _plain_ok(key) else quoted(key)


class _Unsupported(Exception):
    """A value this module does not write; the caller falls back to PyYAML."""


def _emit(value: Any, indent: str, out: list[str], in_sequence: bool) -> None:
    """Append ``value`` as the rest of a line started by ``key:`` or ``-``, plus any nested lines."""
    if isinstance(value, dict):
        if not value:
            out.append(" {}")
            return
        first = True
        for k, v in value.items():
            # A mapping inside a sequence starts on the dash's line.
            if first and in_sequence:
                out.append(" " + _key(k) + ":")
            else:
                out.append("\n" + indent + _key(k) + ":")
            first = False
            _emit(v, indent + "  ", out, False)
        return
    if isinstance(value, list):
        if not value:
            out.append(" []")
            return
        # PyYAML's layout: a sequence in a mapping is not indented further.
        dash_indent = indent[:-2] if not in_sequence and indent else indent
        first = True
        for item in value:
            if first and in_sequence:
                out.append(" -")
            else:
                out.append("\n" + dash_indent + "-")
            first = False
            _emit(item, dash_indent + "  ", out, True)
        return
    text = _scalar(value, indent)
    if text is None:
        raise _Unsupported
    out.append(" " + text)


def dump(data: Any) -> str:
    """``data`` as a YAML block document (no ``---``), laid out as PyYAML's block style does."""
    if isinstance(data, (dict, list)) and data:
        out: list[str] = []
        try:
            _emit(data, "", out, False)
        except _Unsupported:
            pass
        else:
            return "".join(out)[1:] + "\n"
    return yaml.dump(data, Dumper=_FallbackDumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
