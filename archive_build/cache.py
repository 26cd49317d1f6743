"""The build's on-disk memory: file hashes, per-article results, last build's state.

Why three stores rather than one pickle of everything:

* ``FileHasher`` remembers each input file's SHA-256 with its size, mtime
  and inode, so a rebuild hashes only files whose ``stat`` changed (as git's
  index does) instead of reading 10,000 raw files back.
* ``ArticleStore`` keeps the processed articles in 64 shards by article id,
  so changing one annotation rewrites one shard (about 1/64 of the cache),
  not the whole cache.
* ``BuildState`` records the key of all inputs of the last successful build,
  its summary and the manifest of every generated file; when the inputs and
  the generated files are as recorded, a rebuild is a no-op that reads only
  ``stat`` results.

Every store is a cache: a missing, corrupt or foreign file is treated as
empty, and the build is still correct, only slower.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .output import Entry

SHARDS = 64
_PICKLE_ERRORS = (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError, KeyError, zlib.error)


def _load(path: Path, default: Any) -> Any:
    try:
        return pickle.loads(path.read_bytes())
    except _PICKLE_ERRORS:
        return default


def _dump(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, path)


class FileHasher:
    """SHA-256 of input files, recomputed only when their ``stat`` changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.memo: dict[str, tuple[int, int, int, str]] = _load(path, {})
        if not isinstance(self.memo, dict):
            self.memo = {}
        self.seen: dict[str, tuple[int, int, int, str]] = {}
        self.dirty = False

    def digest(self, p: Path | None) -> str:
        """Hex digest of the file's bytes; "missing" when it cannot be read."""
        if p is None:
            return "none"
        key = str(p)
        try:
            st = p.stat()
        except OSError:
            return "missing"
        old = self.memo.get(key)
        if old is not None and old[:3] == (st.st_size, st.st_mtime_ns, st.st_ino):
            self.seen[key] = old
            return old[3]
        try:
            d = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            return "missing"
        self.seen[key] = (st.st_size, st.st_mtime_ns, st.st_ino, d)
        self.dirty = True
        return d

    def save(self) -> None:
        """Keep only the files seen this build (forgets deleted ones)."""
        if self.dirty or len(self.seen) != len(self.memo):
            _dump(self.path, self.seen)
            self.memo = dict(self.seen)
            self.dirty = False


def _shard(article_key: str) -> int:
    return zlib.crc32(article_key.encode()) % SHARDS


class ArticleStore:
    """Processed results by raw file, each stored with the key of its inputs."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.shards: dict[int, dict[str, tuple[str, Any]]] = {}
        self.dirty: set[int] = set()

    def _get_shard(self, n: int) -> dict[str, tuple[str, Any]]:
        if n not in self.shards:
            data = _load(self.dir / f"{n:02d}.pickle", {})
            self.shards[n] = data if isinstance(data, dict) else {}
        return self.shards[n]

    def get(self, name: str, key: str) -> Any | None:
        hit = self._get_shard(_shard(name)).get(name)
        return hit[1] if hit is not None and hit[0] == key else None

    def put(self, name: str, key: str, value: Any) -> None:
        n = _shard(name)
        self._get_shard(n)[name] = (key, value)
        self.dirty.add(n)

    def retain(self, names: set[str]) -> None:
        """Forget results for raw files that are gone."""
        for n in range(SHARDS):
            shard = self._get_shard(n)
            gone = [k for k in shard if k not in names]
            for k in gone:
                del shard[k]
            if gone:
                self.dirty.add(n)

    def save(self) -> None:
        for n in sorted(self.dirty):
            _dump(self.dir / f"{n:02d}.pickle", self.shards[n])
        self.dirty.clear()


@dataclass
class BuildState:
    """What the last build saw and wrote."""

    input_key: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, dict[str, Entry]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "BuildState":
        value = _load(path, None)
        return value if isinstance(value, cls) else cls()

    def save(self, path: Path) -> None:
        _dump(path, self)


def related_key(article: Any) -> str:
    """Digest of what related reading reads from one article (computed in the worker).

    Annotations and highlights do not change it, so editing an annotation
    does not recompute related reading for the whole archive.
    """
    terms = article.flags.get("terms") or {}
    data = (article.id, article.title, sorted(article.entities), list(article.tags), sorted(dict(terms).items()))
    return hashlib.sha1(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def memo_flag(cache_dir: Path, articles: list[Any], flag: str, step: Any) -> None:
    """Run ``step(articles)`` (which sets ``article.flags[flag]``) unless its inputs are unchanged.

    The inputs are every article's ``flags["<flag>_key"]`` plus the code
    version; on a hit the previous results are put back without running
    ``step``.  Without keys (an article built by an older code path), it
    simply runs.
    """
    from .build import code_version

    keys = [a.flags.get(f"{flag}_key") for a in articles]
    if any(k is None for k in keys):
        step(articles)
        return
    h = hashlib.sha256(code_version().encode())
    for a, k in zip(articles, keys):
        h.update(f"{a.id}\0{k}\n".encode())
    digest = h.hexdigest()
    path = cache_dir / f"{flag}.pickle"
    saved = _load(path, None)
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == digest and len(saved[1]) == len(articles):
        for a, value in zip(articles, saved[1]):
            a.flags[flag] = value
        return
    step(articles)
    _dump(path, (digest, [a.flags.get(flag) for a in articles]))


def listing_key(article: Any) -> str:
    """Digest of what listings and entity pages read from one article (computed in the worker).

    Metadata, entities and keyword-in-context sentences; not the body, so an
    edited annotation leaves it unchanged.
    """
    data = (
        article.id, article.title, article.date, article.updated, article.source, article.url, article.description,
        list(article.authors), list(article.tags), dict(article.entities), article.flags.get("kwic"),
    )
    return hashlib.sha1(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def memo_value(cache_dir: Path, name: str, parts: list[str] | None, compute: Any) -> Any:
    """``compute()``, or its remembered value when the ``parts`` of its key are unchanged.

    ``parts`` is None when a key is unavailable; then it just computes.
    """
    if parts is None:
        return compute()
    from .build import code_version

    h = hashlib.sha256(code_version().encode())
    for p in parts:
        h.update(p.encode() + b"\n")
    digest = h.hexdigest()
    path = cache_dir / f"{name}.pickle"
    saved = _load(path, None)
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == digest:
        return saved[1]
    value = compute()
    _dump(path, (digest, value))
    return value
