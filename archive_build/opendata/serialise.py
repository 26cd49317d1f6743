"""Deterministic JSON for the open data: the same value always gives the same bytes."""
from __future__ import annotations

import json
from typing import Any

import orjson


def dump_json(data: Any) -> bytes:
    """Deterministic JSON: UTF-8, compact, keys in the order built, a final newline.

    Compact, not indented: the files are a third smaller, and any JSON viewer
    indents them for a reader.
    """
    return (json_text(data) + "\n").encode("utf-8")


def json_text(data: Any) -> str:
    """``dump_json`` as text, without the newline (for documents joined from pieces)."""
    try:
        return orjson.dumps(data).decode("utf-8")
    except orjson.JSONEncodeError:
        return _STDLIB.encode(data)


# orjson, eight times as fast as the standard library's compact, non-ASCII
# encoder (which escapes strings in that mode at 5 ns a character; an
# article.json holds the article twice).  It writes the same bytes for
# strings of any character, integers, the build's rounded scores and nesting
# (a test checks them).  Where they differ, orjson writes JSON where the
# standard library did not: a value a sidecar passes through as NaN or
# infinity is null (not NaN), a date is its ISO string (the standard library
# refused it), and a float with an exponent is spelled the shortest way
# (1e-7, not 1e-07).  The standard library takes what orjson refuses
# (integers beyond 64 bits, lone surrogates).
_STDLIB = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
