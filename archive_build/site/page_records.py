"""What each page of a rendered site was rendered from: the record an incremental render reuses pages by.

Each ``mkdocs build`` that ``archive-build site`` runs writes, through the
archive plugin (``site/plugin/incremental.py``), one JSON line per page it
rendered: the page's key (a digest of its Markdown file's bytes and of the
site-wide key every page shares), the file it wrote, and what it gave the
search (its notes, the words it added to the "Did you mean" vocabulary) and
MkDocs' anchor check (its ids), the identity of its Markdown file when it
was keyed (a file with the same identity is not read again), and what other
pages read of its front matter (``incremental.SHARED_META``).  The first
line is the site-wide header: the site-wide key, every file MkDocs saw, the
pages holding a tags listing, and the open-data packs' identities.

``archive-build site`` keeps the records of the ``site/`` it swapped in
(``MANIFEST`` in the cache, its first line naming that ``site/``).  The next
render, when only pages changed, renders just the pages whose key changed
and links every other page's file from the old ``site/`` into the new tree.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable

from archive_build.site.inputs import site_identity

#: The records of the site in place, in the cache folder.
MANIFEST = "site-pages.jsonl"
#: Set for ``mkdocs build``: where the plugin writes the records of the pages it renders.
RECORD_ENV = "ARCHIVE_BUILD_PAGE_RECORDS"
#: Set for ``mkdocs build``: the site-wide key of everything but ``docs/`` and ``site-data/`` (``site_inputs.theme_digest``).
KEY_ENV = "ARCHIVE_BUILD_SITE_KEY"
#: Set for an incremental ``mkdocs build``: the records of the site in place, and that site's folder.
REUSE_ENV = "ARCHIVE_BUILD_REUSE"
REUSE_SITE_ENV = "ARCHIVE_BUILD_REUSE_SITE"
#: Set for an incremental ``mkdocs build`` when there is one: the tree ``site/`` replaced, to make the new site of (``site/spare.py``).
REUSE_SPARE_ENV = "ARCHIVE_BUILD_REUSE_SPARE"


@dataclass
class Header:
    """What every page depends on: the site-wide key, the files MkDocs saw, the open-data packs.

    ``listings``: the pages holding a tags listing, whose bytes are part of
    ``global_key``: read on every render, whatever their file's identity.
    """

    site_key: str
    global_key: str
    files: list[str]
    packs: dict[str, str]
    listings: list[str]


@dataclass
class Records:
    """A site's header, and each page's record line by source path (parsed only when asked for)."""

    header: Header
    lines: dict[str, str] = field(default_factory=dict)

    def page(self, src_uri: str) -> dict[str, Any]:
        """The page's record, but for what it gave the search (``search``), most of its bytes: left unparsed."""
        line = self.lines[src_uri]
        cut = line.find(_SEARCH)
        return json.loads(line[:cut] + "}" if cut >= 0 else line)  # type: ignore[no-any-return]

    def search(self, src_uri: str) -> dict[str, Any]:
        """What the page gave the search (``page_line``'s ``search``; empty if nothing)."""
        line = self.lines[src_uri]
        cut = line.find(_SEARCH)
        return json.loads(line[cut + len(_SEARCH) : line.rindex("}")]) if cut >= 0 else {}  # type: ignore[no-any-return]

    def key(self, src_uri: str) -> str | None:
        """The page's key, read off its line without parsing the rest."""
        return self._early_field(src_uri, "key")

    def ident(self, src_uri: str) -> str | None:
        """The identity its Markdown file had when the page was keyed, read off its line without parsing the rest."""
        return self._early_field(src_uri, "ident")

    def _early_field(self, src_uri: str, name: str) -> str | None:
        """A string field ``page_line`` writes right after the source path (hex digits, digits and colons: no escapes)."""
        line = self.lines.get(src_uri)
        if line is None:
            return None
        marker = f',"{name}":"'
        start = line.find(marker)
        if start < 0:
            return None
        start += len(marker)
        return line[start : line.index('"', start)]


#: Where a record line's last field, what the page gave the search, starts.
_SEARCH = ',"search":'


def page_line(
    src_uri: str, key: str, ident: str, dest: str, anchors: Iterable[str], meta: dict[str, Any], search: dict[str, Any] | None,
) -> str:
    """One page's record as a JSON line: its key and file identity first (``Records.key``, ``Records.ident``), what it
    gave the search last (``Records.page`` leaves it unparsed)."""
    record: dict[str, Any] = {"src": src_uri, "key": key, "ident": ident, "dest": dest, "anchors": sorted(anchors), "meta": meta}
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    if search is not None:
        line = line[:-1] + _SEARCH + json.dumps(search, ensure_ascii=False, separators=(",", ":")) + "}"
    return line + "\n"


def header_line(header: Header) -> str:
    return json.dumps({"header": header.__dict__}, ensure_ascii=False, separators=(",", ":")) + "\n"


def _read_lines(f: IO[str]) -> Records | None:
    first = f.readline()
    if first.startswith("site "):  # kept by ``keep``: the site's identity first
        first = f.readline()
    try:
        header = Header(**json.loads(first)["header"])
    except (ValueError, KeyError, TypeError):
        return None
    records = Records(header)
    for line in f:
        if not line.endswith("\n"):
            return None  # cut short
        start = line.find('"src":')
        try:
            src = json.loads(line[start + 6 : line.index(',"key"', start)]) if start >= 0 else None
        except ValueError:
            return None
        if not isinstance(src, str):
            return None
        records.lines[src] = line
    return records


def read(path: Path) -> Records | None:
    """Records written by the plugin (``RECORD_ENV``), None if missing or damaged."""
    try:
        with open(path, encoding="utf-8") as f:
            return _read_lines(f)
    except (OSError, UnicodeDecodeError):
        return None


def kept_header(cache: Path, site: Path) -> Header | None:
    """The header of the records ``keep`` kept; None unless they describe this very ``site/``."""
    try:
        with open(cache / MANIFEST, encoding="utf-8") as f:
            if f.readline().rstrip("\n") != _identity(site):
                return None
            return Header(**json.loads(f.readline())["header"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


def take_kept(cache: Path, to: Path) -> bool:
    """Move the kept records to ``to`` (for a render to read; none are kept meanwhile); False if there were none."""
    try:
        os.replace(cache / MANIFEST, to)
    except OSError:
        return False
    return True


def combine(parts: Iterable[Path], dest: Path) -> None:
    """The records of a site's shards as one file: the first's header, every shard's pages."""
    parts = list(parts)
    with open(dest, "w", encoding="utf-8") as out:
        for i, part in enumerate(parts):
            with open(part, encoding="utf-8") as f:
                header = f.readline()
                if i == 0:
                    out.write(header)
                for line in f:
                    if '"src":' in line:
                        out.write(line)


def keep(records: Path, cache: Path, site: Path) -> None:
    """Keep ``records`` as those of ``site`` (just swapped in), for the next render."""
    from archive_build.store.cache import write_cache_file

    write_cache_file(cache / MANIFEST, (_identity(site) + "\n").encode() + records.read_bytes())


def forget(cache: Path) -> None:
    """No records describe ``site/`` (a render is under way, failed, or put it together from elsewhere)."""
    try:
        (cache / MANIFEST).unlink()
    except OSError:
        pass


def _identity(site: Path) -> str:
    return f"site {site_identity(site)}"
