"""Where things live in an archive checkout."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The folders of docs/ the build writes; everything else in docs/ is written by hand.
GENERATED_DOCS = ("articles", "browse", "entities", "data", ".generated")
# The cache's folders of old site trees: those a background process deletes (site/trash.py), and the one kept
# for the next incremental render (site/spare.py).  No temporaries of the build's are in them.
TRASH_FOLDER = "trash"
SPARE_FOLDER = "site-spare"
# The cache's folders of the search index's Pagefind runs and combined chunks (search/parts.py): 100,000 files
# at 10,000 articles, which clean up after themselves.
SEARCH_PARTS_FOLDER = "search-parts"
SEARCH_CHUNKS_FOLDER = "search-chunks"


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def gazetteer(self) -> Path:
        return self.root / "entities.yml"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site_data(self) -> Path:
        """Per-article open data, in 64 packs of one bundle per article (``opendata.packs``), kept out of ``docs/``.

        MkDocs walks, stats and copies every file under ``docs/``; 40,000
        small JSON and BibTeX files at 10,000 articles made each live-reload
        rebuild of ``make serve`` several seconds slower.  The MkDocs hook
        unpacks them into ``site/data/articles/<id>/`` instead (``opendata.publish``).
        """
        return self.root / "site-data"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "archive-build"

    def rel(self, path: Path) -> str:
        """Path as shown in messages: relative to the project root, POSIX style."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return os.path.relpath(path, self.root).replace(os.sep, "/")

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The nearest directory holding ``mkdocs.yml`` or ``raw/``."""
        here = (start or Path.cwd()).resolve()
        for d in (here, *here.parents):
            if (d / "mkdocs.yml").exists() or (d / "raw").is_dir():
                return cls(d)
        return cls(here)
