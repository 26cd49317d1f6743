"""The build's worker processes.

Three ways to use the cores, each for one kind of work:

* ``map``: a process pool for cleaning, annotating and linking articles
  (``build.jobs.process``).  Its workers fork while the build is still small and
  receive each job pickled; the job is small, its result comes back.
* ``map_fresh``: workers started small once the articles are collected,
  for rendering their pages and data (``build.render.render``): they
  receive each article pickled, read its texts from the cache, and send
  back only the rendered bytes, which this process writes (``output.stage``).
* ``background``: one forked copy that makes something this process needs
  later (the collection pages) while it goes on with other work.

A batch too small to repay a process runs here instead, and so does
everything where forking is not safe (anywhere but Linux).
"""
from __future__ import annotations

import functools
import itertools
import os
import pickle
import signal
import sys
import traceback
from collections import deque
from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
C = TypeVar("C")

# Below this many items a process pool costs more than it saves.
POOL_THRESHOLD = 64
# Where a child process may start as a copy of this one (not macOS, where
# system libraries are not fork-safe, nor Windows).
CAN_FORK = sys.platform.startswith("linux")

# The function and context of ``Workers.map_fresh``, set in each of its workers.
_FRESH: tuple[Callable[[Any, Any], Any], Any] | None = None


def _nothing() -> None:
    """A task that only makes the pool start a worker (``Workers.start``)."""


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A pool worker's first step: end with the build (``lifeline``), then the ``prepare``d initializer."""
    from archive_build.build.lifeline import die_with_parent

    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def _start_fresh_worker(build: int, fn: Callable[[Any, Any], Any], context: Any, initializer: Callable[[], None] | None) -> None:
    """A ``map_fresh`` worker's first step: end with the build (``lifeline.die_with``), keep ``fn`` and ``context``."""
    from archive_build.build.lifeline import die_with

    global _FRESH
    die_with(build)
    _FRESH = (fn, context)
    if initializer is not None:
        initializer()


def _call_fresh(items: list[Any]) -> list[Any]:
    assert _FRESH is not None
    fn, context = _FRESH
    return [fn(context, item) for item in items]


class Workers:
    """The processes of one build, started on first use and stopped on ``close`` (or leaving ``with``)."""

    def __init__(self, count: int | None = None, budget: Any = None) -> None:
        self.count = count or os.cpu_count() or 1
        # A ``budget.Budget``: ``map`` then runs every batch, however small, in
        # supervised workers that stop an item over the budget (``build/supervised.py``).
        self.budget = budget
        self._initializer: Callable[..., None] | None = None
        self._initargs: tuple[Any, ...] = ()
        self._pool: Any = None
        self._supervised: Any = None
        self._forked: list[_Forked] = []

    def prepare(self, initializer: Callable[..., None], *initargs: Any) -> None:
        """What every worker runs once when it starts (call before the first ``map``)."""
        self._initializer, self._initargs = initializer, initargs

    def map(self, fn: Callable[[T], R], items: list[T]) -> Iterator[R]:
        """``fn`` over ``items``, results in order; lazily, in this process, for small batches.

        Under a budget, an item that broke it gives a ``supervised.Stopped``.
        """
        if self._budgeted():
            return self._supervisor().map(fn, items)
        return self._unsupervised_map(fn, items)

    def _unsupervised_map(self, fn: Callable[[T], R], items: list[T]) -> Iterator[R]:
        if len(items) < POOL_THRESHOLD or self.count == 1:
            return map(fn, items)
        return self._executor().map(fn, items, chunksize=self._chunksize(len(items)))

    def start(self) -> None:
        """Start the workers now (each runs the ``prepare``d initializer), for a ``map`` to come."""
        if self._budgeted():
            self._supervisor().start()
        elif self.count > 1:
            pool = self._executor()
            for _ in range(self.count):
                pool.submit(_nothing)  # (the pool starts its processes on the first task)

    def _budgeted(self) -> bool:
        from archive_build.build import supervised

        return self.budget is not None and supervised.available()

    def _supervisor(self) -> Any:
        if self._supervised is None:
            from archive_build.build.supervised import SupervisedPool

            self._supervised = SupervisedPool(self.count, self.budget, self._initializer, self._initargs)
        return self._supervised

    def _executor(self) -> Any:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=self.count, initializer=_start_worker, initargs=(os.getpid(), self._initializer, self._initargs)
            )
        return self._pool

    def map_fresh(
        self, fn: Callable[[C, T], R], context: C, items: list[T], initializer: Callable[[], None] | None = None,
        preload: tuple[str, ...] = (),
    ) -> Iterator[R]:
        """``fn(context, item)`` for each item, in workers started now from a small server process, not copied from this one.

        For work over objects this large process holds (the collected
        articles), a little of it per item.  A worker forked from this
        process writes the reference count of every object it reads and
        allocates into this process's freed memory, and each page it
        writes becomes a private copy: the render workers forked here ended
        with 1.8 GB each at 100,000 articles.  These start from Python's
        fork server (which has imported ``preload``), receive ``fn``,
        ``context`` and ``initializer`` once and each item pickled (an
        article's card: 30 microseconds to pickle).  Replaces the current
        workers.  Where forking is not safe, they run as by ``map``.
        """
        if len(items) < POOL_THRESHOLD or self.count == 1 or not CAN_FORK:
            return self._unsupervised_map(functools.partial(fn, context), items)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.close()
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(list(preload))
        self._pool = ProcessPoolExecutor(
            max_workers=self.count, mp_context=server, initializer=_start_fresh_worker, initargs=(os.getpid(), fn, context, initializer),
        )
        return self._windowed(items, self._chunksize(len(items)))

    def _windowed(self, items: list[Any], chunksize: int) -> Iterator[Any]:
        """The items' results in order, with at most a few chunks asked for ahead of the caller.

        ``Executor.map`` asks for every chunk at once, and the results the
        caller has not taken yet wait in this process: when it writes them
        more slowly than the workers render (a slow disk), they piled up
        to 260 MB above the build's peak.
        """
        chunks = (items[start : start + chunksize] for start in range(0, len(items), chunksize))
        pending: deque[Any] = deque()
        for chunk in itertools.islice(chunks, 4 * self.count):
            pending.append(self._pool.submit(_call_fresh, chunk))
        while pending:
            results = pending.popleft().result()
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(self._pool.submit(_call_fresh, chunk))
            yield from results

    def _chunksize(self, n: int) -> int:
        """Chunks big enough to amortise the round trip, small enough to balance the load."""
        return max(1, min(64, n // (self.count * 8) or 1))

    def background(self, fn: Callable[..., R], *args: Any, worth_it: bool = True) -> Callable[[], R]:
        """Start ``fn(*args)`` in a forked copy of this process; call the returned function for its result.

        This process goes on with other work meanwhile; ``fn`` sees the
        objects as they are now, whatever this process changes afterwards.
        Where forking is not safe, or not ``worth_it`` (forking a large
        process and the copies of the memory it then writes cost tens of
        milliseconds), ``fn`` runs here and now.
        """
        if worth_it and CAN_FORK and self.count > 1:
            self.close()  # the pool's workers are not copied into the child
            try:
                job = _Forked(fn, args)
            except OSError:  # no process to spare (EAGAIN, ENOMEM): here, then
                pass
            else:
                self._forked.append(job)
                return job
        value = fn(*args)
        return lambda: value

    def close(self) -> None:
        """Stop the workers (their memory is freed before the build's own peak)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._supervised is not None:
            self._supervised.close()
            self._supervised = None

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        for job in self._forked:
            job.cancel()
        self._forked.clear()


def return_freed_memory() -> None:
    """Give the pages this process has freed back to the system (glibc's ``malloc_trim``).

    Freed memory stays in the process otherwise, and a worker forked later
    that allocates into it makes a private copy of every page it writes:
    after the texts of 10,000 articles were let go, the render workers
    copied a fifth of a GB each that way.  Nothing where glibc is not there.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Forked:
    """``fn(*args)`` running in a forked child, which sends back its pickled result (or exception)."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        read, write = os.pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: never returns
            os.close(read)
            try:
                from archive_build.build.lifeline import die_with_parent

                die_with_parent(parent)
                with os.fdopen(write, "wb") as out:
                    out.write(_outcome(fn, args))
            finally:
                os._exit(0)
        os.close(write)
        self._pid: int | None = pid
        self._read = read
        self._outcome: tuple[bool, Any] | None = None

    def __call__(self) -> Any:
        if self._outcome is None:
            with os.fdopen(self._read, "rb") as f:
                data = f.read()
            self._reap()
            self._outcome = pickle.loads(data) if data else (False, RuntimeError("the background process ended without a result"))
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def _reap(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None

    def cancel(self) -> None:
        """Stop the child if its result was never asked for (the build failed meanwhile)."""
        if self._pid is not None and self._outcome is None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            os.close(self._read)
            self._reap()


def _outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> bytes:
    """``(True, fn(*args))`` pickled, or ``(False, the exception)`` with the child's traceback as a note."""
    try:
        return pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        if hasattr(exc, "add_note"):  # Python 3.11+
            exc.add_note("in the build's background process:\n" + traceback.format_exc())
        try:
            return pickle.dumps((False, exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            return pickle.dumps((False, RuntimeError(traceback.format_exc())))
