"""Which files under ``annotations/`` the build reads, and an error for every other one.

An article's notes live in ``annotations/<article-id>.yml`` (a list), in
``annotations/<article-id>/<note-id>.yml`` (one note a file, so that two pull
requests annotating one article never touch the same file), or both.
A contributor who names a file ``<id>.YML``, nests a folder or mistypes the
article id must not see the build pass without their notes: every entry of
the folder is either read or reported, with what to do.  Both ``.yml`` and
``.yaml`` are read (editors and people differ); two list files for one
article are an error, and both are still read so that no note vanishes from
the page while the contributor merges them.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from archive_build.errors import Problem

EXTENSIONS = (".yml", ".yaml")
# Files a folder of contributed files may hold that are not annotations.
_DOCS = {"README.md", "README", "README.txt"}
# A note file's stem is its id: the same slug an id must be in a list file (``load._ID``).
NOTE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass
class AnnotationFiles:
    """Article id → its annotation files (paths and display names), and the problems found.

    An article's list file comes first (``.yml`` before ``.yaml``), then its
    note files in name order.
    """

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
    prefix = display.rstrip("/") + "/"
    try:
        entries = _entries(folder, prefix)
    except OSError:
        return out
    lower_known: dict[str, str] | None = None
    notes: list[tuple[str, str]] = []
    for entry, shown, stem, ext, is_dir in entries:
        name = entry.name
        if is_dir:
            if name in known:
                notes.append((entry.path, name))
            elif not name.startswith("."):
                out.problems.append(Problem(shown, None, f"a folder for an article that does not exist: {name!r}{suggestion(name, known)} (a folder in {prefix} holds one article's notes, {prefix}<article-id>/<note-id>.yml)"))
            continue
        if name in _DOCS:
            continue
        if ext not in EXTENSIONS:
            if ext.lower() in EXTENSIONS:
                out.problems.append(Problem(shown, None, f"the build reads only lower-case extensions: rename it to {prefix}{stem}.yml"))
            else:
                out.problems.append(Problem(shown, None, f"not an annotation file, so the build does not read it: annotations go in {prefix}<article-id>.yml or {prefix}<article-id>/<note-id>.yml; rename it, or remove it if it is not an annotation file"))
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
    for folder_path, article_id in notes:
        out.by_article.setdefault(article_id, []).extend(_note_files(folder_path, prefix + article_id + "/", out.problems))
    return out


def _note_files(folder: str, prefix: str, problems: list[Problem]) -> list[tuple[str, str]]:
    """The note files of one article's folder (``<note-id>.yml``), and a problem for every other entry."""
    try:
        entries = _entries(folder, prefix)
    except OSError as exc:
        problems.append(Problem(prefix.rstrip("/"), None, f"cannot read the folder: {exc.strerror or exc}"))
        return []
    found: list[tuple[str, str]] = []
    for entry, shown, stem, ext, is_dir in entries:
        if is_dir:
            problems.append(Problem(shown, None, f"a folder inside an article's notes: the build reads only {prefix}<note-id>.yml files; move its files up into {prefix}"))
        elif ext not in EXTENSIONS:
            fix = f"rename it to {prefix}{stem}.yml" if ext.lower() in EXTENSIONS else f"a note goes in {prefix}<note-id>.yml; rename it, or remove it if it is not a note"
            problems.append(Problem(shown, None, f"not a note file, so the build does not read it: {fix}"))
        elif not NOTE_ID.match(stem):
            problems.append(Problem(shown, None, f"the file name is the note's id and must be lower-case letters, digits and '-' (at most 64), starting with a letter or digit: rename it, e.g. to {prefix}{_slug(stem)}.yml"))
        else:
            found.append((entry.path, shown))
    return found


def _entries(folder: str, prefix: str) -> list[tuple[os.DirEntry[str], str, str, str, bool]]:
    """A folder's entries in name order, as (entry, name in messages, stem, extension, is a folder).

    Hidden entries that are not annotation files (``.gitkeep``, editors'
    files) are left out; a hidden ``.yml`` stays, to be reported.
    """
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    out = []
    for entry in entries:
        stem, ext = os.path.splitext(entry.name)
        if entry.name.startswith(".") and ext.lower() not in EXTENSIONS:
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        out.append((entry, prefix + entry.name, stem, ext, is_dir))
    return out


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:64].strip("-") or "note"


def is_note_file(path: str | os.PathLike[str], article_id: str) -> bool:
    """Whether ``path`` is a one-note file (``annotations/<article-id>/<note-id>.yml``) rather than a list file."""
    return Path(path).parent.name == article_id


def taken_ids(folder: Path, article_id: str) -> set[str]:
    """Every note id an article's files already use, read leniently (a broken file still reserves its ids).

    The list files' ids are found in their lines, so that a file YAML cannot
    parse still keeps a new note from reusing one of its ids; the note
    files' ids are their names.
    """
    taken: set[str] = set()
    for ext in EXTENSIONS:
        path = folder / f"{article_id}{ext}"
        if path.is_file():
            text = path.read_text("utf-8-sig", errors="replace")
            taken |= set(re.findall(r"^[ \t]*-?[ \t]*id:[ \t]*[\"']?([a-z0-9-]+)", text, re.M))
    notes = folder / article_id
    if notes.is_dir():
        taken |= {p.stem for p in notes.iterdir() if p.suffix in EXTENSIONS}
    return taken
