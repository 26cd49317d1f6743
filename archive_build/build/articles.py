"""Every article of the project: discovered, processed (``jobs``), then linked to each other (``cross_link``)."""
from __future__ import annotations

import os

from archive_build import annotations as annotations_mod
from archive_build import entities as entities_mod
from archive_build.annotations.files import inventory as annotation_files
from archive_build.article_warnings import article_warnings
from archive_build.budget import Budget
from archive_build.build.jobs import Job, run_jobs
from archive_build.build.lock import build_lock
from archive_build.build.result import BuildResult, Clock, damage_warning
from archive_build.build.workers import Workers
from archive_build.errors import kept_going
from archive_build.ingest.discover import discover
from archive_build.project import Project
from archive_build.store.articles import TEXT_GROUPS
from archive_build.store.cache import FileHasher, take_damaged


def collect(
    project: Project, *, keep_going: bool = False, workers: int | None = None, progress: bool = True,
    hasher: FileHasher | None = None, clock: Clock | None = None, budget: Budget | None = Budget(), texts: bool = True,
) -> BuildResult:
    """Read, clean, annotate and link every article; no writing.

    With ``texts`` (for the commands that read them) every article comes
    with all its fields; without, as the cards the collection steps read.
    """
    clock = clock or Clock()
    with build_lock(project):
        with Workers(workers, budget) as pool:
            result = gather(project, keep_going=keep_going, progress=progress, hasher=hasher, clock=clock, pool=pool)
        cross_link(project, result, clock)
        if texts:
            for group in TEXT_GROUPS:
                result.texts.load_all(result.articles, group)
    if (warning := damage_warning(project, take_damaged())) is not None:
        result.problems.append(warning)
    return result


def gather(project: Project, *, keep_going: bool, progress: bool, hasher: FileHasher | None, clock: Clock, pool: Workers) -> BuildResult:
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
    done, result.processed = run_jobs(project, jobs, gazetteer, gazetteer_hash, pool=pool, progress=progress, texts=result.texts, hasher=hasher)
    for res in done:
        result.problems.extend(kept_going(res.problems, keep_going))
        if res.article is not None:
            result.articles.append(res.article)
    result.articles.sort(key=lambda a: a.id)
    clock.lap("articles")
    return result


def cross_link(project: Project, result: BuildResult, clock: Clock) -> None:
    """Links between articles (annotations' "see also", internal links, backlinks, related reading), and the build's counts."""
    from archive_build.collection import enrich
    from archive_build.collection.relative_links import check_relative_links

    annotations_mod.link_annotations(result.articles, result.problems)
    check_relative_links(project.docs, result.articles, {e for a in result.articles for e in a.entities}, result.problems, result.texts)
    enrich(project, result.articles, result.texts)
    clock.lap("cross-links")
    result.annotations = sum(len(a.annotations) for a in result.articles)
    result.entities = len({e for a in result.articles for e in a.entities})
    result.article_count = len(result.articles)
    result.problems.extend(article_warnings(result.articles))
