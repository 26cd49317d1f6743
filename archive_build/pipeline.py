"""The per-article pipeline: raw bytes → cleaned ``Article`` with a Markdown body.

``clean_raw`` is what the build's worker processes run for each raw file
(and what ``annotate`` runs to find a quote, so both see the same text);
``clean_article`` holds the order of the steps.  The order is the design:
read → header/tail metadata → boilerplate → captions → headings → joins →
description → sidecar → Markdown → the article's own notes and links.
Collection-level steps (annotations, entities, backlinks) come later.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .control_chars import strip_controls
from .budget import stage
from .model import Article
from .readers import read_bytes
from .readers.decode import MAX_RAW_BYTES
from .safe_files import read_regular
from .sidecar import load_sidecar
from .transforms import bound, clean, metadata, notes, relative_links, render

if TYPE_CHECKING:
    from .discover import RawFile

Transform = Callable[[Article], Article]

CLEANING: tuple[Transform, ...] = (
    metadata.detect_header,
    metadata.detect_tail,
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
            article.flags["relative_links"] = links
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
