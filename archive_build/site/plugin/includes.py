"""Generated lists in hand-written pages: ``<!-- archive:name -->`` becomes ``docs/.generated/<name>.md``.

A hook rather than pymdownx.snippets: snippets would also expand ``--8<--``
lines written by strangers in raw articles and annotations.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archive_build.site.plugin.sanitise import is_generated

MARKER = re.compile(r"<!-- archive:([a-z-]+) -->")


def expand(markdown: str, page: Any, docs_dir: str) -> str:
    """The page's Markdown with every marker replaced by its generated list (generated pages are left alone)."""
    if is_generated(page):
        return markdown
    generated = Path(docs_dir) / ".generated"

    def include(m: "re.Match[str]") -> str:
        path = generated / f"{m.group(1)}.md"
        return path.read_text("utf-8") if path.is_file() else "*Not built yet: run `archive-build build`.*"

    return MARKER.sub(include, markdown)
