"""Which search the site gets, and building the Pagefind index.

Material's search downloads one ``search_index.json`` holding every page's
text before it shows a first result: fine for a few hundred articles, ~8 MB
at 1,000 and ~80 MB at 10,000.  Pagefind splits its index into chunks by
word, so a first query fetches the runtime, the chunk holding the query's
words and the fragments of the results shown — a few hundred KB whatever the
archive's size.

``extra.search_backend`` in ``mkdocs.yml`` chooses: ``material``,
``pagefind``, or ``auto`` (the default): Material's search up to
``AUTO_PAGEFIND_ABOVE`` articles, where its whole-index download is still
small and its suggestions are nicer, Pagefind above.  The MkDocs hooks call
``choose`` once the files are known and ``build_index`` after the site is
written; under ``mkdocs serve`` the index is built once (on the first build),
not on every live-reload rebuild.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

AUTO_PAGEFIND_ABOVE = 300
BACKENDS = ("auto", "material", "pagefind")


def _article_count(files: Any) -> int:
    return sum(1 for f in files.documentation_pages() if f.src_uri.startswith("articles/") and f.src_uri != "articles/index.md")


def choose(config: Any, files: Any) -> str:
    """Resolve ``extra.search_backend`` and switch Material's search plugin off for Pagefind."""
    extra = config["extra"]
    wanted = str(extra.get("search_backend") or "auto")
    if wanted not in BACKENDS:
        raise ValueError(f"mkdocs.yml: extra.search_backend must be one of {', '.join(BACKENDS)}, not {wanted!r}")
    backend = wanted
    if wanted == "auto":
        backend = "pagefind" if _article_count(files) > AUTO_PAGEFIND_ABOVE else "material"
    extra["search_backend_resolved"] = backend
    plugin = config["plugins"].get("material/search") or config["plugins"].get("search")
    if plugin is not None:
        # Material's plugin checks ``enabled`` in every event and its header template too.
        plugin.config["enabled"] = backend == "material"
    return backend


def pagefind_command(site_dir: Path) -> list[str]:
    """The Pagefind indexer from its PyPI package (the binary ships in the wheel)."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--quiet"]


def build_index(site_dir: Path) -> None:
    """Index the built site into ``site/pagefind/``; a failure is a clear error, not a traceback."""
    proc = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError(f"{site_dir}: pagefind failed: {detail[-1] if detail else proc.returncode}")
