"""Open data: the archive as files a program can read, next to the pages a person reads.

Each article gets ``data/articles/<id>/`` with ``annotations.jsonld`` (W3C Web
Annotations), ``article.json`` (front matter, Markdown body, plain text),
``citation.json`` (CSL-JSON) and ``citation.bib`` (BibTeX); the whole archive
gets ``data/annotations.jsonld``, ``data/archive.json`` and ``data/archive.bib``.
The build writes them with the same atomic, only-what-changed ``sync_tree``
as the pages: the archive-wide files into ``docs/data/`` (MkDocs copies
them, and the hand-written pages link to them), each article's files into
one bundle per article in one flat folder, ``site-data/``
(``Project.site_data``), from which the MkDocs hook unpacks them into
``site/data/articles/<id>/`` (``publish``) without MkDocs walking them.  Like the pages, an article's files are only
regenerated when the article changed (``plan_data``).  Everything is a pure
function of the articles and ``mkdocs.yml``: no timestamps, keys in a fixed
order, compact JSON.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from ..model import Article
from ..output import KEEP, Entry, FileData, matches
from ..project import Project
from ..writer import front_matter

FORMATS = ("jsonld", "csl", "bibtex")
TREE = "data"


@dataclass(frozen=True)
class SiteInfo:
    """What the data needs from ``mkdocs.yml``: absolute URLs of pages and files."""

    url: str = "/"
    name: str = "Reading Archive"
    directory_urls: bool = True

    def page_url(self, article_id: str) -> str:
        path = f"articles/{article_id}/" if self.directory_urls else f"articles/{article_id}.html"
        return self.url + path

    def annotation_url(self, article_id: str, annotation_id: str) -> str:
        return f"{self.page_url(article_id)}#ann-{annotation_id}"

    def data_url(self, relpath: str) -> str:
        return f"{self.url}{TREE}/{relpath}"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without constructing the ``!!python/name:`` values some extensions use."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_info(project: Project) -> SiteInfo:
    try:
        config = yaml.load((project.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return SiteInfo()
    if not isinstance(config, dict):
        return SiteInfo()
    url = str(config.get("site_url") or "/")
    if not url.endswith("/"):
        url += "/"
    return SiteInfo(url, str(config.get("site_name") or SiteInfo.name), bool(config.get("use_directory_urls", True)))


# In ``site-data/`` an article's files travel as one bundle, ``<id>.bundle``:
# one flat folder rather than one folder per article (listed with one scandir,
# no folders to create), and one file per article rather than four.  Creating a
# file costs this filesystem 30-180 microseconds whatever its size, so a cold
# build of 10,000 articles creates 20,000 files instead of 50,000.
# ``publish`` unpacks each bundle to ``data/articles/<id>/<name>``.
BUNDLE = ".bundle"


def bundle_name(article_id: str) -> str:
    """The name of the article's bundle in ``site-data/``."""
    return article_id + BUNDLE


def pack(files: Mapping[str, bytes]) -> bytes:
    """Files (name → bytes) as one bundle: a JSON line of ``[name, size]`` pairs, then the bytes in that order."""
    header = _json([[name, len(data)] for name, data in files.items()]).encode("utf-8")
    return b"".join([header, b"\n", *files.values()])


def unpack(bundle: bytes) -> dict[str, bytes]:
    """The files of a ``pack`` bundle; ValueError when it is not one."""
    line, sep, rest = bundle.partition(b"\n")
    try:
        sizes = json.loads(line) if sep else None
    except ValueError:
        sizes = None
    if not isinstance(sizes, list) or not all(
        isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) and isinstance(s[1], int) and s[1] >= 0 for s in sizes
    ):
        raise ValueError("not an open-data bundle")
    files: dict[str, bytes] = {}
    offset = 0
    for name, size in sizes:
        files[name] = rest[offset : offset + size]
        offset += size
    if offset != len(rest) or any("/" in name or name.startswith(".") or not name for name in files):
        raise ValueError("not an open-data bundle")
    return files


def publish(site_data: Path, data_dir: Path, only: Iterable[str] | None = None) -> int:
    """Unpack the article bundles into the site; returns files written.

    Each file gets its bundle's modification time, so a file already in
    place with the same size and that time is left alone, as is one with
    the same bytes: a deploy tool sees only what changed.  With ``only``
    (names in ``site-data/``) only those bundles are unpacked: a live-reload
    rebuild places just what the build step rewrote, without reading
    10,000 bundles.  Files the source lacks are not removed: a full
    ``mkdocs build`` starts from an empty ``site/``.
    """
    from ..output import place_bytes

    placed = 0
    if only is None:
        try:
            only = [e.name for e in os.scandir(site_data) if e.is_file(follow_symlinks=False)]
        except OSError:
            return 0
    for name in only:
        if not name.endswith(BUNDLE) or name.startswith("."):
            continue
        try:
            with open(os.path.join(site_data, name), "rb") as f:
                mtime_ns = os.fstat(f.fileno()).st_mtime_ns
                files = unpack(f.read())
        except (OSError, ValueError):  # gone meanwhile, or not the build's: the next build rewrites it
            continue
        folder = os.path.join(data_dir, article_dir(name[: -len(BUNDLE)]))
        os.makedirs(folder, exist_ok=True)
        for file_name, data in files.items():
            placed += place_bytes(os.path.join(folder, file_name), data, mtime_ns)
    return placed


def article_dir(article_id: str) -> str:
    return f"articles/{article_id}"


def dump_json(data: Any) -> bytes:
    """Deterministic JSON: UTF-8, keys in the order built, a final newline.

    Compact, not indented: the standard library only uses its C encoder
    without ``indent`` (ten times faster at 10,000 articles), and the files
    are a third smaller; any JSON viewer indents them for a reader.
    """
    return (_json(data) + "\n").encode("utf-8")


# One encoder for every document (json.dumps with options builds one per call).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(data: Any) -> str:
    return _COMPACT.encode(data)


@dataclass
class Pieces:
    """One article's share of the archive-wide files, as serialised text.

    Kept between builds (keyed by the article's fingerprint) so that a
    rebuild after one change joins strings instead of re-serialising every
    annotation and citation of the archive.
    """

    fingerprint: str
    annotations: list[str]  # each annotation as compact JSON
    csl: str  # the CSL-JSON item as compact JSON
    bib: str  # the BibTeX entry


def citation_meta(article: Article) -> dict[str, Any]:
    """The front-matter fields the citations read (without ``front_matter``'s word count, the slow part)."""
    meta = {
        "id": article.id, "title": article.title, "authors": list(article.authors), "date": article.date,
        "source": article.source, "url": article.url, "description": article.description,
    }
    for key in sorted(article.extra):
        meta.setdefault(key, article.extra[key])
    return {k: v for k, v in meta.items() if v is not None}


def _collection_bytes(items: list[str], collection_id: str, label: str) -> bytes:
    """An AnnotationCollection around already-serialised items (identical to dumping it whole)."""
    from .jsonld import collection

    if not items:
        return (_json(collection([], collection_id, label)) + "\n").encode("utf-8")
    doc = collection([{}], collection_id, label)
    doc["total"] = len(items)
    head, _, tail = _json(doc).rpartition('"items":[{}]')
    return (head + '"items":[' + ",".join(items) + "]" + tail + "\n").encode("utf-8")


# Each format's files in an article's folder.
_FILE_NAMES = {"jsonld": ("annotations.jsonld", "article.json"), "csl": ("citation.json",), "bibtex": ("citation.bib",)}


def article_paths(article_id: str, formats: Iterable[str] = FORMATS) -> list[str]:
    base = article_dir(article_id)
    wanted = set(formats)
    return [f"{base}/{n}" for f in FORMATS if f in wanted for n in _FILE_NAMES[f]]


def article_pieces(info: SiteInfo, article: Article, fingerprint: str = "") -> Pieces:
    from . import citations, jsonld

    meta = citation_meta(article)
    return Pieces(
        fingerprint,
        [_json(item) for item in jsonld.article_annotations(article, info)],
        _json(citations.csl(meta, info)),
        citations.bibtex(meta, info),
    )


def article_files(info: SiteInfo, article: Article, pieces: Pieces, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """The article's own files under ``articles/<id>/``."""
    from . import article_json

    wanted = set(formats)
    base = article_dir(article.id)
    files: dict[str, bytes] = {}
    if "jsonld" in wanted:
        label = f"Annotations on “{article.title or article.id}”"
        files[f"{base}/annotations.jsonld"] = _collection_bytes(pieces.annotations, info.data_url(f"{base}/annotations.jsonld"), label)
        files[f"{base}/article.json"] = dump_json(article_json.article_record(article, front_matter(article), info))
    if "csl" in wanted:
        files[f"{base}/citation.json"] = f"[{pieces.csl}]\n".encode("utf-8")
    if "bibtex" in wanted:
        files[f"{base}/citation.bib"] = pieces.bib.encode("utf-8")
    return files


def archive_files(info: SiteInfo, pieces: list[Pieces], formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """The archive-wide files, joined from every article's pieces (in article order)."""
    wanted = set(formats)
    files: dict[str, bytes] = {}
    if "jsonld" in wanted:
        items = [item for p in pieces for item in p.annotations]
        files["annotations.jsonld"] = _collection_bytes(items, info.data_url("annotations.jsonld"), f"All annotations in {info.name}")
    if "csl" in wanted:
        files["archive.json"] = ("[" + ",".join(p.csl for p in pieces) + "]\n").encode("utf-8")
    if "bibtex" in wanted:
        files["archive.bib"] = "\n".join(p.bib for p in pieces).encode("utf-8")
    return files


def data_files(info: SiteInfo, articles: Iterable[Article], formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """Every open-data file for these articles, relative to the data tree, in the chosen formats."""
    files: dict[str, bytes] = {}
    pieces = []
    for article in sorted(articles, key=lambda a: a.id):
        p = article_pieces(info, article)
        pieces.append(p)
        files.update(article_files(info, article, p, formats))
    files.update(archive_files(info, pieces, formats))
    return files


@dataclass
class DataPlan:
    """Which articles' open data a build must regenerate (``plan_data``), and what it keeps.

    ``fingerprints`` holds, for every article, the fingerprint its files are
    recorded with; ``todo`` the ids whose files and pieces must be rendered
    (``render_data``, in any process), with ``intact`` the digests of
    their files that are still as the last build wrote them (a file
    rendered to the same bytes is then kept, not written); ``kept`` the
    cached pieces of the rest.
    """

    info: SiteInfo
    cache: Any  # cache.Shards of Pieces
    fingerprints: dict[str, str]  # in article id order
    todo: set[str]
    kept: dict[str, Pieces]
    intact: dict[str, dict[str, str]] = field(default_factory=dict)


def plan_data(
    project: Project,
    articles: list[Article],
    fingerprints: Mapping[str, str],
    manifest: Mapping[str, Entry] | None,
    stats: Mapping[str, os.stat_result],
) -> DataPlan:
    """Decide, per article, whether its open data can be kept.

    ``fingerprints`` maps article id → the build's fingerprint of the
    article (the one that decides whether its page is rewritten);
    ``manifest``/``stats`` are the ``site-data/`` entries from the last
    build and on disk.  An article whose fingerprint (with the site's URL
    and name) is unchanged and whose files are intact keeps its files and
    its cached pieces for the archive-wide files.
    """
    from ..cache import Shards

    info = site_info(project)
    # Sharded, so that a change to one article rewrites 1/16 of the cache, not all of it.
    cache = Shards(project.cache / "opendata", 16)
    salt = repr(info).encode()
    manifest = manifest or {}
    plan = DataPlan(info, cache, {}, set(), {})
    for article in sorted(articles, key=lambda a: a.id):
        aid = article.id
        fp = hashlib.sha256(fingerprints[aid].encode() + salt).hexdigest() if aid in fingerprints else ""
        plan.fingerprints[aid] = fp
        pieces = cache.shard(aid).get(aid)
        names = (bundle_name(aid),)
        intact = {name: old for name in names if (old := manifest.get(name)) is not None and matches(stats.get(name), old)}
        if fp and isinstance(pieces, Pieces) and pieces.fingerprint == fp and len(intact) == len(names) and all(
            old.fingerprint == fp for old in intact.values()
        ):
            plan.kept[aid] = pieces
        else:
            plan.todo.add(aid)
            plan.intact[aid] = {name: old.sha for name, old in intact.items()}
    return plan


def render_data(info: SiteInfo, article: Article, fingerprint: str) -> tuple[Pieces, dict[str, bytes]]:
    """One article's pieces and its bundle (by its name in ``site-data/``): a pure function, run in any process."""
    pieces = article_pieces(info, article, fingerprint)
    files = {rel.rpartition("/")[2]: data for rel, data in article_files(info, article, pieces).items()}
    return pieces, {bundle_name(article.id): pack(files)}


def finish_data(
    plan: DataPlan, rendered: Mapping[str, tuple[Pieces, Mapping[str, FileData]]]
) -> tuple[dict[str, FileData], dict[str, FileData], dict[str, str]]:
    """The build's open data from the plan and the articles rendered for it.

    Returns the archive-wide files (for ``docs/data/``), each article's bundle
    by its name in ``site-data/`` (``KEEP`` where kept), and the
    fingerprint of each of those, for ``sync_tree``'s new manifest.
    """
    files: dict[str, FileData] = {}
    fps: dict[str, str] = {}
    fresh: dict[str, Pieces] = {}
    for aid in plan.fingerprints:
        name = bundle_name(aid)
        if aid in plan.todo:
            pieces, own = rendered[aid]
            plan.cache.put(aid, pieces)
            files.update(own)
        else:
            pieces = plan.kept[aid]
            files[name] = KEEP
        fresh[aid] = pieces
        fps[name] = plan.fingerprints[aid]
    plan.cache.retain(set(fresh))
    plan.cache.save()
    return archive_files(plan.info, list(fresh.values())), files, fps


def write_files(out: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Write files under ``out`` (only those whose bytes changed); other files there are left alone."""
    from ..output import write_if_changed

    written = 0
    for rel in sorted(files):
        written += write_if_changed(out / rel, files[rel])
    return written, len(files) - written
