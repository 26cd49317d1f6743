"""The generated trees: collection pages, article pages and open data, rendering only what changed."""
from __future__ import annotations

import functools
import os
from contextlib import ExitStack
from typing import Any, Callable, NamedTuple

from archive_build import version
from archive_build.build.result import BuildResult, Clock
from archive_build.build.state import SITE_DATA, files_intact, tree_dir
from archive_build.build.workers import CAN_FORK, Workers
from archive_build.model import Article
from archive_build.output import KEEP, Rendered, matches, rendered, stage, staging_dir, tree_stats
from archive_build.project import Project
from archive_build.store.articles import Texts
from archive_build.store.cache import BuildState, Shards, stable_digest, take_damaged
from archive_build.store.memo import Remembered
from archive_build.writer import page_text

# What the collection steps (enrich, link_annotations, relative links) may change in an article.
# Everything else, the texts (``article_store.TEXT_GROUPS``) included, is the worker's output: ``job_key``
# (the hash of every input the worker read) stands for it.
_ENRICHED = (
    "footnotes", "warnings", "links_out", "annotations", "unanchored", "links_to", "related", "previous", "next", "referenced_by",
    "common_entities", "relative_links_changed",
)


def _fingerprint(code: str, article: Article) -> str:
    """What an article page is made from, without reading its text."""
    if article.job_key is None:  # an article not from run_jobs: no key stands for its texts
        return stable_digest(article, code.encode())
    d = article.__dict__
    return stable_digest((article.job_key, [d.get(name) for name in _ENRICHED]), code.encode())


def _remembered_tree(
    project: Project, tree: str, state: BuildState, tree_stat: dict[str, dict[str, os.stat_result]], remembered: Remembered,
    articles: list[Article], texts: Texts,
) -> dict[str, Any]:
    """A memoised tree: ``KEEP`` for every file if the last build wrote them from this very value and they are as it left them."""
    stats = tree_stat[tree] = tree_stats(tree_dir(project, tree))
    old = state.manifest.get(tree)
    if remembered.fresh is None and state.memos.get(tree) == remembered.digest and old and files_intact(stats, old):
        return dict.fromkeys(old, KEEP)
    try:
        return remembered.load()
    except LookupError:  # gone from the cache since the background process looked: made here
        from archive_build.collection import collection_pages

        files = collection_pages(project, articles, texts)[tree]
        return files.load() if isinstance(files, Remembered) else files


def collection_pages_and_damage(project: Project, articles: list[Article], texts: Texts) -> tuple[dict[str, Any], list[str]]:
    """``collection.collection_pages``, and the cache files it found damaged (it may run in another process)."""
    from archive_build.collection import collection_pages

    return collection_pages(project, articles, texts), take_damaged()


# What the render workers import before they start (``Workers.map_fresh``).
_RENDER_MODULES = ("archive_build.build.render", "archive_build.writer", "archive_build.opendata")


class RenderTask(NamedTuple):
    """One article's page and/or open data to render.

    ``intact``: the digest of the article's page, by its name, if it is
    still as the last build wrote it (``output.rendered`` keeps a page it
    renders to the same bytes).
    """

    article: Article
    page: bool
    data_fingerprint: str | None  # None: the data is kept
    intact: dict[str, str]
    texts: Texts | None  # hands out the article's texts (None: the article has them)


#: What a render worker gives back for an article whose texts the cache lost: rendered by the build's process, which can rebuild them.
TEXTS_GONE = "texts gone from the cache"


def render(info: Any, task: RenderTask) -> tuple[Rendered | Any, Any, list[str]] | str:
    """One article's page and open data (``output.rendered``), as asked, and the cache files found damaged meanwhile; run in the workers.

    ``info``: the ``opendata.SiteInfo`` every article's data reads.
    """
    from archive_build.opendata import render_data

    article, intact = task.article, task.intact
    name = f"{article.id}.md"
    with ExitStack() as lent:
        if task.texts is not None:
            try:
                lent.enter_context(task.texts.lent(article))
            except KeyError:
                return TEXTS_GONE
        page = rendered(page_text(article).encode("utf-8"), intact.get(name)) if task.page else KEEP
        data = None
        if task.data_fingerprint is not None:
            data = render_data(info, article, task.data_fingerprint)
    return page, data, take_damaged()


def generate(
    project: Project, result: BuildResult, state: BuildState, pool: Workers, pages: Callable[[], tuple[dict[str, Any], list[str]]],
    clock: Clock, memos: dict[str, str], damage: list[str],
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, os.stat_result]], dict[str, dict[str, str]]]:
    """Every generated tree, as ``sync_tree`` takes it: collection pages (``pages()``), article pages, open data.

    Only what changed since the last build is rendered; article pages and
    their open data, most of the work, in the workers.  Fills ``memos``
    (the key of each memoised tree, for the build's state) and ``damage``
    (the cache files found damaged by the other processes).
    """
    from archive_build.opendata import finish_data, plan_data
    from archive_build.opendata.packs import PackWriter, pack_of

    docs = project.docs
    # Article pages: regenerated only when the article (after enrich) differs from the last build's.
    old_articles = state.manifest.get("articles", {})
    article_stats = tree_stats(docs / "articles")
    code = version.code_version()
    fingerprints = {f"{a.id}.md": _fingerprint(code, a) for a in result.articles}
    intact = {rel: old for rel, old in old_articles.items() if matches(article_stats.get(rel), old)}  # as the last build wrote them
    changed = {a.id for a in result.articles if (old := intact.get(f"{a.id}.md")) is None or old.fingerprint != fingerprints[f"{a.id}.md"]}
    # Open data: an article's files (site-data/) are regenerated only when its page is (or they are damaged).
    site_data_stats = tree_stats(project.site_data)
    plan = plan_data(project, result.articles, {a.id: fingerprints[f"{a.id}.md"] for a in result.articles}, state.manifest.get(SITE_DATA), site_data_stats)
    # Pack by pack (``PackWriter``), each pack's articles in id order.
    todo = sorted((a for a in result.articles if a.id in changed or a.id in plan.todo), key=lambda a: (pack_of(a.id), a.id))
    # Written into the folders that become the new trees (``output.staging_dir``).
    page_dir, data_dir = (staging_dir(tree_dir(project, tree)) for tree in ("articles", SITE_DATA))
    if todo:
        page_dir.mkdir(parents=True, exist_ok=True)
    clock.lap("plan")
    # The collection pages' process is done before the render workers fork: its
    # copied memory and theirs would add up (a peak over 1 GB was measured).
    tree_stat: dict[str, dict[str, os.stat_result]] = {"articles": article_stats, SITE_DATA: site_data_stats}
    trees: dict[str, dict[str, Any]] = {}
    collection, damaged = pages()
    damage.extend(damaged)
    for tree, files in collection.items():
        if isinstance(files, Remembered):
            memos[tree] = files.digest
            files = _remembered_tree(project, tree, state, tree_stat, files, result.articles, result.texts)
        trees[tree] = dict(files)
    clock.lap("collection pages")

    def digests(a: Article) -> dict[str, str]:
        page = intact.get(f"{a.id}.md")
        return {f"{a.id}.md": page.sha} if page is not None else {}

    # Each article goes with the loaders of its texts, which a worker reads from the cache;
    # where the build cannot start workers that way, with its texts.
    if not CAN_FORK:
        result.texts.load_all(todo)

    def task(a: Article) -> RenderTask:
        return RenderTask(a, a.id in changed, plan.fingerprints[a.id] if a.id in plan.todo else None, digests(a), result.texts.only(a.id) if CAN_FORK else None)

    # In pack order, the texts come from a few cache shards at a time (``ArticleStore.get``):
    # each worker keeps only those, not a copy of every text in the archive.
    results = pool.map_fresh(render, plan.info, [task(a) for a in todo], initializer=functools.partial(Shards.keep_at_most, 8), preload=_RENDER_MODULES)
    page_files: dict[str, Any] = {}
    pieces_of: dict[str, Any] = {}
    pages_at = os.fspath(page_dir)
    packs = PackWriter(os.fspath(data_dir), os.fspath(project.site_data), plan)
    for a, done in zip(todo, results):  # written here as they arrive (output.stage)
        if done == TEXTS_GONE:  # rebuilt here
            done = render(plan.info, task(a))
        page, own, damaged = done
        damage.extend(damaged)
        page_files[a.id] = stage(pages_at, f"{a.id}.md", page)
        if own is not None:
            pieces_of[a.id], bundle = own
            packs.add(a.id, bundle)
    article_files = trees.setdefault("articles", {})
    for a in result.articles:
        article_files[f"{a.id}.md"] = page_files.get(a.id, KEEP)
    pool.close()  # before the write: the workers' memory is not held at the build's peak
    clock.lap("article pages and data")
    trees["data"], trees[SITE_DATA], data_fps = finish_data(plan, pieces_of, packs.finish())
    clock.lap("open data")
    return trees, tree_stat, {"articles": fingerprints, SITE_DATA: data_fps}
