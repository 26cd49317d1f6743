"""Readers: one per raw format, each turning decoded text into an ``Article``.

``read_bytes`` is the single entry point; it picks the reader by extension.
Readers only split the text into blocks and collect what the format itself
states (front matter, HTML meta tags); detecting metadata in prose and
cleaning are transforms, shared by all formats.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from archive_build.errors import InputError
from archive_build.ingest.decode import decode
from archive_build.model import Article

_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
RAW_EXTENSIONS = tuple(_FORMATS)


def raw_format(path: str) -> str | None:
    """The format a raw file is read as ("txt", "md", "html"), by its extension; None if no reader takes it."""
    return _FORMATS.get(Path(path).suffix.lower())


def _reader_for(suffix: str) -> Callable[[Article, str], Article]:
    if suffix == ".txt":
        from archive_build.ingest.text import read_text
        return read_text
    if suffix in (".md", ".markdown"):
        from archive_build.ingest.markdown import read_markdown
        return read_markdown
    if suffix in (".html", ".htm"):
        from archive_build.ingest.html import read_html
        return read_html
    raise KeyError(suffix)


def article_id(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def read_bytes(data: bytes, path: str) -> Article:
    """Decode and read one raw file's bytes; ``path`` is what messages show."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        reader = _reader_for(suffix)
    except KeyError:
        raise InputError(path, f"unknown raw format {suffix or '(none)'}; use one of {', '.join(RAW_EXTENSIONS)}") from None
    text = decode(data, path)
    article = Article(id=article_id(p), raw=path, sha256=hashlib.sha256(data).hexdigest(), format=_FORMATS[suffix])
    return reader(article, text)
