"""The per-article step: one job per raw file, run through ``pipeline.process`` in the pool, cached by content hash.

A job's key hashes everything its result depends on (raw bytes, sidecar,
annotation files, gazetteer and the code itself), so a rebuild only
processes what changed.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from archive_build import version
from archive_build.build.supervised import Stopped
from archive_build.build.workers import POOL_THRESHOLD, Workers, return_freed_memory
from archive_build.errors import InputError, Problem
from archive_build.ingest.discover import RawFile
from archive_build.model import Article
from archive_build.project import Project
from archive_build.store.articles import ArticleStore, Packed, Texts, pack_result, unpack_result
from archive_build.store.cache import FileHasher


class Job(NamedTuple):
    raw: RawFile
    annotation_file: str | None  # a path; plain strings, as in RawFile
    annotation_display: str
    # A second file for the same article (``<id>.yaml`` beside ``<id>.yml``): an error, still read.
    more_annotation_files: tuple[tuple[str, str], ...] = ()


@dataclass
class JobResult:
    article: Article | None
    problems: list[Problem]


# Per-worker state, set once by _init_worker.
_WORKER: dict[str, Any] = {}


def _init_worker(project_root: str, gazetteer: Any) -> None:
    _WORKER["project"] = Project(Path(project_root))
    _WORKER["gazetteer"] = gazetteer


def _init_early_worker(project_root: str, gazetteer: Any, html: bool) -> None:
    """``_init_worker`` for a pool started before its jobs are known (``run_jobs``), which
    also imports what the jobs will need: the imports then run while the build
    still hashes its inputs on the other core (trafilatura's alone is a sixth of a second)."""
    _init_worker(project_root, gazetteer)
    importlib.import_module("..pipeline", __package__)
    if html:
        from archive_build.ingest.html import _extractor

        _extractor()  # (imports trafilatura)


def process(job: Job) -> JobResult:
    """``pipeline.process`` for one job, its failure a problem of the job's raw file."""
    # Imported here: a rebuild that finds every article in the cache never loads the readers and transforms.
    from archive_build.pipeline import process as run_pipeline

    problems: list[Problem] = []
    try:
        article = run_pipeline(
            job.raw, job.annotation_file, job.annotation_display, job.more_annotation_files, _WORKER.get("gazetteer"),
            _WORKER["project"].rel, problems,
        )
        return JobResult(article, problems)
    except InputError as exc:
        return JobResult(None, problems + exc.problems)
    except OSError as exc:
        return JobResult(None, problems + [Problem(job.raw.display, None, f"cannot read file: {exc.strerror or exc}")])
    except RecursionError:
        return JobResult(None, problems + [Problem(job.raw.display, None, "text is nested too deeply to process")])


def stopped_result(job: Job, stopped: Any) -> JobResult:
    """The result of a job whose worker was stopped over its budget (``supervised.Stopped``)."""
    return JobResult(None, [Problem(job.raw.display, None, stopped.message)])


def process_packed(job: Job) -> Packed:
    """``process``, its result packed for the cache in the worker (``article_store.pack_result``)."""
    return pack_result(process(job))


def _job_key(job: Job, code: str, gazetteer_hash: str, hasher: FileHasher) -> str:
    """Hash of everything one article's result depends on."""
    # Not --keep-going: a job's result is the same either way (gather softens its errors), so
    # `make serve` (which keeps going) and `make site` share the cache.
    parts = [code, gazetteer_hash, job.raw.display]
    parts += [hasher.digest(p) for p in (job.raw.path, job.raw.sidecar, job.annotation_file)]
    for path, display in job.more_annotation_files:
        parts += [display, hasher.digest(path)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _progress(iterable: Iterable[Any], total: int, enabled: bool) -> Iterable[Any]:
    if not enabled or not sys.stderr.isatty():
        return iterable
    import tqdm

    # No monitor thread: the build forks later, and a process with threads should not.
    tqdm.tqdm.monitor_interval = 0
    # delay: no bar at all for builds shorter than ~2 s.
    return tqdm.tqdm(iterable, total=total, unit="article", delay=2.0, file=sys.stderr, leave=False)


def run_jobs(
    project: Project, jobs: list[Job], gazetteer: Any, gazetteer_hash: str, *, pool: Workers, progress: bool, texts: Texts,
    hasher: FileHasher | None = None,
) -> tuple[list[JobResult], int]:
    """Run jobs with a content-keyed cache (one entry per raw file); only misses go to the pool.

    Returns the results, their articles as cards whose texts ``texts`` hands
    out, and how many of them were computed (not cached).
    """
    code = version.code_version()
    hasher = hasher or FileHasher(project.cache / "hashes.pickle")
    store = ArticleStore(project.cache / "articles")
    if len(jobs) >= POOL_THRESHOLD and store.empty():
        # Every job will go to the pool: its workers start now and import what
        # they need while this process hashes the inputs (on the idle core).
        from archive_build.ingest import raw_format

        html = any(raw_format(j.raw.path) == "html" for j in jobs)
        pool.prepare(_init_early_worker, str(project.root), gazetteer, html)
        pool.start()
    else:
        pool.prepare(_init_worker, str(project.root), gazetteer)
    keys = [_job_key(j, code, gazetteer_hash, hasher) for j in jobs]
    _init_worker(str(project.root), gazetteer)  # for jobs run here, and an article whose cached text is gone (store.get's rebuild)
    results: list[JobResult | None] = []
    for j, k in zip(jobs, keys):
        hit = store.get(j.raw.display, k, functools.partial(process, j), j.raw.id)
        if hit is not None:
            result, loaders = hit
            if result.article is not None:
                texts.add(result.article.id, loaders)
            hit = result
        results.append(hit)
    todo = [i for i, r in enumerate(results) if r is None]
    stored: list[int] = []
    if todo:
        fresh = pool.map(process_packed, [jobs[i] for i in todo])
        for i, packed in zip(todo, _progress(fresh, len(todo), progress)):
            if isinstance(packed, Stopped):  # not cached: the next build tries the article again
                results[i] = stopped_result(jobs[i], packed)
                continue
            store.put(jobs[i].raw.display, keys[i], packed, jobs[i].raw.id)
            stored.append(i)
            result, loaders = unpack_result(packed)
            if result.article is not None:
                texts.add(result.article.id, loaders)
            results[i] = result
    for r, k in zip(results, keys):
        if r is not None and r.article is not None:
            r.article.job_key = k  # stands for the article's texts in render._fingerprint
    store.retain({j.raw.display for j in jobs})
    # Here, not in a forked copy: pickling touches every article, so a copy
    # would duplicate nearly all of this process's memory (measured: +300 MB).
    store.save()
    # The fresh results' groups are read from the cache from now on, as a
    # cached result's are: their pickles held here until the pages are
    # rendered would be most of the build's memory (a fifth of a GB at
    # 10,000 articles), and every render worker's copy of it.
    for i in stored:
        r = results[i]
        if r is not None and r.article is not None:
            texts.add(r.article.id, store.loaders(jobs[i].raw.display, keys[i], functools.partial(process, jobs[i]), jobs[i].raw.id))
    if stored:
        return_freed_memory()
    hasher.save()
    return [r for r in results if r is not None], len(todo)
