"""A process pool that stops an item taking longer than its budget, and replaces the worker.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one task: killing a
worker breaks the whole pool, and a task stuck in C code (a regex, lxml, a
Rust extension) never returns.  Here each worker has its own pipes and a
shared ``budget.Slot`` telling which item it is on, since when, and in
which stage; the supervisor (the build's process) waits on the pipes with a
timeout, kills a worker whose item is over the budget (or finds one that
died, out of memory), hands back a ``Stopped`` for that item, puts the
worker's other unfinished items back in the queue and starts a new worker.

Items go out in small chunks, at most two a worker ahead; results come
back one by one (an item finished before its worker was stopped is kept).
Forked workers (Linux); ``SupervisedPool.available`` says whether it can run.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator, NamedTuple

from archive_build import budget as budget_mod
from archive_build.budget import Budget, Slot


class Stopped(NamedTuple):
    """An item whose worker was stopped: ``message`` says why, for the item's report."""

    message: str
    stage: str


def available() -> bool:
    import sys

    return sys.platform.startswith("linux")


def _worker_main(parent: int, jobs: Connection, results: Connection, slot: Slot,
                 initializer: Callable[..., None] | None, initargs: tuple[Any, ...], budget: Budget) -> None:
    """A worker: run the initializer, then each item of each chunk, sending every result back at once.

    Each item also runs under an alarm at twice the budget, whose default
    action ends this process even inside C code: should the supervisor be
    gone or stuck, a worker still never runs on for long.
    """
    from archive_build.build.lifeline import die_with_parent

    # The supervisor's pid comes from before the fork: one killed before this
    # line would leave os.getppid() naming init, and the worker would live on.
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it stops the workers
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    alarm = int(2 * budget.seconds) + 1 if budget.seconds < 1e6 else 0
    budget_mod.serve_as(slot)
    if initializer is not None:
        initializer(*initargs)
    budget_mod.limit_memory(budget.memory_mb)
    clock = time.monotonic
    while True:
        try:
            message = jobs.recv()
        except EOFError:
            return
        if message is None:
            return
        fn, chunk = message
        for index, item in chunk:
            slot.begin(index, clock())
            signal.alarm(alarm)
            try:
                value: Any = fn(item)
            except MemoryError:
                value = Stopped("", slot.stage)  # the supervisor words it (it knows the limit)
                results.send_bytes(pickle.dumps((index, False, value), protocol=pickle.HIGHEST_PROTOCOL))
                os._exit(3)  # a fresh worker for the rest: this one's heap may be in pieces
            signal.alarm(0)
            slot.idle()
            results.send_bytes(pickle.dumps((index, True, value), protocol=pickle.HIGHEST_PROTOCOL))


class _Worker:
    def __init__(self, ctx: Any, initializer: Callable[..., None] | None, initargs: tuple[Any, ...], budget: Budget) -> None:
        self.slot = Slot()
        job_read, self.jobs = ctx.Pipe(duplex=False)
        self.results, result_write = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_worker_main, args=(os.getpid(), job_read, result_write, self.slot, initializer, initargs, budget), daemon=True,
        )
        self.process.start()
        job_read.close()
        result_write.close()
        self.outstanding: deque[list[int]] = deque()  # chunks sent, each the indices not yet answered

    def unanswered(self) -> list[int]:
        return [i for chunk in self.outstanding for i in chunk]

    def answered(self, index: int) -> None:
        for chunk in self.outstanding:
            if index in chunk:
                chunk.remove(index)
                break
        while self.outstanding and not self.outstanding[0]:
            self.outstanding.popleft()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.jobs.close()
        self.results.close()


class SupervisedPool:
    """``count`` worker processes running items under a ``Budget``; ``map`` yields results in order."""

    def __init__(self, count: int, budget: Budget, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> None:
        self.count = max(1, count)
        self.budget = budget
        self._initializer, self._initargs = initializer, initargs
        self._ctx = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []

    def start(self, count: int | None = None) -> None:
        """Start workers now (up to ``count``), so their initializer runs while this process does other work."""
        while len(self._workers) < min(self.count, count or self.count):
            self._workers.append(_Worker(self._ctx, self._initializer, self._initargs, self.budget))

    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        """``fn`` over ``items`` in order; an item that broke the budget gives a ``Stopped`` instead."""
        n = len(items)
        if not n:
            return
        self.start(min(self.count, n))
        chunk = max(1, min(16, n // (len(self._workers) * 8) or 1))
        todo: deque[int] = deque(range(n))
        done: dict[int, Any] = {}
        following = 0
        while following < n:
            for w in self._workers:
                while len(w.outstanding) < 2 and todo:
                    part = [todo.popleft() for _ in range(min(chunk, len(todo)))]
                    w.outstanding.append(part)
                    w.jobs.send((fn, [(i, items[i]) for i in part]))
            self._collect(done, todo)
            while following in done:
                yield done.pop(following)
                following += 1

    def _collect(self, done: dict[int, Any], todo: deque[int]) -> None:
        """Wait for results (or a deadline), take them, and replace any worker stopped or dead."""
        now = time.monotonic()
        deadlines = [w.slot.since + self.budget.seconds for w in self._workers if w.slot.item >= 0]
        timeout = max(0.0, min(deadlines) - now) + 0.05 if deadlines else 1.0
        conns = {w.results: w for w in self._workers}
        sentinels = {w.process.sentinel: w for w in self._workers}
        ready = wait(list(conns) + list(sentinels), timeout=min(timeout, 1.0))
        failed: dict[_Worker, Stopped | None] = {}
        for r in ready:
            w = conns.get(r)  # type: ignore[call-overload]
            if w is None:
                continue
            try:
                while w.results.poll():
                    index, ok, value = pickle.loads(w.results.recv_bytes())
                    if ok:
                        done[index] = value
                        w.answered(index)
                    else:
                        failed[w] = Stopped(self.budget.too_big(value.stage), value.stage)
                        done[index] = failed[w]
                        w.answered(index)
                        break
            except (EOFError, OSError):
                failed.setdefault(w, None)
        now = time.monotonic()
        for w in self._workers:
            if w in failed:
                continue
            if not w.process.is_alive():
                failed[w] = None
            elif w.slot.item >= 0 and now - w.slot.since > self.budget.seconds:
                stage = w.slot.stage
                failed[w] = Stopped(self.budget.too_slow(stage), stage)
                done[w.slot.item] = failed[w]
                w.answered(w.slot.item)
        for w, why in failed.items():
            self._replace(w, why, done, todo)

    def _replace(self, w: _Worker, why: Stopped | None, done: dict[int, Any], todo: deque[int]) -> None:
        current, stage = w.slot.item, w.slot.stage
        w.stop()
        if why is None and current >= 0 and current in w.unanswered():
            # Died on its own: out of memory past what Python could report, or a crash in C code.
            code = w.process.exitcode
            if code == -signal.SIGALRM:  # its own alarm (``_worker_main``): over the budget
                message = self.budget.too_slow(stage)
            else:
                message = self.budget.died(stage, budget_mod.describe_exit(code))
            done[current] = Stopped(message, stage)
            w.answered(current)
        todo.extendleft(reversed(w.unanswered()))
        i = self._workers.index(w)
        self._workers[i] = _Worker(self._ctx, self._initializer, self._initargs, self.budget)

    def close(self) -> None:
        for w in self._workers:
            try:
                w.jobs.send(None)
            except OSError:
                pass
        for w in self._workers:
            w.process.join(timeout=5)
            w.stop()
        self._workers.clear()
