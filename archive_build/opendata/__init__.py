"""Open data: the archive as files a program can read, next to the pages a person reads.

Each article gets ``data/articles/<id>/`` with ``annotations.jsonld`` (W3C Web
Annotations), ``article.json`` (front matter, Markdown body, plain text),
``text.txt`` (the plain text alone: the resource annotation selectors point into),
``citation.json`` (CSL-JSON) and ``citation.bib`` (BibTeX); the whole archive
gets ``data/annotations.jsonld``, ``data/archive.json`` and ``data/archive.bib``.
The build writes them with the same atomic, only-what-changed ``sync_tree``
as the pages: the archive-wide files into ``docs/data/`` (MkDocs copies
them, and the hand-written pages link to them), each article's files into
packs of bundles in ``site-data/`` (``packs``), from which the MkDocs hook
unpacks them into ``site/data/articles/<id>/`` (``publish``) without
MkDocs walking them.  Like the pages, an article's files are only
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

import orjson
import yaml

from ..model import Article
from ..output import Entry, FileData, matches
from ..project import Project
from ..writer import front_matter
from .packs import article_dir, members_digest, pack, pack_of, read_index

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

    def text_url(self, article_id: str) -> str:
        """The article's plain text (``text.txt``): what annotation selectors count characters in."""
        from .packs import article_dir

        return self.data_url(f"{article_dir(article_id)}/text.txt")


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without constructing the ``!!python/name:`` values some extensions use."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV VAR`` / ``!ENV [VAR, …, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    items = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    for name in items[:-1]:
        if str(name) in os.environ:
            return os.environ[str(name)]
    return items[-1] if items else None


_ConfigLoader.add_constructor("!ENV", _env)
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


def dump_json(data: Any) -> bytes:
    """Deterministic JSON: UTF-8, compact, keys in the order built, a final newline.

    Compact, not indented: the files are a third smaller, and any JSON viewer
    indents them for a reader.
    """
    return (_json(data) + "\n").encode("utf-8")


def _json(data: Any) -> str:
    """``dump_json`` as text, without the newline (for documents joined from pieces)."""
    try:
        return orjson.dumps(data).decode("utf-8")
    except orjson.JSONEncodeError:
        return _STDLIB.encode(data)


# orjson, eight times as fast as the standard library's compact, non-ASCII
# encoder (which escapes strings in that mode at 5 ns a character; an
# article.json holds the article twice).  It writes the same bytes for
# strings of any character, integers, the build's rounded scores and nesting
# (a test checks them).  Where they differ, orjson writes JSON where the
# standard library did not: a value a sidecar passes through as NaN or
# infinity is null (not NaN), a date is its ISO string (the standard library
# refused it), and a float with an exponent is spelled the shortest way
# (1e-7, not 1e-07).  The standard library takes what orjson refuses
# (integers beyond 64 bits, lone surrogates).
_STDLIB = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


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


# The article's plain text, the resource its annotations' selectors are true of (``jsonld``).
TEXT_NAME = "text.txt"
# Each format's files in an article's folder.
_FILE_NAMES = {"jsonld": ("annotations.jsonld", "article.json", TEXT_NAME), "csl": ("citation.json",), "bibtex": ("citation.bib",)}


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
        files[f"{base}/{TEXT_NAME}"] = (article.plain or "").encode("utf-8", "replace")  # a lone surrogate: one "?" for one character
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

    ``fingerprints`` holds, for every article, the fingerprint its bundle is
    recorded with; ``todo`` the ids whose bundle and pieces must be rendered
    (``render_data``, in any process); ``kept`` the cached pieces of the
    rest.  ``members`` lists each pack's articles (sorted), ``intact`` the
    digest of each pack still as the last build wrote it, ``unchanged`` the
    packs that stay as they are.
    """

    info: SiteInfo
    cache: Any  # cache.Shards of Pieces
    fingerprints: dict[str, str]  # in article id order
    todo: set[str]
    kept: dict[str, Pieces]
    members: dict[str, list[str]] = field(default_factory=dict)
    intact: dict[str, str] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)


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
    and name) is unchanged, and whose pack is intact and holds its bundle
    as of that fingerprint, keeps its bundle and its cached pieces for the
    archive-wide files.
    """
    from ..cache import Shards

    info = site_info(project)
    # Sharded, so that a change to one article rewrites 1/16 of the cache, not all of it.
    cache = Shards(project.cache / "opendata", 16)
    salt = repr(info).encode()
    manifest = manifest or {}
    plan = DataPlan(info, cache, {}, set(), {})
    intact = {name: old for name, old in manifest.items() if matches(stats.get(name), old)}
    plan.intact = {name: old.sha for name, old in intact.items()}

    def cached(aid: str) -> Pieces | None:
        pieces = cache.shard(aid).get(aid)
        return pieces if isinstance(pieces, Pieces) else None

    # An intact pack holds each of its articles' bundles as of the fingerprint
    # their cached pieces carry, if the digest the manifest recorded for it
    # says so (a build stopped between saving the one and the other does not).
    index: dict[str, set[str]] = {}
    for name, old in intact.items():
        held = read_index(project.site_data / name)
        if held is not None and old.fingerprint == members_digest((aid, p.fingerprint if (p := cached(aid)) else "") for aid in held):
            index[name] = set(held)
    for article in sorted(articles, key=lambda a: a.id):
        aid = article.id
        fp = hashlib.sha256(fingerprints[aid].encode() + salt).hexdigest() if aid in fingerprints else ""
        plan.fingerprints[aid] = fp
        name = pack_of(aid)
        plan.members.setdefault(name, []).append(aid)
        pieces = cached(aid)
        if fp and pieces is not None and pieces.fingerprint == fp and aid in index.get(name, ()):
            plan.kept[aid] = pieces
        else:
            plan.todo.add(aid)
    plan.unchanged = {
        name for name, aids in plan.members.items() if index.get(name) == set(aids) and not any(aid in plan.todo for aid in aids)
    }
    return plan


def render_data(info: SiteInfo, article: Article, fingerprint: str) -> tuple[Pieces, bytes]:
    """One article's pieces and its bundle (``packs``): a pure function, run in any process."""
    pieces = article_pieces(info, article, fingerprint)
    files = {rel.rpartition("/")[2]: data for rel, data in article_files(info, article, pieces).items()}
    return pieces, pack(files)


def finish_data(
    plan: DataPlan, rendered: Mapping[str, Pieces], packs: dict[str, FileData]
) -> tuple[dict[str, FileData], dict[str, FileData], dict[str, str]]:
    """The build's open data from the plan, the pieces rendered for it and the packs (``PackWriter.finish``).

    Returns the archive-wide files (for ``docs/data/``), the packs by their
    name in ``site-data/`` (``KEEP`` where kept), and each pack's
    ``members_digest`` for ``sync_tree``'s new manifest.
    """
    fresh: dict[str, Pieces] = {}
    for aid in plan.fingerprints:
        if aid in plan.todo:
            pieces = rendered[aid]
            plan.cache.put(aid, pieces)
        else:
            pieces = plan.kept[aid]
        fresh[aid] = pieces
    plan.cache.retain(set(fresh))
    # Saved before the packs are: if the build stops in between, the digest
    # the manifest keeps for a pack no longer matches, and plan_data renders
    # its bundles again.
    plan.cache.save()
    digests = {name: members_digest((aid, plan.fingerprints[aid]) for aid in aids) for name, aids in plan.members.items()}
    return archive_files(plan.info, list(fresh.values())), packs, digests


def write_files(out: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Write files under ``out`` (only those whose bytes changed); other files there are left alone."""
    from ..output import write_if_changed

    written = 0
    for rel in sorted(files):
        written += write_if_changed(out / rel, files[rel])
    return written, len(files) - written
