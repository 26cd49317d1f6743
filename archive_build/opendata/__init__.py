"""Open data: the archive as files a program can read, next to the pages a person reads.

Each article gets ``data/articles/<id>/`` with ``annotations.jsonld`` (W3C Web
Annotations), ``article.json`` (front matter, Markdown body, plain text),
``citation.json`` (CSL-JSON) and ``citation.bib`` (BibTeX); the whole archive
gets ``data/annotations.jsonld``, ``data/archive.json`` and ``data/archive.bib``.
They are returned as one generated tree, so the build writes them with the
same atomic, only-what-changed ``sync_tree`` as the pages, and MkDocs copies
them into the site as static files.  Everything is a pure function of the
articles and ``mkdocs.yml``: no timestamps, keys in a fixed order.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..model import Article
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


def article_dir(article_id: str) -> str:
    return f"articles/{article_id}"


def dump_json(data: Any, *, compact: bool = False) -> bytes:
    """Deterministic JSON: UTF-8, keys in the order built, a final newline."""
    if compact:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def data_files(info: SiteInfo, articles: Iterable[Article], formats: Iterable[str] = FORMATS) -> dict[str, bytes]:
    """Every open-data file for these articles, relative to the data tree, in the chosen formats.

    One pass over the articles; the archive-wide files are built from the
    per-article pieces, so the cost grows linearly with the archive.
    """
    from . import article_json, citations, jsonld

    wanted = set(formats)
    files: dict[str, bytes] = {}
    all_annotations: list[dict[str, Any]] = []
    all_csl: list[dict[str, Any]] = []
    all_bib: list[str] = []
    for article in sorted(articles, key=lambda a: a.id):
        meta = front_matter(article)
        base = article_dir(article.id)
        if "jsonld" in wanted:
            items = jsonld.article_annotations(article, info)
            all_annotations.extend(items)
            files[f"{base}/annotations.jsonld"] = dump_json(
                jsonld.collection(items, info.data_url(f"{base}/annotations.jsonld"), f"Annotations on “{meta.get('title') or article.id}”")
            )
            files[f"{base}/article.json"] = dump_json(article_json.article_record(article, meta, info))
        if "csl" in wanted:
            item = citations.csl(meta, info)
            all_csl.append(item)
            files[f"{base}/citation.json"] = dump_json([item])
        if "bibtex" in wanted:
            entry = citations.bibtex(meta, info)
            all_bib.append(entry)
            files[f"{base}/citation.bib"] = entry.encode("utf-8")
    if "jsonld" in wanted:
        files["annotations.jsonld"] = dump_json(
            jsonld.collection(all_annotations, info.data_url("annotations.jsonld"), f"All annotations in {info.name}"), compact=True
        )
    if "csl" in wanted:
        files["archive.json"] = dump_json(all_csl, compact=True)
    if "bibtex" in wanted:
        files["archive.bib"] = "\n".join(all_bib).encode("utf-8")
    return files


def data_tree(project: Project, articles: list[Article]) -> dict[str, bytes]:
    """The ``docs/data/`` tree the build writes (all formats)."""
    return data_files(site_info(project), articles)


def write_files(out: Path, files: dict[str, bytes]) -> tuple[int, int]:
    """Write files under ``out`` (only those whose bytes changed); other files there are left alone."""
    from ..output import write_if_changed

    written = 0
    for rel in sorted(files):
        written += write_if_changed(out / rel, files[rel])
    return written, len(files) - written
