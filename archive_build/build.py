"""The build: discover → clean/annotate/link in a process pool → collection pages → write.

Per-article work is cached by content hash (raw bytes, sidecar, annotation
file, gazetteer and the code itself), so a rebuild only redoes what changed.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import importlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from . import annotations as annotations_mod
from . import entities as entities_mod
from .annotations.files import inventory as annotation_files
from .discover import RawFile, discover
from .errors import InputError, Problem, kept_going
from .article_warnings import article_warnings
from .model import Article
from . import outcome
from .build_lock import build_lock
from .cache import (
    ArticleStore, BuildState, FileHasher, Packed, Remembered, pack_result, stable_digest,
    take_damaged, unpack_result,
)
from .failures import os_problem
from .output import KEEP, Entry, Rendered, clean_stale_temps, matches, rendered, stage, staging_dir, sync_tree, tree_stats
from .project import Project
from .budget import Budget
from .supervised import Stopped
from .workers import POOL_THRESHOLD, Workers
from .version import code_version
from .writer import page_text


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
    importlib.import_module(".pipeline", __package__)
    if html:
        from .readers.html import _extractor

        _extractor()  # (imports trafilatura)


def process(job: Job) -> JobResult:
    """``pipeline.process`` for one job, its failure a problem of the job's raw file."""
    # Imported here: a rebuild that finds every article in the cache never loads the readers and transforms.
    from .pipeline import process as run_pipeline

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
    """``process``, its result packed for the cache in the worker (``cache.pack_result``)."""
    return pack_result(process(job))


def _job_key(job: Job, version: str, gazetteer_hash: str, hasher: FileHasher) -> str:
    """Hash of everything one article's result depends on."""
    # Not --keep-going: a job's result is the same either way (gather softens its errors), so
    # `make serve` (which keeps going) and `make site` share the cache.
    parts = [version, gazetteer_hash, job.raw.display]
    parts += [hasher.digest(p) for p in (job.raw.path, job.raw.sidecar, job.annotation_file)]
    for path, display in job.more_annotation_files:
        parts += [display, hasher.digest(path)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    annotations: int = 0
    entities: int = 0
    seconds: float = 0.0
    article_count: int = 0
    # Seconds per phase of the build (``archive-build build --timings``).
    timings: dict[str, float] = field(default_factory=dict)
    # Names of the files in ``site-data/`` this build wrote (the MkDocs hook places only these under serve).
    site_data_written: list[str] = field(default_factory=list)
    # Articles read and processed afresh (not taken from the cache).
    processed: int = 0
    # A no-op rebuild does not load the articles; ``articles`` loads them on first use.
    _articles: list[Article] | None = field(default=None, repr=False)
    _loader: Callable[[], list[Article]] | None = field(default=None, repr=False)

    @property
    def warning_count(self) -> int:
        """Every warning, the articles' own included (``cross_link`` puts them among the problems)."""
        return len(self.warnings)

    def summary_line(self) -> str:
        """The one line every build ends with (the CLI, and each `make serve` rebuild)."""
        return (
            f"archive-build: {self.article_count} articles, {self.annotations} annotations, {self.entities} entities, "
            f"{self.warning_count} warnings, {len(self.errors)} errors, {self.seconds:.1f} s "
            f"({self.written} files written, {self.unchanged} unchanged)"
        )

    @property
    def articles(self) -> list[Article]:
        if self._articles is None:
            self._articles = self._loader() if self._loader else []
        return self._articles

    @articles.setter
    def articles(self, value: list[Article]) -> None:
        self._articles = value

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def _progress(iterable: Iterable[Any], total: int, enabled: bool) -> Iterable[Any]:
    if not enabled or not sys.stderr.isatty():
        return iterable
    import tqdm

    # No monitor thread: the build forks later, and a process with threads should not.
    tqdm.tqdm.monitor_interval = 0
    # delay: no bar at all for builds shorter than ~2 s.
    return tqdm.tqdm(iterable, total=total, unit="article", delay=2.0, file=sys.stderr, leave=False)


def run_jobs(
    project: Project, jobs: list[Job], gazetteer: Any, gazetteer_hash: str, *, pool: Workers, progress: bool, hasher: FileHasher | None = None
) -> tuple[list[JobResult], int]:
    """Run jobs with a content-keyed cache (one entry per raw file); only misses go to the pool.

    Returns the results and how many of them were computed (not cached).
    """
    version = code_version()
    hasher = hasher or FileHasher(project.cache / "hashes.pickle")
    store = ArticleStore(project.cache / "articles")
    if len(jobs) >= POOL_THRESHOLD and store.empty():
        # Every job will go to the pool: its workers start now and import what
        # they need while this process hashes the inputs (on the idle core).
        from .readers import raw_format

        html = any(raw_format(j.raw.path) == "html" for j in jobs)
        pool.prepare(_init_early_worker, str(project.root), gazetteer, html)
        pool.start()
    else:
        pool.prepare(_init_worker, str(project.root), gazetteer)
    keys = [_job_key(j, version, gazetteer_hash, hasher) for j in jobs]
    _init_worker(str(project.root), gazetteer)  # for jobs run here, and an article whose cached text is gone (store.get's rebuild)
    results: list[JobResult | None] = [store.get(j.raw.display, k, functools.partial(process, j)) for j, k in zip(jobs, keys)]
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        fresh = pool.map(process_packed, [jobs[i] for i in todo])
        for i, packed in zip(todo, _progress(fresh, len(todo), progress)):
            if isinstance(packed, Stopped):  # not cached: the next build tries the article again
                results[i] = stopped_result(jobs[i], packed)
                continue
            store.put(jobs[i].raw.display, keys[i], packed)
            results[i] = unpack_result(packed)
    for r, k in zip(results, keys):
        if r is not None and r.article is not None:
            r.article.job_key = k  # stands for the article's texts in build._fingerprint
    store.retain({j.raw.display for j in jobs})
    # Here, not in a forked copy: pickling touches every article, so a copy
    # would duplicate nearly all of this process's memory (measured: +300 MB).
    store.save()
    hasher.save()
    return [r for r in results if r is not None], len(todo)


def collect(
    project: Project, *, keep_going: bool = False, workers: int | None = None, progress: bool = True,
    hasher: FileHasher | None = None, clock: _Clock | None = None, budget: Budget | None = Budget(),
) -> BuildResult:
    """Read, clean, annotate and link every article; no writing."""
    clock = clock or _Clock()
    with build_lock(project):
        with Workers(workers, budget) as pool:
            result = gather(project, keep_going=keep_going, progress=progress, hasher=hasher, clock=clock, pool=pool)
        cross_link(project, result, clock)
    if (warning := _damage_warning(project, take_damaged())) is not None:
        result.problems.append(warning)
    return result


def gather(project: Project, *, keep_going: bool, progress: bool, hasher: FileHasher | None, clock: _Clock, pool: Workers) -> BuildResult:
    """Every article read, cleaned, annotated and entity-linked; not yet cross-linked."""
    hasher = hasher or FileHasher(project.cache / "hashes.pickle")
    result = BuildResult()
    raws, problems = discover(project, hasher.size)
    result.problems.extend(problems)
    gazetteer, gproblems = entities_mod.load_gazetteer(project.gazetteer, project.rel(project.gazetteer))
    result.problems.extend(gproblems)
    gazetteer_hash = hasher.digest(project.gazetteer)
    known = {r.id for r in raws}
    files = annotation_files(os.fspath(project.annotations), project.rel(project.annotations), known)
    result.problems.extend(files.problems)
    jobs = []
    ann_prefix = project.rel(project.annotations) + "/"
    for r in raws:
        mine = files.by_article.get(r.id)
        if mine:
            jobs.append(Job(r, mine[0][0], mine[0][1], tuple(mine[1:])))
        else:
            jobs.append(Job(r, None, ann_prefix + r.id + ".yml"))
    clock.lap("discover")
    done, result.processed = run_jobs(project, jobs, gazetteer, gazetteer_hash, pool=pool, progress=progress, hasher=hasher)
    for res in done:
        result.problems.extend(kept_going(res.problems, keep_going))
        if res.article is not None:
            result.articles.append(res.article)
    result.articles.sort(key=lambda a: a.id)
    clock.lap("articles")
    return result


def cross_link(project: Project, result: BuildResult, clock: _Clock) -> None:
    """Links between articles (annotations' "see also", internal links, backlinks, related reading), and the build's counts."""
    from .collection import enrich
    from .collection.relative_links import check_relative_links

    annotations_mod.link_annotations(result.articles, result.problems)
    check_relative_links(project.docs, result.articles, {e for a in result.articles for e in a.entities}, result.problems)
    enrich(project, result.articles)
    clock.lap("cross-links")
    result.annotations = sum(len(a.annotations) for a in result.articles)
    result.entities = len({e for a in result.articles for e in a.entities})
    result.article_count = len(result.articles)
    result.problems.extend(article_warnings(result.articles))


def input_key(project: Project, hasher: FileHasher, keep_going: bool) -> str:
    """Hash of every input of a build: raw files, sidecars, annotations, gazetteer, config, code.

    Computed from ``stat`` results and remembered hashes, so it costs no file reads
    when nothing changed.
    """
    h = hashlib.sha256(code_version().encode())
    h.update(b"keep" if keep_going else b"strict")
    dirs = (project.raw, project.annotations)
    for d in dirs:
        h.update(b"\1" + project.rel(d).encode())
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        prefix = os.fspath(d) + os.sep
        for name in names:
            h.update(name.encode() + b"\0" + hasher.digest(prefix + name).encode())
    for p in (project.gazetteer, project.root / "mkdocs.yml"):
        h.update(b"\2" + hasher.digest(p).encode())
    # mkdocs.yml may take its site_url from the environment (citations and open data carry it).
    h.update(b"\3" + os.environ.get("SITE_URL", "").encode())
    return h.hexdigest()


# What the collection steps (enrich, link_annotations, relative links) may change in an article.
# Everything else, lazy fields included, is the worker's output: ``job_key``
# (the hash of every input the worker read) stands for it.
_ENRICHED = (
    "footnotes", "warnings", "links_out", "annotations", "unanchored", "links_to", "related", "previous", "next", "referenced_by",
    "common_entities", "relative_links_changed",
)


def _fingerprint(version: str, article: Article) -> str:
    """What an article page is made from, without reading its text."""
    if article.job_key is None:  # an article not from run_jobs: no key stands for its texts
        return stable_digest(article, version.encode())
    d = article.__dict__
    return stable_digest((article.job_key, [d.get(name) for name in _ENRICHED]), version.encode())


# The manifest's name for ``project.site_data`` (every other tree is a folder of docs/).
SITE_DATA = "@site-data"


def _tree_dir(project: Project, tree: str) -> Path:
    return project.site_data if tree == SITE_DATA else project.docs / tree


def _intact(stats: dict[str, Any], entries: dict[str, Entry]) -> bool:
    """The files on disk are exactly the ones the manifest recorded."""
    return stats.keys() == entries.keys() and all(matches(stats[rel], e) for rel, e in entries.items())


def _state_holds(project: Project, state: BuildState) -> bool:
    """Every generated file is still the one the last build wrote."""
    return all(_intact(tree_stats(_tree_dir(project, tree)), entries) for tree, entries in state.manifest.items())


def _remembered_tree(
    project: Project, tree: str, state: BuildState, tree_stat: dict[str, dict[str, os.stat_result]], remembered: Remembered,
    articles: list[Article],
) -> dict[str, Any]:
    """A memoised tree: ``KEEP`` for every file if the last build wrote them from this very value and they are as it left them."""
    stats = tree_stat[tree] = tree_stats(_tree_dir(project, tree))
    old = state.manifest.get(tree)
    if remembered.fresh is None and state.memos.get(tree) == remembered.digest and old and _intact(stats, old):
        return dict.fromkeys(old, KEEP)
    try:
        return remembered.load()
    except LookupError:  # gone from the cache since the background process looked: made here
        from .collection import collection_pages

        files = collection_pages(project, articles)[tree]
        return files.load() if isinstance(files, Remembered) else files


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


def _damage_warning(project: Project, paths: list[str]) -> Problem | None:
    """The cache files found damaged in this build, as one warning (each was ignored and is written again)."""
    names = sorted({project.rel(Path(p)) for p in paths})
    if not names:
        return None
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return Problem(
        project.rel(project.cache), None,
        f"{len(names)} damaged cache file{'s' if len(names) != 1 else ''} ignored and rebuilt from the inputs: {shown}", "warning",
    )


def _collection_pages(project: Project, articles: list[Article]) -> tuple[dict[str, Any], list[str]]:
    """``collection.collection_pages``, and the cache files it found damaged (it may run in another process)."""
    from .collection import collection_pages

    return collection_pages(project, articles), take_damaged()


class _Clock:
    """Seconds per phase, for ``--timings`` and the benchmark."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


class RenderTask(NamedTuple):
    """One article's page and/or open data to render.

    ``intact``: the digest of the article's page, by its name, if it is
    still as the last build wrote it (``output.rendered`` keeps a page it
    renders to the same bytes).
    """

    article: Article
    page: bool
    info: Any  # opendata.SiteInfo
    data_fingerprint: str | None  # None: the data is kept
    intact: dict[str, str]


def render(task: RenderTask) -> tuple[Rendered | Any, Any, list[str]]:
    """One article's page and open data (``output.rendered``), as asked, and the cache files found damaged meanwhile; run in the workers."""
    from .opendata import render_data

    article, intact = task.article, task.intact
    name = f"{article.id}.md"
    with article.lent("texts"):
        page = rendered(page_text(article).encode("utf-8"), intact.get(name)) if task.page else KEEP
        data = None
        if task.data_fingerprint is not None:
            data = render_data(task.info, article, task.data_fingerprint)
    return page, data, take_damaged()


def _generate(
    project: Project, result: BuildResult, state: BuildState, pool: Workers, pages: Callable[[], tuple[dict[str, Any], list[str]]],
    clock: _Clock, memos: dict[str, str], damage: list[str],
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, os.stat_result]], dict[str, dict[str, str]]]:
    """Every generated tree, as ``sync_tree`` takes it: collection pages (``pages()``), article pages, open data.

    Only what changed since the last build is rendered; article pages and
    their open data, most of the work, in the workers.  Fills ``memos``
    (the key of each memoised tree, for the build's state) and ``damage``
    (the cache files found damaged by the other processes).
    """
    from .opendata import finish_data, plan_data
    from .opendata.packs import PackWriter, pack_of

    docs = project.docs
    # Article pages: regenerated only when the article (after enrich) differs from the last build's.
    old_articles = state.manifest.get("articles", {})
    article_stats = tree_stats(docs / "articles")
    version = code_version()
    fingerprints = {f"{a.id}.md": _fingerprint(version, a) for a in result.articles}
    intact = {rel: old for rel, old in old_articles.items() if matches(article_stats.get(rel), old)}  # as the last build wrote them
    changed = {a.id for a in result.articles if (old := intact.get(f"{a.id}.md")) is None or old.fingerprint != fingerprints[f"{a.id}.md"]}
    # Open data: an article's files (site-data/) are regenerated only when its page is (or they are damaged).
    site_data_stats = tree_stats(project.site_data)
    plan = plan_data(project, result.articles, {a.id: fingerprints[f"{a.id}.md"] for a in result.articles}, state.manifest.get(SITE_DATA), site_data_stats)
    # Pack by pack (``PackWriter``), each pack's articles in id order.
    todo = sorted((a for a in result.articles if a.id in changed or a.id in plan.todo), key=lambda a: (pack_of(a.id), a.id))
    # Written into the folders that become the new trees (``output.staging_dir``).
    page_dir, data_dir = (staging_dir(_tree_dir(project, tree)) for tree in ("articles", SITE_DATA))
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
            files = _remembered_tree(project, tree, state, tree_stat, files, result.articles)
        trees[tree] = dict(files)
    clock.lap("collection pages")

    def digests(a: Article) -> dict[str, str]:
        page = intact.get(f"{a.id}.md")
        return {f"{a.id}.md": page.sha} if page is not None else {}

    results = pool.map_inherited(render, [
        RenderTask(a, a.id in changed, plan.info, plan.fingerprints[a.id] if a.id in plan.todo else None, digests(a)) for a in todo
    ])
    page_files: dict[str, Any] = {}
    pieces_of: dict[str, Any] = {}
    pages_at = os.fspath(page_dir)
    packs = PackWriter(os.fspath(data_dir), os.fspath(project.site_data), plan)
    for a, (page, own, damaged) in zip(todo, results):  # written here as they arrive (output.stage)
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


def _build(project: Project, *, keep_going: bool, workers: int | None, progress: bool, budget: Budget | None) -> BuildResult:
    clock = _Clock()
    start = clock.start
    hasher = FileHasher(project.cache / "hashes.pickle")
    state_file = project.cache / "state.pickle"
    state = BuildState.load(state_file)
    key = input_key(project, hasher, keep_going)
    clock.lap("input key")
    if state.input_key == key and state.summary and _state_holds(project, state):
        # Nothing changed: report the last build's problems and counts, touch nothing.
        s = state.summary
        result = BuildResult(
            problems=list(s["problems"]), unchanged=s["files"], annotations=s["annotations"], entities=s["entities"],
            article_count=s["articles"],
        )
        if (warning := _damage_warning(project, take_damaged())) is not None:
            result.problems.append(warning)
            hasher.save()  # its file was the damaged one: hashed again, saved for the next build
        result._loader = lambda: _load_articles(project)
        result.seconds = time.perf_counter() - start
        return result
    clean_stale_temps(project.cache, recursive=True)
    damage: list[str] = []
    memos: dict[str, str] = {}
    with Workers(workers, budget) as pool:
        result = gather(project, keep_going=keep_going, progress=progress, hasher=hasher, clock=clock, pool=pool)
        # The collection pages read nothing cross-linking changes (annotation
        # links included): made in a second process meanwhile (a build with
        # many new articles only).
        pages = pool.background(_collection_pages, project, result.articles, worth_it=result.processed >= POOL_THRESHOLD)
        clock.lap("collection pages")
        cross_link(project, result, clock)
        clean_stale_temps(project.docs)
        clean_stale_temps(project.root, only=project.site_data.name)
        trees, tree_stat, tree_fps = _generate(project, result, state, pool, pages, clock, memos, damage)
    manifest: dict[str, dict[str, Entry]] = {}
    for tree, files in sorted(trees.items()):
        target = _tree_dir(project, tree)
        w, u, entries = sync_tree(target, files, state.manifest.get(tree), tree_stat.get(tree), tree_fps.get(tree))
        shutil.rmtree(staging_dir(target), ignore_errors=True)  # what is left there was unchanged
        result.written += w
        result.unchanged += u
        manifest[tree] = entries
        if tree == SITE_DATA and w:
            before = state.manifest.get(tree, {})
            # sync_tree hands back the very Entry of each file it kept: a new object means a new file.
            result.site_data_written = sorted(rel for rel, e in entries.items() if before.get(rel) is not e)
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
    if (warning := _damage_warning(project, damage + take_damaged())) is not None:
        result.problems.append(warning)
    result.timings = clock.laps
    result.seconds = time.perf_counter() - start
    return result
