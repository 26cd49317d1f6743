"""The build's on-disk memory: file hashes, per-article results, last build's state.

Why three stores rather than one pickle of everything:

* ``FileHasher`` remembers each input file's SHA-256 with its size, mtime
  and inode, so a rebuild hashes only files whose ``stat`` changed (as git's
  index does) instead of reading 10,000 raw files back.
* ``Shards`` keep the processed articles (``article_store``) in 64 files by
  article id, so changing one annotation rewrites one shard (about 1/64 of
  the cache), not the whole cache.
* ``BuildState`` records the key of all inputs of the last successful build,
  its summary and the manifest of every generated file; when the inputs and
  the generated files are as recorded, a rebuild is a no-op that reads only
  ``stat`` results.

Every store is a cache: a missing, corrupt or foreign file is treated as
empty, and the build is still correct, only slower.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_build.output import Entry

SHARDS = 64
# (A corrupt frame length makes pickle raise OverflowError, or MemoryError for the buffer it asks for.)
PICKLE_ERRORS = (
    OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError, KeyError, OverflowError,
    MemoryError, zlib.error,
)

# Every cache file starts with this tag and a CRC-32 of the pickle after it.  A checksum against
# accidents (a file cut short, emptied, bytes flipped on disk), not against forgery: whoever can
# write the cache can write the code.  CRC-32 catches every burst of up to 32 flipped bits and
# misses other damage once in four billion; it hashed 1,100 MB/s here against BLAKE2b's 170 and
# SHA-256's 300 (one run, same load), and a cold build of 10,000 articles writes about 400 MB of cache.
_MAGIC = b"abc1"
_HEADER = len(_MAGIC) + 4

# Cache files found damaged in this process since ``take_damaged`` was last called.
_DAMAGED: list[str] = []


def _checksum(data: bytes | memoryview) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big")


def seal(data: bytes) -> bytes:
    """The header a cache file holds before the pickle ``data``: the tag and the checksum."""
    return _MAGIC + _checksum(data)


def unsealed(blob: bytes) -> memoryview | None:
    """The pickle after the header (``seal``) in ``blob``; None when the file is cut short, emptied or any byte changed."""
    if len(blob) < _HEADER or not blob.startswith(_MAGIC):
        return None
    data = memoryview(blob)[_HEADER:]
    return data if _checksum(data) == blob[len(_MAGIC) : _HEADER] else None


def damaged(path: Path | str) -> None:
    """Note a damaged cache file (``take_damaged``) and remove it: the cache heals as it is written again."""
    _DAMAGED.append(os.fspath(path))
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def take_damaged() -> list[str]:
    """The cache files this process found damaged since the last call (the build reports them once)."""
    found = sorted(set(_DAMAGED))
    _DAMAGED.clear()
    return found


def load_pickle(path: Path, default: Any) -> Any:
    """The pickled value at ``path``, or ``default`` when it is missing, damaged or foreign.

    A damaged file (its digest does not match, or it is not a file) is
    noted and removed (``damaged``): its value is computed again, never used.
    """
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return default
    except OSError:  # a folder, or unreadable
        damaged(path)
        return default
    data = unsealed(blob)
    if data is None:
        damaged(path)
        return default
    try:
        return pickle.loads(data)
    except PICKLE_ERRORS:  # intact bytes from another version of the code
        return default


def write_cache_file(path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` one after the other to ``path`` atomically (a temporary file, then a rename), replacing whatever is in the way.

    Everything under the cache folder is the build's: a folder where a
    file belongs (or a file where a folder belongs) is removed.
    """
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        _clear_way(parent)
        parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        for chunk in chunks:
            f.write(chunk)
    try:
        os.replace(tmp, path)
    except (IsADirectoryError, NotADirectoryError, FileExistsError, PermissionError):
        if not path.is_dir():
            tmp.unlink(missing_ok=True)
            raise
        damaged(path)
        os.replace(tmp, path)


def _inside_cache(path: Path) -> bool:
    """Strictly inside a project's ``.cache/archive-build`` (whose root is ``build_lock.ensure_cache_dir``'s business)."""
    parts = path.parts
    return any(parts[i : i + 2] == (".cache", "archive-build") for i in range(len(parts) - 2))


def _clear_way(folder: Path) -> None:
    """Remove the files standing where ``folder`` and its parents within the cache should be."""
    for d in reversed((folder, *folder.parents)):
        if _inside_cache(d) and d.exists() and not d.is_dir():
            damaged(d)


def dump_pickle(path: Path, value: Any) -> None:
    """Pickle ``value`` to ``path`` atomically, after its checksum (``seal``)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_cache_file(path, seal(data), data)


class FileHasher:
    """SHA-256 of input files, recomputed only when their ``stat`` changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.memo: dict[str, tuple[int, int, int, str]] = load_pickle(path, {})
        if not isinstance(self.memo, dict):
            self.memo = {}
        self.seen: dict[str, tuple[int, int, int, str]] = {}
        self.dirty = False

    def digest(self, p: Path | str | None) -> str:
        """Hex digest of the file's bytes; "missing" when it cannot be read."""
        if p is None:
            return "none"
        key = os.fspath(p)
        seen = self.seen.get(key)
        if seen is not None:  # already looked at in this build (input_key, then the job keys)
            return seen[3]
        try:
            st = os.stat(key)
        except OSError:
            return "missing"
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file"  # never read: a fifo blocks, /dev/zero never ends (the readers report it)
        old = self.memo.get(key)
        if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns and old[2] == st.st_ino:
            self.seen[key] = old
            return old[3]
        try:
            with open(key, "rb") as f:
                d = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            return "missing"
        self.seen[key] = (st.st_size, st.st_mtime_ns, st.st_ino, d)
        self.dirty = True
        return d

    def size(self, p: str) -> int | None:
        """The file's size from the ``stat`` taken when it was hashed in this build; None if it was not."""
        seen = self.seen.get(p)
        return seen[0] if seen is not None else None

    def save(self) -> None:
        """Keep only the files seen this build (forgets deleted ones)."""
        if self.dirty or len(self.seen) != len(self.memo):
            dump_pickle(self.path, self.seen)
            self.memo = dict(self.seen)
            self.dirty = False


def stable_digest(value: Any, salt: bytes = b"") -> str:
    """SHA-256 of a value's pickle, the same bytes whatever objects happen to be shared.

    Plain ``pickle.dumps`` writes a back-reference when one object appears
    twice, so two equal articles (one fresh from a worker, one from the
    cache with ``related`` put back from its memo) pickle differently.  A
    pickler without a memo writes every value out in full: equal values, equal
    bytes.  (Articles hold no cycles, which is what the memo is otherwise for.)
    """
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: see above
    pickler.dump(value)
    return hashlib.sha256(salt + buf.getvalue()).hexdigest()


def _shard(article_key: str, shards: int = SHARDS) -> int:
    return zlib.crc32(article_key.encode()) % shards


class Shards:
    """A dict split over ``shards`` pickle files, each read on first use and rewritten when changed.

    What ``shard`` hands out belongs to the caller for this build (the build
    changes the articles it gets back): ``save`` rewrites a changed shard from
    its file plus the values ``put`` since, never from those objects.
    """

    #: At most this many shards stay loaded (None: every shard read stays), the least recently used let go
    #: first: for a process that only reads, in an order that keeps to a few shards at a time
    #: (``keep_at_most``).
    limit: int | None = None

    def __init__(self, directory: Path, shards: int) -> None:
        self.dir = directory
        self.count = shards
        self.loaded: dict[int, dict[str, Any]] = {}
        self.puts: dict[int, dict[str, Any]] = {}
        self.dirty: set[int] = set()
        self.kept: set[str] | None = None
        self._files: set[str] | None = None

    @classmethod
    def keep_at_most(cls, count: int) -> None:
        """In this process, keep at most ``count`` shards of each ``Shards`` loaded (a worker that only reads)."""
        cls.limit = count

    def has_file(self, name: str, at: str | None = None) -> bool:
        """Whether the shard file ``name`` belongs to exists (one listing of the folder per build).

        ``at``, here and in ``shard`` and ``put``: the key that places the
        name in a shard, when not the name itself.
        """
        if self._files is None:
            try:
                self._files = set(os.listdir(self.dir))
            except OSError:
                self._files = set()
        return f"{_shard(at or name, self.count):03d}.pickle" in self._files

    def shard(self, name: str, at: str | None = None) -> dict[str, Any]:
        return self.load(_shard(at or name, self.count))

    def _read(self, n: int) -> dict[str, Any]:
        data = load_pickle(self.dir / f"{n:03d}.pickle", {})
        return data if isinstance(data, dict) else {}

    def load(self, n: int) -> dict[str, Any]:
        shard = self.loaded.pop(n, None)
        if shard is None:
            shard = self._read(n)
            if self.limit is not None and len(self.loaded) >= self.limit:
                del self.loaded[next(iter(self.loaded))]
        self.loaded[n] = shard  # last: the most recently used
        return shard

    def put(self, name: str, value: Any, at: str | None = None) -> None:
        """Store ``value`` at the next ``save`` (``shard`` sees it after the save)."""
        n = _shard(at or name, self.count)
        self.puts.setdefault(n, {})[name] = value
        self.dirty.add(n)

    def retain(self, names: set[str]) -> None:
        """Forget every name not in ``names`` at the next ``save`` (reads every shard)."""
        self.kept = names
        for n in range(self.count):
            if any(k not in names for k in self.load(n)):
                self.dirty.add(n)

    def save(self) -> None:
        keep = self.kept
        for n in sorted(self.dirty):
            shard = self._read(n)
            shard.update(self.puts.get(n, {}))
            if keep is not None:
                for gone in [k for k in shard if k not in keep]:
                    del shard[gone]
            dump_pickle(self.dir / f"{n:03d}.pickle", shard)
            self.loaded.pop(n, None)  # read before the puts: read again when asked for
        self.dirty.clear()
        self.puts.clear()
        self._files = None


@dataclass
class BuildState:
    """What the last build saw and wrote."""

    input_key: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, dict[str, Entry]] = field(default_factory=dict)
    # The key (``Remembered.digest``) of the memoised value each tree was written from.
    memos: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "BuildState":
        value = load_pickle(path, None)
        return value if isinstance(value, cls) and isinstance(getattr(value, "memos", None), dict) else cls()

    def save(self, path: Path) -> None:
        dump_pickle(path, self)
