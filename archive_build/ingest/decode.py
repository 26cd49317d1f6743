"""Bytes → clean Unicode text, or a clear error.

Raw files arrive as UTF-8, UTF-8 with a BOM, or legacy single-byte encodings
from old Windows tools; line endings are CRLF, CR or LF.  Everything later in
the pipeline can assume NFC text with ``\n`` line endings.
"""
from __future__ import annotations

import re
import unicodedata

from archive_build.errors import InputError

#: Files larger than this are refused before decoding, so one bad file cannot
#: exhaust memory or stall the build.
MAX_RAW_BYTES = 5 * 1024 * 1024

_BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF",
    b"RIFF", b"\x00\x00\x01\x00", b"II*\x00", b"MM\x00*", b"BM",
)


_EVIDENCE = {"cp1251": re.compile(rb"[\xc0-\xff]{3}"), "mac_roman": re.compile(rb"[\x83\x88\x89\x8a\x8c\x8e\x9a\x9c\x9e\x9f]")}


# Every byte but the control characters that do not occur in text (tab, newline, form feed and CR do).
_NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\x0c\r"


def _looks_binary(data: bytes) -> bool:
    if any(data.startswith(sig) for sig in _BINARY_SIGNATURES if sig != b"BM"):
        return True
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))  # the control bytes left once all others are deleted
    return controls > max(8, len(sample) // 100)


def decode(data: bytes, path: str) -> str:
    """Decode raw bytes; raise InputError naming ``path`` when that is impossible."""
    if len(data) > MAX_RAW_BYTES:
        raise InputError(path, f"file is {len(data):,} bytes; the limit for a raw article is {MAX_RAW_BYTES:,} bytes")
    if not data.strip():
        raise InputError(path, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:  # odd length or a lone surrogate (found by fuzzing)
            raise InputError(path, f"cannot decode text: UTF-16 byte-order mark but invalid UTF-16 at byte {exc.start}") from None
    elif _looks_binary(data):
        raise InputError(path, "file is binary (not text); raw articles must be text, Markdown or HTML")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            declared = _declared_charset(data)
            if declared:
                try:
                    return _finish(data.decode(declared), path)
                except (UnicodeDecodeError, LookupError):
                    pass
            from charset_normalizer import from_bytes  # only for a file that is not UTF-8

            best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp1251", "mac_roman"]).best()
            if best is None:
                line = data[: exc.start].count(b"\n") + 1
                raise InputError(path, "cannot decode text: not UTF-8 and no known encoding fits", line) from None
            text = str(best)
            if best.encoding in {"cp1251", "mac_roman"} and not _EVIDENCE[best.encoding].search(data):
                # On a few isolated accented bytes ("naïve", "¹", "»") the
                # detector guesses cp1251 or mac_roman as readily as cp1252,
                # by far the commonest legacy encoding.  Keep its guess only
                # with evidence: cp1251 Cyrillic words are runs of three or more bytes
                # >= 0xC0; mac_roman's accented letters sit in 0x80-0x9F
                # where cp1252 has rare letters (Ž, ƒ, ‰, Œ).
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    pass
            if best.encoding in {"latin_1", "iso8859_15"}:
                # cp1252 is a superset for printable text; Windows tools mislabel it.
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    pass
    return _finish(text, path)


def _finish(text: str, path: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise InputError(path, "file holds only whitespace")
    return text


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    """The charset a saved HTML page declares in its <meta>, if any."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    return "cp1252" if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else name
