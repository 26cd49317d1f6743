"""Which articles' open data a build renders again, and the build's open data from the rest."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from archive_build.model import Article
from archive_build.opendata.files import Pieces, archive_files, article_files, article_pieces
from archive_build.opendata.packs import members_digest, pack, pack_of, read_index
from archive_build.opendata.site_info import SiteInfo, site_info
from archive_build.output import Entry, FileData, matches
from archive_build.project import Project
from archive_build.store.cache import Shards


@dataclass
class DataPlan:
    """Which articles' open data a build must regenerate (``plan_data``), and what it keeps.

    ``fingerprints`` holds, for every article, the fingerprint its bundle is
    recorded with; ``todo`` the ids whose bundle and pieces must be rendered
    (``render_data``, in any process); ``kept`` the cached pieces of the
    rest.  ``members`` lists each pack's articles (sorted), ``intact`` the
    digest of each pack still as the last build wrote it, ``unchanged`` the
    packs that stay as they are.
    """

    info: SiteInfo
    cache: Any  # cache.Shards of Pieces
    fingerprints: dict[str, str]  # in article id order
    todo: set[str]
    kept: dict[str, Pieces]
    members: dict[str, list[str]] = field(default_factory=dict)
    intact: dict[str, str] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)


def plan_data(
    project: Project,
    articles: list[Article],
    fingerprints: Mapping[str, str],
    manifest: Mapping[str, Entry] | None,
    stats: Mapping[str, os.stat_result],
) -> DataPlan:
    """Decide, per article, whether its open data can be kept.

    ``fingerprints`` maps article id → the build's fingerprint of the
    article (the one that decides whether its page is rewritten);
    ``manifest``/``stats`` are the ``site-data/`` entries from the last
    build and on disk.  An article whose fingerprint (with the site's URL
    and name) is unchanged, and whose pack is intact and holds its bundle
    as of that fingerprint, keeps its bundle and its cached pieces for the
    archive-wide files.
    """
    info = site_info(project)
    # Sharded, so that a change to one article rewrites 1/16 of the cache, not all of it.
    cache = Shards(project.cache / "opendata", 16)
    salt = repr(info).encode()
    manifest = manifest or {}
    plan = DataPlan(info, cache, {}, set(), {})
    intact = {name: old for name, old in manifest.items() if matches(stats.get(name), old)}
    plan.intact = {name: old.sha for name, old in intact.items()}

    def cached(aid: str) -> Pieces | None:
        pieces = cache.shard(aid).get(aid)
        return pieces if isinstance(pieces, Pieces) else None

    # An intact pack holds each of its articles' bundles as of the fingerprint
    # their cached pieces carry, if the digest the manifest recorded for it
    # says so (a build stopped between saving the one and the other does not).
    index: dict[str, set[str]] = {}
    for name, old in intact.items():
        held = read_index(project.site_data / name)
        if held is not None and old.fingerprint == members_digest((aid, p.fingerprint if (p := cached(aid)) else "") for aid in held):
            index[name] = set(held)
    for article in sorted(articles, key=lambda a: a.id):
        aid = article.id
        fp = hashlib.sha256(fingerprints[aid].encode() + salt).hexdigest() if aid in fingerprints else ""
        plan.fingerprints[aid] = fp
        name = pack_of(aid)
        plan.members.setdefault(name, []).append(aid)
        pieces = cached(aid)
        if fp and pieces is not None and pieces.fingerprint == fp and aid in index.get(name, ()):
            plan.kept[aid] = pieces
        else:
            plan.todo.add(aid)
    plan.unchanged = {
        name for name, aids in plan.members.items() if index.get(name) == set(aids) and not any(aid in plan.todo for aid in aids)
    }
    return plan


def render_data(info: SiteInfo, article: Article, fingerprint: str) -> tuple[Pieces, bytes]:
    """One article's pieces and its bundle (``packs``): a pure function, run in any process."""
    pieces = article_pieces(info, article, fingerprint)
    files = {rel.rpartition("/")[2]: data for rel, data in article_files(info, article, pieces).items()}
    return pieces, pack(files)


def finish_data(
    plan: DataPlan, rendered: Mapping[str, Pieces], packs: dict[str, FileData]
) -> tuple[dict[str, FileData], dict[str, FileData], dict[str, str]]:
    """The build's open data from the plan, the pieces rendered for it and the packs (``PackWriter.finish``).

    Returns the archive-wide files (for ``docs/data/``), the packs by their
    name in ``site-data/`` (``KEEP`` where kept), and each pack's
    ``members_digest`` for ``sync_tree``'s new manifest.
    """
    fresh: dict[str, Pieces] = {}
    for aid in plan.fingerprints:
        if aid in plan.todo:
            pieces = rendered[aid]
            plan.cache.put(aid, pieces)
        else:
            pieces = plan.kept[aid]
        fresh[aid] = pieces
    plan.cache.retain(set(fresh))
    # Saved before the packs are: if the build stops in between, the digest
    # the manifest keeps for a pack no longer matches, and plan_data renders
    # its bundles again.
    plan.cache.save()
    digests = {name: members_digest((aid, plan.fingerprints[aid]) for aid in aids) for name, aids in plan.members.items()}
    return archive_files(plan.info, list(fresh.values())), packs, digests
