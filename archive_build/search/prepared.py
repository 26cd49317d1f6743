"""A Pagefind run's index for one language as the combine joins it: pages by address, fields by name.

Pagefind numbers a run's pages in an order of its own (neither by address
nor by file name) and its meta fields as it meets them.  Each run is
renumbered once, when it is first combined, and kept beside the run: pages
in the order of their addresses, meta fields in the order of their names.
What Pagefind records for a page does not depend on the other pages of its
run, so the same pages give the same prepared part whichever runs indexed
them.  That is what lets a part with a few changed pages be ``derive``d
from its last run and a Pagefind run over just those pages, byte for byte
what a run over the whole part would give, in a fraction of the time.

A page list is kept as a ``Segment``: its first page's number and the CBOR
of the rest of that page, then the other pages' CBOR as Pagefind writes
them (page numbers as deltas), so that the combine, which only rebases the
first page number, joins bytes instead of encoding every page again.
"""
from __future__ import annotations

import heapq
import itertools
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from archive_build.search import pagefind_files as pf
from archive_build.search.pagefind_files import FormatError

#: The first record of a prepared file: the layout it is in (another one is prepared again).
LAYOUT = ("archive-build prepared part", 3)
#: Words per pickled block: a block is what the combine holds of a part at a time.
_BLOCK = 2_000

#: One page of a word's page list: its number, its word positions, its meta field positions.
Entry = tuple[int, Any, Any]
#: A page list ready to join: its first page's number and the CBOR of the rest of that page, the
#: other pages as CBOR, how many they are, the sum of their page number deltas, and their size as
#: Pagefind counts it when it cuts chunks.
Segment = tuple[int, bytes, bytes, int, int, int]
#: A word as prepared: the word, its pages, and its variants' (accented forms') pages.
Word = tuple[str, Segment | None, tuple[tuple[str, Segment], ...]]


@dataclass
class Header:
    """A prepared part's page list, meta fields and facets (page numbers are positions in ``pages``)."""

    version: str
    fields: list[str]
    pages: list[tuple[str, str, int]]  # (address, fragment, word count), by address
    filters: dict[str, dict[str, list[int]]]  # facet -> value -> page numbers, ascending


def path(run: Path, language: str, numbering: Sequence[int] | None = None) -> Path:
    """Where ``run``'s prepared words for ``language`` are kept; ``numbering``: with its fields numbered so in the whole."""
    if numbering is None or list(numbering) == list(range(len(numbering))):
        return run / f".prepared-{language}.pickle"
    return run / f".prepared-{language}-{'-'.join(map(str, numbering))}.pickle"


def header(run: Path, language: str) -> Header | None:
    """The header of ``run``'s prepared ``language``, or None when it is not prepared in today's layout."""
    try:
        with open(path(run, language), "rb") as f:
            if pickle.load(f) != LAYOUT:
                return None
            head = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, IndexError):
        return None
    return head if isinstance(head, Header) else None


def words(prepared: Path) -> Iterator[Word]:
    """The words of a prepared file in order, one block in memory at a time."""
    with open(prepared, "rb") as f:
        pickle.load(f)  # the layout
        pickle.load(f)  # the header
        while True:
            try:
                block = pickle.load(f)
            except EOFError:
                return
            yield from block


def is_ready(prepared: Path) -> bool:
    try:
        with open(prepared, "rb") as f:
            return pickle.load(f) == LAYOUT
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, IndexError):
        return False


def write(target: Path, head: Header, stream: Iterable[Word]) -> None:
    """``head`` and the words of ``stream`` (in order) into ``target``, which appears once complete."""
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(LAYOUT, f)
        pickle.dump(head, f, protocol=pickle.HIGHEST_PROTOCOL)
        it = iter(stream)
        while block := list(itertools.islice(it, _BLOCK)):
            pickle.dump(block, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, target)


# -- page lists ---------------------------------------------------------


def encode(entries: Sequence[Entry]) -> Segment | None:
    """A page list (ascending page numbers) as a Segment; None for no pages."""
    if not entries:
        return None
    first = entries[0]
    rest = [[b[0] - a[0], b[1], b[2]] for a, b in itertools.pairwise(entries)]
    size = sum(len(locs) + len(meta_locs) for _n, locs, meta_locs in entries) + len(entries)
    first_rest = cbor2.dumps([first[1], first[2]])[1:]  # without its head: a 2-item array's is one byte
    encoded = cbor2.dumps(rest)[len(pf.array_head(len(rest))):]
    return first[0], first_rest, encoded, len(rest), entries[-1][0] - first[0], size


def decode(segment: Segment | None) -> list[Entry]:
    """The pages of a Segment, with absolute page numbers."""
    if segment is None:
        return []
    first, first_rest, encoded, count, _sum, _size = segment
    locs, meta_locs = cbor2.loads(b"\x82" + first_rest)
    out: list[Entry] = [(first, locs, meta_locs)]
    number = first
    for delta, locs, meta_locs in cbor2.loads(pf.array_head(count) + encoded):
        number += delta
        out.append((number, locs, meta_locs))
    return out


def _renumbered(entries: Iterable[Entry], pages: Sequence[int | None], fields: Sequence[int] | None) -> list[Entry]:
    """``entries`` with page ``n`` as ``pages[n]`` (None: left out) and meta field ``i`` as ``fields[i]``, by page number."""
    out = []
    for number, locs, meta_locs in entries:
        new = pages[number]
        if new is None:
            continue
        if fields is not None and any(v < 0 for v in meta_locs):
            meta_locs = [-(fields[-v - 1] + 1) if v < 0 else v for v in meta_locs]
        out.append((new, locs, meta_locs))
    out.sort(key=_first)
    return out


def _first(entry: Entry) -> int:
    return entry[0]


def renumber_fields(segment: Segment | None, fields: Sequence[int]) -> Segment | None:
    """A Segment with meta field ``i`` as ``fields[i]`` (the same pages)."""
    if segment is None:
        return None
    entries = decode(segment)
    return encode(_renumbered(entries, range(entries[-1][0] + 1), fields))


def numbered(prepared: Path, head: Header, fields: Sequence[int], target: Path) -> None:
    """The prepared words of ``prepared`` with meta field ``i`` as ``fields[i]``, into ``target``."""
    write(target, head, (
        (word, renumber_fields(pages, fields), tuple((form, renumber_fields(seg, fields)) for form, seg in variants))
        for word, pages, variants in words(prepared)
    ))


# -- from a Pagefind run ------------------------------------------------


def prepare(run: Path, language: str, meta_hash: str) -> None:
    """Renumber the Pagefind run ``run``'s ``language`` index by page address and field name, into ``path(run, language)``.

    A FormatError names a file written by a Pagefind whose layout this code does not know.
    """
    meta_file = pf.meta_path(run, meta_hash)
    meta = pf.read(meta_file)
    if not isinstance(meta, list) or len(meta) != 6 or not str(meta[pf.VERSION]).startswith(pf.LAYOUT_VERSION):
        raise FormatError(f"{meta_file}: not the page list of Pagefind {pf.LAYOUT_VERSION}x")
    if meta[pf.SORTS]:
        raise FormatError(f"{run}: sort orders (data-pagefind-sort) cannot be combined")
    listed = meta[pf.PAGES]
    urls = [pf.fragment_url(run / "fragment" / f"{name}.pf_fragment") for name, _count in listed]
    order = sorted(range(len(listed)), key=urls.__getitem__)
    rank: list[int | None] = [0] * len(listed)
    for new, old in enumerate(order):
        rank[old] = new
    names = [str(name) for name in meta[pf.META_FIELDS]]
    fields = sorted(names)
    field_rank = [fields.index(name) for name in names]
    filters: dict[str, dict[str, list[int]]] = {}
    for _facet, name in meta[pf.FILTERS]:
        facet, values = pf.read(run / "filter" / f"{name}.pf_filter")
        into = filters.setdefault(str(facet), {})
        for value, numbers in values:
            into.setdefault(str(value), []).extend(rank[n] for n in numbers)  # type: ignore[misc]
    for values in filters.values():
        for numbers in values.values():
            numbers.sort()
    head = Header(str(meta[pf.VERSION]), fields, [(urls[i], str(listed[i][0]), int(listed[i][1])) for i in order], filters)

    same_fields = field_rank == list(range(len(field_rank)))

    def entries(listed_pages: list[list[Any]]) -> list[Entry]:
        out: list[Entry] = []
        number = 0
        for delta, locs, meta_locs in listed_pages:
            number += delta
            out.append((rank[number], locs, meta_locs))  # type: ignore[arg-type]
        out.sort(key=_first)
        return out if same_fields else _renumbered(out, range(len(rank)), field_rank)

    def stream() -> Iterator[Word]:
        for _from, _to, chunk in meta[pf.CHUNKS]:
            for entry in pf.read(run / "index" / f"{chunk}.pf_index")[0]:
                variants = entry[2] if len(entry) > 2 else ()
                yield (
                    str(entry[0]),
                    encode(entries(entry[1])),
                    tuple((str(form), seg) for form, listed_pages in variants if (seg := encode(entries(listed_pages))) is not None),
                )

    write(path(run, language), head, stream())


# -- a part from its last run and a run over its changed pages -----------


def derive(base: Path, delta: Path | None, drop: set[str], language: str, out: Path) -> bool:
    """``language``'s prepared part of ``base``'s pages but the addresses in ``drop`` and those of ``delta``, plus ``delta``'s, into ``out``.

    Both runs must be prepared for ``language`` (either may lack it:
    ``header`` None).  The part is what preparing one Pagefind run over
    the same pages gives, or False when that cannot be told: a run lists
    every meta field its pages declare, empty ones too, and when pages
    left ``base``, a field of ``base`` no kept page has words in may or
    may not be declared by one of them.
    """
    heads = [(run, h) for run in (base, delta) if run is not None and (h := header(run, language)) is not None]
    replaced = set(drop)
    left = False  # whether pages of ``base`` were left out
    used: set[int] = set()  # the fields the kept pages have words in
    for run, head in heads:
        if run == delta:
            replaced.update(url for url, _fragment, _count in head.pages)
    kept: list[tuple[str, int, int]] = []  # (address, run, page number there)
    for i, (run, head) in enumerate(heads):
        for n, (url, _fragment, _count) in enumerate(head.pages):
            if run == delta or url not in replaced:
                kept.append((url, i, n))
            else:
                left = True
    kept.sort()
    maps: list[list[int | None]] = [[None] * len(head.pages) for _run, head in heads]
    pages = []
    for new, (url, i, n) in enumerate(kept):
        maps[i][n] = new
        _url, fragment, count = heads[i][1].pages[n]
        pages.append((url, fragment, count))
    fields = sorted({name for _run, head in heads for name in head.fields})
    field_maps = [[fields.index(name) for name in head.fields] for _run, head in heads]
    filters: dict[str, dict[str, list[int]]] = {}
    for (_run, head), pages_map in zip(heads, maps):
        for facet, values in head.filters.items():
            into = filters.setdefault(facet, {})
            for value, numbers in values.items():
                into.setdefault(value, []).extend(new for n in numbers if (new := pages_map[n]) is not None)
    for values in filters.values():
        for value in [v for v, numbers in values.items() if not numbers]:
            del values[value]
        for numbers in values.values():
            numbers.sort()
    for facet in [f for f, values in filters.items() if not values]:
        del filters[facet]
    version = heads[-1][1].version if heads else ""
    head = Header(version, fields, pages, filters)

    def stream() -> Iterator[Word]:
        tagged = [_tagged(path(run, language), i) for i, (run, _h) in enumerate(heads)]
        for word, group in itertools.groupby(heapq.merge(*tagged, key=_first_two), key=_first):
            entries: list[Entry] = []
            forms: dict[str, list[Entry]] = {}
            for _word, i, segment, variants in group:
                entries += _renumbered(decode(segment), maps[i], field_maps[i])
                for form, variant in variants:
                    forms.setdefault(form, []).extend(_renumbered(decode(variant), maps[i], field_maps[i]))
            entries.sort(key=_first)
            for entry in itertools.chain(entries, *forms.values()):
                used.update(-v - 1 for v in entry[2] if v < 0)
            variants_out = []
            for form in sorted(forms):
                forms[form].sort(key=_first)
                if (seg := encode(forms[form])) is not None:
                    variants_out.append((form, seg))
            if entries or variants_out:
                yield word, encode(entries), tuple(variants_out)

    write(path(out, language), head, stream())
    declared = {fields[i] for i in used} | {name for run, h in heads if run == delta or not left for name in h.fields}
    return declared == set(fields)


def _tagged(prepared: Path, i: int) -> Iterator[tuple[str, int, Segment | None, tuple[tuple[str, Segment], ...]]]:
    for word, pages, variants in words(prepared):
        yield word, i, pages, variants


def _first_two(item: tuple[Any, ...]) -> tuple[Any, Any]:
    return item[0], item[1]
