"""Pagefind bundles of disjoint sets of pages combined into one bundle, as one run over them all would write it.

Pagefind's indexer holds a whole index in memory (about 0.5 MB a page),
so a large site is indexed in parts (``search/parts.py``); the reader
still gets one index, which costs a first query one page list and one
word chunk per word.  Combining needs little memory: each part's words
are already sorted, so the parts' chunks are read one at a time, merged
word by word, and cut into new chunks as Pagefind cuts them.  Only the
page list (a name and a count per page) and the facets are held whole.

The pages are numbered part after part, each part's by address
(``search/prepared.py`` renumbers a run once and keeps it beside the run),
so a word's page list from a part is taken over as prepared but for its
first page number (page numbers are deltas along the list): a combine
re-encodes a page or two per word and part, not every page that has the
word, and joining is mostly joining bytes.  The same parts give the same
bytes: lists are in one order and files named by their bytes.

Compressing the word chunks is then most of the work, and most chunks come
out as they did last time (one changed article touches a few dozen of 750
at 10,000 articles).  With a ``chunks`` folder, each compressed chunk is
kept there under the hash of its uncompressed bytes, and a chunk already
there is linked, not compressed again; chunks no longer used are removed.
"""
from __future__ import annotations

import collections
import concurrent.futures
import gc
import hashlib
import heapq
import itertools
import json
import multiprocessing
import operator
import os
import shutil
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2

from archive_build.output import link_or_copy
from archive_build.search import pagefind_files as pf
from archive_build.search import prepared
from archive_build.search.pagefind_files import FormatError

#: Pagefind's word chunk size: the positions (and one per page) a chunk holds before it is cut.
CHUNK_SIZE = 20_000
#: Compressed word chunks waiting to be written, at most.
_IN_FLIGHT = 32


@dataclass
class _Part:
    """One part's index for one language: its prepared header, where its pages start in the whole, its fields' new numbers."""

    bundle: Path
    language: str
    head: prepared.Header
    offset: int = 0
    fields: list[int] = field(default_factory=list)  # local meta field -> global

    def words(self, i: int) -> Iterator[tuple[str, int, tuple[prepared.Segment | None, tuple[tuple[str, prepared.Segment], ...]]]]:
        """The part's words in order as ``(word, i, (pages, variants))``, one block in memory at a time."""
        for word, pages, variants in prepared.words(self.prepared()):
            yield word, i, (pages, variants)

    def prepared(self) -> Path:
        """Where the part's words are kept ready to join, for its meta fields' numbering in the whole."""
        return prepared.path(self.bundle, self.language, self.fields)


def combine(parts: Sequence[Path], out: Path, chunks: Path | None = None) -> None:
    """Write into ``out`` (emptied) the bundle of all the pages of the Pagefind bundles ``parts``, in that order.

    ``chunks``: where compressed word chunks are kept from one combine to the next.

    A FormatError names a part written by a Pagefind whose layout this code does not know.
    """
    if not parts:
        raise ValueError("no parts to combine")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for path in parts[0].iterdir():
        if pf.is_runtime(path.name):
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, out / path.name)
    for folder in pf.INDEX_FOLDERS:
        (out / folder).mkdir()
    entries = [pf.load_entry(p) for p in parts]
    versions = {e.get("version") for e in entries}
    if len(versions) != 1:
        raise FormatError(f"parts written by different Pagefind versions: {sorted(map(str, versions))}")
    languages: dict[str, Any] = {}
    kept = _KeptChunks(chunks)
    # Millions of small lists pass through, none in a cycle: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for language in sorted({lang for e in entries for lang in e["languages"]}):
            found = [(p, e["languages"][language]) for p, e in zip(parts, entries) if language in e["languages"]]
            meta_hash, page_count = _combine_language(language, [(p, info["hash"]) for p, info in found], out, kept)
            languages[language] = {"hash": meta_hash, "wasm": found[0][1].get("wasm", language), "page_count": page_count}
    finally:
        if collecting:
            gc.enable()
    kept.forget_unused()
    entry = {**entries[0], "languages": languages}
    (out / pf.ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _combine_language(language: str, found: list[tuple[Path, str]], out: Path, kept: _KeptChunks) -> tuple[str, int]:
    """The page list, fragments, words and facets of one language; returns the page list's name and page count."""
    heads = [prepared.header(bundle, language) for bundle, _meta_hash in found]
    prepare_all([(bundle, language, meta_hash) for (bundle, meta_hash), head in zip(found, heads) if head is None])
    parts = []
    offset = 0
    for (bundle, _meta_hash), head in zip(found, heads):
        head = head or prepared.header(bundle, language)
        if head is None:
            raise FormatError(f"{bundle}: its words for {language} could not be prepared")
        parts.append(_Part(bundle, language, head, offset))
        offset += len(head.pages)
    fields = sorted({name for part in parts for name in part.head.fields})
    for part in parts:
        part.fields = [fields.index(name) for name in part.head.fields]
    _in_parallel(_number, [part for part in parts if not prepared.is_ready(part.prepared())])
    pages = _link_fragments(parts, language, out)
    chunks = _write_words(parts, language, out, kept)
    filters = _write_filters(parts, language, out)
    data = pf.pack([parts[0].head.version, pages, chunks, filters, [], fields])
    meta_hash, _ = pf.Names(language, 10).name(data)
    pf.meta_path(out, meta_hash).write_bytes(data)
    return meta_hash, len(pages)


def prepare_all(runs: list[tuple[Path, str, str]]) -> None:
    """Prepare each ``(run, language, meta hash)`` (``prepared.prepare``), on every core: a cold build prepares them all."""
    _in_parallel(_prepare, runs)


def _prepare(job: tuple[Path, str, str]) -> None:
    run, language, meta_hash = job
    for old in run.glob(".combine-*"):  # an older layout's
        old.unlink(missing_ok=True)
    prepared.prepare(run, language, meta_hash)


def _number(part: _Part) -> None:
    prepared.numbered(prepared.path(part.bundle, part.language), part.head, part.fields, part.prepared())


def _in_parallel(fn: Any, jobs: Sequence[Any]) -> None:
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        for job in jobs:
            fn(job)
        return
    # Spawned, not forked: this may run inside ``mkdocs serve``, whose threads a fork would copy mid-lock.
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for done in pool.map(fn, jobs):
            del done


def _link_fragments(parts: list[_Part], language: str, out: Path) -> list[list[Any]]:
    """Every part's fragments in ``out`` under Pagefind's names (longer where two parts' names collide); the page list."""
    taken: dict[str, Path] = {}
    names = pf.Names(language, 7)
    pages = []
    for part in parts:
        for _url, name, word_count in part.head.pages:
            path = part.bundle / "fragment" / f"{name}.pf_fragment"
            if name in taken and taken[name].read_bytes() != path.read_bytes():
                name = names.name(path.read_bytes())[0] + "x"  # cannot be a name Pagefind gives (hex digits)
            if name not in taken:
                taken[name] = path
                link_or_copy(path, out / "fragment" / f"{name}.pf_fragment")
            pages.append([name, word_count])
    return pages


#: The CBOR of the unsigned integers below ``_SMALL``: a page delta is one of them nearly always.
_SMALL = 1 << 16
_SMALL_UINTS = tuple(cbor2.dumps(n) for n in range(_SMALL))


class _PageList:
    """One word's (or variant's) pages across the parts, as CBOR: each part's list as written, its first page rebased."""

    __slots__ = ("encoded", "count", "last", "size")

    def __init__(self) -> None:
        self.encoded: list[bytes] = []
        self.count = 0
        self.last = 0
        self.size = 0

    def add(self, segment: prepared.Segment, part: _Part) -> None:
        first, first_rest, rest, rest_count, rest_sum, size = segment
        start = part.offset + first
        delta = start - self.last
        self.encoded += (b"\x83", _SMALL_UINTS[delta] if delta < _SMALL else cbor2.dumps(delta), first_rest, rest)
        self.count += 1 + rest_count
        self.last = start + rest_sum
        self.size += size

    def cbor(self) -> bytes:
        return pf.array_head(self.count) + b"".join(self.encoded)


def _merged_words(parts: list[_Part]) -> Iterator[tuple[str, bytes, int]]:
    """Every word of every part in order, each once, with the pages of all parts: ``(word, CBOR, size)``."""
    streams = [part.words(i) for i, part in enumerate(parts)]
    # ``(word, i)`` is unique along the merge: the tuples are ordered without looking at their pages.
    for word, group in itertools.groupby(heapq.merge(*streams), key=operator.itemgetter(0)):
        pages = _PageList()
        variants: dict[str, _PageList] = {}
        for _word, i, (segment, part_variants) in group:
            if segment is not None:
                pages.add(segment, parts[i])
            for form, variant in part_variants:
                variants.setdefault(form, _PageList()).add(variant, parts[i])
        encoded = [b"\x83", pf.text(word), pages.cbor(), pf.array_head(len(variants))]
        for form in sorted(variants):
            encoded += [b"\x82", pf.text(form), variants[form].cbor()]
        yield word, b"".join(encoded), pages.size


def _write_words(parts: list[_Part], language: str, out: Path, kept: _KeptChunks) -> list[list[str]]:
    """The merged words in chunks cut as Pagefind cuts them; returns the chunks' ``[from, to, name]``.

    Compressing the chunks is most of the work left once the words are
    merged (a chunk kept from the last combine is not compressed again);
    zlib lets go of the interpreter lock, so threads compress while the
    merge goes on (at most ``_IN_FLIGHT`` chunks held at once).
    """
    names = pf.Names(language, 7)
    chunks: list[list[str]] = []
    pending: collections.deque[tuple[list[str], str, concurrent.futures.Future[bytes]]] = collections.deque()

    def write(bounds: list[str], key: str, data: bytes) -> None:
        name, new = names.name(data)
        if new:
            kept.put(key, data, out / "index" / f"{name}.pf_index")
        chunks.append([*bounds, name])

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        def flush(chunk: list[tuple[str, bytes]]) -> None:
            raw = b"\x81" + pf.array_head(len(chunk)) + b"".join(encoded for _, encoded in chunk)
            key = kept.key(raw)
            data = kept.get(key)
            if data is None:
                future = pool.submit(pf.pack_cbor, raw)
            else:
                future = concurrent.futures.Future()
                future.set_result(data)
            pending.append(([chunk[0][0], chunk[-1][0]], key, future))
            while len(pending) > _IN_FLIGHT:
                bounds, key, future = pending.popleft()
                write(bounds, key, future.result())

        chunk: list[tuple[str, bytes]] = []
        size = 0
        for word, encoded, word_size in _merged_words(parts):
            chunk.append((word, encoded))
            size += word_size
            if size >= CHUNK_SIZE:
                flush(chunk)
                chunk, size = [], 0
        if chunk:
            flush(chunk)
        while pending:
            bounds, key, future = pending.popleft()
            write(bounds, key, future.result())
    for before, after in itertools.pairwise(chunks):
        to, after[0] = _prefixes(before[1], after[0])
        if to >= before[0]:
            before[1] = to
    return chunks


class _KeptChunks:
    """Compressed word chunks by the hash of their uncompressed bytes (and zlib's version), in a folder or nowhere."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.known = {p.name for p in folder.iterdir()} if folder is not None and folder.is_dir() else set()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(raw: bytes) -> str:
        return hashlib.sha256(zlib.ZLIB_RUNTIME_VERSION.encode() + b"\0" + raw).hexdigest()[:32]

    def get(self, key: str) -> bytes | None:
        if self.folder is None or key not in self.known:
            return None
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            self.known.discard(key)
            return None

    def put(self, key: str, data: bytes, target: Path) -> None:
        """``data`` (the chunk of ``key``) at ``target``, kept for the next combine."""
        if self.folder is None:
            target.write_bytes(data)
            return
        self.used.add(key)
        kept = self.folder / key
        if key not in self.known:
            tmp = kept.with_name(f".{key}.tmp-{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, kept)
            self.known.add(key)
        link_or_copy(kept, target)

    def forget_unused(self) -> None:
        if self.folder is None:
            return
        for key in self.known - self.used:
            (self.folder / key).unlink(missing_ok=True)


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest prefixes that tell the last word of a chunk from the first of the next, as Pagefind cuts them."""
    common = len(os.path.commonprefix([a, b]))
    return a[: common + 1], b[: common + 1]


def _write_filters(parts: list[_Part], language: str, out: Path) -> list[list[str]]:
    """Every facet with the pages of all parts, values sorted; returns the page list's ``[facet, name]`` pairs."""
    facets: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for facet, values in part.head.filters.items():
            into = facets.setdefault(facet, {})
            for value, pages in values.items():
                into.setdefault(value, []).extend(part.offset + p for p in pages)
    names = pf.Names(language, 7)
    listed = []
    for facet in sorted(facets):
        data = pf.pack([facet, [[value, pages] for value, pages in sorted(facets[facet].items())]])
        name, new = names.name(data)
        if new:
            (out / "filter" / f"{name}.pf_filter").write_bytes(data)
        listed.append([facet, name])
    return listed
