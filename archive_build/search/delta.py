"""A part of the search index from its last run and a Pagefind run over its changed pages only.

One changed annotation changes one article page, and with it one part of
up to ``pages_per_index()`` pages; a Pagefind run over the whole part took
3.5 s at 10,000 articles, most of the index's share of a one-annotation
``make site``.  Each run keeps a manifest of the pages it indexed and their
hashes; a part whose pages mostly match a kept run is that run's prepared
index (``search/prepared.py``) without the changed and removed pages, plus
a Pagefind run over the changed ones.  Prepared parts number pages by
address, and Pagefind's record of a page does not depend on the rest of
its run, so the part is the one a whole run gives; its addresses are
checked against the part's pages, and anything unexpected is a whole run.
"""
from __future__ import annotations

import collections
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from archive_build.output import link_or_copy
from archive_build.search import pagefind_files as pf
from archive_build.search import prepared
from archive_build.store.cache import dump_pickle, load_pickle

#: Each run's pages and their hashes, beside the run.
MANIFEST = ".pages.pickle"
#: A part is derived when at most this share of its pages changed (and at least one page may always).
MOST_CHANGED = 0.25


class _Digests(Protocol):
    def digest(self, name: str) -> bytes: ...


@dataclass
class Plan:
    """How to derive a part: from ``base``, re-indexing ``changed`` and leaving out ``dropped`` (its pages changed or gone)."""

    base: Path
    changed: list[str]
    dropped: list[str] = field(default_factory=list)


def write_manifest(run: Path, pages: dict[str, bytes]) -> None:
    dump_pickle(run / MANIFEST, pages)


def read_manifest(run: Path) -> dict[str, bytes] | None:
    loaded = load_pickle(run / MANIFEST, None)
    return loaded if isinstance(loaded, dict) else None


def is_complete(run: Path) -> bool:
    """Whether ``run`` can be combined: a Pagefind run, or a derived one whose prepared words are all there."""
    try:
        entry = pf.load_entry(run)
    except pf.FormatError:
        return False
    return all(info.get("hash") or prepared.is_ready(prepared.path(run, language)) for language, info in entry.get("languages", {}).items())


class Bases:
    """The kept runs of one bundle by the pages they indexed, to plan a changed part from the run it mostly is."""

    def __init__(self, store: Path) -> None:
        self.manifests: dict[Path, dict[str, bytes]] = {}
        self.holders: dict[str, list[Path]] = collections.defaultdict(list)
        for run in sorted(store.iterdir()) if store.is_dir() else ():
            if run.name.startswith(".") or ".tmp-" in run.name:
                continue
            manifest = read_manifest(run)
            if manifest is None or not is_complete(run):
                continue
            self.manifests[run] = manifest
            for name in manifest:
                self.holders[name].append(run)

    def plan(self, source: _Digests, pages: Sequence[str]) -> Plan | None:
        """The kept run holding most of ``pages`` as they are, and what changed; None when too much did."""
        same: collections.Counter[Path] = collections.Counter()
        for name in pages:
            digest = source.digest(name)
            for run in self.holders.get(name, ()):
                if self.manifests[run][name] == digest:
                    same[run] += 1
        if not same:
            return None
        base = max(same, key=lambda run: (same[run], run.name))
        manifest = self.manifests[base]
        changed = [name for name in pages if manifest.get(name) != source.digest(name)]
        if len(changed) > max(1, int(len(pages) * MOST_CHANGED)):
            return None
        wanted = set(pages)
        dropped = [name for name, digest in manifest.items() if name not in wanted or digest != source.digest(name)]
        return Plan(base, changed, dropped)


def address(page: str) -> str:
    """The address Pagefind gives the page at ``page`` (a path under the site)."""
    return "/" + page.removesuffix("index.html")


def derive(plan: Plan, changes: Path | None, pages: Sequence[str], out: Path) -> bool:
    """Write into ``out`` the run of ``pages`` from ``plan``'s base and ``changes`` (a Pagefind run over the changed pages).

    False when the runs do not give exactly ``pages`` (another Pagefind,
    an address this code does not predict, an unprepared base): the caller
    then runs Pagefind over the whole part.
    """
    base_entry = pf.load_entry(plan.base)
    change_entry = pf.load_entry(changes) if changes is not None else {"languages": {}}
    if changes is not None and change_entry.get("version") != base_entry.get("version"):
        return False
    if any(prepared.header(plan.base, language) is None for language in base_entry["languages"]):
        return False
    for language, info in change_entry["languages"].items():
        prepared.prepare(changes, language, info["hash"])  # type: ignore[arg-type]
    out.mkdir(parents=True)
    (out / "fragment").mkdir()
    drop = {address(name) for name in plan.dropped}
    found: list[str] = []
    languages = {}
    for language in sorted(set(base_entry["languages"]) | set(change_entry["languages"])):
        head = prepared.header(out, language) if prepared.derive(plan.base, changes, drop, language, out) else None
        if head is None:
            return False
        if not head.pages:
            prepared.path(out, language).unlink()
            continue
        for url, fragment, _count in head.pages:
            found.append(url)
            name = f"{fragment}.pf_fragment"
            source = changes / "fragment" / name if changes is not None and (changes / "fragment" / name).is_file() else plan.base / "fragment" / name
            link_or_copy(source, out / "fragment" / name)
        info = change_entry["languages"].get(language) or base_entry["languages"][language]
        languages[language] = {"hash": "", "wasm": info.get("wasm", language), "page_count": len(head.pages)}
    if sorted(found) != sorted(address(name) for name in pages):
        return False
    for path in plan.base.iterdir():
        if pf.is_runtime(path.name):
            link_or_copy(path, out / path.name)
    (out / pf.ENTRY).write_text(json.dumps({**base_entry, "languages": languages}, ensure_ascii=False), "utf-8")
    return True

