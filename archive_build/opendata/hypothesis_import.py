"""``archive-build import-hypothesis``: bring annotations made with Hypothesis into the archive.

Hypothesis (https://web.hypothes.is/) anchors notes with the same W3C
TextQuoteSelector as the archive's annotation files, so an annotation on an
article's original web page carries everything needed: the quote and its
context, the note, the author and the date.  Each row whose page is an
article of the archive (matched on ``normalize_url``) is anchored right
away with the anchoring code ``check`` uses, then written as one note file
each, ``annotations/<article-id>/<note-id>.yml``, the layout ``annotate``
writes: two imports on two branches never touch the same file.  With
``--single-file`` the notes are appended as text to the article's list file
``annotations/<article-id>.yml`` instead, leaving its existing entries and
comments exactly as they were.  The Hypothesis id is kept in
``imported_from``, which makes a second import of the same export a no-op
in either layout.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from archive_build.annotations import miss_message
from archive_build.annotations.anchor import Anchor, Miss, Normalised, anchor, excerpt, normalise
from archive_build.annotations.append import appended_text, make_id, note_file_text
from archive_build.annotations.files import taken_ids
from archive_build.annotations.load import KINDS
from archive_build.errors import InputError
from archive_build.model import Article
from archive_build.output import write_if_changed
from archive_build.safe_yaml import MAX_YAML_BYTES, load_file
from archive_build.text.urls import normalize_url

IMPORTED = "imported"
REANCHORED = "re-anchored"
UNANCHORED = "not anchored"
SKIPPED = "skipped"
PRIVATE = "not public"
HYPOTHESIS_URL = "https://hypothes.is/a/"


@dataclass
class Row:
    """One Hypothesis annotation, reduced to what the archive's format holds."""

    number: int  # 1-based position in the export, for messages
    hid: str
    uri: str
    exact: str
    prefix: str
    suffix: str
    text: str
    user: str
    created: dt.datetime | dt.date | None
    tags: list[str] = field(default_factory=list)
    source: str = ""  # the target's source, when it differs from ``uri`` (e.g. a canonical URL)

    @property
    def imported_from(self) -> str:
        return HYPOTHESIS_URL + self.hid


@dataclass
class Outcome:
    """What became of one row: the line of the table the command prints."""

    row: Row | None
    status: str
    article_id: str = ""
    detail: str = ""
    entry: dict[str, Any] | None = None  # what is (or would be) appended
    comment: str = ""  # a YAML comment written above a kept unanchored entry


#: A Hypothesis export is read whole; 10,000 annotations take about 20 MB.
MAX_EXPORT_BYTES = 256 * 1024 * 1024


def read_export(path: Path) -> list[Any]:
    """The annotation rows of a Hypothesis export: an API search (``rows``), the client's export (``annotations``) or a bare list."""
    from archive_build.safe_files import read_regular

    display = str(path)
    # Named on the command line, so it may be anywhere; but only a regular file (not a fifo or /dev/zero).
    data = read_regular(path, display, limit=MAX_EXPORT_BYTES, limit_message=f"file is {{size}} bytes; the limit for a Hypothesis export is {MAX_EXPORT_BYTES:,} bytes", anywhere=True)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(display, "not UTF-8 text; expected the JSON Hypothesis exports") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(display, f"JSON error: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise InputError(display, "JSON nested too deeply to read: not a Hypothesis export (check the file)") from None
    _refuse_lone_surrogates(display, text, data)
    if isinstance(data, dict):
        for key in ("rows", "annotations"):
            if isinstance(data.get(key), list):
                # The search API's ``_separate_replies`` lists replies apart: each is counted as a skipped reply.
                replies = data.get("replies") if isinstance(data.get("replies"), list) else []
                return list(data[key]) + [_as_reply(r) for r in replies]
        raise InputError(display, "no 'rows' list: expected the JSON of Hypothesis' search API (or its client's export)", 1)
    if isinstance(data, list):
        return data
    raise InputError(display, "expected a JSON object with 'rows' (Hypothesis' search API)", 1)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_lone_surrogates(display: str, text: str, data: Any) -> None:
    """An ``InputError`` when a string of the export holds half of a surrogate pair (``"\\ud800"`` alone).

    JSON lets an escape spell one; it is no character, and no file, page or
    terminal could take it.  Walked without recursion: the export may nest deeply.
    """
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            strings = (value,)
        elif isinstance(value, dict):
            strings = tuple(k for k in value if isinstance(k, str))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
            continue
        else:
            continue
        for s in strings:
            try:
                s.encode("utf-8")
            except UnicodeEncodeError:
                m = _SURROGATE_ESCAPE.search(text)
                line = text.count("\n", 0, m.start()) + 1 if m else None
                raise InputError(display, "a string holds half of a surrogate pair (an escape like \\ud800 alone): not text; fix the export", line) from None


def _as_reply(raw: Any) -> Any:
    """A row of the export's separate ``replies`` list, marked as the reply it is."""
    if isinstance(raw, dict) and not raw.get("references"):
        return {**raw, "references": ["(listed under replies)"]}
    return raw


# The public Hypothesis service: its users keep the short handle ``@name``.
DEFAULT_AUTHORITY = "hypothes.is"


def author_of(user: str) -> str:
    """``acct:alice@hypothes.is`` → ``@alice``; another authority stays in the handle.

    ``acct:alice@lms.hypothes.is`` is another person than ``acct:alice@hypothes.is``
    (an LMS or publisher's own accounts), so the handle is ``@alice@lms.hypothes.is``.
    """
    name = user.strip()
    if name.startswith("acct:"):
        name = name[5:]
    name = name.lstrip("@")
    local, _, authority = name.partition("@")
    if not local:
        return "@unknown"
    return f"@{local}" if not authority or authority.lower() == DEFAULT_AUTHORITY else f"@{local}@{authority.lower()}"


WORLD = "group:__world__"


def is_public(raw: dict[str, Any]) -> str | None:
    """Why a row must not be published without ``--include-private``, or None when anyone may read it.

    Hypothesis marks who may read a note in ``permissions.read``; only
    ``group:__world__`` is public.  A note hidden by moderators, or flagged
    by readers, is not republished either.
    """
    perms = raw.get("permissions")
    read = perms.get("read") if isinstance(perms, dict) else None
    if isinstance(read, list):
        if WORLD not in read:
            return "not public (its permissions.read is " + ", ".join(str(r) for r in read[:3]) + ")" if read else "not public (no one may read it)"
    elif raw.get("group") != "__world__":
        return "not known to be public (no permissions.read)"
    if raw.get("hidden"):
        return "hidden by the group's moderators"
    if raw.get("flagged"):
        return "flagged by readers"
    return None


def kind_of(tags: Iterable[str]) -> str:
    """The first tag that names an annotation kind (``correction``, ``Context`` …), else ``note``."""
    for tag in tags:
        t = str(tag).strip().lower()
        if t in KINDS:
            return t
    return "note"


def _created(value: Any) -> dt.datetime | dt.date | None:
    """When the note was made, in UTC to the second (a bare date stays a date)."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if len(text) <= 10:
        return when.date()
    when = when.astimezone(dt.timezone.utc) if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return when.replace(microsecond=0)


def parse_row(raw: Any, number: int) -> Row | str:
    """A ``Row``, or the reason it cannot be imported (a reply, a page note, no text…)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        return "not a Hypothesis annotation (no id)"
    if raw.get("references"):
        return "a reply to another annotation"
    quote: dict[str, Any] | None = None
    source = ""
    selectors = False
    for target in raw.get("target") or []:
        if not isinstance(target, dict):
            continue
        source = source or str(target.get("source") or "")
        selectors = selectors or bool(target.get("selector"))
        for sel in target.get("selector") or []:
            if isinstance(sel, dict) and sel.get("type") == "TextQuoteSelector" and sel.get("exact"):
                quote = sel
                break
        if quote:
            break
    if quote is None:
        if selectors:
            return "no quoted passage: its selectors hold no TextQuoteSelector (with the quote's exact text), which the archive anchors by"
        return "a page note (no quoted passage)"
    text = str(raw.get("text") or "")
    if not text.strip():
        return "a highlight without a note (the archive's annotations need a body)"
    return Row(
        number=number,
        hid=raw["id"],
        uri=str(raw.get("uri") or source),
        source=source,
        exact=str(quote.get("exact") or ""),
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        text=text,
        user=str(raw.get("user") or ""),
        created=_created(raw.get("created")),
        tags=[str(t) for t in raw.get("tags") or [] if isinstance(t, (str, int, float))],
    )


def slug(text: str, taken: set[str], tried: dict[str, int] | None = None) -> str:
    """A readable annotation id from the quote's first words (``append.make_id``, shared with ``annotate``)."""
    return make_id(text, taken, fallback="hypothesis", tried=tried)


@dataclass
class ArticleFile:
    """What the import needs to know about one article and its annotation file."""

    article: Article
    plain: str
    norm: Normalised
    ids: set[str]
    imported: set[str]
    tried: dict[str, int] = field(default_factory=dict)  # for ``slug``
    size: int = 0  # bytes of the entries planned for it so far (roughly)


def _existing(annotations_dir: Path, article_id: str) -> tuple[set[str], set[str]]:
    """Ids and ``imported_from`` values already in an article's annotation files, in either layout.

    Read leniently: a broken file still reserves the ids it holds, and is
    otherwise left to ``check`` to report.
    """
    ids = taken_ids(annotations_dir, article_id)
    imported: set[str] = set()
    folder = annotations_dir / article_id
    notes = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    for path in [annotations_dir / f"{article_id}.yml", *notes]:
        if not path.is_file():
            continue
        try:
            data = load_file(path, str(path))
        except (InputError, OSError, UnicodeDecodeError, ValueError):
            continue
        items = data.get("annotations") if isinstance(data, dict) and path.parent != folder else [data]
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("imported_from"):
                imported.add(str(item["imported_from"]))
    return ids, imported


def plain_of(article: Article) -> str:
    """The plain text annotations anchor in (the build fills ``article.plain``; else derive it)."""
    if article.plain:
        return article.plain
    from archive_build.markdown.plaintext import plain_text

    return plain_text(article.body)[0]


def plan(
    rows: list[Any],
    articles: list[Article],
    annotations_dir: Path,
    *,
    keep_unanchored: bool = False,
    include_private: bool = False,
    single_file: bool = False,
) -> list[Outcome]:
    """Decide, row by row, what the import does; nothing is written here."""
    by_url: dict[str, Article] = {}
    for a in articles:
        key = normalize_url(a.url)
        if key and key not in by_url:
            by_url[key] = a
    files: dict[str, ArticleFile] = {}
    seen: set[str] = set()
    outcomes: list[Outcome] = []
    for number, raw in enumerate(rows, 1):
        private = is_public(raw) if isinstance(raw, dict) and not include_private else None
        if private:
            outcomes.append(Outcome(None, PRIVATE, detail=f"row {number}: {private}; --include-private imports it"))
            continue
        row = parse_row(raw, number)
        if isinstance(row, str):
            outcomes.append(Outcome(None, SKIPPED, detail=f"row {number}: {row}"))
            continue
        article = by_url.get(normalize_url(row.uri) or "") or by_url.get(normalize_url(row.source) or "")
        if article is None:
            outcomes.append(Outcome(row, SKIPPED, detail=f"no article with the URL {row.uri}"))
            continue
        af = files.get(article.id)
        if af is None:
            plain = plain_of(article)
            ids, imported = _existing(annotations_dir, article.id)
            af = files[article.id] = ArticleFile(article, plain, normalise(plain), ids, imported)
        if row.imported_from in af.imported or row.imported_from in seen:
            outcomes.append(Outcome(row, SKIPPED, article.id, "already imported"))
            continue
        seen.add(row.imported_from)
        if row.created is None:
            outcomes.append(Outcome(row, SKIPPED, article.id, "no valid 'created' date"))
            continue
        af.size += len(row.exact) + len(row.text) + len(row.prefix) + len(row.suffix) + 200
        if single_file and af.size > 2 * MAX_YAML_BYTES:
            # Far more than the file may hold (``appended_text`` refuses it): not worth anchoring.
            outcomes.append(Outcome(row, SKIPPED, article.id, f"the annotation file would be larger than the {MAX_YAML_BYTES // 1024} KB limit; import the rest in another export"))
            continue
        found = anchor(af.plain, row.exact, row.prefix, row.suffix, norm=af.norm)
        if isinstance(found, Anchor):
            status = IMPORTED if found.similarity >= 100 else REANCHORED
            detail = "" if status == IMPORTED else f"similarity {found.similarity:g}%: {excerpt(af.plain, found.start, found.end)}"
            comment = ""
        else:
            status = UNANCHORED
            detail = _miss_detail(af.plain, row.exact, found, article.id)
            comment = f"not anchored when imported: {detail}"
            if not keep_unanchored:
                outcomes.append(Outcome(row, status, article.id, detail))
                continue
        entry = {
            "id": slug(row.exact, af.ids, af.tried),
            "quote": row.exact,
            "prefix": row.prefix,
            "suffix": row.suffix,
            "kind": kind_of(row.tags),
            "author": author_of(row.user),
            "created": row.created,
            "body": row.text,
            "imported_from": row.imported_from,
        }
        if not entry["prefix"]:
            del entry["prefix"]
        if not entry["suffix"]:
            del entry["suffix"]
        outcomes.append(Outcome(row, status, article.id, detail, entry, comment))
    return outcomes


def _miss_detail(plain: str, quote: str, miss: Miss, article_id: str) -> str:
    """The message ``check`` gives for this miss, on one line (the nearest passage when there is one)."""
    if miss.reason == "ambiguous":
        return f"the quote occurs {len(miss.occurrences)} times and its prefix/suffix do not pick one"
    return " ".join(miss_message(plain, quote, miss, article_id).split())


def write(outcomes: list[Outcome], annotations_dir: Path, display_dir: str, *, single_file: bool = False) -> int:
    """Write every planned entry as its own note file (``annotations/<article-id>/<note-id>.yml``); returns how many.

    With ``single_file``, the entries are appended to each article's list
    file instead, one write per file.  Every text is prepared (and read
    back) before the first is written: an error leaves all files untouched.
    """
    planned = [o for o in outcomes if o.entry is not None]
    texts: dict[Path, str] = {}
    if single_file:
        per_article: dict[str, list[tuple[dict[str, Any], str]]] = {}
        for o in planned:
            per_article.setdefault(o.article_id, []).append((o.entry, o.comment))
        for article_id, entries in sorted(per_article.items()):
            path = annotations_dir / f"{article_id}.yml"
            texts[path] = appended_text(path, f"{display_dir}/{article_id}.yml", article_id, entries)
    else:
        for o in planned:
            path = annotations_dir / o.article_id / f"{o.entry['id']}.yml"
            texts[path] = note_file_text(path, f"{display_dir}/{o.article_id}/{path.name}", o.entry, o.comment)
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(path, text.encode("utf-8"))
    return len(planned)


def table(outcomes: list[Outcome], *, keep_unanchored: bool) -> str:
    """The report the command prints: one line per row, then the totals."""
    lines = []
    for o in outcomes:
        quote = " ".join((o.row.exact if o.row else "").split())
        quote = quote if len(quote) <= 40 else quote[:39] + "…"
        status = o.status + (" (kept)" if o.status == UNANCHORED and o.entry is not None else "")
        lines.append(f"{status:<20} {o.article_id or '-':<48} {('“' + quote + '”') if quote else '':<44} {o.detail}".rstrip())
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in (IMPORTED, REANCHORED, UNANCHORED, SKIPPED, PRIVATE)}
    kept = sum(1 for o in outcomes if o.status == UNANCHORED and o.entry is not None)
    total = f"{counts[IMPORTED]} imported, {counts[REANCHORED]} re-anchored, {counts[UNANCHORED]} not anchored"
    total += f" ({kept} kept)" if keep_unanchored else " (not written; --keep-unanchored keeps them)" if counts[UNANCHORED] else ""
    total += f", {counts[SKIPPED]} skipped"
    if counts[PRIVATE]:
        total += f", {counts[PRIVATE]} not public (not imported; --include-private imports them)"
    return "\n".join([*lines, total]) + "\n"
