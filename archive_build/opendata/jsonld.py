"""Annotations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

The archive's annotation file format already follows the model's
TextQuoteSelector (exact + prefix + suffix), so the mapping is direct: the
body is a ``TextualBody`` in Markdown whose ``purpose`` says what kind of
note it is; the target's source is the article's plain text
(``data/articles/<id>/text.txt``), of which both selectors are true: the
quote as anchored with its context, and its character position; its
``scope`` is the article page that shows that text.  ``links`` to other
articles become ``linking`` bodies.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from archive_build.model import Article

if TYPE_CHECKING:
    from archive_build.opendata.site_info import SiteInfo

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The annotation kinds of the archive → the model's motivations (used as body purposes).
PURPOSES = {
    "note": "commenting",
    "correction": "editing",
    "context": "describing",
    "source": "linking",
    "question": "questioning",
}


def xsd_datetime(value: Any) -> str | None:
    """The model wants ``created`` as an xsd:dateTime in UTC; a bare date means its midnight."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.timezone.utc) if value.tzinfo else value
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    text = str(value)
    try:
        return xsd_datetime(dt.date.fromisoformat(text))
    except ValueError:
        pass
    try:
        return xsd_datetime(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return text


def web_annotation(ann: dict[str, Any], article_id: str, info: "SiteInfo") -> dict[str, Any]:
    """One annotation dict (the shared ``article.annotations`` shape) as a Web Annotation."""
    kind = ann.get("kind") or "note"
    purpose = PURPOSES.get(kind, "commenting")
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "value": ann.get("body") or "", "format": "text/markdown", "purpose": purpose}
    ]
    for other in ann.get("links") or []:
        bodies.append({"type": "SpecificResource", "source": info.page_url(str(other)), "purpose": "linking"})
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": ann.get("quote") or ""}
    if ann.get("prefix"):
        quote["prefix"] = ann["prefix"]
    if ann.get("suffix"):
        quote["suffix"] = ann["suffix"]
    selectors: list[dict[str, Any]] = [quote]
    if ann.get("start") is not None and ann.get("end") is not None:
        selectors.append({"type": "TextPositionSelector", "start": int(ann["start"]), "end": int(ann["end"])})
    out: dict[str, Any] = {
        "id": info.annotation_url(article_id, str(ann["id"])),
        "type": "Annotation",
        "motivation": purpose,
    }
    if ann.get("author"):
        out["creator"] = {"type": "Person", "nickname": str(ann["author"])}
    created = xsd_datetime(ann.get("created"))
    if created:
        out["created"] = created
    if ann.get("imported_from"):
        out["via"] = str(ann["imported_from"])  # the annotation it was imported from (Hypothesis)
    out["body"] = bodies[0] if len(bodies) == 1 else bodies
    # The selectors count characters in the article's plain text, so that text is the source;
    # the page that shows it is the target's scope.
    out["target"] = {"type": "SpecificResource", "source": info.text_url(article_id), "scope": info.page_url(article_id), "selector": selectors}
    return out


def article_annotations(article: Article, info: "SiteInfo") -> list[dict[str, Any]]:
    """The article's anchored annotations (document order), then any it could not anchor (quote only)."""
    return [web_annotation(a, article.id, info) for a in (*article.annotations, *article.unanchored)]


def collection(items: list[dict[str, Any]], collection_id: str, label: str) -> dict[str, Any]:
    """An AnnotationCollection with its one page embedded (the model's container for many annotations)."""
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
    }
    if items:
        out["first"] = {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "partOf": collection_id, "startIndex": 0, "items": items}
    return out
