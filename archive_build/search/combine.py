"""Pagefind bundles of disjoint sets of pages combined into the one bundle a single run would give.

Pagefind's indexer holds a whole index in memory (about 0.5 MB a page),
so a large site is indexed in parts (``search/parts.py``); the reader
still gets one index, which costs a first query one page list and one
word chunk per word.  Combining needs little memory: each part's words
are already sorted, so the parts' chunks are read one at a time, merged
word by word, and cut into new chunks as Pagefind cuts them.  Only the
page list (an address and two numbers per page) and the facets are held
whole.

The result does not depend on how the pages were split: pages are
numbered in the order of their addresses, every list is sorted and every
file is named by a hash of its bytes, so one part or twenty give the
same bytes.
"""
from __future__ import annotations

import heapq
import itertools
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from archive_build.search import pagefind_files as pf
from archive_build.search.pagefind_files import FormatError

#: Pagefind's word chunk size: the positions (and one per page) a chunk holds before it is cut.
CHUNK_SIZE = 20_000
#: The files of a bundle that hold its index; the rest is the runtime, taken from the first part.
INDEX_FILES = ("index", "fragment", "filter", pf.ENTRY)


@dataclass
class _Part:
    """One part's index for one language, with its page numbers and meta fields renumbered for the whole."""

    bundle: Path
    meta: list[Any]
    pages: list[int] = field(default_factory=list)  # local page number -> global
    fields: list[int] = field(default_factory=list)  # local meta field -> global

    def words(self, i: int) -> Iterator[tuple[str, int, list[Any]]]:
        """The part's words in order as ``(word, i, entry)``, one chunk in memory at a time."""
        for _from, _to, chunk in self.meta[pf.CHUNKS]:
            for entry in pf.read(self.bundle / "index" / f"{chunk}.pf_index")[0]:
                yield entry[0], i, entry


def combine(parts: Sequence[Path], out: Path) -> None:
    """Write into ``out`` (emptied) the bundle of all the pages of the Pagefind bundles ``parts``.

    A FormatError names a part written by a Pagefind this code does not
    know, or with pages in two parts.
    """
    if not parts:
        raise ValueError("no parts to combine")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for path in parts[0].iterdir():
        if path.name not in INDEX_FILES and path.suffix != ".pf_meta":
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, out / path.name)
    for folder in ("index", "fragment", "filter"):
        (out / folder).mkdir()
    entries = [pf.load_entry(p) for p in parts]
    versions = {e.get("version") for e in entries}
    if len(versions) != 1:
        raise FormatError(f"parts written by different Pagefind versions: {sorted(map(str, versions))}")
    languages: dict[str, Any] = {}
    for language in sorted({lang for e in entries for lang in e["languages"]}):
        found = [(p, e["languages"][language]) for p, e in zip(parts, entries) if language in e["languages"]]
        meta_hash, page_count = _combine_language(language, [(p, info["hash"]) for p, info in found], out)
        languages[language] = {"hash": meta_hash, "wasm": found[0][1].get("wasm", language), "page_count": page_count}
    entry = {**entries[0], "languages": languages}
    (out / pf.ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _combine_language(language: str, found: list[tuple[Path, str]], out: Path) -> tuple[str, int]:
    """The page list, fragments, words and facets of one language; returns the page list's name and page count."""
    parts = []
    for bundle, meta_hash in found:
        meta = pf.read(pf.meta_path(bundle, meta_hash))
        if not isinstance(meta, list) or len(meta) != 6 or not str(meta[pf.VERSION]).startswith(pf.LAYOUT_VERSION):
            raise FormatError(f"{pf.meta_path(bundle, meta_hash)}: not the page list of Pagefind {pf.LAYOUT_VERSION}x")
        if meta[pf.SORTS]:
            raise FormatError(f"{bundle}: sort orders (data-pagefind-sort) cannot be combined")
        parts.append(_Part(bundle, meta))
    version = parts[0].meta[pf.VERSION]
    fields = sorted({name for part in parts for name in part.meta[pf.META_FIELDS]})
    for part in parts:
        part.fields = [fields.index(name) for name in part.meta[pf.META_FIELDS]]
    pages = _number_pages(parts, language, out)
    chunks = _write_words(parts, language, out)
    filters = _write_filters(parts, language, out)
    meta = [version, pages, chunks, filters, [], fields]
    data = pf.pack(meta)
    meta_hash, _ = pf.Names(language, 10).name(data)
    pf.meta_path(out, meta_hash).write_bytes(data)
    return meta_hash, len(pages)


def _number_pages(parts: list[_Part], language: str, out: Path) -> list[list[Any]]:
    """Number every page in the order of its address, and put its fragment in ``out``; returns the page list."""
    listed = []
    for i, part in enumerate(parts):
        for local, (fragment, word_count) in enumerate(part.meta[pf.PAGES]):
            path = part.bundle / "fragment" / f"{fragment}.pf_fragment"
            url = pf.read_fragment(path).get("url", "")
            listed.append((str(url), i, local, path, word_count))
        part.pages = [0] * len(part.meta[pf.PAGES])
    listed.sort(key=lambda page: page[0])
    names = pf.Names(language, 7)
    pages = []
    for number, (url, i, local, path, word_count) in enumerate(listed):
        if number and listed[number - 1][0] == url:
            raise FormatError(f"{url}: indexed in two parts ({parts[listed[number - 1][1]].bundle.name}, {parts[i].bundle.name})")
        parts[i].pages[local] = number
        data = path.read_bytes()
        name, new = names.name(data)
        if new:
            _link(path, out / "fragment" / f"{name}.pf_fragment")
        pages.append([name, word_count])
    return pages


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _renumbered(pages: list[Any], part: _Part) -> Iterator[list[Any]]:
    """A word's (or variant's) pages in ``part``, with global page numbers and meta fields (absolute, not deltas)."""
    number = 0
    for delta, locs, meta_locs in pages:
        number += delta
        fields = [-(part.fields[-v - 1] + 1) if v < 0 else v for v in meta_locs] if meta_locs else meta_locs
        yield [part.pages[number], locs, fields]


def _delta(pages: list[list[Any]]) -> list[list[Any]]:
    """Pages sorted by number, numbered as deltas along the list, as Pagefind stores them."""
    pages.sort(key=lambda p: p[0])
    last = 0
    for page in pages:
        page[0], last = page[0] - last, page[0]
    return pages


def _merged_words(parts: list[_Part]) -> Iterator[list[Any]]:
    """Every word of every part in order, each once, with the pages of all parts."""
    streams = [part.words(i) for i, part in enumerate(parts)]
    for word, group in itertools.groupby(heapq.merge(*streams, key=lambda t: t[0]), key=lambda t: t[0]):
        pages: list[list[Any]] = []
        variants: dict[str, list[list[Any]]] = {}
        for _word, i, entry in group:
            pages.extend(_renumbered(entry[1], parts[i]))
            for form, variant_pages in entry[2] if len(entry) > 2 else ():
                variants.setdefault(form, []).extend(_renumbered(variant_pages, parts[i]))
        yield [word, _delta(pages), [[form, _delta(variants[form])] for form in sorted(variants)]]


def _write_words(parts: list[_Part], language: str, out: Path) -> list[list[str]]:
    """The merged words in chunks cut as Pagefind cuts them; returns the chunks' ``[from, to, name]``."""
    names = pf.Names(language, 7)
    chunks: list[list[str]] = []
    chunk: list[list[Any]] = []
    size = 0

    def flush() -> None:
        data = pf.pack([chunk])
        name, new = names.name(data)
        if new:
            (out / "index" / f"{name}.pf_index").write_bytes(data)
        chunks.append([chunk[0][0], chunk[-1][0], name])

    for word in _merged_words(parts):
        chunk.append(word)
        size += sum(len(p[1]) + len(p[2]) + 1 for p in word[1])
        if size >= CHUNK_SIZE:
            flush()
            chunk, size = [], 0
    if chunk:
        flush()
    for before, after in itertools.pairwise(chunks):
        to, after[0] = _prefixes(before[1], after[0])
        if to >= before[0]:
            before[1] = to
    return chunks


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest prefixes that tell the last word of a chunk from the first of the next, as Pagefind cuts them."""
    common = len(os.path.commonprefix([a, b]))
    return a[: common + 1], b[: common + 1]


def _write_filters(parts: list[_Part], language: str, out: Path) -> list[list[str]]:
    """Every facet with the pages of all parts, values sorted; returns the page list's ``[facet, name]`` pairs."""
    facets: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for facet, name in part.meta[pf.FILTERS]:
            read_facet, values = pf.read(part.bundle / "filter" / f"{name}.pf_filter")
            into = facets.setdefault(str(read_facet), {})
            for value, pages in values:
                into.setdefault(str(value), []).extend(part.pages[p] for p in pages)
    names = pf.Names(language, 7)
    listed = []
    for facet in sorted(facets):
        data = pf.pack([facet, [[value, sorted(pages)] for value, pages in sorted(facets[facet].items())]])
        name, new = names.name(data)
        if new:
            (out / "filter" / f"{name}.pf_filter").write_bytes(data)
        listed.append([facet, name])
    return listed
