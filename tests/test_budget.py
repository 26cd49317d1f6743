"""One article over its budget is stopped and reported; the rest of the archive is built."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from archive_build import budget
from archive_build.budget import Budget
from archive_build.build.supervised import Stopped, SupervisedPool, available

from .conftest import copy_project, run_cli

pytestmark = pytest.mark.skipif(not available(), reason="supervised workers are forked (Linux)")


def _work(item: str) -> str:
    budget.stage(f"working on {item}")
    if item == "stall":
        while True:  # a loop in Python
            time.sleep(0.01)
    if item == "hog":
        hoard = []
        while True:
            hoard.append(bytearray(16 * 1024 * 1024))
    if item == "crash":
        os._exit(9)
    return item.upper()


def _stall_in_c(item: str) -> str:
    budget.stage("in C")
    import ctypes

    ctypes.CDLL(None).sleep(3600)  # no Python bytecode runs: only a signal's default action ends it
    return item


def test_a_worker_stuck_in_c_code_ends_itself_if_its_supervisor_does_not_stop_it() -> None:
    import multiprocessing

    from archive_build.build.supervised import _worker_main

    ctx = multiprocessing.get_context("fork")
    job_read, jobs = ctx.Pipe(duplex=False)
    results, result_write = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_worker_main, args=(os.getpid(), job_read, result_write, budget.Slot(), None, (), Budget(seconds=0.2, memory_mb=None)))
    worker.start()
    jobs.send((_stall_in_c, [(0, "x")]))
    worker.join(timeout=60)
    assert worker.exitcode == -14  # SIGALRM, after twice the budget (rounded up)



def test_a_worker_whose_supervisor_died_before_it_started_ends_at_once() -> None:
    import multiprocessing

    from archive_build.build.supervised import _worker_main

    gone = multiprocessing.get_context("fork").Process(target=int)
    gone.start()
    gone.join()
    ctx = multiprocessing.get_context("fork")
    job_read, _jobs = ctx.Pipe(duplex=False)
    _results, result_write = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_worker_main, args=(gone.pid, job_read, result_write, budget.Slot(), None, (), Budget()))
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == 1


def _map(items: list[str], **limits: object) -> list[object]:
    pool = SupervisedPool(2, Budget(**limits))  # type: ignore[arg-type]
    try:
        return list(pool.map(_work, items))
    finally:
        pool.close()


def test_items_come_back_in_order_from_supervised_workers() -> None:
    items = [f"item{i}" for i in range(40)]
    assert _map(items, seconds=30) == [i.upper() for i in items]


def test_an_item_over_the_time_budget_is_stopped_with_its_stage_and_the_others_finish() -> None:
    out = _map(["a", "stall", "b", "c"], seconds=0.5)
    assert out[0] == "A" and out[2:] == ["B", "C"]
    assert isinstance(out[1], Stopped)
    assert out[1].message.startswith("processing took longer than 0.5 s; stopped while working on stall")


def test_an_item_over_the_memory_budget_is_stopped_and_the_others_finish() -> None:
    out = _map(["a", "hog", "b"], seconds=60, memory_mb=256)
    assert out[0] == "A" and out[2] == "B"
    assert isinstance(out[1], Stopped)
    assert out[1].message.startswith("processing needed more than 256 MB of memory; stopped while working on hog")


def test_a_worker_that_dies_is_replaced_and_its_item_reported() -> None:
    out = _map(["a", "crash", "b", "c"], seconds=60)
    assert [out[0], *out[2:]] == ["A", "B", "C"]
    assert isinstance(out[1], Stopped)
    assert out[1].message.startswith("processing stopped: its worker ended (exit status 9) while working on crash")


def _stalling_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "archive")
    (project / "raw" / "2024-01-01-stall.txt").write_text("A title\n\nSome text of the article.\n", encoding="utf-8")
    return project


def test_a_stalled_article_is_reported_with_its_stage_and_the_rest_of_the_archive_is_built(tmp_path: Path) -> None:
    project = _stalling_project(tmp_path)
    # The stall is made, not found: a hook in the environment makes the worker's describe step loop.
    env_hook = tmp_path / "hook"
    env_hook.mkdir()
    (env_hook / "sitecustomize.py").write_text(
        "import time\n"
        "from archive_build.transforms import clean\n"
        "_describe = clean.describe\n"
        "def describe(article):\n"
        "    while article.id == '2024-01-01-stall':\n"
        "        time.sleep(0.01)\n"
        "    return _describe(article)\n"
        "describe.__module__ = _describe.__module__\n"
        "clean.describe = describe\n"
        "from archive_build import pipeline\n"
        "pipeline.CLEANING = tuple(describe if s is _describe else s for s in pipeline.CLEANING)\n",
        encoding="utf-8",
    )
    os.environ["PYTHONPATH"] = f"{env_hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    try:
        proc = run_cli(project, "build", "--quiet", "--article-timeout", "1")
    finally:
        os.environ["PYTHONPATH"] = os.environ["PYTHONPATH"].split(os.pathsep, 1)[1]
    assert proc.returncode == 1
    assert (
        "raw/2024-01-01-stall.txt: error: processing took longer than 1 s; stopped while cleaning (clean.describe)"
        in proc.stderr
    )
    articles = {p.stem for p in (project / "docs" / "articles").glob("*.md")}
    assert "2024-01-01-stall" not in articles and len(articles) >= 3


def test_the_budget_options_refuse_a_negative_number(tmp_path: Path) -> None:
    proc = run_cli(copy_project(tmp_path / "archive"), "build", "--article-timeout", "-1")
    assert proc.returncode == 2 and "must be 0 (no limit) or a positive number" in proc.stderr
