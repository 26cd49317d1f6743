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

from . import outcome, search, site_inputs, trash
from .output import clean_stale_temps
from .project import Project


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
    """Publish ``docs/`` into ``site/``, only as the last build left it when that build succeeded."""
    from .build_lock import build_lock

    project = Project.find(Path(args.root) if args.root else None)
    with build_lock(project, on_wait=lambda message: print(message, file=sys.stderr, flush=True)):
        status = outcome.last(project)
        if status != outcome.OK:
            why = f"the last build failed: {status.removeprefix('failed: ')}" if status else "no build has finished yet"
            print(f"archive-build site: {why}; {project.rel(site_dir(project))}/ left as it was: run archive-build build, fix what it reports, then publish", file=sys.stderr)
            return 1
        return _publish(project, timings=getattr(args, "timings", False))


def _publish(project: Project, timings: bool = False) -> int:
    """Render, index and swap in the site, or nothing at all when its inputs are those of the site in place."""
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
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    notes = project.cache / f".search-notes.tmp-{os.getpid()}"
    seconds: dict[str, float] = {}
    try:
        start = time.perf_counter()
        mkdocs = Path(sys.executable).with_name("mkdocs")
        cmd = [str(mkdocs) if mkdocs.exists() else "mkdocs", "build", "--strict", "--site-dir", str(tmp)]
        proc = subprocess.run(cmd, cwd=project.root, env={**env, search.DEFER_ENV: str(notes)})
        seconds["render"] = time.perf_counter() - start
        if proc.returncode != 0:
            print(f"archive-build site: mkdocs build failed; {project.rel(target)}/ left as it was", file=sys.stderr)
            return proc.returncode
        start = time.perf_counter()
        try:
            search.index_site(tmp, notes)
        except RuntimeError as exc:
            print(f"archive-build site: {exc}; {project.rel(target)}/ left as it was", file=sys.stderr)
            return 1
        seconds["index"] = time.perf_counter() - start
        start = time.perf_counter()
        if target.exists():
            trash.swap_in(tmp, target, project.cache)
        else:
            os.rename(tmp, target)
        seconds["swap"] = time.perf_counter() - start
        site_inputs.record(project, target, inputs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(notes, ignore_errors=True)
    if timings:
        print("archive-build site timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()), file=sys.stderr)
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

