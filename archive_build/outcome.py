"""The outcome of the last build, which ``archive-build site`` reads before it publishes.

Written into the cache folder when a build starts ("running" and its pid)
and again, last of all, when it ends ("ok", or "failed" and why), so a
build that was killed, crashed or reported errors is never published as if
it had succeeded.
"""
from __future__ import annotations

import os

from archive_build.project import Project

NAME = "last-build"
OK = "ok"


def record(project: Project, status: str) -> None:
    """Note the build's status (one line), atomically."""
    from archive_build.store.cache import write_cache_file

    write_cache_file(project.cache / NAME, (status.replace("\n", " ") + "\n").encode("utf-8"))


def running(project: Project) -> None:
    record(project, f"running {os.getpid()}")


def last(project: Project) -> str | None:
    """"ok"; why the last build did not succeed; or None when no build was recorded."""
    try:
        status = (project.cache / NAME).read_text("utf-8", errors="replace").strip()
    except OSError:
        return None
    if status.startswith("running "):
        return "it was interrupted before it finished"
    return status
