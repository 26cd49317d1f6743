"""How each article's open-data files travel from the build to the site: bundles in packs.

An article's four files are one *bundle*; the bundles of the archive are
kept in 64 *packs* in ``site-data/`` (``Project.site_data``), each holding
the articles whose id falls in it (``pack_of``).  Why not a file per
article: creating a file costs this filesystem 0.015-0.17 ms whatever its
size, and a cold build of 10,000 articles created 40,000 open-data files,
then 10,000 bundles; now it creates 64.  Why not one file: changing one
annotation rewrites one pack, 1/64 of the open data.

Both use one format (``pack``): a JSON line listing ``[name, size]``, then
the bytes in that order.  The build's manifest records, for each pack, a
digest of its articles' fingerprints (``members_digest``), so a rebuild
tells which bundles it can keep from the first line of each pack
(``read_index``).  The MkDocs hook unpacks the packs into
``site/data/articles/<id>/`` (``publish``).
"""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from archive_build.output import KEEP, FileData, place_bytes, rendered, stage

if TYPE_CHECKING:
    from archive_build.opendata.plan import DataPlan

PACKS = 64
SUFFIX = ".pack"


def article_dir(article_id: str) -> str:
    """An article's folder under the site's ``data/``."""
    return f"articles/{article_id}"


def pack_of(article_id: str) -> str:
    """The name, in ``site-data/``, of the pack that holds the article's bundle."""
    return f"{zlib.crc32(article_id.encode('utf-8')) % PACKS:02d}{SUFFIX}"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def members_digest(members: Iterable[tuple[str, str]]) -> str:
    """Digest of a pack's (article id, fingerprint) pairs: what the manifest records for it."""
    h = hashlib.sha256()
    for article_id, fingerprint in members:
        h.update(f"{article_id}\0{fingerprint}\n".encode("utf-8"))
    return h.hexdigest()


def pack(files: Mapping[str, bytes]) -> bytes:
    """Files (name → bytes, in the order given) as one file: a JSON line of ``[name, size]``, then the bytes."""
    header = _ENCODER.encode([[name, len(data)] for name, data in files.items()]).encode("utf-8")
    return b"".join([header, b"\n", *files.values()])


def _entries(line: bytes) -> list[tuple[str, int]]:
    """The header line's entries; ValueError when it is not one ``pack`` writes."""
    try:
        entries = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        entries = None
    if not isinstance(entries, list) or not all(
        isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and e[0] and not e[0].startswith(".")
        and not any(c in e[0] for c in "/\\\0")
        and isinstance(e[1], int) and not isinstance(e[1], bool) and e[1] >= 0
        for e in entries
    ):
        raise ValueError("not an open-data pack")
    return [(e[0], e[1]) for e in entries]


def unpack(data: bytes) -> dict[str, bytes]:
    """The files of a ``pack``; ValueError when the bytes are not one."""
    line, sep, rest = data.partition(b"\n")
    if not sep:
        raise ValueError("not an open-data pack")
    files: dict[str, bytes] = {}
    offset = 0
    for name, size in _entries(line):
        files[name] = rest[offset : offset + size]
        offset += size
    if offset != len(rest):
        raise ValueError("not an open-data pack")
    return files


def read_index(path: str | Path) -> list[str] | None:
    """The names of the files in the pack at ``path``, from its first line; None if it is missing or not a whole pack.

    Whole: the sizes the line lists add up to the rest of the file, so a
    pack cut short or edited by hand is not trusted.
    """
    try:
        with open(path, "rb") as f:
            line = f.readline()
            size = os.fstat(f.fileno()).st_size
        entries = _entries(line)
    except (OSError, ValueError):
        return None
    return [name for name, _ in entries] if len(line) + sum(n for _, n in entries) == size else None


def read_pack(path: str | Path) -> dict[str, bytes]:
    """The files of the pack at ``path``; empty if it is missing or not a pack."""
    try:
        with open(path, "rb") as f:
            return unpack(f.read())
    except (OSError, ValueError):
        return {}


def publish(site_data: Path, data_dir: Path, only: Iterable[str] | None = None) -> int:
    """Unpack the packs' bundles into the site, at ``data_dir/articles/<id>/<name>``; returns files written.

    Each file gets its pack's modification time, so a file already in
    place with the same size and that time is left alone, as is one with
    the same bytes: a deploy tool sees only what changed.  With ``only``
    (names in ``site-data/``) only those packs are unpacked: a live-reload
    rebuild places just what the build step rewrote.  Files the source
    lacks are not removed: a full ``mkdocs build`` starts from an empty
    ``site/``.
    """
    placed = 0
    if only is None:
        try:
            only = sorted(e.name for e in os.scandir(site_data) if e.is_file(follow_symlinks=False))
        except OSError:
            return 0
    for name in only:
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        try:
            with open(os.path.join(site_data, name), "rb") as f:
                mtime_ns = os.fstat(f.fileno()).st_mtime_ns
                bundles = unpack(f.read())
        except (OSError, ValueError):  # gone meanwhile, or not the build's: the next build rewrites it
            continue
        for article_id, bundle in bundles.items():
            try:
                files = unpack(bundle)
            except ValueError:
                continue
            folder = os.path.join(data_dir, article_dir(article_id))
            os.makedirs(folder, exist_ok=True)
            for file_name, data in files.items():
                placed += place_bytes(os.path.join(folder, file_name), data, mtime_ns)
    return placed


class PackWriter:
    """Writes the packs a build changes, each as soon as the last of its new bundles arrives (``add``).

    The build renders the articles pack by pack (sorted by ``pack_of``), so
    it holds one pack's new bundles at a time, not the archive's 200 MB.
    A pack's other bundles come from the pack the last build wrote.
    """

    def __init__(self, folder: str, old_folder: str, plan: "DataPlan") -> None:
        self.folder, self.old_folder, self.plan = folder, old_folder, plan
        self.waiting: dict[str, int] = {}
        for article_id in plan.todo:
            name = pack_of(article_id)
            self.waiting[name] = self.waiting.get(name, 0) + 1
        self.fresh: dict[str, dict[str, bytes]] = {}
        self.files: dict[str, FileData] = {}

    def add(self, article_id: str, bundle: bytes) -> None:
        name = pack_of(article_id)
        self.fresh.setdefault(name, {})[article_id] = bundle
        self.waiting[name] -= 1
        if not self.waiting[name]:
            self._write(name)

    def _write(self, name: str) -> None:
        new = self.fresh.pop(name, {})
        old: dict[str, bytes] | None = None
        bundles: dict[str, bytes] = {}
        for article_id in self.plan.members[name]:
            bundle = new.get(article_id)
            if bundle is None:  # kept: the plan found it, with this fingerprint, in the intact old pack
                if old is None:
                    old = read_pack(os.path.join(self.old_folder, name))
                bundle = old.get(article_id)
                if bundle is None:
                    raise RuntimeError(f"site-data/{name} changed while the build ran; build again")
            bundles[article_id] = bundle
        data = pack(bundles)
        os.makedirs(self.folder, exist_ok=True)
        self.files[name] = stage(self.folder, name, rendered(data, self.plan.intact.get(name)))

    def finish(self) -> dict[str, FileData]:
        """Every pack of the tree for ``sync_tree``: written, or ``KEEP``."""
        for name in sorted(self.plan.members):
            if name in self.files:
                continue
            if self.waiting.get(name):
                raise RuntimeError(f"{name}: {self.waiting[name]} bundles never arrived")
            if name in self.plan.unchanged:
                self.files[name] = KEEP
            else:  # no new bundle, but an article left it
                self._write(name)
        return self.files
