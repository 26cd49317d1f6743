"""The site rendered in shards (`archive-build site -j N`, `--shard K/N` + `merge`) is the site one render makes, byte for byte."""
from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive_build.site.plugin.shards import MAX_BYTES_ENV, Shard, shard_count, slice_bounds, split_bytes
from testkit.parted_site import LIMITS
from testkit.skeleton import make_project

from .conftest import run_cli

BIN = Path(sys.executable).parent
#: The build date pinned, and search indexes in several parts (as a large archive's are), merged like the pages.
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", **LIMITS}


def _files(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def _cli(project: Path, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH, **(extra_env or {})}
    proc = subprocess.run([str(BIN / "archive-build"), *args], cwd=project, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _page_records(project: Path) -> list[str]:
    """The page lines of the records kept for the site in place (``site/page_records.py``), in order."""
    lines = (project / ".cache" / "archive-build" / "site-pages.jsonl").read_text("utf-8").splitlines()
    return sorted(line for line in lines if line.startswith('{"src":'))


@pytest.fixture(scope="module")
def one_render(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A generated archive (every raw shape, annotations, entities, tags) and the site one mkdocs build makes of it."""
    project = tmp_path_factory.mktemp("shards") / "archive"
    make_project(project, 30, seed=3)
    run_cli(project, "build", "--quiet", check=True)
    _cli(project, "site", "-j", "1")
    return project, _files(project / "site")


@pytest.mark.slow
def test_three_shards_rendered_at_once_make_the_same_site_as_one_render(one_render: tuple[Path, dict[str, bytes]]) -> None:
    project, expected = one_render
    (project / ".cache" / "archive-build" / "site-inputs").unlink()
    _cli(project, "site", "-j", "3")
    assert _files(project / "site") == expected


@pytest.mark.slow
def test_an_archive_split_into_more_shards_than_jobs_makes_the_same_site_as_one_render(one_render: tuple[Path, dict[str, bytes]]) -> None:
    project, expected = one_render
    records_before = _page_records(project)
    assert len(records_before) > 30
    (project / ".cache" / "archive-build" / "site-inputs").unlink()
    bound = math.ceil(split_bytes(project / "docs") / 4)  # five shards, two at a time
    assert shard_count(split_bytes(project / "docs"), 2, bound) == 5
    _cli(project, "site", "-j", "2", extra_env={MAX_BYTES_ENV: str(bound)})
    assert _files(project / "site") == expected
    assert _page_records(project) == records_before  # the keys the next, incremental, render compares


@pytest.mark.slow
def test_shards_rendered_separately_and_merged_make_the_same_site_as_one_render(one_render: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    project, expected = one_render
    outs = [tmp_path / f"shard-{k}" for k in (1, 2, 3)]
    for k, out in zip((2, 3, 1), outs[1:] + outs[:1]):  # in any order, as CI jobs finish
        _cli(project, "site", "--shard", f"{k}/3", "--out", str(out))
    _cli(project, "merge", *map(str, outs))
    assert _files(project / "site") == expected


@pytest.mark.slow
def test_merge_refuses_an_incomplete_set_of_shards_and_keeps_the_site(one_render: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    project, _ = one_render
    before = _files(project / "site")
    _cli(project, "site", "--shard", "1/2", "--out", str(tmp_path / "one"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(BIN / "archive-build"), "merge", str(tmp_path / "one")], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 1
    assert "shards missing: 2/2" in proc.stderr
    assert _files(project / "site") == before


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_shard_is_k_of_n_with_k_from_1_to_n(text: str) -> None:
    with pytest.raises(ValueError):
        Shard.parse(text)


def test_shard_k_of_n_reads_as_written() -> None:
    assert str(Shard.parse("2/8")) == "2/8"


@pytest.mark.parametrize("sizes", [[], [0], [5] * 5, [100] * 20 + [3000] * 11, [0] * 7, list(range(10_000))])
@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_the_shards_slices_cover_every_split_page_once(sizes: list[int], n: int) -> None:
    count = len(sizes)
    bounds = [slice_bounds(sizes, Shard(k, n)) for k in range(1, n + 1)]
    assert bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))


def test_the_first_shard_which_also_renders_the_collection_takes_a_smaller_slice() -> None:
    first, second = slice_bounds([1000] * 900, Shard(1, 2)), slice_bounds([1000] * 900, Shard(2, 2))
    assert first[1] - first[0] < second[1] - second[0]


def test_slices_weigh_the_same_so_that_large_pages_are_spread_over_more_shards() -> None:
    sizes = [10_000] * 1_000 + [100_000] * 100  # articles, then entity pages ten times their size
    bounds = [slice_bounds(sizes, Shard(k, 5)) for k in range(1, 6)]
    weights = [sum(sizes[start:end]) for start, end in bounds[1:]]
    assert max(weights) - min(weights) <= 2 * max(sizes)  # each edge falls between two pages
    assert bounds[-1][1] - bounds[-1][0] < bounds[1][1] - bounds[1][0]


@pytest.mark.parametrize("count", [0, 1, 1_999, 2_000, 2_001, 10_500, 30_500])
@pytest.mark.parametrize("jobs", [1, 2, 8])
def test_no_shard_converts_more_than_the_bound_and_there_are_at_least_as_many_shards_as_jobs(count: int, jobs: int) -> None:
    sizes = [1_000] * count
    n = shard_count(sum(sizes), jobs, 2_000_000)
    assert n >= jobs
    bounds = [slice_bounds(sizes, Shard(k, n)) for k in range(1, n + 1)]
    assert all(sum(sizes[start:end]) <= 2_000_000 for start, end in bounds)


def test_an_archive_within_the_bound_is_split_between_the_jobs_only() -> None:
    assert shard_count(3_000, 2, 2_000) == 2
    assert shard_count(1_500, 1, 2_000) == 1


def test_the_bound_on_a_shards_markdown_can_be_set_from_the_environment() -> None:
    from archive_build.site.plugin.shards import MAX_SHARD_BYTES, max_shard_bytes

    assert max_shard_bytes({MAX_BYTES_ENV: "7"}) == 7
    assert max_shard_bytes({}) == MAX_SHARD_BYTES


def test_the_generated_pages_are_weighed_without_the_hand_written_ones(tmp_path: Path) -> None:
    for name in ("articles/a.md", "articles/index.md", "entities/e.md", "browse/timeline.md", "index.md", "about.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("xy")
    assert split_bytes(tmp_path) == 8


def test_the_tags_listing_is_not_split_because_it_lists_every_pages_tags(tmp_path: Path) -> None:
    from archive_build.site.plugin.shards import holds_tags_listing

    (tmp_path / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n")
    (tmp_path / "timeline.md").write_text("# Timeline\n")
    assert holds_tags_listing("browse/tags.md", str(tmp_path / "tags.md"))
    assert not holds_tags_listing("browse/timeline.md", str(tmp_path / "timeline.md"))
    assert not holds_tags_listing("articles/a.md", str(tmp_path / "tags.md"))  # contributed text: never a listing


def test_a_page_another_shard_renders_keeps_only_what_listings_and_the_feed_read() -> None:
    from types import SimpleNamespace

    from archive_build.site.plugin.shards import keep_listed_meta

    meta = {"title": "T", "tags": ["x"], "sha256": "ab", "date": "2020-01-01", "annotations": [{"body": "long"}], "related": []}
    article = SimpleNamespace(file=SimpleNamespace(src_uri="articles/a.md"), meta=dict(meta))
    keep_listed_meta(article)
    assert article.meta == {"title": "T", "tags": ["x"], "sha256": "ab", "date": "2020-01-01"}
    handwritten = SimpleNamespace(file=SimpleNamespace(src_uri="about.md"), meta=dict(meta))
    keep_listed_meta(handwritten)
    assert handwritten.meta == meta


def test_after_a_failed_shard_no_other_shard_starts(tmp_path: Path) -> None:
    from archive_build.site.build import _run_at_most

    python = sys.executable
    runs = [
        ([python, "-c", "raise SystemExit(3)"], dict(os.environ)),
        ([python, "-c", f"open({str(tmp_path / 'started')!r}, 'w')"], dict(os.environ)),
    ]
    assert _run_at_most(1, runs, tmp_path) == 3
    assert not (tmp_path / "started").exists()


def test_every_shard_runs_when_none_fails(tmp_path: Path) -> None:
    from archive_build.site.build import _run_at_most

    runs = [([sys.executable, "-c", f"open({str(tmp_path / str(k))!r}, 'w')"], dict(os.environ)) for k in range(5)]
    assert _run_at_most(2, runs, tmp_path) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0", "1", "2", "3", "4"]


def test_each_shard_run_reports_its_wall_and_cpu_seconds(tmp_path: Path) -> None:
    from archive_build.site.build import _run_at_most

    runs = [([sys.executable, "-c", "sum(range(10**6))"], dict(os.environ)) for _ in range(3)]
    seconds: dict[int, tuple[float, float]] = {}
    assert _run_at_most(2, runs, tmp_path, seconds) == 0
    assert sorted(seconds) == [1, 2, 3]
    assert all(wall > 0 and cpu > 0 for wall, cpu in seconds.values())


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_merging_moves_a_folder_only_one_shard_wrote_in_one_piece(tmp_path: Path) -> None:
    from archive_build.site.merge import STATE_FOLDER, move_tree

    one = _tree(tmp_path / "one", {"articles/a/index.html": "a", "tags.json": "{}", f"{STATE_FOLDER}/shard-1-of-2.json": "{}"})
    two = _tree(tmp_path / "two", {"articles/b/index.html": "b", "articles/b/extra.txt": "x", "tags.json": "{}"})
    folder_b = (two / "articles" / "b").stat().st_ino
    dest = tmp_path / "site"
    move_tree(one, dest)
    move_tree(two, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == [
        "articles/a/index.html", "articles/b/extra.txt", "articles/b/index.html", "tags.json",
    ]
    assert (dest / "articles" / "b").stat().st_ino == folder_b
    assert (one / STATE_FOLDER / "shard-1-of-2.json").is_file()


def test_merging_refuses_a_file_two_shards_wrote_differently(tmp_path: Path) -> None:
    from archive_build.site.merge import MergeError, move_tree

    dest = tmp_path / "site"
    move_tree(_tree(tmp_path / "one", {"assets/x/tags.json": "[1]"}), dest)
    with pytest.raises(MergeError, match="assets/x/tags.json"):
        move_tree(_tree(tmp_path / "two", {"assets/x/tags.json": "[2]"}), dest)
