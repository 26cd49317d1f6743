"""Citation files: CSL-JSON and BibTeX per article, and for the whole archive.

The formatting itself lives in ``archive_build.cite`` (shared with the page's
"Cite this article" block), so the files and the page say the same thing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive_build import cite

if TYPE_CHECKING:
    from archive_build.opendata.site_info import SiteInfo


def csl(meta: dict[str, Any], info: "SiteInfo") -> dict[str, Any]:
    return cite.csl_json(meta, info.page_url(meta["id"]), info.name)


def bibtex(meta: dict[str, Any], info: "SiteInfo") -> str:
    """One entry, ending in a newline so entries concatenate into ``archive.bib``."""
    return cite.bibtex(meta, info.page_url(meta["id"]), info.name).rstrip("\n") + "\n"
