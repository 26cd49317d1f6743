"""The per-article pipeline: a raw file → a cleaned, annotated, linked ``Article`` and its ``Keys``.

``process`` is the whole sequence the build's worker processes run for each
raw file; the build only schedules it.  The order is the design:
read → header/tail metadata → boilerplate → captions → headings → joins →
description → sidecar → Markdown → the article's own notes and links
(``clean_article``, which ``archive-build inspect`` runs alone) → annotate
→ link entities → index (what the collection steps compare, ``index``).
``clean_raw`` is also what ``annotate`` runs to find a quote, so both see
the same text the annotations are anchored in.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from archive_build.annotations import annotate
from archive_build.article_warnings import sidecar_warning_lines
from archive_build.budget import stage
from archive_build.collection.backlinks import article_links
from archive_build.collection.listing import listing_key
from archive_build.collection.related import content_terms, related_key
from archive_build.control_chars import strip_controls
from archive_build.entities import link_entities
from archive_build.errors import Problem
from archive_build.ingest import read_bytes
from archive_build.ingest.decode import MAX_RAW_BYTES
from archive_build.ingest.sidecar import load_sidecar
from archive_build.model import Article, Keys
from archive_build.safe_files import read_regular
from archive_build.text.urls import normalize_url
from archive_build.transforms import bound, clean, metadata, notes, relative_links, render
from archive_build.writer import word_count

if TYPE_CHECKING:
    from archive_build.entities import Gazetteer
    from archive_build.ingest.discover import RawFile

Transform = Callable[[Article], Article]

CLEANING: tuple[Transform, ...] = (
    metadata.detect_header,
    metadata.detect_tail,
    clean.remove_link_labels,
    clean.remove_boilerplate,
    clean.remove_promotions,
    clean.join_dateline,
    clean.merge_captions,
    clean.find_headings,
    clean.join_split_paragraphs,
    clean.describe,
)

AFTER_MARKDOWN: tuple[Transform, ...] = (
    notes.convert_notes,
    notes.link_bare_urls,
    bound.bound_paragraphs,
    clean.flag_truncation,
)


def _step_name(step: Transform) -> str:
    """How a budget report names a step: its module and function (``clean.describe``)."""
    return f"{step.__module__.rsplit('.', 1)[-1]}.{step.__name__}"


def clean_article(data: bytes, path: str, sidecar: dict[str, Any] | None = None) -> Article:
    stage("reading the raw file")
    article = read_bytes(data, path)
    fm = article.extra.pop("front_matter", None)
    if fm:
        unknown = metadata.apply_fields(article, fm, origin="front matter")
        for key in unknown:
            article.warn(f"front matter: unknown field {key!r} ignored")
    for step in CLEANING:
        stage(f"cleaning ({_step_name(step)})")
        article = step(article)
    if sidecar:
        stage("applying the sidecar")
        metadata.apply_fields(article, sidecar, origin="sidecar")
    stage("writing Markdown (render.to_markdown)")
    article = render.to_markdown(article)
    for step in AFTER_MARKDOWN:
        stage(f"cleaning ({_step_name(step)})")
        article = step(article)
    article.blocks = []
    if "](" in article.body or "]:" in article.body:
        # Checked against the site's pages once every article is known (collection.relative_links).
        links = relative_links.find(article.body, data.decode("utf-8", "replace"))
        if links:
            article.relative_links = links
    article = strip_controls(article)
    stage("cleaning (metadata.finalize)")
    article = metadata.finalize(article)
    # The cleaned Markdown before annotations and entity links decorate it: article.json publishes it.
    article.clean_body = article.body
    return article


def clean_raw(raw: "RawFile", rel: Callable[[Path], str]) -> Article:
    """A discovered raw file read and cleaned with its sidecar; ``rel`` names the sidecar in messages (``Project.rel``).

    One function for the build and for ``archive-build annotate``: a quote
    picked by ``annotate`` must be found in exactly the text the build anchors in.
    """
    stage("reading the sidecar")
    sidecar_path = Path(raw.sidecar) if raw.sidecar else None
    sidecar = load_sidecar(sidecar_path, rel(sidecar_path)) if sidecar_path else None
    data = read_regular(raw.path, raw.display, limit=MAX_RAW_BYTES, limit_message=f"file is {{size}} bytes; the limit for a raw article is {MAX_RAW_BYTES:,} bytes")
    return clean_article(data, raw.display, sidecar)


def process(
    raw: "RawFile", annotation_file: str | None, annotation_display: str, more_annotation_files: tuple[tuple[str, str], ...],
    gazetteer: "Gazetteer | None", rel: Callable[[Path], str], problems: list[Problem],
) -> Article:
    """One raw file through every per-article step; the annotations' problems are added to ``problems`` as found.

    ``rel`` names files in messages (``Project.rel``).  Raises ``InputError``
    for a raw file that cannot be read.
    """
    article = clean_raw(raw, rel)
    if raw.sidecar:
        article.warning_lines = sidecar_warning_lines(article.warnings, Path(raw.sidecar), rel(Path(raw.sidecar)))
    annotation_path = Path(annotation_file) if annotation_file else None
    return annotate_and_link(article, annotation_path, annotation_display, more_annotation_files, gazetteer, problems)


def annotate_and_link(
    article: Article, annotation_file: Path | None, annotation_display: str, more_annotation_files: tuple[tuple[str, str], ...],
    gazetteer: "Gazetteer | None", problems: list[Problem],
) -> Article:
    """A cleaned article's annotations anchored, its entities linked and its ``Keys`` computed."""
    stage("anchoring annotations")
    article, found = annotate(article, annotation_file, annotation_display, more_annotation_files)
    problems.extend(found)
    stage("linking entities")
    # Read before the entity links decorate the body: what related reading and backlinks compare.
    article.terms = content_terms(article.plain or article.body)
    article.links_to = article_links(article)
    article = link_entities(article, gazetteer)
    stage("keys and word count")
    article.keys = index(article)
    return article


def index(article: Article) -> Keys:
    """What the collection steps compare of a finished article, computed here once instead of on every build."""
    return Keys(
        url=normalize_url(article.url),
        related=related_key(article),
        listing=listing_key(article),
        word_count=word_count(article.plain or article.body),
        # Internal links skip the body of an article with no web address without loading it.
        web_text="http" in article.body or "www." in article.body,
    )
