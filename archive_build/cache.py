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

import copy
import functools
import hashlib
import io
import os
import stat
import pickle
import shutil
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from .model import Article
from .output import Entry
from . import version

SHARDS = 64
# (A corrupt frame length makes pickle raise OverflowError, or MemoryError for the buffer it asks for.)
_PICKLE_ERRORS = (
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
    except _PICKLE_ERRORS:  # intact bytes from another version of the code
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

    def __init__(self, directory: Path, shards: int) -> None:
        self.dir = directory
        self.count = shards
        self.loaded: dict[int, dict[str, Any]] = {}
        self.puts: dict[int, dict[str, Any]] = {}
        self.dirty: set[int] = set()
        self.kept: set[str] | None = None
        self._files: set[str] | None = None

    def has_file(self, name: str) -> bool:
        """Whether the shard file ``name`` belongs to exists (one listing of the folder per build)."""
        if self._files is None:
            try:
                self._files = set(os.listdir(self.dir))
            except OSError:
                self._files = set()
        return f"{_shard(name, self.count):03d}.pickle" in self._files

    def shard(self, name: str) -> dict[str, Any]:
        return self.load(_shard(name, self.count))

    def _read(self, n: int) -> dict[str, Any]:
        data = load_pickle(self.dir / f"{n:03d}.pickle", {})
        return data if isinstance(data, dict) else {}

    def load(self, n: int) -> dict[str, Any]:
        if n not in self.loaded:
            self.loaded[n] = self._read(n)
        return self.loaded[n]

    def put(self, name: str, value: Any) -> None:
        """Store ``value`` at the next ``save`` (``shard`` does not see it before)."""
        n = _shard(name, self.count)
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
        self.dirty.clear()
        self.puts.clear()


# An article's fields kept apart from its card in the cache and handed out on request (``Texts``), by group:
# ``texts`` (most of an article's size) are needed only to write its own page
# and data, and by the steps that rewrite links in its body; ``index`` only when
# entity pages or related reading recompute.  Everything else the collection
# steps read is on the card.
TEXT_GROUPS: dict[str, tuple[str, ...]] = {"texts": ("body", "plain", "clean_body", "removed"), "index": ("kwic", "terms")}
_IN_GROUPS = frozenset(name for names in TEXT_GROUPS.values() for name in names)
_EMPTY = Article(id="", raw="", sha256="", format="")

Loader = Callable[[], dict[str, Any]]


def card_of(article: Article) -> Article:
    """A shallow copy of the article with the fields of ``TEXT_GROUPS`` left at their defaults: what the cache stores as the card."""
    card = copy.copy(article)
    for name in _IN_GROUPS:
        setattr(card, name, copy.copy(getattr(_EMPTY, name)))
    return card


class Texts:
    """The build's articles' groups of fields (``TEXT_GROUPS``) not loaded yet, handed out on request.

    The collection steps read every article's card; only a few of them need
    an article's texts (the ones that rewrite links in its body), and the
    pages need each article's texts once, to render it.  A step asks for
    them (``load``, ``lent``); an article whose loader is gone has its
    fields already (made in this process, or loaded before).
    """

    def __init__(self) -> None:
        self._loaders: dict[str, dict[str, Loader]] = {}

    def add(self, article_id: str, loaders: dict[str, Loader]) -> None:
        self._loaders[article_id] = dict(loaders)

    def load(self, article: Article, group: str = "texts") -> Article:
        """The article with the group's fields filled in from its loader (once: the loader is then let go)."""
        loaders = self._loaders.get(article.id)
        loader = loaders.pop(group, None) if loaders else None
        if loader is not None:
            for name, value in loader().items():
                setattr(article, name, value)
        return article

    def load_all(self, articles: Iterable[Article], group: str = "texts") -> None:
        for article in articles:
            self.load(article, group)

    @contextmanager
    def lent(self, article: Article, group: str = "texts") -> Iterator[Article]:
        """The article with the group's fields loaded within the block; afterwards, those loaded here are let go.

        For a worker that renders thousands of articles once each: holding
        every text it unpickled would add them all to the build's peak
        memory.  The loader is kept, so a later ``load`` loads them again.
        """
        loaders = self._loaders.get(article.id)
        loader = loaders.get(group) if loaders else None
        if loader is None:
            yield article
            return
        fields = loader()
        for name, value in fields.items():
            setattr(article, name, value)
        try:
            yield article
        finally:
            for name, value in fields.items():
                if getattr(article, name) is value:  # not one the block assigned
                    setattr(article, name, copy.copy(getattr(_EMPTY, name)))


class ArticleStore:
    """Processed results by raw file, each stored with the key of its inputs.

    An article is stored in parts (``TEXT_GROUPS``): its texts (about
    80% of its size) in ``texts/``, what only recomputing entity pages and
    related reading reads in ``index/``, and everything else in ``cards/``.
    A rebuild loads every card (the collection steps need them all) but only
    the texts of the pages it rewrites: at 10,000 articles that is 35 MB read
    instead of 250 MB.  ``get`` hands out a result with its article's card
    and the loaders of its groups (for ``Texts``); if a group is missing
    from the cache the article is processed again (``rebuild``).  Each group
    is stored pickled on its own (``pack_result``), so a rebuild unpickles
    only the texts it reads.
    """

    def __init__(self, directory: Path) -> None:
        self.cards = Shards(directory / "cards", SHARDS)
        self.groups = {"texts": Shards(directory / "texts", SHARDS * 4), "index": Shards(directory / "index", SHARDS)}

    def empty(self) -> bool:
        """Whether nothing is cached (a first build, or the cache was removed)."""
        return not self.cards.dir.is_dir() or not any(self.cards.dir.iterdir())

    def get(self, name: str, key: str, rebuild: Any = None) -> tuple[Any, dict[str, Loader]] | None:
        """The result stored under ``key`` and its groups' loaders, or None; also None when a shard of its groups is gone (removed as damaged)."""
        hit = self.cards.shard(name).get(name)
        if hit is None or hit[0] != key:
            return None
        result = hit[1]
        if result.article is None:
            return result, {}
        if not all(shards.has_file(name) for shards in self.groups.values()):
            return None
        # The card was unpickled for this build alone (see Shards): the build may change it as it is.
        return result, {g: functools.partial(self._group, g, name, key, rebuild) for g in self.groups}

    def _group(self, group: str, name: str, key: str, rebuild: Any) -> dict[str, Any]:
        hit = self.groups[group].shard(name).get(name)
        if hit is not None and hit[0] == key:
            try:
                return _unpickle_group(hit[1])
            except _PICKLE_ERRORS:
                pass
        if rebuild is None:
            raise KeyError(f"no cached {group} for {name}")
        fresh = rebuild().article
        return {f: getattr(fresh, f) for f in TEXT_GROUPS[group]}

    def put(self, name: str, key: str, packed: "Packed") -> None:
        """Store a result made by ``pack_result`` (at the next ``save``)."""
        for group, blob in packed.groups.items():
            self.groups[group].put(name, (key, blob))
        value = packed.value
        if value.article is not None:  # a card of its own: the build changes the one ``unpack_result`` hands it
            value = replace(value, article=copy.copy(value.article))
        self.cards.put(name, (key, value))

    def retain(self, names: set[str]) -> None:
        """Forget results for raw files that are gone (the groups: as their shards are rewritten)."""
        self.cards.retain(names)
        for shards in self.groups.values():
            shards.kept = names

    def save(self) -> None:
        """The groups first, the cards last: a card is what says an article's entry is complete."""
        for shards in self.groups.values():
            shards.save()
        self.cards.save()


class Packed(NamedTuple):
    """A result as ``ArticleStore`` keeps it: its article as a card, and each group of its other fields pickled."""

    value: Any  # the result; its ``article`` (if any) a card (``card_of``)
    groups: dict[str, bytes]


def pack_result(value: Any) -> Packed:
    """A result with an ``article`` (or None), packed where it was made: in the build's worker.

    Pickling the texts there, once, spares the build's main process
    unpickling them from the worker and pickling them again for the cache
    (a serial second at 10,000 articles); the workers that render the pages
    unpickle them, in parallel.
    """
    article = value.article
    if article is None:
        return Packed(value, {})
    groups = {
        group: pickle.dumps({f: getattr(article, f) for f in names}, protocol=pickle.HIGHEST_PROTOCOL)
        for group, names in TEXT_GROUPS.items()
    }
    return Packed(replace(value, article=card_of(article)), groups)


def unpack_result(packed: Packed) -> tuple[Any, dict[str, Loader]]:
    """The result of ``pack_result`` and its groups' loaders (for ``Texts``), each unpickling its group on first use."""
    return packed.value, {group: functools.partial(_unpickle_group, blob) for group, blob in packed.groups.items()}


def _unpickle_group(blob: bytes) -> dict[str, Any]:
    value = pickle.loads(blob)
    if not isinstance(value, dict):
        raise ValueError("not a group of fields")
    return value


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


def memo_field(cache_dir: Path, articles: list[Any], name: str, keys: list[str | None], step: Any) -> None:
    """Run ``step(articles)`` (which sets each article's field ``name``) unless its inputs are unchanged.

    ``keys`` holds, for every article, a digest of what ``step`` reads of it;
    with the code version they key the remembered values, which on a hit are
    put back without running ``step``.  Without a key for every article (one
    not made by the pipeline), it simply runs.
    """
    if any(k is None for k in keys):
        step(articles)
        return
    h = hashlib.sha256(version.code_version().encode())
    for a, k in zip(articles, keys):
        h.update(f"{a.id}\0{k}\n".encode())
    digest = h.hexdigest()
    path = cache_dir / f"{name}.pickle"
    saved = load_pickle(path, None)
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == digest and len(saved[1]) == len(articles):
        for a, value in zip(articles, saved[1]):
            setattr(a, name, value)
        return
    step(articles)
    dump_pickle(path, (digest, [getattr(a, name) for a in articles]))


@dataclass
class Remembered:
    """A memoised value under its key (``digest``): computed in this build (``fresh``), or not loaded yet.

    For a generated tree, a value not loaded yet may mean that its files are
    the ones the last build wrote: the build keeps them without loading or
    hashing their bytes only when its state says that tree was last written
    from this very digest (``BuildState.memos``) and the files are as its
    manifest recorded; otherwise it ``load``s the value.  The key alone
    cannot say so: it is saved before the tree is written, and a build
    killed in between leaves a key newer than the tree.
    It may be handed from a background process to the build (pickled,
    without ``compute``); then a value gone from the cache meanwhile is a
    ``LookupError``.
    """

    path: Path
    digest: str
    compute: Any = None
    fresh: Any = None

    def load(self) -> Any:
        if self.fresh is not None:
            return self.fresh
        hit, value = _saved(self.path, self.digest)
        if hit:
            return value
        if self.compute is None:
            raise LookupError(f"{self.path}: the remembered value is gone")
        return self.compute()

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "digest": self.digest, "compute": None, "fresh": self.fresh}


def memo_value(cache_dir: Path, name: str, parts: list[str] | None, compute: Any, *, lazy: bool = False) -> Any:
    """``compute()``, or its remembered value when the ``parts`` of its key are unchanged.

    ``parts`` is None when a key is unavailable; then it just computes.  With
    ``lazy``, the value comes as a ``Remembered``, not loaded on a hit (the
    key is kept in a file of its own, so checking it reads a few bytes).
    """
    if parts is None:
        return compute()
    h = hashlib.sha256(version.code_version().encode())
    for p in parts:
        h.update(p.encode() + b"\n")
    digest = h.hexdigest()
    path = cache_dir / f"{name}.pickle"
    key_file = cache_dir / f"{name}.key"
    if lazy:
        try:
            hit = key_file.read_text(encoding="ascii") == digest and path.is_file()
        except (OSError, UnicodeDecodeError):
            hit = False
        if hit:
            return Remembered(path, digest, compute)
    else:
        hit, value = _saved(path, digest)
        if hit:
            return value
    value = compute()
    dump_pickle(path, (digest, value))
    if lazy:
        write_cache_file(key_file, digest.encode("ascii"))
        return Remembered(path, digest, compute, fresh=value)
    return value


def _saved(path: Path, digest: str) -> tuple[bool, Any]:
    """(True, value) when ``path`` holds a value saved under ``digest``."""
    saved = load_pickle(path, None)
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == digest:
        return True, saved[1]
    return False, None
