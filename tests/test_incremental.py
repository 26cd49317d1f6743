"""Rebuilds touch only what changed: the promise `mkdocs serve --dirtyreload` and deploy tools rely on.

Each test builds a throw-away copy of the seed archive twice with the real
``archive-build`` and compares every generated file's modification time and
inode before and after.
"""
from __future__ import annotations

import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive_build.output import KEEP, sync_tree, tree_stats

from .conftest import copy_project, run_cli

TREES = ("articles", "browse", "entities", ".generated")


def _snapshot(project: Path) -> dict[str, tuple[int, int]]:
    """Every generated file under docs/ → (mtime_ns, inode)."""
    out = {}
    for tree in TREES:
        base = project / "docs" / tree
        if not base.is_dir():
            continue
        for p in base.rglob("*"):
            if p.is_file():
                st = p.stat()
                out[p.relative_to(project / "docs").as_posix()] = (st.st_mtime_ns, st.st_ino)
    return out


def _changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def _written(stderr: str) -> int:
    m = re.search(r"\((\d+) files written", stderr)
    assert m, stderr
    return int(m.group(1))


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "archive")
    run_cli(project, "build", "--quiet", check=True)
    return project


def test_a_rebuild_with_no_input_changed_rewrites_no_file(built: Path) -> None:
    before = _snapshot(built)
    proc = run_cli(built, "build", "--quiet", check=True)
    assert _written(proc.stderr) == 0
    assert _changed(before, _snapshot(built)) == set()


def test_a_no_op_rebuild_still_prints_the_summary_and_problems(built: Path) -> None:
    first = run_cli(built, "build", "--quiet", check=True)
    again = run_cli(built, "build", "--quiet", check=True)
    summary = lambda s: re.sub(r"[\d.]+ s \(.*\)", "", s.strip().splitlines()[-1])  # noqa: E731
    assert summary(again.stderr) == summary(first.stderr)
    assert again.stderr.strip().splitlines()[:-1] == first.stderr.strip().splitlines()[:-1]


def test_changing_one_annotation_rewrites_only_its_article_and_the_pages_listing_it(built: Path) -> None:
    article = "2023-05-30-drone-attack-on-moscow"
    ann = built / "annotations" / f"{article}.yml"
    before = _snapshot(built)
    ann.write_text(ann.read_text(encoding="utf-8").replace("is a typo in the original", "is a misprint in the original", 1), encoding="utf-8")
    run_cli(built, "build", "--quiet", check=True)
    changed = _changed(before, _snapshot(built))
    assert f"articles/{article}.md" in changed
    assert "misprint" in (built / "docs" / "articles" / f"{article}.md").read_text(encoding="utf-8")
    others = {c for c in changed if c.startswith(("articles/", "entities/")) and c != f"articles/{article}.md"}
    assert others == set()
    assert changed <= {f"articles/{article}.md", "browse/annotations.md", ".generated/latest.md", ".generated/annotations.md"}


def test_a_generated_file_edited_by_hand_is_restored_by_the_next_build(built: Path) -> None:
    page = built / "docs" / "articles" / "2023-05-30-drone-attack-on-moscow.md"
    original = page.read_bytes()
    page.write_bytes(b"edited by hand\n")
    run_cli(built, "build", "--quiet", check=True)
    assert page.read_bytes() == original


def test_a_page_whose_cached_text_is_gone_is_rebuilt_from_the_raw_file(built: Path) -> None:
    page = built / "docs" / "articles" / "2023-05-30-drone-attack-on-moscow.md"
    original = page.read_bytes()
    shutil.rmtree(built / ".cache" / "archive-build" / "articles" / "texts")
    page.write_bytes(b"edited by hand\n")
    proc = run_cli(built, "build", "--quiet", check=True)
    assert page.read_bytes() == original
    assert "Traceback" not in proc.stderr


def test_a_cached_article_comes_as_a_card_and_its_text_is_handed_out_on_request(tmp_path: Path) -> None:
    from archive_build.build import JobResult
    from archive_build.model import Article
    from archive_build.store.articles import ArticleStore, Texts, pack_result

    article = Article(id="a", raw="raw/a.txt", sha256="0", format="txt", title="A", body="Body text.\n", plain="Body text.")
    store = ArticleStore(tmp_path)
    store.put("raw/a.txt", "key", pack_result(JobResult(article, [])))
    store.save()
    result, loaders = ArticleStore(tmp_path).get("raw/a.txt", "key")
    card = result.article
    assert card.title == "A" and card.body == "" and card.plain == ""
    texts = Texts()
    texts.add("a", loaders)
    assert texts.load(card).body == "Body text.\n" and card.plain == "Body text."


def test_texts_lent_to_a_renderer_are_let_go_afterwards(tmp_path: Path) -> None:
    from archive_build.build import JobResult
    from archive_build.model import Article
    from archive_build.store.articles import Texts, pack_result, unpack_result

    article = Article(id="a", raw="raw/a.txt", sha256="0", format="txt", body="Body text.\n")
    result, loaders = unpack_result(pack_result(JobResult(article, [])))
    texts = Texts()
    texts.add("a", loaders)
    with texts.lent(result.article) as lent:
        assert lent.body == "Body text.\n"
    assert result.article.body == ""


def test_an_article_stored_in_this_build_hands_out_its_texts_from_the_cache_after_the_save(tmp_path: Path) -> None:
    from archive_build.build import JobResult
    from archive_build.model import Article
    from archive_build.store.articles import ArticleStore, pack_result

    store = ArticleStore(tmp_path)
    store.get("raw/a.txt", "key", at="a")  # its shard read before the put: not to be handed out stale
    article = Article(id="a", raw="raw/a.txt", sha256="0", format="txt", body="Body text.\n")
    store.put("raw/a.txt", "key", pack_result(JobResult(article, [])), at="a")
    store.save()
    assert store.loaders("raw/a.txt", "key", at="a")["texts"]()["body"] == "Body text.\n"


def test_a_process_that_keeps_few_shards_lets_the_least_recently_used_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive_build.store.cache import Shards

    shards = Shards(tmp_path, 8)
    for n in range(3):
        shards.put(f"name{n}", n, at=f"k{n}")
    shards.save()
    monkeypatch.setattr(Shards, "limit", None)
    Shards.keep_at_most(2)
    for n in (0, 1, 0, 2):
        shards.shard(f"name{n}", at=f"k{n}")
    from archive_build.store.cache import _shard

    assert set(shards.loaded) == {_shard("k0", 8), _shard("k2", 8)}
    assert shards.shard("name1", at="k1") == {"name1": 1}  # read again when asked for


def test_a_deleted_raw_article_disappears_from_the_generated_pages(built: Path) -> None:
    (built / "raw" / "2023-05-30-drone-attacks-on-moscow-stern.txt").unlink()
    (built / "raw" / "2023-05-30-drone-attacks-on-moscow-stern.meta.yml").unlink()
    (built / "annotations" / "2023-05-30-drone-attacks-on-moscow-stern.yml").unlink()
    run_cli(built, "build", "--quiet", "--keep-going")
    assert not (built / "docs" / "articles" / "2023-05-30-drone-attacks-on-moscow-stern.md").exists()


def test_a_deleted_raw_articles_bundle_is_dropped_from_its_open_data_pack(built: Path) -> None:
    from archive_build.opendata.packs import pack_of, read_index

    article = "2023-05-30-drone-attacks-on-moscow-stern"
    pack = built / "site-data" / pack_of(article)
    assert article in (read_index(pack) or {})
    (built / "raw" / f"{article}.txt").unlink()
    (built / "raw" / f"{article}.meta.yml").unlink()
    (built / "annotations" / f"{article}.yml").unlink()
    run_cli(built, "build", "--quiet", "--keep-going")
    assert article not in (read_index(pack) or {})


def test_sync_tree_keeps_unchanged_files_untouched_and_removes_stale_ones(tmp_path: Path) -> None:
    target = tmp_path / "tree"
    _, _, manifest = sync_tree(target, {"a.md": b"A", "b.md": b"B", "sub/c.md": b"C"})
    a_before = (target / "a.md").stat().st_mtime_ns
    written, unchanged, manifest = sync_tree(target, {"a.md": KEEP, "b.md": b"B2"}, manifest, tree_stats(target))
    assert (written, unchanged) == (1, 1)
    assert (target / "a.md").stat().st_mtime_ns == a_before
    assert (target / "b.md").read_bytes() == b"B2"
    assert not (target / "sub").exists()
    assert set(manifest) == {"a.md", "b.md"}


def test_sync_tree_swaps_the_whole_tree_when_most_files_change(tmp_path: Path) -> None:
    target = tmp_path / "tree"
    files = {f"{i}.md": b"old" for i in range(100)}
    sync_tree(target, files)
    inode = os.stat(target).st_ino
    written, _, _ = sync_tree(target, {k: b"new" for k in files})
    assert written == 100
    assert os.stat(target).st_ino != inode  # a fresh directory renamed into place
    assert all(p.read_bytes() == b"new" for p in target.iterdir())


def _site_pack(**bundles: dict[str, bytes]) -> bytes:
    """A pack as site-data/ holds it: article id → that article's files."""
    from archive_build.opendata.packs import pack

    return pack({article_id: pack(files) for article_id, files in bundles.items()})


def test_publish_unpacks_each_articles_bundle_at_its_public_paths(tmp_path: Path) -> None:
    from archive_build.opendata.packs import publish

    src, dest = tmp_path / "site-data", tmp_path / "site" / "data"
    src.mkdir()
    (src / "07.pack").write_bytes(_site_pack(a={"article.json": b"{}\n", "citation.bib": b"@misc{a}\n"}, b={"article.json": b"[]\n"}))
    assert publish(src, dest) == 3
    assert (dest / "articles" / "a" / "citation.bib").read_bytes() == b"@misc{a}\n"
    assert (dest / "articles" / "b" / "article.json").read_bytes() == b"[]\n"
    assert (dest / "articles" / "a" / "article.json").stat().st_mtime_ns == (src / "07.pack").stat().st_mtime_ns


def test_publish_again_rewrites_only_the_files_whose_bytes_changed(tmp_path: Path) -> None:
    from archive_build.opendata.packs import publish

    src, dest = tmp_path / "site-data", tmp_path / "site" / "data"
    src.mkdir()
    (src / "07.pack").write_bytes(_site_pack(a={"article.json": b"{}\n", "citation.bib": b"@misc{a}\n"}))
    assert publish(src, dest) == 2
    assert publish(src, dest) == 0
    bib = dest / "articles" / "a" / "citation.bib"
    kept = bib.stat().st_mtime_ns
    (src / ".tmp").write_bytes(_site_pack(a={"article.json": b"[]\n", "citation.bib": b"@misc{a}\n"}))
    os.replace(src / ".tmp", src / "07.pack")  # as the build rewrites a pack
    assert publish(src, dest) == 1
    assert (dest / "articles" / "a" / "article.json").read_bytes() == b"[]\n"
    assert bib.stat().st_mtime_ns == kept


def test_publish_with_a_list_of_names_places_only_those(tmp_path: Path) -> None:
    from archive_build.opendata.packs import publish

    src, dest = tmp_path / "site-data", tmp_path / "site" / "data"
    src.mkdir()
    (src / "01.pack").write_bytes(_site_pack(a={"article.json": b"{}\n"}))
    (src / "02.pack").write_bytes(_site_pack(b={"article.json": b"{}\n"}))
    assert publish(src, dest, only=["02.pack", "03.pack"]) == 1
    assert (dest / "articles" / "b" / "article.json").exists()
    assert not (dest / "articles" / "a").exists()


def test_publish_skips_a_file_in_site_data_that_is_not_a_pack(tmp_path: Path) -> None:
    from archive_build.opendata.packs import publish

    src, dest = tmp_path / "site-data", tmp_path / "site" / "data"
    src.mkdir()
    (src / "01.pack").write_bytes(b"not a pack")
    (src / "02.pack").write_bytes(_site_pack(a={"../x": b"escapes"}))
    assert publish(src, dest) == 0
    assert not (dest / "articles").exists()


def test_a_rebuild_reports_the_site_data_files_it_wrote(tmp_path: Path) -> None:
    from archive_build.build import build
    from archive_build.project import Project

    project = Project(copy_project(tmp_path / "archive"))
    assert len(build(project, progress=False).site_data_written) == len(os.listdir(project.site_data))
    article = "2023-05-30-drone-attack-on-moscow"
    ann = project.annotations / f"{article}.yml"
    ann.write_text(ann.read_text(encoding="utf-8").replace("is a typo in the original", "is a misprint in the original", 1), encoding="utf-8")
    from archive_build.opendata.packs import pack_of

    written = build(project, progress=False).site_data_written
    assert written == [pack_of(article)]
    assert build(project, progress=False).site_data_written == []


def test_a_rebuild_reports_exactly_the_generated_pages_it_rewrote(tmp_path: Path) -> None:
    from archive_build.build import build
    from archive_build.project import Project

    project = Project(copy_project(tmp_path / "archive"))
    build(project, progress=False)
    before = _snapshot(project.root)
    article = "2023-05-30-drone-attack-on-moscow"
    ann = project.annotations / f"{article}.yml"
    ann.write_text(ann.read_text(encoding="utf-8").replace("is a typo in the original", "is a misprint in the original", 1), encoding="utf-8")
    written = build(project, progress=False).docs_written
    assert f"articles/{article}.md" in written
    assert {path for path in written if path.split("/")[0] in TREES} == _changed(before, _snapshot(project.root))


def test_entity_pages_recomputed_from_the_cache_keep_every_articles_sentences(built: Path) -> None:
    # A title change recomputes the entity pages; the other articles' keyword-in-context
    # sentences then come from the cache's lazily loaded index group.
    entity_pages = built / "docs" / "entities"
    before = {p.name: p.read_text(encoding="utf-8") for p in entity_pages.glob("*.md")}
    meta = built / "raw" / "2023-05-30-drone-attacks-on-moscow-stern.meta.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("the war comes home", "the war came home"), encoding="utf-8")
    run_cli(built, "build", "--quiet", check=True)
    assert "the war came home" in (entity_pages / "index.md").read_text(encoding="utf-8") or any("the war came home" in t for t in (p.read_text(encoding="utf-8") for p in entity_pages.glob("*.md")))
    after = {p.name: p.read_text(encoding="utf-8") for p in entity_pages.glob("*.md")}
    assert after.keys() == before.keys()
    kwic = lambda pages: sum(text.count('class="ab-kwic"') for text in pages.values())  # noqa: E731
    assert kwic(after) == kwic(before) > 0


def test_a_deleted_open_data_file_is_restored_by_the_next_build(built: Path) -> None:
    # site-data/ is trusted from its folder's inode and mtime; removing a file changes both.
    victim = next(p for p in (built / "site-data").iterdir() if p.name.endswith(".pack"))
    original = victim.read_bytes()
    victim.unlink()
    proc = run_cli(built, "build", "--quiet", check=True)
    assert _written(proc.stderr) == 1
    assert victim.read_bytes() == original


def test_an_open_data_pack_damaged_in_place_is_rewritten_by_the_next_build(built: Path) -> None:
    pack = next(p for p in (built / "site-data").iterdir() if p.name.endswith(".pack"))
    original = pack.read_bytes()
    with open(pack, "r+b") as f:  # in place: the folder's inode and mtime stay as they were
        f.truncate(len(original) // 2)
    proc = run_cli(built, "build", "--quiet", check=True)
    assert "Traceback" not in proc.stderr
    assert pack.read_bytes() == original


def test_a_pack_cut_short_is_not_trusted(tmp_path: Path) -> None:
    from archive_build.opendata.packs import pack, read_index

    whole = tmp_path / "01.pack"
    whole.write_bytes(pack({"a": b"one", "b": b"two"}))
    assert read_index(whole) == ["a", "b"]
    whole.write_bytes(whole.read_bytes()[:-1])
    assert read_index(whole) is None


def test_a_deleted_entity_page_is_restored_though_its_inputs_are_unchanged(built: Path) -> None:
    page = next((built / "docs" / "entities").glob("*.md"))
    original = page.read_bytes()
    page.unlink()
    run_cli(built, "build", "--quiet", check=True)
    assert page.read_bytes() == original


@given(st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/.\\\0"), min_size=1), st.binary(), max_size=5))
def test_a_pack_unpacks_to_exactly_the_files_packed_into_it(files: dict[str, bytes]) -> None:
    from archive_build.opendata.packs import pack, unpack

    assert unpack(pack(files)) == files


@given(st.binary())
def test_unpacking_bytes_that_are_not_a_pack_is_a_value_error_or_a_packs_files(data: bytes) -> None:
    from archive_build.opendata.packs import unpack

    try:
        files = unpack(data)
    except ValueError:
        return
    assert all(isinstance(v, bytes) for v in files.values())


def test_a_cache_file_with_a_corrupt_frame_length_counts_as_missing(tmp_path: Path) -> None:
    from archive_build.store.cache import load_pickle

    data = bytearray(pickle.dumps({"a": "x" * 100_000}, protocol=5))
    data[10] |= 0x80  # the top bit of the first frame's length: an impossible frame
    path = tmp_path / "url-keys.pickle"
    path.write_bytes(bytes(data))
    assert load_pickle(path, "missing") == "missing"


NOTE_ARTICLE = "2023-05-30-drone-attack-on-moscow"
NOTE_FILE = f"annotations/{NOTE_ARTICLE}/g7-context.yml"
NOTE = 'quote: "the imperialist powers have decided to bring the war"\nkind: context\nauthor: "@reader"\ncreated: 2024-02-10\nbody: {body}\n'


def _page(project: Path) -> str:
    return (project / "docs" / "articles" / f"{NOTE_ARTICLE}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("change", ["added", "edited", "removed"])
def test_a_note_file_added_edited_or_removed_is_built_at_once(built: Path, change: str) -> None:
    note = built / NOTE_FILE
    if change != "added":
        note.parent.mkdir()
        note.write_text(NOTE.format(body="The first words."), encoding="utf-8")
        run_cli(built, "build", "--quiet", check=True)
        assert "The first words." in _page(built)
    if change == "removed":
        note.unlink()
    else:
        note.parent.mkdir(exist_ok=True)
        note.write_text(NOTE.format(body="The second words."), encoding="utf-8")
    proc = run_cli(built, "build", "--quiet", check=True)
    assert _written(proc.stderr) > 0
    assert ("The second words." in _page(built)) == (change != "removed")
    assert "The first words." not in _page(built)
