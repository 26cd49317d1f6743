"""Byte-identical Pagefind bundles: its facet files, put in one order.

Pagefind 1.5 writes its page fragments and word index the same on every
run, but lists the values of each facet (``filter/*.pf_filter``) and the
facets themselves (in the ``.pf_meta`` page list) in hash-map order, which
changes from run to run; each file is named by a hash of its bytes, so the
names change too (upstream: Pagefind issue 638).  This rewrites those files
sorted, names them by their new bytes, and points the page list and
``pagefind-entry.json`` at them.  The files keep Pagefind's format: gzip'd
``pagefind_dcd`` followed by CBOR; only the order of entries changes, so
the search reads them as before.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
#: Where the page list keeps its facets: [version, pages, index chunks, [[facet, file hash], ...], sorts, meta fields].
FILTERS = 3


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, prefix: str, language: str, value: Any, digits: int, suffix: str) -> str:
    """Write ``value`` as a Pagefind file named by its bytes; returns its hash (``en_1a2b3c4``)."""
    data = gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(data)
    return name


def canonical_order(bundle: Path) -> None:
    """Sort every facet file of the Pagefind ``bundle`` and the page list's list of them."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = meta[FILTERS]
        if not all(isinstance(f, list) and len(f) == 2 and (bundle / "filter" / f"{f[1]}.pf_filter").is_file() for f in filters):
            raise ValueError(f"{meta_path}: not the page list of Pagefind {meta[0]} this was written for")
        renamed = []
        for facet, old in filters:
            path = bundle / "filter" / f"{old}.pf_filter"
            name, values = _read(path)
            new = _write(bundle / "filter", "", language, [name, sorted(values, key=lambda v: v[0])], 7, ".pf_filter")
            if new != old:
                path.unlink()
            renamed.append([facet, new])
        meta[FILTERS] = sorted(renamed)
        new_meta = _write(bundle, "pagefind.", language, meta, 10, ".pf_meta")
        if new_meta != info["hash"]:
            meta_path.unlink()
        info["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
