"""make serve: the big input folders are watched natively, and an edit there still triggers a rebuild."""
from __future__ import annotations

import time
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from archive_build.site.plugin import serve
from archive_build.site.plugin.plugin import ArchivePlugin


def _server(tmp_path: Path) -> LiveReloadServer:
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def test_an_edit_in_a_natively_watched_folder_asks_for_a_rebuild(tmp_path: Path) -> None:
    raw, other = tmp_path / "raw", tmp_path / "docs"
    raw.mkdir()
    other.mkdir()
    server = _server(tmp_path)
    server.watch(str(other))
    serve.watch_natively(server, [str(raw)])
    # raw/ is not on MkDocs' polling observer (never started here, so only the native one can see the edit).
    assert {e.watch.path for e in server.observer.emitters} == {str(other)}
    assert str(raw) in server._watched_paths
    (raw / "new.txt").write_text("x", encoding="utf-8")
    deadline = time.monotonic() + 5
    while not server._want_rebuild and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server._want_rebuild


def test_serve_takes_raw_and_annotations_out_of_mkdocs_polling_however_they_were_named(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("raw", "annotations", "docs"):
        (tmp_path / name).mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARCHIVE_BUILD_ON_SERVE", "1")
    config = {"docs_dir": str(tmp_path / "docs"), "config_file_path": str(tmp_path / "mkdocs.yml"), "watch": ["raw", f"{tmp_path}/annotations/", "entities.yml"]}
    server = _server(tmp_path)
    server.watch(config["docs_dir"])  # what `mkdocs serve` does before on_serve
    server = ArchivePlugin().on_serve(server, config=config, builder=None)
    for item in config["watch"]:  # ... and after it
        server.watch(item)
    polled = {e.watch.path for e in server.observer.emitters}
    assert config["watch"] == ["entities.yml"]
    assert str(tmp_path / "entities.yml") in polled
    assert not {p for p in polled if p.startswith((str(tmp_path / "raw"), str(tmp_path / "annotations")))}
    assert {str(tmp_path / "raw"), str(tmp_path / "annotations")} <= set(server._watched_paths)


def test_folders_not_asked_for_with_watch_are_not_watched(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "raw").mkdir()
    (tmp_path / "docs").mkdir()
    monkeypatch.setenv("ARCHIVE_BUILD_ON_SERVE", "1")
    config = {"docs_dir": str(tmp_path / "docs"), "config_file_path": str(tmp_path / "mkdocs.yml"), "watch": []}
    server = _server(tmp_path)
    server.watch(config["docs_dir"])
    server = ArchivePlugin().on_serve(server, config=config, builder=None)
    assert str(tmp_path / "raw") not in server._watched_paths


def test_reading_a_file_in_a_natively_watched_folder_does_not_ask_for_a_rebuild(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("x", encoding="utf-8")
    server = _server(tmp_path)
    serve.watch_natively(server, [str(raw)])
    time.sleep(0.2)
    (raw / "a.txt").read_bytes()  # what the build does with the files it is rebuilt for
    time.sleep(0.5)
    assert not server._want_rebuild
    (raw / "a.txt").write_text("y", encoding="utf-8")
    deadline = time.monotonic() + 5
    while not server._want_rebuild and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server._want_rebuild


def _listed(tmp_path: Path) -> tuple[object, object, object]:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins: []\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = get_files(config)
    return config, files, get_navigation(files, config)


def _docs(tmp_path: Path, *names: str) -> None:
    for name in names:
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(f"# {name}\n", encoding="utf-8")


def test_pages_the_build_step_adds_or_removes_while_mkdocs_lists_the_files_are_in_the_rebuild(tmp_path: Path) -> None:
    _docs(tmp_path, "index.md", "articles/a.md")
    config, files, nav = _listed(tmp_path)
    _docs(tmp_path, "articles/b.md")
    (tmp_path / "docs" / "articles" / "a.md").unlink()
    nav = serve.reconcile(files, nav, config)
    assert sorted(f.src_uri for f in files.documentation_pages()) == ["articles/b.md", "index.md"]  # type: ignore[attr-defined]
    assert sorted(p.file.src_uri for p in nav.pages) == ["articles/b.md", "index.md"]  # type: ignore[attr-defined]


def test_a_rebuild_whose_build_step_only_changed_pages_keeps_the_files_mkdocs_listed(tmp_path: Path) -> None:
    _docs(tmp_path, "index.md", "articles/a.md")
    config, files, nav = _listed(tmp_path)
    _docs(tmp_path, "articles/a.md")  # written again
    assert serve.reconcile(files, nav, config) is nav


def test_after_a_finished_rebuild_only_the_generated_pages_the_build_step_wrote_count_as_modified(tmp_path: Path) -> None:
    _docs(tmp_path, "index.md", "articles/a.md", "articles/b.md")
    config, files, _nav = _listed(tmp_path)
    rebuild = serve.ServeRebuild()
    rebuild.mark_modified(files, config["docs_dir"])  # type: ignore[index]
    assert [f.is_modified() for f in files] == [True, True, True]  # type: ignore[attr-defined]  # nothing rendered yet: MkDocs' own answer
    rebuild.rendered()
    rebuild.unrendered = {"articles/b.md"}
    rebuild.mark_modified(files, config["docs_dir"])  # type: ignore[index]
    modified = {f.src_uri: f.is_modified() for f in files}  # type: ignore[attr-defined]
    assert modified == {"articles/a.md": False, "articles/b.md": True, "index.md": True}  # index.md: hand-written, MkDocs asks
