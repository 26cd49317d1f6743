"""A throw-away archive project made from the checkout: what the benchmarks and the tests build in.

One place lists what a project needs besides its content (the site's
config, the theme overrides, the hand-written
pages), so a new hand-written page reaches both.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .generate import generate

ROOT = Path(__file__).resolve().parent.parent
SITE_FILES = ("mkdocs.yml", "overrides")
CONTENT = ("raw", "annotations", "entities.yml")
HAND_WRITTEN_DOCS = ("index.md", "about.md", "how-to-annotate.md", "open-data.md", "stylesheets", "javascripts", "assets", "images")


def copy_skeleton(dest: Path, content: tuple[str, ...] = ()) -> Path:
    """Copy the site files, the hand-written pages and the named ``content`` of the checkout into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES + content:
        src = ROOT / name
        if not src.exists():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
    for name in ("raw", "annotations", "docs"):
        (dest / name).mkdir(exist_ok=True)
    for name in HAND_WRITTEN_DOCS:
        src = ROOT / "docs" / name
        if src.is_dir():
            shutil.copytree(src, dest / "docs" / name)
        elif src.exists():
            shutil.copy2(src, dest / "docs" / name)
    return dest


def copy_project(dest: Path, *, raw: bool = True, annotations: bool = True, entities: bool = True) -> Path:
    """A fresh archive project in ``dest`` with the checkout's config and (optionally) content."""
    wanted = {"raw": raw, "annotations": annotations, "entities.yml": entities}
    return copy_skeleton(dest, tuple(name for name in CONTENT if wanted[name]))


def make_project(dest: Path, n: int, seed: int = 1) -> list[str]:
    """A fresh project: the checkout's site config and hand-written pages, plus a synthetic archive of ``n`` articles."""
    if dest.exists():
        shutil.rmtree(dest)
        os.sync()  # the deletion's discards done before anything is measured
    copy_skeleton(dest)
    return generate(dest, n, seed=seed)
