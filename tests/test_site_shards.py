"""The site rendered in shards (`archive-build site -j N`, `--shard K/N` + `merge`) is the site one render makes, byte for byte."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive_build.site.plugin.shards import Shard
from testkit.parted_site import LIMITS
from testkit.skeleton import make_project

from .conftest import run_cli

BIN = Path(sys.executable).parent
#: The build date pinned, and search indexes in several parts (as a large archive's are), merged like the pages.
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", **LIMITS}


def _files(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH}
    proc = subprocess.run([str(BIN / "archive-build"), *args], cwd=project, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


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


@pytest.mark.parametrize("count", [0, 1, 5, 31, 10_000])
@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_the_shards_slices_cover_every_split_page_once(count: int, n: int) -> None:
    from archive_build.site.plugin.shards import slice_bounds

    bounds = [slice_bounds(count, Shard(k, n)) for k in range(1, n + 1)]
    assert bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))


def test_the_first_shard_which_also_renders_the_collection_takes_a_smaller_slice() -> None:
    from archive_build.site.plugin.shards import slice_bounds

    first, second = slice_bounds(900, Shard(1, 2)), slice_bounds(900, Shard(2, 2))
    assert first[1] - first[0] < second[1] - second[0]
