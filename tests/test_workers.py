"""Building in several processes gives exactly what building in one does."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from archive_build.build import build
from archive_build.cache import Remembered, memo_value
from archive_build.project import Project
from archive_build.workers import CAN_FORK, POOL_THRESHOLD, Workers
from bench.generate import generate

from .conftest import copy_project

GENERATED = ("docs/articles", "docs/entities", "docs/browse", "docs/data", "docs/.generated", "site-data")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for d in GENERATED for p in sorted((root / d).rglob("*")) if p.is_file()}


def test_a_build_in_worker_processes_writes_the_same_files_as_one_in_a_single_process(tmp_path: Path) -> None:
    roots = []
    for name, workers in (("serial", 1), ("parallel", 2)):
        root = copy_project(tmp_path / name, raw=False, annotations=False, entities=False)
        generate(root, POOL_THRESHOLD + 16)
        result = build(Project(root), workers=workers, progress=False)
        assert not result.errors and result.processed == POOL_THRESHOLD + 16
        roots.append(root)
    serial, parallel = (_files(r) for r in roots)
    assert len(serial) > 4 * (POOL_THRESHOLD + 16)
    assert serial.keys() == parallel.keys()
    assert [k for k in serial if serial[k] != parallel[k]] == []


def _snapshot(items: list[str]) -> list[str]:
    return list(items)


def test_a_background_job_sees_the_objects_as_they_were_when_it_started() -> None:
    items = ["a"]
    with Workers(2) as pool:
        job = pool.background(_snapshot, items)
        items.append("b")
        assert job() == ["a"]


def _fail() -> None:
    raise ValueError("broken in the background")


@pytest.mark.skipif(not CAN_FORK, reason="runs in this process where forking is not safe")
def test_an_exception_in_a_background_process_is_raised_where_its_result_is_asked_for() -> None:
    with Workers(2) as pool:
        job = pool.background(_fail)
        with pytest.raises(ValueError, match="broken in the background"):
            job()


def test_a_remembered_value_handed_between_processes_loads_from_the_cache_or_says_it_is_gone(tmp_path: Path) -> None:
    memo_value(tmp_path, "tree", ["k"], lambda: {"a.md": b"A"}, lazy=True)
    remembered = memo_value(tmp_path, "tree", ["k"], lambda: {"a.md": b"recomputed"}, lazy=True)
    assert isinstance(remembered, Remembered)
    copy = pickle.loads(pickle.dumps(remembered))
    assert copy.load() == {"a.md": b"A"}
    (tmp_path / "tree.pickle").unlink()
    assert remembered.load() == {"a.md": b"recomputed"}
    with pytest.raises(LookupError):
        copy.load()
