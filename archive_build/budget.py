"""Per-article budgets: how long and how much memory one article's processing may take.

One contributed file must never stall the archive.  The passes over an
article's text are linear, but a budget is the guarantee that holds for
code not yet written too: the build's article workers run under a
supervisor (``build/supervised.py``) that stops a worker whose article takes
longer than ``Budget.seconds`` and starts a fresh one, and each worker's
address space is limited to ``Budget.memory_mb`` more than it started with
(an allocation beyond it fails, or the worker dies, and the supervisor
reports the article).  Either way the article is reported as an error
naming the stage it was in, and the rest of the archive is built.

``stage`` marks where an article's processing is; it costs a store into
shared memory, so the supervisor can name the stage of a worker it stops.
"""
from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from typing import Any

DEFAULT_SECONDS = 30.0
DEFAULT_MEMORY_MB = 2048
_STAGE_BYTES = 96


@dataclass(frozen=True)
class Budget:
    """The limits of one article's processing (``archive-build build --article-timeout/--article-memory``)."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int | None = DEFAULT_MEMORY_MB

    def too_slow(self, stage: str) -> str:
        return (
            f"processing took longer than {self.seconds:g} s; stopped while {stage or 'starting'}; "
            "the article is left out of this build (the rest is built): its text has a shape the cleaner "
            "handles slowly, please report it (a larger budget: --article-timeout)"
        )

    def died(self, stage: str, how: str) -> str:
        """A worker that ended on its own: past the memory limit, most likely (an allocation in C that failed)."""
        likely = f", most likely past the memory limit of {self.memory_mb:,} MB (--article-memory)" if self.memory_mb else ""
        return (
            f"processing stopped: its worker ended ({how}) while {stage or 'starting'}{likely}; "
            "the article is left out of this build (the rest is built)"
        )

    def too_big(self, stage: str) -> str:
        return (
            f"processing needed more than {self.memory_mb:,} MB of memory; stopped while {stage or 'starting'}; "
            "the article is left out of this build (the rest is built; a larger limit: --article-memory)"
        )


class Slot:
    """A worker's shared record of what it is doing: the item, since when, and the stage.

    Lives in shared memory made before the worker forks, so the supervisor
    reads it without asking the worker (which may be stuck in C code).
    """

    def __init__(self) -> None:
        import multiprocessing

        self._item = multiprocessing.RawValue(ctypes.c_long, -1)
        self._since = multiprocessing.RawValue(ctypes.c_double, 0.0)
        self._stage = multiprocessing.RawArray(ctypes.c_char, _STAGE_BYTES)

    def begin(self, item: int, now: float) -> None:
        self._stage.value = b""
        self._since.value = now
        self._item.value = item

    def idle(self) -> None:
        self._item.value = -1

    def mark(self, stage: str) -> None:
        self._stage.value = stage.encode("utf-8", "replace")[: _STAGE_BYTES - 1]

    @property
    def item(self) -> int:
        return self._item.value

    @property
    def since(self) -> float:
        return self._since.value

    @property
    def stage(self) -> str:
        return self._stage.value.decode("utf-8", "replace")


# The slot of this process, when it is a supervised worker.
_SLOT: Slot | None = None


def stage(name: str) -> None:
    """Note that this process's article has reached stage ``name`` (for the supervisor's report)."""
    if _SLOT is not None:
        _SLOT.mark(name)


def current_stage() -> str:
    return _SLOT.stage if _SLOT is not None else ""


def serve_as(slot: Slot | None) -> None:
    """This process is a supervised worker writing into ``slot``."""
    global _SLOT
    _SLOT = slot


def limit_memory(extra_mb: int | None) -> None:
    """Allow this process ``extra_mb`` MB of address space beyond what it holds now (Linux; elsewhere nothing).

    The address space, not the resident size: a worker forked from the build
    shares most of its pages, and it is the growth that a hostile article
    causes.  An allocation past the limit fails (``MemoryError`` in Python).
    """
    if not extra_mb:
        return
    try:
        import resource

        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[0])
        now = pages * os.sysconf("SC_PAGE_SIZE")
        limit = now + extra_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no rlimits here: the time budget still holds


def describe_exit(code: Any) -> str:
    """How a worker process ended, for a message (``Process.exitcode``)."""
    if isinstance(code, int) and code < 0:
        import signal

        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"
