"""Each article's processed result in the cache: a card for every collection step, its texts apart, handed out on request."""
from __future__ import annotations

import copy
import functools
import os
import pickle
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from archive_build.model import Article
from archive_build.store.cache import PICKLE_ERRORS, SHARDS, Shards

# An article's fields kept apart from its card in the cache and handed out on request (``Texts``), by group:
# ``texts`` (most of an article's size) are needed only to write its own page
# and data, and by the steps that rewrite links in its body; ``kwic`` only when
# entity pages recompute, ``terms`` only when related reading does (each in its
# own process, which loads every article's).  Everything else the collection
# steps read is on the card.
TEXT_GROUPS: dict[str, tuple[str, ...]] = {"texts": ("body", "plain", "clean_body", "removed"), "kwic": ("kwic",), "terms": ("terms",)}
_IN_GROUPS = frozenset(name for names in TEXT_GROUPS.values() for name in names)
_EMPTY = Article(id="", raw="", sha256="", format="")

Loader = Callable[[], dict[str, Any]]


def card_of(article: Article) -> Article:
    """A shallow copy of the article with the fields of ``TEXT_GROUPS`` left at their defaults: what the cache stores as the card."""
    card = copy.copy(article)
    for name in _IN_GROUPS:
        setattr(card, name, copy.copy(getattr(_EMPTY, name)))
    return card


class Texts:
    """The build's articles' groups of fields (``TEXT_GROUPS``) not loaded yet, handed out on request.

    The collection steps read every article's card; only a few of them need
    an article's texts (the ones that rewrite links in its body), and the
    pages need each article's texts once, to render it.  A step asks for
    them (``load``, ``lent``); an article whose loader is gone has its
    fields already (made in this process, or loaded before).
    """

    def __init__(self) -> None:
        self._loaders: dict[str, dict[str, Loader]] = {}

    def add(self, article_id: str, loaders: dict[str, Loader]) -> None:
        self._loaders[article_id] = dict(loaders)

    def only(self, article_id: str) -> "Texts":
        """The loaders of one article, to send to a worker with it (``StoredGroup`` loaders pickle small)."""
        one = Texts()
        if article_id in self._loaders:
            one.add(article_id, self._loaders[article_id])
        return one

    def load(self, article: Article, group: str = "texts") -> Article:
        """The article with the group's fields filled in from its loader (once: the loader is then let go)."""
        loaders = self._loaders.get(article.id)
        loader = loaders.pop(group, None) if loaders else None
        if loader is not None:
            for name, value in loader().items():
                setattr(article, name, value)
        return article

    def load_all(self, articles: Iterable[Article], group: str = "texts") -> None:
        """Every article's group, and then the cache's shards read for it let go (the fields are on the articles now)."""
        stores = set()
        for article in articles:
            loaders = self._loaders.get(article.id)
            loader = loaders.get(group) if loaders else None
            if isinstance(loader, StoredGroup):
                stores.add(loader.store)
            self.load(article, group)
        for store in stores:
            store.let_go(group)

    @contextmanager
    def lent(self, article: Article, group: str = "texts") -> Iterator[Article]:
        """The article with the group's fields loaded within the block; afterwards, those loaded here are let go.

        For a worker that renders thousands of articles once each: holding
        every text it unpickled would add them all to the build's peak
        memory.  The loader is kept, so a later ``load`` loads them again.
        """
        loaders = self._loaders.get(article.id)
        loader = loaders.get(group) if loaders else None
        if loader is None:
            yield article
            return
        fields = loader()
        for name, value in fields.items():
            setattr(article, name, value)
        try:
            yield article
        finally:
            for name, value in fields.items():
                if getattr(article, name) is value:  # not one the block assigned
                    setattr(article, name, copy.copy(getattr(_EMPTY, name)))


class ArticleStore:
    """Processed results by raw file, each stored with the key of its inputs.

    An article is stored in parts (``TEXT_GROUPS``): its texts (about
    80% of its size) in ``texts/``, what only recomputing entity pages reads
    in ``kwic/`` and related reading in ``terms/``, and everything else in
    ``cards/``.
    A rebuild loads every card (the collection steps need them all) but only
    the texts of the pages it rewrites: at 10,000 articles that is 35 MB read
    instead of 250 MB.  ``get`` hands out a result with its article's card
    and the loaders of its groups (for ``Texts``); if a group is missing
    from the cache the article is processed again (``rebuild``).  Each group
    is stored pickled on its own (``pack_result``), so a rebuild unpickles
    only the texts it reads.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.cards = Shards(directory / "cards", SHARDS)
        self.groups = {"texts": Shards(directory / "texts", SHARDS * 4), "kwic": Shards(directory / "kwic", SHARDS), "terms": Shards(directory / "terms", SHARDS)}

    def empty(self) -> bool:
        """Whether nothing is cached (a first build, or the cache was removed)."""
        return not self.cards.dir.is_dir() or not any(self.cards.dir.iterdir())

    def get(self, name: str, key: str, rebuild: Any = None, at: str | None = None) -> tuple[Any, dict[str, Loader]] | None:
        """The result stored under ``key`` and its groups' loaders, or None; also None when a shard of its groups is gone (removed as damaged).

        ``at`` (here and in ``put``): the article's id, which places its
        groups in their shards, so that the pages rendered in the order of
        their open data's packs (``opendata.packs.pack_of``, the same hash)
        read a few shards at a time.
        """
        hit = self.cards.shard(name).get(name)
        if hit is None or hit[0] != key:
            return None
        result = hit[1]
        if result.article is None:
            return result, {}
        if not all(shards.has_file(name, at) for shards in self.groups.values()):
            return None
        # The card was unpickled for this build alone (see Shards): the build may change it as it is.
        return result, self.loaders(name, key, rebuild, at)

    def loaders(self, name: str, key: str, rebuild: Any = None, at: str | None = None) -> dict[str, Loader]:
        """The loaders of a result's groups, each reading its shard when called (a result ``put`` here: after ``save``)."""
        return {g: StoredGroup(self, g, name, key, rebuild, at) for g in self.groups}

    def _group(self, group: str, name: str, key: str, rebuild: Any, at: str | None) -> dict[str, Any]:
        hit = self.groups[group].shard(name, at).get(name)
        if hit is not None and hit[0] == key:
            try:
                return _unpickle_group(hit[1])
            except PICKLE_ERRORS:
                pass
        if rebuild is None:
            raise KeyError(f"no cached {group} for {name}")
        fresh = rebuild().article
        return {f: getattr(fresh, f) for f in TEXT_GROUPS[group]}

    def let_go(self, group: str) -> None:
        """Forget the group's shards read so far (read again if asked for)."""
        self.groups[group].loaded.clear()

    def put(self, name: str, key: str, packed: "Packed", at: str | None = None) -> None:
        """Store a result made by ``pack_result`` (at the next ``save``)."""
        for group, blob in packed.groups.items():
            self.groups[group].put(name, (key, blob), at)
        value = packed.value
        if value.article is not None:  # a card of its own: the build changes the one ``unpack_result`` hands it
            value = replace(value, article=copy.copy(value.article))
        self.cards.put(name, (key, value))

    def retain(self, names: set[str]) -> None:
        """Forget results for raw files that are gone (the groups: as their shards are rewritten)."""
        self.cards.retain(names)
        for shards in self.groups.values():
            shards.kept = names

    def save(self) -> None:
        """The groups first, the cards last: a card is what says an article's entry is complete."""
        for shards in self.groups.values():
            shards.save()
        self.cards.save()


class StoredGroup:
    """Loads one article's group from an ``ArticleStore``, or ``rebuild``s the article if the cache lost it.

    Pickled (to a render worker), it names the store by its folder and
    leaves ``rebuild`` behind: the worker reads the group from its own copy
    of the store, and a group the cache lost is a ``KeyError`` there, for
    the build's own process to rebuild.
    """

    __slots__ = ("store", "group", "name", "key", "rebuild", "at")

    def __init__(self, store: "ArticleStore", group: str, name: str, key: str, rebuild: Any, at: str | None) -> None:
        self.store, self.group, self.name, self.key, self.rebuild, self.at = store, group, name, key, rebuild, at

    def __call__(self) -> dict[str, Any]:
        return self.store._group(self.group, self.name, self.key, self.rebuild, self.at)

    def __reduce__(self) -> tuple[Any, ...]:
        return _worker_store_group, (os.fspath(self.store.directory), self.group, self.name, self.key, self.at)


# The stores of the groups sent to this process (a render worker), by folder.
_WORKER_STORES: dict[str, "ArticleStore"] = {}


def _worker_store_group(directory: str, group: str, name: str, key: str, at: str | None) -> StoredGroup:
    store = _WORKER_STORES.get(directory)
    if store is None:
        store = _WORKER_STORES[directory] = ArticleStore(Path(directory))
    return StoredGroup(store, group, name, key, None, at)


class Packed(NamedTuple):
    """A result as ``ArticleStore`` keeps it: its article as a card, and each group of its other fields pickled."""

    value: Any  # the result; its ``article`` (if any) a card (``card_of``)
    groups: dict[str, bytes]


def pack_result(value: Any) -> Packed:
    """A result with an ``article`` (or None), packed where it was made: in the build's worker.

    Pickling the texts there, once, spares the build's main process
    unpickling them from the worker and pickling them again for the cache
    (a serial second at 10,000 articles); the workers that render the pages
    unpickle them, in parallel.
    """
    article = value.article
    if article is None:
        return Packed(value, {})
    groups = {
        group: pickle.dumps({f: getattr(article, f) for f in names}, protocol=pickle.HIGHEST_PROTOCOL)
        for group, names in TEXT_GROUPS.items()
    }
    return Packed(replace(value, article=card_of(article)), groups)


def unpack_result(packed: Packed) -> tuple[Any, dict[str, Loader]]:
    """The result of ``pack_result`` and its groups' loaders (for ``Texts``), each unpickling its group on first use."""
    return packed.value, {group: functools.partial(_unpickle_group, blob) for group, blob in packed.groups.items()}


def _unpickle_group(blob: bytes) -> dict[str, Any]:
    value = pickle.loads(blob)
    if not isinstance(value, dict):
        raise ValueError("not a group of fields")
    return value
