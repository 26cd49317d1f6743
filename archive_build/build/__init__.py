"""The build: discover → process every article in a pool → cross-link → generate the trees → write.

``build`` runs its steps in this order, each timed (``archive-build build
--timings``); ``collect`` runs the first ones alone for the commands that
only read the articles.
"""
from __future__ import annotations

import gc
import time
from typing import Callable

from archive_build import outcome
from archive_build.budget import Budget
from archive_build.build.articles import collect, cross_link, gather
from archive_build.build.jobs import JobResult
from archive_build.build.lock import build_lock
from archive_build.build.render import collection_pages_and_damage, generate
from archive_build.build.result import BuildResult, Clock, damage_warning
from archive_build.build.state import input_key, state_holds, write_trees
from archive_build.build.workers import POOL_THRESHOLD, Workers
from archive_build.errors import InputError
from archive_build.failures import os_problem
from archive_build.model import Article
from archive_build.output import clean_stale_temps
from archive_build.project import SEARCH_CHUNKS_FOLDER, SEARCH_PARTS_FOLDER, SPARE_FOLDER, TRASH_FOLDER, Project
from archive_build.store.cache import BuildState, FileHasher, take_damaged

__all__ = ["BuildResult", "JobResult", "build", "collect"]


def _load_articles(project: Project) -> list[Article]:
    """The articles of the last build, from the cache (for a no-op rebuild's ``result.articles``)."""
    return collect(project, progress=False).articles


def build(
    project: Project, *, keep_going: bool = False, workers: int | None = None, progress: bool = True, wait: bool = True,
    on_wait: Callable[[str], None] | None = None, budget: Budget | None = Budget(),
) -> BuildResult:
    """Build the archive into ``docs/`` (and ``site-data/``), one build at a time per project.

    A build already running on the project is waited for (``on_wait`` is
    told why), or with ``wait=False`` is an ``InputError``.  A system call
    failing on the build's own files (an unwritable ``docs/``, a full disk)
    is an ``InputError`` naming the path and what to do.  Each article's
    processing stays within ``budget`` (None: no limit).  Either way the
    outcome is recorded for ``archive-build site`` (``outcome``).
    """
    with build_lock(project, wait=wait, on_wait=on_wait):
        outcome.running(project)
        # The build makes millions of small objects and no reference cycles worth
        # collecting: the cyclic collector's passes over them cost a fifth of a rebuild.
        enabled = gc.isenabled()
        gc.disable()
        try:
            result = _build(project, keep_going=keep_going, workers=workers, progress=progress, budget=budget)
        except OSError as exc:
            problem = os_problem(project, exc)
            outcome.record(project, f"failed: {problem}")
            raise InputError(problem.path, problem.message) from None
        finally:
            if enabled:
                gc.enable()
        errors = len(result.errors)
        outcome.record(project, outcome.OK if not errors else f"failed: {errors} error{'s' if errors != 1 else ''} (see archive-build build)")
        return result


def _build(project: Project, *, keep_going: bool, workers: int | None, progress: bool, budget: Budget | None) -> BuildResult:
    """The build's steps in order, each timed into ``result.timings`` (the names ``Clock.lap`` is given)."""
    clock = Clock()
    hasher = FileHasher(project.cache / "hashes.pickle")
    state_file = project.cache / "state.pickle"
    state = BuildState.load(state_file)
    key = input_key(project, hasher, keep_going)
    clock.lap("input key")
    if state.input_key == key and state.summary and state_holds(project, state):
        return _unchanged(project, state, hasher, clock)
    clean_stale_temps(project.cache, recursive=True, skip={TRASH_FOLDER, SPARE_FOLDER, SEARCH_PARTS_FOLDER, SEARCH_CHUNKS_FOLDER})
    damage: list[str] = []
    memos: dict[str, str] = {}
    with Workers(workers, budget) as pool:
        result = gather(project, keep_going=keep_going, progress=progress, hasher=hasher, clock=clock, pool=pool)  # discover, articles
        # The collection pages read nothing cross-linking changes (annotation
        # links included): made in a second process meanwhile (a build with
        # many new articles only).
        pages = pool.background(collection_pages_and_damage, project, result.articles, result.texts, worth_it=result.processed >= POOL_THRESHOLD)
        clock.lap("collection pages")
        cross_link(project, result, clock)  # cross-links
        clean_stale_temps(project.docs)
        clean_stale_temps(project.root, only=project.site_data.name)
        trees, tree_stat, tree_fps = generate(project, result, state, pool, pages, clock, memos, damage)  # plan … open data
    manifest = write_trees(project, result, state, trees, tree_stat, tree_fps)
    clock.lap("write")
    summary = {
        "problems": result.problems, "files": result.written + result.unchanged, "annotations": result.annotations,
        "entities": result.entities, "articles": result.article_count,
    }
    hasher.save()
    # Last of all: the state is what says the generated files are up to date.
    BuildState(key, summary, manifest, memos).save(state_file)
    clock.lap("save state")
    # Not in the summary: a no-op rebuild repeats the summary's problems, and the damage is repaired now.
    if (warning := damage_warning(project, damage + take_damaged())) is not None:
        result.problems.append(warning)
    result.timings = clock.laps
    result.seconds = time.perf_counter() - clock.start
    return result


def _unchanged(project: Project, state: BuildState, hasher: FileHasher, clock: Clock) -> BuildResult:
    """Nothing changed: the last build's problems and counts, nothing touched; the articles loaded only if asked for."""
    s = state.summary
    result = BuildResult(
        problems=list(s["problems"]), unchanged=s["files"], annotations=s["annotations"], entities=s["entities"],
        article_count=s["articles"],
    )
    if (warning := damage_warning(project, take_damaged())) is not None:
        result.problems.append(warning)
        hasher.save()  # its file was the damaged one: hashed again, saved for the next build
    result._loader = lambda: _load_articles(project)
    result.seconds = time.perf_counter() - clock.start
    return result
