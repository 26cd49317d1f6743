"""The per-article open data, unpacked from ``site-data/`` into ``site/data/`` after each build."""
from __future__ import annotations

from pathlib import Path

from archive_build.opendata.packs import publish


class OpenData:
    """Which site folders were already published into, across ``mkdocs serve``'s rebuilds."""

    def __init__(self) -> None:
        self.published: set[str] = set()

    def post_build(self, site_data: Path, site_dir: str, *, dirty: bool, written: list[str] | None) -> None:
        """Place the open data.  A dirty rebuild of ``make serve`` keeps ``site/``: after the first
        full placing, only the packs its build step wrote (``written``; None: not known) are placed."""
        only = written if dirty and site_dir in self.published and written is not None else None
        publish(site_data, Path(site_dir) / "data", only)
        self.published.add(site_dir)
