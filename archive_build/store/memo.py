"""Values remembered between builds under a key of their inputs and the code's version."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive_build import version
from archive_build.store.cache import dump_pickle, load_pickle, write_cache_file


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
