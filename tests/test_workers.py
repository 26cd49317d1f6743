"""Building in several processes gives exactly what building in one does."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from archive_build.build import build
from archive_build.build.workers import CAN_FORK, POOL_THRESHOLD, Workers
from archive_build.project import Project
from archive_build.store.memo import Remembered, memo_value
from testkit.generate import generate

from .conftest import copy_project

GENERATED = ("docs/articles", "docs/entities", "docs/browse", "docs/data", "docs/.generated", "site-data")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for d in GENERATED for p in sorted((root / d).rglob("*")) if p.is_file()}


def test_a_build_in_worker_processes_writes_the_same_files_as_one_in_a_single_process(tmp_path: Path) -> None:
    roots = []
    for name, workers in (("serial", 1), ("parallel", 2)):
        root = copy_project(tmp_path / name, raw=False, annotations=False, entities=False)
        generate(root, POOL_THRESHOLD + 16)
        result = build(Project(root), workers=workers, progress=False)
        assert not result.errors and result.processed == POOL_THRESHOLD + 16
        roots.append(root)
    serial, parallel = (_files(r) for r in roots)
    assert len(serial) > 4 * (POOL_THRESHOLD + 16)
    assert serial.keys() == parallel.keys()
    assert [k for k in serial if serial[k] != parallel[k]] == []


def _snapshot(items: list[str]) -> list[str]:
    return list(items)


def test_a_background_job_sees_the_objects_as_they_were_when_it_started() -> None:
    items = ["a"]
    with Workers(2) as pool:
        job = pool.background(_snapshot, items)
        items.append("b")
        assert job() == ["a"]


def _fail() -> None:
    raise ValueError("broken in the background")


@pytest.mark.skipif(not CAN_FORK, reason="runs in this process where forking is not safe")
def test_an_exception_in_a_background_process_is_raised_where_its_result_is_asked_for() -> None:
    with Workers(2) as pool:
        job = pool.background(_fail)
        with pytest.raises(ValueError, match="broken in the background"):
            job()


def test_a_remembered_value_handed_between_processes_loads_from_the_cache_or_says_it_is_gone(tmp_path: Path) -> None:
    memo_value(tmp_path, "tree", ["k"], lambda: {"a.md": b"A"}, lazy=True)
    remembered = memo_value(tmp_path, "tree", ["k"], lambda: {"a.md": b"recomputed"}, lazy=True)
    assert isinstance(remembered, Remembered)
    copy = pickle.loads(pickle.dumps(remembered))
    assert copy.load() == {"a.md": b"A"}
    (tmp_path / "tree.pickle").unlink()
    assert remembered.load() == {"a.md": b"recomputed"}
    with pytest.raises(LookupError):
        copy.load()


def _edit_annotations(root: Path, count: int) -> list[str]:
    """Change the body of the first annotation in ``count`` annotation files; their article ids."""
    import yaml

    ids = []
    for path in sorted((root / "annotations").glob("*.yml"))[:count]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["annotations"][0]["body"] = "Edited. " + data["annotations"][0]["body"]
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
        ids.append(path.stem)
    return ids


def test_a_rebuild_that_rewrites_most_pages_keeps_the_unchanged_ones_untouched_and_matches_a_fresh_build(tmp_path: Path) -> None:
    n = POOL_THRESHOLD + 16
    root = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    generate(root, n)
    build(Project(root), workers=2, progress=False)
    pages = root / "docs" / "articles"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pages.glob("*.md")}
    edited = {f"{i}.md" for i in _edit_annotations(root, n // 2)}
    import shutil

    shutil.rmtree(root / ".cache")  # every page rendered again: the unchanged ones byte for byte
    result = build(Project(root), workers=2, progress=False)
    assert not result.errors
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pages.glob("*.md")}
    assert after.keys() == before.keys()
    untouched = [name for name in before if name not in edited and name != "index.md"]
    assert untouched and all(after[name] == before[name] for name in untouched)
    assert all(after[name] != before[name] for name in edited)
    fresh = copy_project(tmp_path / "fresh", raw=False, annotations=False, entities=False)
    generate(fresh, n)
    _edit_annotations(fresh, n // 2)
    build(Project(fresh), workers=1, progress=False)
    assert _files(root) == _files(fresh)
    assert not [p for p in root.rglob("*") if ".tmp-" in p.name]


def test_a_rebuild_that_renders_every_page_again_to_the_same_bytes_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archive_build.version as version_module

    root = copy_project(tmp_path / "archive", raw=False, annotations=False, entities=False)
    generate(root, POOL_THRESHOLD + 16)
    build(Project(root), workers=2, progress=False)
    before = {p: p.stat().st_mtime_ns for d in GENERATED for p in (root / d).rglob("*") if p.is_file()}
    version = version_module.code_version()
    monkeypatch.setattr(version_module, "code_version", lambda: version + "-upgraded")  # as after an upgrade: every cache key differs
    result = build(Project(root), workers=2, progress=False)
    assert result.processed == POOL_THRESHOLD + 16
    assert result.written == 0
    assert {p: p.stat().st_mtime_ns for p in before} == before
    assert not [p for p in root.rglob("*") if ".tmp-" in p.name]


def test_an_articles_texts_loader_pickles_as_the_caches_folder_and_its_place_in_it(tmp_path: Path) -> None:
    from archive_build.build import JobResult
    from archive_build.model import Article
    from archive_build.store.articles import ArticleStore, pack_result

    store = ArticleStore(tmp_path)
    for n in range(50):
        article = Article(id=f"a{n}", raw=f"raw/a{n}.txt", sha256="0", format="txt", body="Body text. " * 1000)
        store.put(f"raw/a{n}.txt", "key", pack_result(JobResult(article, [])), at=f"a{n}")
    store.save()
    loader = store.loaders("raw/a7.txt", "key", at="a7")["texts"]
    loader()  # its shard is now loaded in this store
    sent = pickle.dumps(loader)
    assert len(sent) < 300
    assert pickle.loads(sent)()["body"] == "Body text. " * 1000


def test_a_render_worker_hands_back_an_article_whose_texts_the_cache_lost(tmp_path: Path) -> None:
    from archive_build.build.render import TEXTS_GONE, RenderTask, render
    from archive_build.model import Article
    from archive_build.store.articles import ArticleStore, Texts

    texts = Texts()
    texts.add("a", ArticleStore(tmp_path).loaders("raw/a.txt", "key", rebuild=lambda: None, at="a"))
    sent = pickle.loads(pickle.dumps(texts.only("a")))  # as a worker gets it: no way to rebuild the article
    task = RenderTask(Article(id="a", raw="raw/a.txt", sha256="0", format="txt"), True, None, {}, sent)
    assert render(None, task) == TEXTS_GONE
