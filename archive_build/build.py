"""The build: discover → clean/annotate/link in a process pool → collection pages → write.

Per-article work is cached by content hash (raw bytes, sidecar, annotation
file, gazetteer and the code itself), so a rebuild only redoes what changed.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import annotations as annotations_mod
from . import entities as entities_mod
from .discover import RawFile, discover
from .errors import InputError, Problem
from .model import Article
from .output import clean_stale_temps, sync_tree
from .pipeline import clean_article
from .project import Project
from .sidecar import load_sidecar
from .writer import page_text

# Below this many articles a process pool costs more than it saves.
POOL_THRESHOLD = 64


def code_version() -> str:
    """Hash of the package's own source: a code change invalidates the cache."""
    h = hashlib.sha256()
    pkg = Path(__file__).parent
    for p in sorted(pkg.rglob("*.py")):
        h.update(p.relative_to(pkg).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Job:
    raw: RawFile
    annotation_file: Path | None
    annotation_display: str
    keep_going: bool


@dataclass
class JobResult:
    article: Article | None
    problems: list[Problem]
    key: str = ""


# Per-worker state, set once by _init_worker.
_WORKER: dict[str, Any] = {}


def _init_worker(project_root: str, gazetteer: Any) -> None:
    _WORKER["project"] = Project(Path(project_root))
    _WORKER["gazetteer"] = gazetteer


def process(job: Job) -> JobResult:
    """Everything that needs only one article (and the gazetteer)."""
    problems: list[Problem] = []
    try:
        sidecar = load_sidecar(job.raw.sidecar, _WORKER["project"].rel(job.raw.sidecar)) if job.raw.sidecar else None
        data = job.raw.path.read_bytes()
        article = clean_article(data, job.raw.display, sidecar)
        article, ann_problems = annotations_mod.annotate(article, job.annotation_file, job.annotation_display, keep_going=job.keep_going)
        problems.extend(ann_problems)
        article = entities_mod.link_entities(article, _WORKER.get("gazetteer"))
        return JobResult(article, problems)
    except InputError as exc:
        return JobResult(None, problems + [exc.problem])
    except OSError as exc:
        return JobResult(None, problems + [Problem(job.raw.display, None, f"cannot read file: {exc.strerror or exc}")])
    except RecursionError:
        return JobResult(None, problems + [Problem(job.raw.display, None, "text is nested too deeply to process")])


def _job_key(job: Job, version: str, gazetteer_hash: str) -> str:
    h = hashlib.sha256(version.encode())
    h.update(gazetteer_hash.encode())
    h.update(b"keep" if job.keep_going else b"strict")
    h.update(job.raw.display.encode())
    for p in (job.raw.path, job.raw.sidecar, job.annotation_file):
        h.update(b"\0")
        if p is not None:
            try:
                h.update(hashlib.sha256(p.read_bytes()).digest())
            except OSError:
                h.update(b"missing")
    return h.hexdigest()


@dataclass
class BuildResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    annotations: int = 0
    entities: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def _progress(iterable: Iterable[Any], total: int, enabled: bool) -> Iterable[Any]:
    if not enabled or not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    # delay: no bar at all for builds shorter than ~2 s.
    return tqdm(iterable, total=total, unit="article", delay=2.0, file=sys.stderr, leave=False)


def run_jobs(project: Project, jobs: list[Job], gazetteer: Any, gazetteer_hash: str, *, workers: int | None, progress: bool) -> list[JobResult]:
    """Run jobs with a content-keyed cache; only misses go to the pool."""
    version = code_version()
    cache_file = project.cache / "articles.pickle"
    try:
        cache: dict[str, JobResult] = pickle.loads(cache_file.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
        cache = {}
    keys = [_job_key(j, version, gazetteer_hash) for j in jobs]
    results: list[JobResult | None] = [cache.get(k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    workers = workers or os.cpu_count() or 1
    if todo:
        if len(todo) < POOL_THRESHOLD or workers == 1:
            _init_worker(str(project.root), gazetteer)
            fresh = (process(jobs[i]) for i in todo)
            for i, res in zip(todo, _progress(fresh, len(todo), progress)):
                results[i] = res
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(str(project.root), gazetteer)) as pool:
                fresh = pool.map(process, [jobs[i] for i in todo], chunksize=max(1, min(64, len(todo) // (workers * 8) or 1)))
                for i, res in zip(todo, _progress(fresh, len(todo), progress)):
                    results[i] = res
        new_cache = {k: r for k, r in zip(keys, results) if r is not None}
        project.cache.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(new_cache, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache_file)
    return [r for r in results if r is not None]


def collect(project: Project, *, keep_going: bool = False, workers: int | None = None, progress: bool = True) -> BuildResult:
    """Read, clean, annotate and link every article; no writing."""
    from .collection import enrich

    result = BuildResult()
    raws, problems = discover(project)
    result.problems.extend(problems)
    gazetteer, gproblems = entities_mod.load_gazetteer(project.gazetteer, project.rel(project.gazetteer))
    result.problems.extend(gproblems)
    gazetteer_hash = hashlib.sha256(project.gazetteer.read_bytes()).hexdigest() if project.gazetteer.exists() else ""
    known = {r.id for r in raws}
    ann_dir = project.annotations
    if ann_dir.is_dir():
        for p in sorted(ann_dir.glob("*.yml")):
            if p.stem not in known:
                result.problems.append(Problem(project.rel(p), 1, f"annotations for an article that does not exist: {p.stem!r}"))
    jobs = []
    for r in raws:
        ann = ann_dir / f"{r.id}.yml"
        jobs.append(Job(r, ann if ann.exists() else None, project.rel(ann), keep_going))
    for res in run_jobs(project, jobs, gazetteer, gazetteer_hash, workers=workers, progress=progress):
        result.problems.extend(res.problems)
        if res.article is not None:
            result.articles.append(res.article)
    result.articles.sort(key=lambda a: a.id)
    annotations_mod.link_annotations(result.articles, result.problems)
    enrich(project, result.articles, gazetteer, result.problems)
    result.annotations = sum(len(a.annotations) for a in result.articles)
    result.entities = len({e for a in result.articles for e in a.entities})
    return result


def build(project: Project, *, keep_going: bool = False, workers: int | None = None, progress: bool = True) -> BuildResult:
    from .collection import collection_pages

    start = time.perf_counter()
    result = collect(project, keep_going=keep_going, workers=workers, progress=progress)
    docs = project.docs
    clean_stale_temps(docs)
    article_files = {f"{a.id}.md": page_text(a).encode("utf-8") for a in result.articles}
    trees = collection_pages(project, result.articles)
    trees["articles"] = {**trees.get("articles", {}), **article_files}
    for tree, files in sorted(trees.items()):
        w, u = sync_tree(docs / tree, files)
        result.written += w
        result.unchanged += u
    result.seconds = time.perf_counter() - start
    return result
