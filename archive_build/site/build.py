"""``archive-build site``: run ``mkdocs build`` into a temporary directory and swap it into ``site/``.

``mkdocs build`` empties ``site/`` first and then writes page after page, so
a build killed half-way (or failing in strict mode) would leave a broken
site behind for whatever serves it.  Building beside it and swapping the
finished tree in with ``output.swap_dirs`` keeps the previous site complete
until the new one is.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from archive_build import outcome
from archive_build.output import clean_stale_temps, swap_dirs
from archive_build.project import Project
from archive_build.search import index as search
from archive_build.site import inputs as site_inputs
from archive_build.site import page_records, spare, trash
from archive_build.site.plugin import shards
from archive_build.site.plugin.shards import Shard


def site_dir(project: Project) -> Path:
    """``site_dir`` from mkdocs.yml (default ``site``), relative to the project."""
    import yaml

    name = "site"
    config = project.root / "mkdocs.yml"
    if config.exists():
        for line in config.read_text("utf-8").splitlines():
            if line.startswith("site_dir:"):
                name = yaml.safe_load(line.split(":", 1)[1]) or name
    return project.root / str(name)


#: The site_url mkdocs.yml ships with: not an address anyone publishes at.
PLACEHOLDER_SITE_URL = "https://archive.example.org/"


def site_url_warning(project: Project) -> str | None:
    """A warning for the deployer while ``site_url`` (mkdocs.yml, or SITE_URL) is still the placeholder.

    Citations, canonical links, the Atom feed and the sitemap all carry the
    site's address; built with the placeholder they point at a site that
    does not exist.
    """
    from mkdocs.utils.yaml import yaml_load

    config = project.root / "mkdocs.yml"
    if not config.exists():
        return None
    with open(config, encoding="utf-8") as f:
        url = str((yaml_load(f) or {}).get("site_url") or "")
    if url.rstrip("/") != PLACEHOLDER_SITE_URL.rstrip("/"):
        return None
    return (
        f"archive-build site: warning: site_url is still the placeholder {PLACEHOLDER_SITE_URL}; citations, canonical links, "
        "the feed and the sitemap will point there. Set site_url in mkdocs.yml, or SITE_URL in the environment "
        "(the GitHub Pages workflow sets it from the repository)."
    )


def cmd_site(args: argparse.Namespace) -> int:
    """Publish ``docs/`` into ``site/`` (or, with ``--shard``, one shard into ``--out``), only as the last build left it when that build succeeded."""
    from archive_build.build.lock import build_lock

    project = Project.find(Path(args.root) if args.root else None)
    try:
        shard = Shard.parse(args.shard) if getattr(args, "shard", None) else None
    except ValueError as exc:
        print(f"archive-build site: {exc}", file=sys.stderr)
        return 2
    with build_lock(project, on_wait=lambda message: print(message, file=sys.stderr, flush=True)):
        status = outcome.last(project)
        if status != outcome.OK:
            why = f"the last build failed: {status.removeprefix('failed: ')}" if status else "no build has finished yet"
            print(f"archive-build site: {why}; {project.rel(site_dir(project))}/ left as it was: run archive-build build, fix what it reports, then publish", file=sys.stderr)
            return 1
        if shard is not None:
            out = Path(args.out) if args.out else project.root / f"site-shard-{shard.k}-of-{shard.n}"
            return _render_one_shard(project, shard, out)
        jobs = args.jobs if getattr(args, "jobs", None) else (os.cpu_count() or 1)
        return _publish(project, jobs=max(1, jobs), timings=getattr(args, "timings", False))


def cmd_merge(args: argparse.Namespace) -> int:
    """Put the folders of ``archive-build site --shard K/N`` together, index the whole site and swap it into ``site/``."""
    from archive_build.build.lock import build_lock
    from archive_build.site.merge import MergeError, merge

    project = Project.find(Path(args.root) if args.root else None)
    target = site_dir(project)
    with build_lock(project, on_wait=lambda message: print(message, file=sys.stderr, flush=True)):
        clean_stale_temps(target.parent)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        notes = project.cache / f".search-notes.tmp-{os.getpid()}"
        try:
            try:
                merge([Path(f) for f in args.shards], tmp, notes, project.cache)
            except (MergeError, RuntimeError) as exc:
                print(f"archive-build merge: {exc}; {project.rel(target)}/ left as it was", file=sys.stderr)
                return 1
            page_records.forget(project.cache)
            _swap(project, tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(notes, ignore_errors=True)
    site_inputs.forget(project)
    return 0


def _mkdocs_command(out: Path) -> list[str]:
    """MkDocs' build into ``out``, in this interpreter (``site/run_mkdocs.py``: it exits without tearing down)."""
    return [sys.executable, "-m", "archive_build.site.run_mkdocs", "build", "--strict", "--site-dir", str(out)]


def _shard_env(env: dict[str, str], shard: Shard, out: Path) -> dict[str, str]:
    from archive_build.site.merge import STATE_FOLDER

    return {**env, shards.ENV: str(shard), shards.STATE_ENV: str(out / STATE_FOLDER)}


def _render_one_shard(project: Project, shard: Shard, out: Path) -> int:
    """``--shard K/N``: one shard's pages into ``out`` (emptied first), for ``archive-build merge``."""
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run(_mkdocs_command(out), cwd=project.root, env=_shard_env(_reproducible_env(project), shard, out))
    if proc.returncode != 0:
        print(f"archive-build site: mkdocs build of shard {shard} failed", file=sys.stderr)
    return proc.returncode


def _render(project: Project, tmp: Path, notes: Path, env: dict[str, str], jobs: int, seconds: dict[str, float], records: Path) -> int:
    """The whole site into ``tmp`` and indexed: one ``mkdocs build``, or shards (at most ``jobs`` at once), merged (``seconds``: each stage's).

    There are ``jobs`` shards, or more when the archive is large enough that
    a shard would convert over ``shards.max_shard_bytes()`` of Markdown: a
    shard's memory follows the pages it converts.  Each page's record goes to
    ``records`` (``site/page_records.py``); with ``page_records.REUSE_ENV``
    in ``env``, one ``mkdocs build`` renders only the pages whose inputs
    changed and links the rest from the old site.
    """
    start = time.perf_counter()
    count = 1
    if page_records.REUSE_ENV not in env:
        count = shards.shard_count(shards.split_bytes(project.docs), jobs, shards.max_shard_bytes(env))
    if count <= 1:
        run_env = {**env, search.DEFER_ENV: str(notes), page_records.RECORD_ENV: str(records)}
        proc = subprocess.run(_mkdocs_command(tmp), cwd=project.root, env=run_env)
        seconds["render"] = time.perf_counter() - start
        if proc.returncode != 0:
            return proc.returncode
        start = time.perf_counter()
        index_laps = search.index_site(tmp, notes, project.cache)
        seconds["index"] = time.perf_counter() - start
        seconds.update({f"index: {k}": v for k, v in index_laps.items()})
        return 0
    from archive_build.site.merge import STATE_FOLDER, merge

    # Named like every temporary (``….tmp-<pid>``), so that clean_stale_temps removes those of a killed run.
    base = tmp.name.rsplit(".tmp-", 1)[0]
    parts = [tmp.with_name(f"{base}.shard-{k}.tmp-{os.getpid()}") for k in range(1, count + 1)]
    part_records = [out / STATE_FOLDER / "pages.jsonl" for out in parts]
    try:
        runs = [
            (_mkdocs_command(out), {**_shard_env(env, Shard(k, count), out), page_records.RECORD_ENV: str(part_records[k - 1])})
            for k, out in enumerate(parts, 1)
        ]
        shard_seconds: dict[int, tuple[float, float]] = {}
        failed = _run_at_most(jobs, runs, project.root, shard_seconds)
        for k, (wall, cpu) in sorted(shard_seconds.items()):
            seconds[f"render: shard {k}/{count}"], seconds[f"render: shard {k}/{count} CPU"] = wall, cpu
        seconds["render"] = time.perf_counter() - start
        if failed:
            return failed
        start = time.perf_counter()
        page_records.combine(part_records, records)
        merge_laps = merge(parts, tmp, notes, project.cache)
        seconds["index"] = time.perf_counter() - start  # the merge's moves included
        seconds.update({f"index: {k}": v for k, v in merge_laps.items()})
        return 0
    finally:
        for out in parts:
            shutil.rmtree(out, ignore_errors=True)


def _run_at_most(
    jobs: int, runs: list[tuple[list[str], dict[str, str]]], cwd: Path, seconds: dict[int, tuple[float, float]] | None = None,
) -> int:
    """Each (command, environment) of ``runs``, in order, at most ``jobs`` at once: 0, or the first failure's exit code.

    After a failure no other run starts (those running finish); a run left
    running when this is interrupted is stopped.  ``seconds``: where each
    run's wall and CPU seconds go, by its place in ``runs`` (from 1), to
    tell how evenly the shards share the cores.
    """
    waiting = list(reversed(list(enumerate(runs, 1))))
    running: dict[int, tuple[int, float, subprocess.Popen[bytes]]] = {}
    failed = 0
    try:
        while running or (waiting and not failed):
            while waiting and not failed and len(running) < jobs:
                k, (command, run_env) = waiting.pop()
                proc = subprocess.Popen(command, cwd=cwd, env=run_env)
                running[proc.pid] = (k, time.perf_counter(), proc)
            time.sleep(0.1)
            for pid in list(running):
                ended, status, usage = os.wait4(pid, os.WNOHANG)
                if not ended:
                    continue
                k, started, proc = running.pop(pid)
                proc.returncode = os.waitstatus_to_exitcode(status)
                failed = failed or proc.returncode
                if seconds is not None:
                    seconds[k] = (time.perf_counter() - started, usage.ru_utime + usage.ru_stime)
        return failed
    finally:
        for _, _, proc in running.values():
            proc.terminate()
            proc.wait()


def _swap(project: Project, tmp: Path, target: Path, *, keep_old: bool = False) -> None:
    """``tmp`` into ``target``; the old tree kept as the spare (``keep_old``: it shares most files with ``tmp``) or deleted."""
    if not target.exists():
        os.rename(tmp, target)
        return
    to_trash = lambda tree: trash.discard(tree, project.cache)  # noqa: E731
    if keep_old:
        swap_dirs(tmp, target, discard=lambda old: spare.keep(old, project.cache, to_trash))
    else:
        trash.swap_in(tmp, target, project.cache)
        spare.forget(project.cache, to_trash)


def _publish(project: Project, jobs: int = 1, timings: bool = False) -> int:
    """Render, index and swap in the site, or nothing at all when its inputs are those of the site in place.

    When only pages changed since the site in place was rendered (the
    site-wide key of its records is today's), only they are rendered
    (``site/plugin/incremental.py``); should that fail, the whole site is.
    """
    warning = site_url_warning(project)
    if warning:
        print(warning, file=sys.stderr)
    target = site_dir(project)
    env = _reproducible_env(project)
    inputs = site_inputs.digest(project, env)
    if target.is_dir() and site_inputs.up_to_date(project, target, inputs):
        print(f"archive-build site: nothing changed since {project.rel(target)}/ was rendered; left as it is", file=sys.stderr)
        return 0
    site_inputs.forget(project)
    clean_stale_temps(target.parent)
    clean_stale_temps(project.cache, only="search-notes")
    clean_stale_temps(project.cache, only="site-pages")
    env[page_records.KEY_ENV] = site_inputs.digest(project, env, pages=False)
    kept = page_records.kept_header(project.cache, target) if target.is_dir() else None
    previous = project.cache / f".site-pages.previous.tmp-{os.getpid()}"
    incremental = kept is not None and kept.site_key == env[page_records.KEY_ENV] and page_records.take_kept(project.cache, previous)
    page_records.forget(project.cache)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    notes = project.cache / f".search-notes.tmp-{os.getpid()}"
    records = project.cache / f".site-pages.tmp-{os.getpid()}"
    seconds: dict[str, float] = {}
    rendered_incrementally = False
    try:
        try:
            code = 1
            if incremental:
                reuse_env = {**env, page_records.REUSE_ENV: str(previous), page_records.REUSE_SITE_ENV: str(target)}
                if spare.spare_dir(project.cache).is_dir():
                    reuse_env[page_records.REUSE_SPARE_ENV] = str(spare.spare_dir(project.cache))
                code = _render(project, tmp, notes, reuse_env, 1, seconds, records)
                rendered_incrementally = code == 0
                if code != 0:
                    print("archive-build site: the incremental render failed; rendering the whole site", file=sys.stderr)
                    for path in (tmp, notes):
                        shutil.rmtree(path, ignore_errors=True)
            if code != 0:
                code = _render(project, tmp, notes, env, jobs, seconds, records)
        except (RuntimeError, OSError) as exc:
            print(f"archive-build site: {exc}; {project.rel(target)}/ left as it was", file=sys.stderr)
            return 1
        if code != 0:
            print(f"archive-build site: mkdocs build failed; {project.rel(target)}/ left as it was", file=sys.stderr)
            return code
        start = time.perf_counter()
        _swap(project, tmp, target, keep_old=rendered_incrementally)
        if not rendered_incrementally:
            spare.make_later(target, project.cache)
        seconds["swap"] = time.perf_counter() - start
        site_inputs.record(project, target, inputs)
        if records.is_file():
            page_records.keep(records, project.cache, target)
    finally:
        for path in (tmp, notes):
            shutil.rmtree(path, ignore_errors=True)
        for path in (records, previous):
            path.unlink(missing_ok=True)
    if timings:
        mode = "incremental" if incremental and "render" in seconds else "whole"
        print(f"archive-build site timings: jobs {jobs}, {mode}, " + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()), file=sys.stderr)
    return 0


def _reproducible_env(project: Project) -> dict[str, str]:
    """The environment for ``mkdocs build``, with the build date pinned to the last commit's.

    MkDocs stamps every page's ``<lastmod>`` in the sitemap with the build
    date unless ``SOURCE_DATE_EPOCH`` is set; the commit's time makes the
    same checkout build byte-identical sites.  An explicit value, or a
    project outside git, is left as it is.
    """
    env = dict(os.environ)
    if "SOURCE_DATE_EPOCH" not in env:
        try:
            out = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=project.root, capture_output=True, text=True, timeout=10, check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out.isdigit():
            env["SOURCE_DATE_EPOCH"] = out
    return env

