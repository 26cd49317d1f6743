"""Which files under ``annotations/`` the build reads, and an error for every other one.

A contributor who names a file ``<id>.YML``, puts it in a subfolder or
mistypes the article id must not see the build pass without their notes:
every entry of the folder is either read or reported, with what to do.
Both ``.yml`` and ``.yaml`` are read (editors and people differ); two files
for one article are an error, and both are still read so that no note
vanishes from the page while the contributor merges them.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from ..errors import Problem

EXTENSIONS = (".yml", ".yaml")
# Files a folder of contributed files may hold that are not annotations.
_DOCS = {"README.md", "README", "README.txt"}


@dataclass
class AnnotationFiles:
    """Article id → its annotation files (paths and display names, ``.yml`` first), and the problems found."""

    by_article: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def nearest_ids(article_id: str, known: set[str] | list[str], n: int = 3) -> list[str]:
    """The article ids closest to a mistyped one (what ``annotate`` and the build suggest)."""
    return difflib.get_close_matches(article_id, sorted(known), n=n, cutoff=0.6)


def suggestion(article_id: str, known: set[str] | list[str]) -> str:
    close = nearest_ids(article_id, known)
    if not close:
        return "; check the article id: it is the raw file's name without its extension (see raw/)"
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def inventory(folder: str, display: str, known: set[str]) -> AnnotationFiles:
    """Every entry of the annotations folder: an annotation file of a known article, or a problem.

    ``folder`` is the folder's path, ``display`` its name in messages
    (``annotations``), ``known`` the ids of the raw articles.
    """
    out = AnnotationFiles()
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return out
    prefix = display.rstrip("/") + "/"
    lower_known: dict[str, str] | None = None
    for entry in entries:
        name = entry.name
        shown = prefix + name
        stem, ext = os.path.splitext(name)
        if name.startswith(".") and ext.lower() not in EXTENSIONS:
            continue  # .gitkeep, editors' files
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            out.problems.append(Problem(shown, None, f"a folder in {prefix}: the build reads only {prefix}<article-id>.yml files, one per article; move its files up into {prefix} (or remove the folder)"))
            continue
        if name in _DOCS:
            continue
        if ext not in EXTENSIONS:
            if ext.lower() in EXTENSIONS:
                out.problems.append(Problem(shown, None, f"the build reads only lower-case extensions: rename it to {prefix}{stem}.yml"))
            else:
                out.problems.append(Problem(shown, None, f"not an annotation file, so the build does not read it: annotations go in {prefix}<article-id>.yml; rename it, or remove it if it is not an annotation file"))
            continue
        if stem not in known:
            if lower_known is None:
                lower_known = {k.lower(): k for k in known}
            if stem.lower() in lower_known:
                fix = f"; article ids are case-sensitive: rename it to {prefix}{lower_known[stem.lower()]}{ext}"
            else:
                fix = suggestion(stem, known)
            out.problems.append(Problem(shown, 1, f"annotations for an article that does not exist: {stem!r}{fix}"))
            continue
        out.by_article.setdefault(stem, []).append((os.path.join(folder, name), shown))
    for stem, files in out.by_article.items():
        if len(files) > 1:
            files.sort(key=lambda f: EXTENSIONS.index(os.path.splitext(f[0])[1]))
            names = " and ".join(d for _, d in files)
            for _, shown in files[1:]:
                out.problems.append(Problem(shown, 1, f"two annotation files for one article ({names}): move these annotations into {files[0][1]} and delete this file (both are read until then)"))
    return out
