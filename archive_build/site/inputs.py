"""What a rendered site depends on, as one digest: ``archive-build site`` skips work when it has not changed.

A page's HTML depends on its Markdown in ``docs/``, on every other page
(navigation, backlinks, tags), on the open-data packs in ``site-data/``
(unpacked into ``site/data/``), on the gazetteer (the hooks' entity
filters), on the theme (``overrides/``, ``mkdocs.yml``, the installed
versions of MkDocs, Material, Python-Markdown and the rest), on this
package's code (the hooks) and on the environment the config reads
(``SITE_URL``, ``SOURCE_DATE_EPOCH``, the search index's pages per part).
The digest covers all of them.
Files are represented by their path, size, modification time and inode,
not their bytes: the build step replaces a file only when its bytes change
(``output.write_if_changed``), so an unchanged file keeps all four, and
taking stock of 10,000 articles costs a directory walk, not a read.

The digest of the inputs that made ``site/`` is kept with the inode of
``site/`` itself (``STAMP``): a site swapped in by another run, or removed,
is never mistaken for the one the digest describes.
"""
from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path
from typing import Iterable, Mapping

from archive_build.project import Project

#: Where the digest of the inputs that made ``site/`` is kept, in the cache folder.
STAMP = "site-inputs"
#: Installed distributions whose version shapes the HTML, the assets or the search index.
DISTRIBUTIONS = (
    "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "nh3", "pagefind", "pagefind_bin_extended",
    "cbor2", "pyyaml",
)
#: Environment variables the configuration or the hooks read.
ENVIRONMENT = ("SITE_URL", "SOURCE_DATE_EPOCH", "ARCHIVE_BUILD_ON_SERVE", "ARCHIVE_BUILD_PAGES_PER_INDEX", "ARCHIVE_BUILD_NOTES_PER_INDEX")
_PACKAGE = Path(__file__).resolve().parent


def _walk(top: Path) -> Iterable[tuple[str, os.stat_result]]:
    """Every regular file under ``top`` (a file: itself), in a fixed order, with its ``stat``."""
    try:
        st = os.stat(top)
    except OSError:
        return
    if not os.path.isdir(top):
        yield os.fspath(top), st
        return
    stack = [os.fspath(top)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(entry.path)
                continue
            try:
                yield entry.path, entry.stat()
            except OSError:
                continue


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def digest(project: Project, env: Mapping[str, str], extra: Iterable[str] = (), *, pages: bool = True) -> str:
    """The digest of everything the site built from ``project`` in ``env`` depends on (``extra``: more words to mix in).

    Without ``pages``, ``docs/`` and ``site-data/`` are left out: what every
    page shares (the site-wide key of an incremental render, ``site/page_records.py``).
    """
    h = hashlib.sha256()
    for word in extra:
        h.update(f"extra {word}\n".encode())
    for name in DISTRIBUTIONS:
        h.update(f"dist {name} {_version(name)}\n".encode())
    for name in ENVIRONMENT:
        h.update(f"env {name} {env.get(name, '-')!r}\n".encode())
    tops = [project.root / "mkdocs.yml", project.gazetteer, project.root / "overrides", _PACKAGE]
    if pages:
        tops[2:2] = [project.docs, project.site_data]
    for top in tops:
        h.update(f"top {top}\n".encode())
        for path, st in _walk(top):
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def site_identity(site: Path) -> str:
    """Which folder ``site`` is (device and inode): a tree swapped in or put together elsewhere is another."""
    try:
        st = os.stat(site)
    except OSError:
        return "-"
    return f"{st.st_dev}:{st.st_ino}"


def up_to_date(project: Project, site: Path, current: str) -> bool:
    """Whether ``site`` is the tree rendered from inputs with the digest ``current``."""
    try:
        recorded = (project.cache / STAMP).read_text("utf-8").split()
    except OSError:
        return False
    return recorded == [current, site_identity(site)]


def record(project: Project, site: Path, current: str) -> None:
    """Remember that ``site`` was rendered from inputs with the digest ``current``."""
    from archive_build.store.cache import write_cache_file

    write_cache_file(project.cache / STAMP, f"{current} {site_identity(site)}\n".encode())


def forget(project: Project) -> None:
    """No rendered site is known to match its inputs (a render is under way, or failed)."""
    try:
        (project.cache / STAMP).unlink()
    except OSError:
        pass
