"""The site's search: the Pagefind index and the "Did you mean" vocabulary.

One engine at every archive size.  Pagefind splits its index into chunks
by word, so a first query fetches its runtime, the chunk holding the
query's words and the fragments of the results shown.  Its indexer holds
the whole index in memory, so past ``parts.pages_per_index()`` pages the
site is indexed in parts, cached, and combined into one bundle
(``search/parts.py``, ``search/combine.py``).
The MkDocs hooks call ``build_index`` after the site is written (under
``mkdocs serve``, once, on the first build) and ``write_vocabulary`` with
the terms gathered from the pages (``Vocabulary``).

The search box itself is ``overrides/partials/search.html`` and
``docs/javascripts/search.js``; what each page tells the index besides its
text is in ``search/record.py``.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from archive_build.search import parts
from archive_build.search.record import NoteRecord

#: Where the search box finds the vocabulary, relative to the site root.
VOCABULARY_FILE = "search-vocabulary.json"
#: Frequent words kept for suggestions, besides titles and entity names.
FREQUENT_WORDS = 4000
SAMPLE = 4000
_WORD = re.compile(r"[^\W\d_][^\W_]{2,}(?:['’-][^\W\d_]+)*")
_TAG = re.compile(r"<[^>]*>")


#: Page furniture that is not the page's text: permalink signs, footnote
#: numbers, a note's kind/author/date line, reading time and counts.  Left in,
#: they showed up in snippets between the words that matched.  An article's
#: byline and tag list are indexed as metadata instead (search/record.py):
#: found, never shown as a snippet.
EXCLUDED = (
    ".headerlink", ".ab-pilcrow", ".footnote-ref", ".footnote-backref",
    ".ab-ann-kind", ".ab-ann-by", ".ab-ann-permalink", ".ab-facts",
    ".ab-kicker", ".ab-byline", ".ab-tags",
    # The article header's notes on its copy and the reader's controls ("Original not online",
    # "Title supplied by the archive", "Highlights", "Show notes").
    ".ab-original", ".ab-supplied", ".ab-reader-controls",
)


#: Set by ``archive-build site`` for the MkDocs it runs: the folder where the
#: hooks leave the notes (``save_notes``), for Pagefind to index after MkDocs
#: has exited (``index_site``), so the two never hold their memory at once.
DEFER_ENV = "ARCHIVE_BUILD_SEARCH_LATER"


def deferred_notes_folder() -> Path | None:
    """Where to leave the notes when indexing is left to ``archive-build site``; None: index in MkDocs' ``on_post_build``."""
    import os

    value = os.environ.get(DEFER_ENV)
    return Path(value) if value else None


def index_site(site_dir: Path, notes_folder: Path, cache: Path | None = None) -> dict[str, float]:
    """Both Pagefind indexes of a rendered site whose hooks left the notes in ``notes_folder`` (``save_notes``).

    ``cache``: the project's cache, where each part's Pagefind run is kept for the next build.
    The notes are indexed in a forked process meanwhile: the two share nothing but the cache.
    Returns the seconds each step took (for ``archive-build site --timings``).
    """
    from archive_build.build.workers import Workers

    laps: dict[str, float] = {}
    with Workers() as workers:
        notes = workers.background(_timed_notes, notes_folder, site_dir, cache)
        build_index(site_dir, cache, laps)
        done = time.perf_counter()
        laps["notes (meanwhile)"], notes_laps = notes()
        laps["waiting for the notes"] = time.perf_counter() - done
    return {**laps, **{f"notes {k}": v for k, v in notes_laps.items()}}


def _timed_notes(folder: Path, site_dir: Path, cache: Path | None) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    laps: dict[str, float] = {}
    index_note_pages(folder, site_dir, cache, laps)
    return time.perf_counter() - start, laps


def excluded_selectors() -> list[str]:
    """Pagefind's arguments leaving out ``EXCLUDED``."""
    return [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]


def build_index(site_dir: Path, cache: Path | None = None, laps: dict[str, float] | None = None) -> None:
    """Index the built site into ``site/pagefind/``."""
    from archive_build.opendata.site_info import TREE as OPEN_DATA

    start = time.perf_counter()
    memo = cache / SCAN_MEMO if cache is not None else None
    # The open-data tree holds five files an article and no page: not walked at all.
    pages = parts.scan_pages(site_dir, skip=(*_BUNDLE_FOLDERS, OPEN_DATA), memo=memo)
    if laps is not None:
        laps["scan"] = time.perf_counter() - start
    parts.index_in_parts(parts.SiteFiles(site_dir, pages), site_dir, MAIN_BUNDLE, parts.pages_per_index(), excluded_selectors(), cache, laps)


#: In the project's cache: what the last scan of the site's pages found (``parts.scan_pages``).
SCAN_MEMO = "search-scan.pickle"


#: The notes index, beside the main one: one record per annotation, so the
#: "Annotation" kind lists notes, not the articles that have some.  Kept apart
#: because a record costs every first query its line in the page list (30,000
#: notes would triple it); the search box loads it only for that facet.
NOTES_BUNDLE = "pagefind-notes"
#: The articles, entity and hand-written pages.
MAIN_BUNDLE = "pagefind"
#: Top-level folders of the site that are search bundles, not pages.
_BUNDLE_FOLDERS = (MAIN_BUNDLE, NOTES_BUNDLE)


def build_notes_index(site_dir: Path, notes: Iterable[NoteRecord]) -> None:
    """Index the notes into ``site/pagefind-notes/``."""
    parts.index_in_parts(note_pages(notes), site_dir, NOTES_BUNDLE, parts.notes_per_index())


def note_page(note: NoteRecord) -> tuple[str, bytes]:
    """A note's page for Pagefind: its file name and bytes."""
    return note_page_name(note), note.html().encode("utf-8")


def note_page_name(note: NoteRecord) -> str:
    """The file of a note's page: named by its address, so a note keeps its name (and its index part) as others come and go."""
    import hashlib

    return "n" + hashlib.sha256(note.href.encode("utf-8")).hexdigest()[:24] + ".html"


#: In the folder ``archive-build site`` gives the hooks: the notes, a JSON object a line.
NOTES_FILE = "notes.jsonl"


def save_notes(folder: Path, notes: Iterable[dict[str, Any]]) -> None:
    """The notes (each ``NoteRecord``'s fields), for ``index_note_pages`` once MkDocs has exited: one file, not a page a note."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / NOTES_FILE, "w", encoding="utf-8") as f:
        _write_note_lines(f, notes)


def _write_note_lines(f: Any, notes: Iterable[dict[str, Any]]) -> None:
    """Notes as ``NOTES_FILE`` holds them: their fields, a JSON object a line."""
    for note in notes:
        f.write(json.dumps(note, ensure_ascii=False) + "\n")


def note_pages(notes: Iterable[NoteRecord]) -> dict[str, bytes]:
    """Each note as the small page Pagefind indexes, by file name (a placeholder where there is no note)."""
    pages = dict(map(note_page, notes))
    if not pages:
        pages[PLACEHOLDER_NAME] = PLACEHOLDER_PAGE
    return dict(sorted(pages.items()))


#: Pagefind builds no index without a word to index, and the search box
#: expects one: with no note, a placeholder, of a kind the box never asks for.
PLACEHOLDER_NAME = "n0.html"
PLACEHOLDER_PAGE = (
    b'<html lang="en"><body><main data-pagefind-body><p>placeholder</p></main>'
    b'<span hidden data-pagefind-filter="kind">Placeholder</span></body></html>'
)


def index_note_pages(folder: Path, site_dir: Path, cache: Path | None = None, laps: dict[str, float] | None = None) -> None:
    """Index the notes ``save_notes`` left in ``folder`` into ``site/pagefind-notes/``.

    Only the notes of the runs Pagefind has to make again are written as pages.
    """
    parts.index_in_parts(NotesFile(folder / NOTES_FILE), site_dir, NOTES_BUNDLE, parts.notes_per_index(), cache=cache, laps=laps)


class NotesFile:
    """The notes of a ``NOTES_FILE`` as pages to index (``parts.Pages``), one page in memory at a time.

    Held whole, the pages of 90,000 notes (30,000 articles) and their
    records took a few hundred megabytes in the notes' process, beside two
    Pagefind runs; here each note's page is made to hash it and made again
    only for a run that needs it, and only each page's hash and where its
    line starts are kept.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where: dict[str, int] = {}
        self.digests: dict[str, bytes] = {}
        with open(path, "rb") as f:
            offset = 0
            for line in f:
                if line.strip():
                    name, page = self._page(line)
                    self.where[name] = offset
                    self.digests[name] = hashlib.sha256(page).digest()
                offset += len(line)
        if not self.digests:
            self.digests[PLACEHOLDER_NAME] = hashlib.sha256(PLACEHOLDER_PAGE).digest()
        self.digests = dict(sorted(self.digests.items()))

    @staticmethod
    def _page(line: bytes) -> tuple[str, bytes]:
        return note_page(note_record(json.loads(line)))

    def names(self) -> list[str]:
        return list(self.digests)

    def digest(self, name: str) -> bytes:
        return self.digests[name]

    def put(self, names: Sequence[str], scratch: Path) -> None:
        scratch.mkdir(parents=True, exist_ok=True)
        with open(self.path, "rb") as f:
            for name in names:
                if name not in self.where:
                    (scratch / name).write_bytes(PLACEHOLDER_PAGE)
                    continue
                f.seek(self.where[name])
                _name, page = self._page(f.readline())
                (scratch / name).write_bytes(page)


class Vocabulary:
    """Words a misspelt query may have meant: every word of the entities' names and aliases, and frequent words.

    Loaded by the search box only when a query finds nothing, so its size
    costs no ordinary search anything; it stays small all the same: titles
    and page text only contribute their most frequent words (in the most
    pages, capped at ``FREQUENT_WORDS``).  The box corrects word by word, so
    the file holds words, not whole names.
    """

    def __init__(self) -> None:
        self.name_words: set[str] = set()
        self.document_frequency: Counter[str] = Counter()

    def add_names(self, names: Iterable[str]) -> None:
        """Every word of these names (entity names and aliases), however rare."""
        for name in names:
            self.name_words.update(_WORD.findall(str(name)))

    def add_text(self, html_text: str) -> None:
        """The words of a page's opening (a title, or ``SAMPLE`` characters of HTML), counted once per page."""
        self.add_words(self.words(html_text))

    def add_words(self, words: Iterable[str]) -> None:
        """Words ``words`` found in one page's text (each counts once)."""
        self.document_frequency.update(words)

    @staticmethod
    def words(html_text: str) -> set[str]:
        """The words ``add_text`` counts: those of the text's opening.

        The opening is enough to tell which words are frequent across the
        archive, at a fraction of the cost of every word of 10,000 pages.
        """
        sample = html_text[:SAMPLE]
        if len(html_text) > SAMPLE:
            sample = sample[: sample.rfind("<")] or sample
        return {w.lower() for w in _WORD.findall(_TAG.sub(" ", sample))}

    def terms(self) -> list[str]:
        frequent = sorted(self.document_frequency.items(), key=lambda kv: (-kv[1], kv[0]))[:FREQUENT_WORDS]
        known = {w.lower() for w in self.name_words}
        return sorted(self.name_words) + sorted(w for w, _ in frequent if w not in known)


def write_vocabulary(site_dir: Path, vocabulary: Vocabulary) -> None:
    out = site_dir / VOCABULARY_FILE
    data = json.dumps({"terms": vocabulary.terms()}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if not out.is_file() or out.read_bytes() != data:
        out.write_bytes(data)


def save_shard_state(path: Path, notes: Iterable[dict[str, Any]], vocabulary: Vocabulary) -> None:
    """A shard's notes (each ``NoteRecord``'s fields) and vocabulary counts, for ``merge_shard_states`` after the shards are merged."""
    data = {
        "notes": list(notes),
        "name_words": sorted(vocabulary.name_words),
        "document_frequency": dict(vocabulary.document_frequency),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def note_record(fields: dict[str, Any]) -> NoteRecord:
    """A ``NoteRecord`` from its fields as JSON gave them back (lists for tuples)."""
    return NoteRecord(**{k: tuple(tuple(x) for x in v) if k in ("meta", "filters") else v for k, v in fields.items()})


def merge_shard_states(paths: Iterable[Path], notes_folder: Path, site_dir: Path) -> None:
    """The notes of the whole site into ``notes_folder`` (``save_notes``' file) and its vocabulary into the site,
    from its shards' ``save_shard_state`` files, one shard at a time: the notes are copied, not held."""
    vocabulary = Vocabulary()
    notes_folder.mkdir(parents=True, exist_ok=True)
    with open(notes_folder / NOTES_FILE, "w", encoding="utf-8") as out:
        for path in paths:
            data = json.loads(path.read_text("utf-8"))
            _write_note_lines(out, data["notes"])
            vocabulary.name_words.update(data["name_words"])
            vocabulary.document_frequency.update(data["document_frequency"])
            del data
    write_vocabulary(site_dir, vocabulary)
