"""make serve, end to end: an edited annotation and a new article reach the served site without a restart."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from testkit.cli import BIN, cli_env, run_cli
from testkit.skeleton import make_project

pytestmark = pytest.mark.slow  # a real `mkdocs serve` over a small generated archive


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _served(url: str, text: str, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the local server
                if text in response.read().decode("utf-8", "replace"):
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


@pytest.fixture()
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    project = tmp_path / "archive"
    make_project(project, 6, seed=5)
    run_cli(project, "build", "--quiet", check=True)
    port = _free_port()
    cmd = [str(BIN / "mkdocs"), "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}", "--watch", "raw", "--watch", "annotations"]
    env = {**os.environ, **cli_env(), "ARCHIVE_BUILD_ON_SERVE": "1", "NO_MKDOCS_2_WARNING": "1"}
    log = open(tmp_path / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_an_edited_annotation_is_served_without_a_restart(served) -> None:  # type: ignore[no-untyped-def]
    project, base = served
    annotation = sorted((project / "annotations").glob("*.yml"))[0]
    page = f"{base}articles/{annotation.stem}/"
    assert _served(page, "<article", 600), (project.parent / "serve.log").read_text("utf-8")[-2000:]
    for edit in ("first", "second"):  # the first rebuild after the served one, and one after that
        data = yaml.safe_load(annotation.read_text("utf-8"))
        data["annotations"][0]["body"] = f"Served-live-{edit}-edit " + str(data["annotations"][0]["body"])
        annotation.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        assert _served(page, f"Served-live-{edit}-edit"), (project.parent / "serve.log").read_text("utf-8")[-2000:]


def test_a_new_article_is_served_without_a_restart(served) -> None:  # type: ignore[no-untyped-def]
    project, base = served
    raw = sorted((project / "raw").iterdir())[0]
    assert _served(f"{base}articles/{raw.stem}/", "<article", 600), (project.parent / "serve.log").read_text("utf-8")[-2000:]
    (project / "raw" / f"zz-added-live{raw.suffix}").write_bytes(raw.read_bytes())
    assert _served(f"{base}articles/zz-added-live/", "<article"), (project.parent / "serve.log").read_text("utf-8")[-2000:]
