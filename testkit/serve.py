"""`make serve` as the tests and `make bench-serve` run it: a real `mkdocs serve` of a project, and waiting for a page."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def page(url: str) -> str:
    """The page at ``url`` as text ("" while it cannot be had)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - localhost only
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def wait_for(url: str, text: str, timeout: float) -> float | None:
    """Seconds until the page at ``url`` holds ``text``; None if it does not within ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in page(url):
            return time.perf_counter() - start
        time.sleep(0.1)
    return None


@contextlib.contextmanager
def serving(project: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve` of ``project`` as the Makefile's serve target runs it (its output into ``log``); yields the site's address."""
    base = f"http://127.0.0.1:{free_port()}/"
    cmd = [
        str(BIN / "mkdocs"), "serve", "--dirty", "--no-strict", "-a", base.split("//")[1].rstrip("/"),
        "--watch", "raw", "--watch", "annotations", "--watch", "entities.yml",
    ]
    env = {**os.environ, "ARCHIVE_BUILD_ON_SERVE": "1", "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def prepend_to_first_note(annotations: Path, words: str) -> None:
    """Edit the annotation file ``annotations``: ``words`` before the body of its first note."""
    import yaml

    data = yaml.safe_load(annotations.read_text(encoding="utf-8"))
    data["annotations"][0]["body"] = words + str(data["annotations"][0]["body"])
    annotations.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
