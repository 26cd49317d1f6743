"""Worker processes end with the build that started them.

A build killed with SIGKILL cannot stop its workers, and a pool worker
waiting for its next task would wait for good (each holding hundreds of
megabytes, and a copy of the build lock).  ``die_with_parent`` is called
first thing in every worker: on Linux the kernel then sends the worker
SIGKILL when its parent dies (``PR_SET_PDEATHSIG``); elsewhere a daemon
thread notices the parent is gone (the worker is re-parented) and exits.
A worker the build did not fork itself (``Workers.map_fresh``'s, whose
parent is Python's fork server) calls ``die_with`` the build's process id
instead.
"""
from __future__ import annotations

import os
import select
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


def _wait_for_exit(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except AttributeError:  # not Linux 5.3+: look every so often
        while _running(pid):
            time.sleep(_POLL_SECONDS)
    except OSError:  # gone already
        pass
    else:
        select.select([fd], [], [])
    os._exit(1)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def die_with(pid: int) -> None:
    """Make this process end when the process ``pid`` (the build; not this process's parent) does.

    The fork server's workers cannot be told by the kernel: their parent
    is the server, and the server waits for them to end before it does.
    A daemon thread waits for the build to end (``pidfd_open``), then exits.
    """
    from archive_build.build.lock import forget_in_child

    forget_in_child()
    threading.Thread(target=_wait_for_exit, args=(pid,), name="archive-build-lifeline", daemon=True).start()
