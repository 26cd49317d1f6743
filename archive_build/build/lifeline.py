"""Worker processes end with the build that started them.

A build killed with SIGKILL cannot stop its workers, and a pool worker
waiting for its next task would wait for good (each holding hundreds of
megabytes, and a copy of the build lock).  ``die_with_parent`` is called
first thing in every worker: on Linux the kernel then sends the worker
SIGKILL when its parent dies (``PR_SET_PDEATHSIG``); elsewhere a daemon
thread notices the parent is gone (the worker is re-parented) and exits.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_POLL_SECONDS = 1.0


def _prctl_deathsig() -> bool:
    """Ask the kernel for SIGKILL when the parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(1)


def die_with_parent(parent: int | None = None) -> None:
    """Make this (child) process end when ``parent`` (by default its parent now) does.

    Also drops the child's copy of the build lock (``build_lock.forget_in_child``).
    """
    from archive_build.build.lock import forget_in_child

    forget_in_child()
    parent = os.getppid() if parent is None else parent
    if not _prctl_deathsig():
        threading.Thread(target=_watch, args=(parent,), name="archive-build-lifeline", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
