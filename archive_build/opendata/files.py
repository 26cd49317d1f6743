"""One article's open-data files and the archive-wide ones, joined from per-article pieces."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from archive_build.model import Article
from archive_build.opendata import article_json, citations, jsonld
from archive_build.opendata.jsonld import collection
from archive_build.opendata.packs import article_dir
from archive_build.opendata.serialise import dump_json, json_text
from archive_build.opendata.site_info import SiteInfo
from archive_build.output import write_if_changed
from archive_build.writer import front_matter

FORMATS = ("jsonld", "csl", "bibtex")


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
    if not items:
        return (json_text(collection([], collection_id, label)) + "\n").encode("utf-8")
    doc = collection([{}], collection_id, label)
    doc["total"] = len(items)
    head, _, tail = json_text(doc).rpartition('"items":[{}]')
    return (head + '"items":[' + ",".join(items) + "]" + tail + "\n").encode("utf-8")


# The article's plain text, the resource its annotations' selectors are true of (``jsonld``).
TEXT_NAME = "text.txt"


def article_pieces(info: SiteInfo, article: Article, fingerprint: str = "") -> Pieces:
    meta = citation_meta(article)
    return Pieces(
        fingerprint,
        [json_text(item) for item in jsonld.article_annotations(article, info)],
        json_text(citations.csl(meta, info)),
        citations.bibtex(meta, info),
    )


def article_files(info: SiteInfo, article: Article, pieces: Pieces, formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """The article's own files under ``articles/<id>/``."""
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
        files[TITLES_NAME] = _titles_bytes(pieces)
    if "bibtex" in wanted:
        files["archive.bib"] = "\n".join(p.bib for p in pieces).encode("utf-8")
    return files


#: Every article's id and title, for the annotate panel's "See also" list: a tenth of archive.json's bytes.
TITLES_NAME = "titles.json"


def _titles_bytes(pieces: list[Pieces]) -> bytes:
    items = (json.loads(p.csl) for p in pieces)
    return dump_json([{"id": i.get("id"), "title": i.get("title")} for i in items])


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


def write_files(out: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Write files under ``out`` (only those whose bytes changed); other files there are left alone."""
    written = 0
    for rel in sorted(files):
        written += write_if_changed(out / rel, files[rel])
    return written, len(files) - written
