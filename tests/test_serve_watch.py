"""make serve: the big input folders are watched natively, and an edit there still triggers a rebuild."""
from __future__ import annotations

import time
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from archive_build import site_hooks


def _server(tmp_path: Path) -> LiveReloadServer:
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def test_an_edit_in_a_natively_watched_folder_asks_for_a_rebuild(tmp_path: Path) -> None:
    raw, other = tmp_path / "raw", tmp_path / "docs"
    raw.mkdir()
    other.mkdir()
    server = _server(tmp_path)
    server.watch(str(raw))
    server.watch(str(other))
    site_hooks._watch_natively(server, [str(raw)])
    # raw/ left MkDocs' polling observer (never started here, so only the native one can see the edit).
    assert {e.watch.path for e in server.observer.emitters} == {str(other)}
    assert str(raw) in server._watched_paths and str(other) in server._watched_paths
    (raw / "new.txt").write_text("x", encoding="utf-8")
    deadline = time.monotonic() + 5
    while not server._want_rebuild and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server._want_rebuild


def test_folders_not_watched_by_mkdocs_are_left_alone(tmp_path: Path) -> None:
    server = _server(tmp_path)
    site_hooks._watch_natively(server, [str(tmp_path / "raw")])
    assert server._watched_paths == {}
