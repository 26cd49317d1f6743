"""Worker processes end with the build that started them, even one killed with SIGKILL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A "build" that starts its pool, reports the workers' pids and waits to be killed.
_BUILD = """
import os, sys, time
from archive_build.build.workers import Workers

def pid(_):
    return os.getpid()

pool = Workers(2)
pool.prepare(lambda: None)
pids = set(pool.map(pid, list(range(200))))
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended
    except OSError:
        return False


def _survivors_of_killed_build(cmd: list[str]) -> tuple[list[int], list[int]]:
    """Start a build that prints its workers' pids, kill it, and give its workers and its process group a while to end.

    Returns the workers still running, and the processes of its group still running.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert workers and all(_alive(p) for p in workers)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (any(_alive(p) for p in workers) or _group(proc.pid)):
            time.sleep(0.05)
        return [p for p in workers if _alive(p)], _group(proc.pid)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_pool_workers_end_when_their_build_is_killed() -> None:
    assert _survivors_of_killed_build([sys.executable, "-c", _BUILD]) == ([], [])


# The same with the render's workers, which start from Python's fork server, not from the build.
_FRESH_BUILD = """
import os, sys, time
from archive_build.build.workers import Workers

def pid(context, item):
    return os.getpid()

if __name__ == "__main__":
    pool = Workers(2)
    pids = set(pool.map_fresh(pid, None, list(range(200))))
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_fresh_workers_and_their_server_end_when_their_build_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "fresh_build.py"
    script.write_text(_FRESH_BUILD)
    # No worker left, nor the fork server or the resource tracker in the build's group.
    assert _survivors_of_killed_build([sys.executable, str(script)]) == ([], [])


def _group(pgid: int) -> list[int]:
    """The running processes of a process group."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and _alive(int(name)):
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(") ", 1)[1].split()[2]) == pgid:
                        found.append(int(name))
            except (OSError, IndexError, ValueError):
                continue
    return found
