"""The per-article open data, unpacked from ``site-data/`` into ``site/data/`` after each build."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from archive_build.opendata.packs import publish


class OpenData:
    """Which site folders were already published into, across ``mkdocs serve``'s rebuilds."""

    def __init__(self) -> None:
        self.published: set[str] = set()

    def post_build(
        self, site_data: Path, site_dir: str, *, dirty: bool, written: list[str] | None, share: Callable[[list[str]], list[str]] | None = None,
    ) -> None:
        """Place the open data.  A dirty rebuild of ``make serve`` keeps ``site/``: after the first
        full placing, only the packs its build step wrote (``written``; None: not known) are placed.
        A shard places its share of the packs (``share`` picks it from all of them)."""
        packs = written if dirty and site_dir in self.published and written is not None else None
        if share is not None:
            try:
                packs = share([e.name for e in os.scandir(site_data) if e.is_file(follow_symlinks=False)])
            except OSError:
                packs = []
        publish(site_data, Path(site_dir) / "data", packs)
        self.published.add(site_dir)
