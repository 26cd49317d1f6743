"""The search index in parts: bounded Pagefind runs, cached by their pages, combined into one bundle.

The combined bundle must say what one Pagefind run over all the pages
would say (every word's pages and positions, every facet's values, the meta
fields), give the same bytes for the same runs, and a part whose pages did
not change is not indexed again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_build.search import combine as combine_module
from archive_build.search import pagefind_files as pf
from archive_build.search import parts
from archive_build.search.combine import combine
from archive_build.search.pagefind_files import FormatError
from testkit.parted_site import build_parted_site

_WORDS = "archive river letter harbour census ledger quarry mill strike union école café naïve".split()


def _page(i: int) -> str:
    words = " ".join(_WORDS[(i * k) % len(_WORDS)] for k in range(1, 40))
    alias = f'<span data-pagefind-meta="aliases">alias{i}</span>' if i % 3 == 0 else ""
    extra = f'<span data-pagefind-meta="x{i % 8 // 4}">extra{i}</span>' if i % 4 == 0 else ""
    return (
        f'<html lang="en"><body><main data-pagefind-body><h1 data-pagefind-meta="title">Page {i} {_WORDS[i % len(_WORDS)]}</h1>'
        f"{alias}{extra}<p>{words} word{i}</p>"
        f'<span data-pagefind-filter="kind">K{i % 3}</span><span data-pagefind-filter="year">{2000 + i % 4}</span></main></body></html>'
    )


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve pages with words, diacritics, meta fields some pages lack, and two facets."""
    site = tmp_path_factory.mktemp("pages") / "site"
    for i in range(12):
        (site / f"p{i:02}").mkdir(parents=True)
        (site / f"p{i:02}" / "index.html").write_text(_page(i), "utf-8")
    return site


def _runs(site: Path, groups: list[list[str]], where: Path) -> list[Path]:
    runs = []
    for k, group in enumerate(groups):
        scratch, out = where / f"scratch-{k}", where / f"run-{k}"
        parts.link_pages(site, group, scratch)
        parts.run_pagefind(scratch, out)
        runs.append(out)
    return runs


def _digests(bundle: Path) -> dict[str, str]:
    return {p.relative_to(bundle).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(bundle.rglob("*")) if p.is_file()}


def _urls(bundle: Path) -> list[str]:
    entry = pf.load_entry(bundle)
    meta = pf.read(pf.meta_path(bundle, entry["languages"]["en"]["hash"]))
    return [pf.read_fragment(bundle / "fragment" / f"{name}.pf_fragment")["url"] for name, _ in meta[pf.PAGES]]


def _pages(site: Path) -> list[str]:
    return parts.searchable_pages(site)


def test_pages_are_split_into_contiguous_runs_of_at_most_the_limit() -> None:
    pages = [f"articles/a{i:04}/index.html" for i in range(1_000)]
    split = parts.split(pages, 40)
    assert [p for part in split for p in part] == pages
    assert all(0 < len(part) <= 40 for part in split)
    assert len(split) > 1_000 // 40


def test_adding_a_page_changes_only_the_part_it_joins() -> None:
    pages = [f"articles/a{i:04}/index.html" for i in range(0, 2_000, 2)]
    before = parts.split(pages, 50)
    after = parts.split(sorted([*pages, "articles/a1001/index.html"]), 50)
    changed = [part for part in after if part not in before]
    assert len(changed) == 1 and "articles/a1001/index.html" in changed[0]


def test_no_pages_make_one_empty_part() -> None:
    assert parts.split([], 10) == [[]]


def test_only_pages_with_a_pagefind_body_are_searchable(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html><div class="x" data-pagefind-body>text</div></html>', "utf-8")
    (tmp_path / "list.html").write_text("<html><p>a list of articles</p></html>", "utf-8")
    (tmp_path / "quoted.html").write_text("<p>&lt;div data-pagefind-body&gt; as text</p>", "utf-8")
    assert parts.searchable_pages(tmp_path) == ["a/index.html"]


def _scan_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for name in ("a", "b"):
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(f'<main data-pagefind-body>{name}</main>', "utf-8")
    (site / "list.html").write_text("<p>a list</p>", "utf-8")
    return site


def test_a_remembered_scan_reads_no_page_that_is_the_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, memo = _scan_site(tmp_path), tmp_path / "memo.pickle"
    first = parts.scan_pages(site, memo=memo)
    monkeypatch.setattr(parts, "has_search_body", lambda html: pytest.fail(f"read {html!r}"))
    assert parts.scan_pages(site, memo=memo) == first


def test_a_remembered_scan_reads_a_page_written_again(tmp_path: Path) -> None:
    site, memo = _scan_site(tmp_path), tmp_path / "memo.pickle"
    parts.scan_pages(site, memo=memo)
    (site / "b" / "index.html").unlink()
    (site / "b" / "index.html").write_text('<main data-pagefind-body>b, changed</main>', "utf-8")
    (site / "list.html").unlink()
    (site / "list.html").write_text("<main data-pagefind-body>now searchable</main>", "utf-8")
    assert parts.scan_pages(site, memo=memo) == parts.scan_pages(site)
    assert list(parts.scan_pages(site, memo=memo)) == ["a/index.html", "b/index.html", "list.html"]


def test_an_unreadable_scan_memo_is_a_scan_from_scratch(tmp_path: Path) -> None:
    site, memo = _scan_site(tmp_path), tmp_path / "memo.pickle"
    memo.write_bytes(b"not a pickle")
    assert parts.scan_pages(site, memo=memo) == parts.scan_pages(site)


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parts.PAGES_ENV, "12")
    monkeypatch.delenv(parts.NOTES_ENV, raising=False)
    assert (parts.pages_per_index(), parts.notes_per_index()) == (12, parts.DEFAULT_NOTES_PER_INDEX)


def test_a_part_s_key_changes_with_its_pages_bytes() -> None:
    def key(data: bytes) -> str:
        return parts.part_key(parts.PagesInMemory({"a.html": data}), ["a.html"], ())

    assert key(b"one") == key(b"one") != key(b"two")


def _index(bundle: Path) -> dict[str, Any]:
    """What a bundle says, whatever its page numbers: each word's and variant's pages (by address) with their
    positions and meta fields (by name), and each facet value's addresses."""
    meta = pf.read(pf.meta_path(bundle, pf.load_entry(bundle)["languages"]["en"]["hash"]))
    urls = _urls(bundle)
    fields = meta[pf.META_FIELDS]

    def pages(listed: list[list[Any]]) -> dict[str, Any]:
        out, number = {}, 0
        for delta, locs, meta_locs in listed:
            number += delta
            out[urls[number]] = (locs, [fields[-v - 1] if v < 0 else v for v in meta_locs])
        return out

    words = {}
    for _from, _to, chunk in meta[pf.CHUNKS]:
        for word, listed, variants in pf.read(bundle / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (pages(listed), {form: pages(v) for form, v in variants})
    facets = {}
    for facet, name in meta[pf.FILTERS]:
        facets[facet] = {value: sorted(urls[n] for n in numbers) for value, numbers in pf.read(bundle / "filter" / f"{name}.pf_filter")[1]}
    return {"words": words, "facets": facets, "pages": sorted(urls)}


def test_the_combined_bundle_says_what_one_pagefind_run_over_all_pages_says(small_site: Path, tmp_path: Path) -> None:
    pages = _pages(small_site)
    single = _runs(small_site, [pages], tmp_path / "one")[0]
    # The middle part has no page with aliases: its meta field numbers differ from the whole's.
    combine(_runs(small_site, [pages[:1], pages[1:3], pages[3:]], tmp_path / "three"), tmp_path / "combined")
    assert _index(tmp_path / "combined") == _index(single)


def test_the_combined_bundle_lists_the_parts_pages_part_after_part_each_by_address(small_site: Path, tmp_path: Path) -> None:
    pages = _pages(small_site)
    runs = _runs(small_site, [pages[6:], pages[:6]], tmp_path)
    combine(runs, tmp_path / "bundle")
    assert _urls(tmp_path / "bundle") == sorted(_urls(runs[0])) + sorted(_urls(runs[1]))


def test_the_same_runs_combine_into_the_same_bytes(small_site: Path, tmp_path: Path) -> None:
    pages = _pages(small_site)
    runs = _runs(small_site, [pages[:5], pages[5:]], tmp_path)
    combine(runs, tmp_path / "first")  # also keeps each run's words ready to join
    combine(runs, tmp_path / "second")
    assert _digests(tmp_path / "first") == _digests(tmp_path / "second")


def test_the_combined_facets_hold_every_part_s_pages(small_site: Path, tmp_path: Path) -> None:
    pages = _pages(small_site)
    combine(_runs(small_site, [pages[:5], pages[5:]], tmp_path), tmp_path / "bundle")
    bundle = tmp_path / "bundle"
    meta = pf.read(pf.meta_path(bundle, pf.load_entry(bundle)["languages"]["en"]["hash"]))
    kinds = dict(pf.read(bundle / "filter" / f"{dict(meta[pf.FILTERS])['kind']}.pf_filter")[1])
    assert sorted(kinds) == ["K0", "K1", "K2"] and sorted(n for v in kinds.values() for n in v) == list(range(12))
    assert meta[pf.META_FIELDS] == ["aliases", "title", "x0", "x1"]


def test_a_bundle_of_another_pagefind_layout_is_an_error_naming_its_file(small_site: Path, tmp_path: Path) -> None:
    run = _runs(small_site, [_pages(small_site)[:2]], tmp_path)[0]
    meta_file = pf.meta_path(run, pf.load_entry(run)["languages"]["en"]["hash"])
    meta_file.write_bytes(pf.pack(["2.0.0", [], [], [], [], []]))
    with pytest.raises(FormatError, match=meta_file.name):
        combine([run], tmp_path / "bundle")


def test_an_unchanged_part_is_not_indexed_again(small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    pages = _pages(small_site)
    parts.link_pages(small_site, pages, site)
    ran: list[Path] = []
    real = parts.run_pagefind
    monkeypatch.setattr(parts, "run_pagefind", lambda source, out, extra=(): (ran.append(source), real(source, out, extra))[1])
    cache = tmp_path / "cache"

    def index() -> None:
        parts.index_in_parts(parts.SiteFiles(site, parts.scan_pages(site, skip=("pagefind",))), site, "pagefind", 4, cache=cache)

    index()
    first_runs, first_bundle = len(ran), _digests(site / "pagefind")
    assert first_runs >= 2
    index()
    assert len(ran) == first_runs and _digests(site / "pagefind") == first_bundle
    (site / pages[0]).unlink()
    (site / pages[0]).write_text(_page(99), "utf-8")
    index()
    assert len(ran) == first_runs + 1
    assert len(list((cache / parts.CACHE_FOLDER / "pagefind").iterdir())) == first_runs


def test_combining_reads_the_words_one_chunk_at_a_time(small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(combine_module, "CHUNK_SIZE", 20)
    pages = _pages(small_site)
    combine(_runs(small_site, [pages[:6], pages[6:]], tmp_path), tmp_path / "bundle")
    bundle = tmp_path / "bundle"
    chunks = pf.read(pf.meta_path(bundle, pf.load_entry(bundle)["languages"]["en"]["hash"]))[pf.CHUNKS]
    assert len(chunks) > 3
    assert all(a[1] < b[0] for a, b in zip(chunks, chunks[1:]))


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive's site, its indexes built in runs of at most 150 pages and 40 notes."""
    return build_parted_site(tmp_path_factory.mktemp("parts") / "archive")


def _cached_runs(site: Path, bundle: str) -> list[Path]:
    return sorted((site.parent / ".cache" / "archive-build" / parts.CACHE_FOLDER / bundle).iterdir())


@pytest.mark.slow
def test_a_large_index_is_built_in_several_runs_and_published_as_one_bundle(parted_site: Path) -> None:
    assert len(_cached_runs(parted_site, "pagefind")) >= 3
    assert len(_cached_runs(parted_site, "pagefind-notes")) >= 2
    assert sorted(p.name for p in parted_site.iterdir() if p.name.startswith("pagefind")) == ["pagefind", "pagefind-notes"]


@pytest.mark.slow
def test_every_searchable_page_is_in_the_bundle_once(parted_site: Path) -> None:
    expected = ["/" + p.removesuffix("index.html") for p in parts.searchable_pages(parted_site, skip=("pagefind", "pagefind-notes"))]
    assert sorted(_urls(parted_site / "pagefind")) == sorted(expected)


@pytest.mark.slow
def test_no_run_indexed_more_pages_than_the_limit(parted_site: Path) -> None:
    assert max(len(_urls(run)) for run in _cached_runs(parted_site, "pagefind")) <= 150
    assert max(len(_urls(run)) for run in _cached_runs(parted_site, "pagefind-notes")) <= 40


def test_words_prepared_in_another_layout_are_prepared_again(small_site: Path, tmp_path: Path) -> None:
    pages = _pages(small_site)
    runs = _runs(small_site, [pages[:5], pages[5:]], tmp_path)
    combine(runs, tmp_path / "first")
    for prepared in runs[0].glob(".combine-*"):
        prepared.write_bytes(b"not a pickle")
    combine(runs, tmp_path / "second")
    assert _digests(tmp_path / "first") == _digests(tmp_path / "second")


def test_kept_chunks_give_the_bytes_a_fresh_combine_gives(small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(combine_module, "CHUNK_SIZE", 20)
    pages = _pages(small_site)
    runs = _runs(small_site, [pages[:5], pages[5:]], tmp_path)
    combine(runs, tmp_path / "fresh")
    combine(runs, tmp_path / "first", chunks=tmp_path / "kept")
    combine(runs, tmp_path / "second", chunks=tmp_path / "kept")
    assert _digests(tmp_path / "first") == _digests(tmp_path / "fresh") == _digests(tmp_path / "second")


def test_kept_chunks_are_not_compressed_again(small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(combine_module, "CHUNK_SIZE", 20)
    runs = _runs(small_site, [_pages(small_site)], tmp_path)
    combine(runs, tmp_path / "first", chunks=tmp_path / "kept")
    compressed: list[bytes] = []
    real = combine_module.pf.pack_cbor

    def pack_cbor(data: bytes) -> bytes:
        if data[:1] == b"\x81":  # a word chunk (a one-item array), not the page list or a facet
            compressed.append(data)
        return real(data)

    monkeypatch.setattr(combine_module.pf, "pack_cbor", pack_cbor)
    combine(runs, tmp_path / "second", chunks=tmp_path / "kept")
    assert compressed == []


def test_chunks_no_longer_used_are_not_kept(small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(combine_module, "CHUNK_SIZE", 20)
    pages = _pages(small_site)
    combine(_runs(small_site, [pages], tmp_path / "all"), tmp_path / "first", chunks=tmp_path / "kept")
    combine(_runs(small_site, [pages[:3]], tmp_path / "few"), tmp_path / "second", chunks=tmp_path / "kept")
    assert len(list((tmp_path / "kept").iterdir())) == len(list((tmp_path / "second" / "index").iterdir()))


def test_the_runtime_is_copied_without_the_prepared_words(small_site: Path, tmp_path: Path) -> None:
    runs = _runs(small_site, [_pages(small_site)], tmp_path)
    combine(runs, tmp_path / "bundle")
    assert (tmp_path / "bundle" / "pagefind.js").is_file()
    assert not list((tmp_path / "bundle").glob(".*"))


def test_pages_in_memory_are_written_only_for_the_runs_that_need_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {f"n{i:02}.html": _page(i).encode() for i in range(12)}
    written: list[str] = []
    real = parts.PagesInMemory.put
    monkeypatch.setattr(parts.PagesInMemory, "put", lambda self, names, scratch: (written.extend(names), real(self, names, scratch))[1])
    site, cache = tmp_path / "site", tmp_path / "cache"
    parts.index_in_parts(pages, site, "pagefind-notes", 4, cache=cache)
    assert sorted(written) == sorted(pages)
    written.clear()
    pages["n00.html"] = _page(50).encode()
    parts.index_in_parts(pages, site, "pagefind-notes", 4, cache=cache)
    assert "n00.html" in written and len(written) < len(pages)


def _pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pages each Pagefind run from now on indexes."""
    counts: list[int] = []
    real = parts.run_pagefind

    def run_pagefind(source: Path, out: Path, extra: Any = ()) -> None:
        counts.append(len(list(source.rglob("*.html"))))
        real(source, out, extra)

    monkeypatch.setattr(parts, "run_pagefind", run_pagefind)
    return counts


def _index_site(site: Path, cache: Path, limit: int = 100, laps: dict[str, float] | None = None) -> dict[str, str]:
    source = parts.SiteFiles(site, parts.scan_pages(site, skip=("pagefind",)))
    parts.index_in_parts(source, site, "pagefind", limit, cache=cache, laps=laps)
    return _digests(site / "pagefind")


def _site_copy(small_site: Path, where: Path) -> tuple[Path, list[str]]:
    pages = _pages(small_site)
    parts.link_pages(small_site, pages, where)
    return where, pages


def _rewrite(site: Path, page: str, i: int) -> None:
    (site / page).unlink()
    (site / page).write_text(_page(i), "utf-8")


def _indexed_copy(small_site: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """A copy of the small site, indexed once into ``tmp_path/cache``."""
    site, pages = _site_copy(small_site, tmp_path / "site")
    _index_site(site, tmp_path / "cache")
    return site, pages


def _index_again(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], bool]:
    """Index ``site`` again with the cache: the pages each Pagefind run indexed, and whether the bytes are those of an index from scratch."""
    runs = _pagefind_runs(monkeypatch)
    again = _index_site(site, tmp_path / "cache")
    ran = list(runs)
    return ran, again == _index_site(site, tmp_path / "cold")


def test_a_part_with_a_changed_page_indexes_only_that_page_and_gives_the_bytes_of_a_whole_run(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, pages = _indexed_copy(small_site, tmp_path)
    _rewrite(site, pages[4], 52)  # the same meta fields as before
    runs, same = _index_again(site, tmp_path, monkeypatch)
    assert runs == [1]
    assert same


def test_a_part_that_only_lost_pages_runs_no_pagefind_and_gives_the_bytes_of_a_whole_run(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, pages = _indexed_copy(small_site, tmp_path)
    for gone in (pages[1], pages[7]):
        (site / gone).unlink()
    runs, same = _index_again(site, tmp_path, monkeypatch)
    assert runs == []
    assert same


def test_a_part_with_a_new_page_and_a_changed_one_gives_the_bytes_of_a_whole_run(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, pages = _indexed_copy(small_site, tmp_path)
    _rewrite(site, pages[2], 40)
    (site / "p05a").mkdir()
    (site / "p05a" / "index.html").write_text(_page(41), "utf-8")
    runs, same = _index_again(site, tmp_path, monkeypatch)
    assert sum(runs) == 2  # the new page and the changed one, in one part's run or in two
    assert same


def test_a_part_with_many_changed_pages_is_indexed_whole(small_site: Path, tmp_path: Path) -> None:
    site, pages = _site_copy(small_site, tmp_path / "site")
    _index_site(site, tmp_path / "cache", limit=len(pages))
    for k, page in enumerate(pages[:6]):
        _rewrite(site, page, 60 + k)
    laps: dict[str, float] = {}
    _index_site(site, tmp_path / "cache", limit=len(pages), laps=laps)
    assert any(name.endswith("Pagefind runs (0 of changed pages only)") for name in laps)


def test_a_derived_part_whose_prepared_words_are_damaged_is_indexed_again(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, pages = _site_copy(small_site, tmp_path / "site")
    cache = tmp_path / "cache"
    _index_site(site, cache)
    _rewrite(site, pages[4], 52)  # the same meta fields as before
    expected = _index_site(site, cache)
    for prepared_words in (cache / parts.CACHE_FOLDER / "pagefind").glob("*/.prepared-*"):
        prepared_words.write_bytes(b"damaged")
    runs = _pagefind_runs(monkeypatch)
    assert _index_site(site, cache) == expected
    assert runs == [len(part) for part in parts.split(pages, 100) if pages[4] in part]  # that part's run, whole


def test_a_part_whose_changed_page_was_the_only_one_with_a_meta_field_is_indexed_whole(
    small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, pages = _indexed_copy(small_site, tmp_path)
    _rewrite(site, pages[4], 99)  # page 4 alone has meta field x1; page 99 has none
    runs, same = _index_again(site, tmp_path, monkeypatch)
    assert len(runs) == 2 and runs[0] == 1
    assert same


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.lists(st.integers(0, 60), min_size=4, max_size=14, unique=True),
    changes=st.lists(st.tuples(st.sampled_from(["remove", "change", "add"]), st.integers(0, 13), st.integers(61, 120)), max_size=4),
)
def test_whatever_changed_the_indexed_bytes_are_those_of_an_index_from_scratch(
    tmp_path_factory: pytest.TempPathFactory, first: list[int], changes: list[tuple[str, int, int]],
) -> None:
    where = tmp_path_factory.mktemp("changes")
    site = where / "site"
    for i in first:
        (site / f"p{i:03}").mkdir(parents=True)
        (site / f"p{i:03}" / "index.html").write_text(_page(i), "utf-8")
    _index_site(site, where / "cache", limit=8)
    for what, k, new in changes:
        pages = sorted(p.name for p in site.iterdir() if p.name[1:].isdigit())
        target = site / pages[k % len(pages)] / "index.html"
        if what == "remove" and len(pages) > 1:
            target.unlink()
            target.parent.rmdir()
        elif what == "change":
            target.unlink()
            target.write_text(_page(new), "utf-8")
        elif what == "add":
            (site / f"p{new:03}").mkdir(exist_ok=True)
            (site / f"p{new:03}" / "index.html").write_text(_page(new), "utf-8")
    assert _index_site(site, where / "cache", limit=8) == _index_site(site, where / "cold", limit=8)


@pytest.mark.parametrize("url", ["/p01/", '/a "quoted" \\\\ path/', "/café/ünï/"])
def test_a_fragment_s_address_is_read_from_its_start(tmp_path: Path, url: str) -> None:
    import gzip
    import json

    path = tmp_path / "f.pf_fragment"
    path.write_bytes(gzip.compress(pf.SIGNATURE + json.dumps({"url": url, "content": "x" * 50_000}, ensure_ascii=False).encode()))
    assert pf.fragment_url(path) == url


def test_a_fragment_whose_address_is_not_first_is_read_whole(tmp_path: Path) -> None:
    import gzip
    import json

    path = tmp_path / "f.pf_fragment"
    path.write_bytes(gzip.compress(pf.SIGNATURE + json.dumps({"content": "x", "url": "/later/"}).encode()))
    assert pf.fragment_url(path) == "/later/"
