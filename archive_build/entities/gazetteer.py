"""``entities.yml``: the curated list of people, places, organisations, events and topics.

The gazetteer is contributed through pull requests like annotations, so it is
validated the same way: every mistake (a duplicate id, an alias two entities
claim, an unknown kind or key) is reported as ``file:line: message`` by
``archive-build check`` before a maintainer looks.  The loaded ``Gazetteer`` is
a plain, picklable value: the build hands it to worker processes, which build
their own matcher from it on first use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive_build.errors import InputError, Problem
from archive_build.safe_yaml import line_of, load_file

KINDS = ("person", "place", "organization", "event", "topic")
KEYS = ("id", "name", "kind", "aliases", "description", "wikidata", "url")
# Entity ids become file names (entities/<id>.md) and URL segments.
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
RESERVED_IDS = frozenset({"index"})


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str | None = None
    url: str | None = None
    line: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias, the name first, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))

    @property
    def external_url(self) -> str | None:
        if self.url:
            return self.url
        if self.wikidata:
            return f"https://www.wikidata.org/wiki/{self.wikidata}"
        return None


@dataclass
class Gazetteer:
    """Entities by id, in file order; the matcher is built lazily per process."""

    entities: dict[str, Entity] = field(default_factory=dict)
    _matcher: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        # The compiled automaton is rebuilt in each worker rather than pickled.
        return {"entities": self.entities, "_matcher": None}

    def __len__(self) -> int:
        return len(self.entities)

    @property
    def matcher(self) -> Any:
        if self._matcher is None:
            from archive_build.entities.matcher import Matcher

            self._matcher = Matcher({e.id: e.names for e in self.entities.values()})
        return self._matcher


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _validate_entity(item: Any, display: str, problems: list[Problem]) -> Entity | None:
    """One entity mapping → Entity, or None after recording what is wrong."""
    line = line_of(item)
    if not isinstance(item, dict):
        problems.append(Problem(display, line, "each entity must be a mapping with id, name and kind"))
        return None
    ok = True

    def bad(key: str | None, message: str) -> None:
        nonlocal ok
        ok = False
        problems.append(Problem(display, line_of(item, key), message))

    for key in item:
        if key not in KEYS:
            bad(key, f"unknown key {key!r}; allowed: {', '.join(KEYS)}")
    for key in ("id", "name", "kind"):
        if key not in item:
            bad(None, f"entity is missing {key!r}")
    eid, name, kind = item.get("id"), item.get("name"), item.get("kind")
    if "id" in item and not (isinstance(eid, str) and _ID.match(eid)):
        bad("id", f"id {eid!r} must be lowercase letters, digits and single hyphens (it becomes a file name)")
    elif eid in RESERVED_IDS:
        bad("id", f"id {eid!r} is reserved (entities/{eid}.md is the list of all entities)")
    if "name" in item and not _text(name):
        bad("name", "name must be text")
    if "kind" in item and kind not in KINDS:
        bad("kind", f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")
    aliases = item.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(_text(a) for a in aliases):
        bad("aliases", "aliases must be a list of names")
        aliases = []
    for a in aliases:
        if not re.search(r"\w", a):
            bad("aliases", f"alias {a!r} has no letters or digits")
    description = item.get("description", "")
    if description is None or not isinstance(description, str):
        bad("description", "description must be text")
    elif "\n" in description.strip():
        bad("description", "description must be one line")
    wikidata = item.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _QID.match(wikidata)):
        bad("wikidata", f"wikidata must be a Q-id like Q7747, not {wikidata!r}")
    url = item.get("url")
    if url is not None and not (isinstance(url, str) and re.match(r"^https?://[^\s]+$", url)):
        bad("url", "url must be an http(s) address")
    if not ok:
        return None
    return Entity(
        id=eid,
        name=name.strip(),
        kind=kind,
        aliases=tuple(a.strip() for a in aliases),
        description=(description or "").strip(),
        wikidata=wikidata,
        url=url,
        line=line,
    )


def parse_gazetteer(data: Any, display: str) -> tuple[Gazetteer, list[Problem]]:
    """Validate loaded YAML; the gazetteer keeps every entity that is valid."""
    problems: list[Problem] = []
    gazetteer = Gazetteer()
    if data is None:
        return gazetteer, problems
    if not isinstance(data, dict) or set(data) - {"entities"}:
        extra = sorted(set(data) - {"entities"}) if isinstance(data, dict) else []
        where = line_of(data, extra[0]) if extra else 1
        problems.append(Problem(display, where, "the gazetteer must be a mapping with one key, 'entities:', holding a list of entities"))
        return gazetteer, problems
    items = data.get("entities") or []
    if not isinstance(items, list):
        problems.append(Problem(display, line_of(data, "entities"), "'entities' must be a list"))
        return gazetteer, problems
    claimed: dict[str, Entity] = {}
    for item in items:
        entity = _validate_entity(item, display, problems)
        if entity is None:
            continue
        if entity.id in gazetteer.entities:
            first = gazetteer.entities[entity.id]
            problems.append(Problem(display, line_of(item, "id"), f"duplicate id {entity.id!r} (first used on line {first.line})"))
            continue
        clash = False
        for alias in entity.names:
            other = claimed.get(alias)
            if other is not None:
                key = "name" if alias == entity.name else "aliases"
                problems.append(
                    Problem(display, line_of(item, key), f"alias {alias!r} is claimed by both {other.id!r} (line {other.line}) and {entity.id!r}")
                )
                clash = True
        if clash:
            continue
        for alias in entity.names:
            claimed[alias] = entity
        gazetteer.entities[entity.id] = entity
    return gazetteer, problems


def load_gazetteer(path: Path, display: str) -> tuple[Gazetteer, list[Problem]]:
    """Load and validate ``entities.yml``; a missing file is an empty gazetteer."""
    if not path.exists():
        return Gazetteer(), []
    try:
        data = load_file(path, display)
    except InputError as exc:
        return Gazetteer(), [exc.problem]
    return parse_gazetteer(data, display)
