"""Pagefind 1.5's index files: read, written and named as its runtime expects them.

Every index file (page list ``pagefind.<hash>.pf_meta``, word chunks
``index/*.pf_index``, facets ``filter/*.pf_filter``) is gzip'd
``pagefind_dcd`` followed by CBOR; a fragment (``fragment/*.pf_fragment``)
is gzip'd ``pagefind_dcd`` followed by the page's JSON.  Files are named
by a hash of their bytes after the language (``en_1a2b3c4``), so a
browser may cache them for good.  The layouts this code relies on:

- page list: ``[version, [[fragment, word_count], ...], [[from, to, chunk], ...],
  [[facet, file], ...], sorts, meta_fields]``;
- word chunk: ``[[[word, pages, variants], ...]]``, a page ``[page_delta, locs, meta_locs]``
  (page numbers delta-encoded along the list; a negative ``meta_locs`` entry
  ``-(i + 1)`` switches to meta field ``meta_fields[i]``), a variant ``[form, pages]``;
- facet: ``[facet, [[value, [page, ...]], ...]]`` (absolute page numbers).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
#: The Pagefind versions whose layout this is (a version's prefix).
LAYOUT_VERSION = "1.5."
ENTRY = "pagefind-entry.json"
#: Positions in the page list.
VERSION, PAGES, CHUNKS, FILTERS, SORTS, META_FIELDS = range(6)


class FormatError(RuntimeError):
    """A bundle this code cannot read: another Pagefind version's layout, or a damaged file."""


def unpack(data: bytes, where: Path | str) -> bytes:
    """The payload of a Pagefind file's bytes (after its signature)."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise FormatError(f"{where}: not a gzip'd Pagefind file ({exc})") from exc
    if not raw.startswith(SIGNATURE):
        raise FormatError(f"{where}: not a Pagefind file")
    return raw[len(SIGNATURE):]


def read(path: Path) -> Any:
    """The CBOR value of an index, chunk or facet file."""
    return cbor2.loads(unpack(path.read_bytes(), path))


def read_fragment(path: Path) -> dict[str, Any]:
    """A page's fragment: its address, text, facets and meta."""
    return json.loads(unpack(path.read_bytes(), path))


#: A fragment's start as Pagefind writes it: its address first.
_FRAGMENT_URL = re.compile(rb'\{"url":("(?:[^"\\]|\\.)*")')


def fragment_url(path: Path) -> str:
    """A fragment's address, from the start of the file where Pagefind put it (the whole file read otherwise)."""
    data = path.read_bytes()
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 4096)
    except zlib.error:
        head = b""
    match = _FRAGMENT_URL.match(head, len(SIGNATURE)) if head.startswith(SIGNATURE) else None
    if match is not None:
        return str(json.loads(match.group(1)))
    return str(read_fragment(path).get("url", ""))


def pack(value: Any) -> bytes:
    """``value`` as a Pagefind file's bytes (gzip without a timestamp: the same value, the same bytes)."""
    return pack_cbor(cbor2.dumps(value))


def pack_cbor(data: bytes) -> bytes:
    """CBOR bytes as a Pagefind file's bytes."""
    return gzip.compress(SIGNATURE + data, compresslevel=6, mtime=0)


def array_head(length: int) -> bytes:
    """The CBOR head of an array of ``length`` items, in its shortest form (as cbor2 writes it)."""
    return _head(0x80, length)


def text(value: str) -> bytes:
    """A string as CBOR, as cbor2 writes it (without cbor2's type dispatch: the combine writes one a word)."""
    data = value.encode("utf-8")
    return _head(0x60, len(data)) + data


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major | length])
    for code, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major | code]) + length.to_bytes(size, "big")
    raise ValueError(f"a CBOR item of {length} bytes or items")


class Names:
    """Names by content hash for the files of one folder, longer where two files' short names collide."""

    def __init__(self, language: str, digits: int) -> None:
        self.language = language
        self.digits = digits
        self.taken: dict[str, str] = {}

    def name(self, data: bytes) -> tuple[str, bool]:
        """The name for ``data``, and whether it is new (False: the same bytes were named before)."""
        digest = hashlib.sha256(data).hexdigest()
        length = self.digits
        while True:
            name = f"{self.language}_{digest[:length]}"
            known = self.taken.get(name)
            if known is None:
                self.taken[name] = digest
                return name, True
            if known == digest:
                return name, False
            length += 1


#: A bundle's folders that hold its index: the rest of the bundle but its entry and page lists is the runtime.
INDEX_FOLDERS = ("index", "fragment", "filter")


def is_runtime(name: str) -> bool:
    """Whether the file ``name`` of a bundle is its runtime (scripts, styles, WebAssembly), not its index."""
    return name not in INDEX_FOLDERS and name != ENTRY and not name.endswith(".pf_meta") and not name.startswith(".")


def load_entry(bundle: Path) -> dict[str, Any]:
    """A bundle's ``pagefind-entry.json``."""
    try:
        return json.loads((bundle / ENTRY).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(f"{bundle / ENTRY}: unreadable ({exc})") from exc


def meta_path(bundle: Path, language_hash: str) -> Path:
    return bundle / f"pagefind.{language_hash}.pf_meta"
