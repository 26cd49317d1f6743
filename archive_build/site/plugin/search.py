"""What the search sees: each page's record, the notes, the "Did you mean" vocabulary.

``archive_build/search/index.py`` builds the Pagefind indexes and
``search/record.py`` decides what each page tells them besides its text;
``Search`` gathers, page by page, what the indexes need once the site is
written.  Run by ``archive-build site``, Pagefind starts after MkDocs has
exited (``search.DEFER_ENV``); under a plain ``mkdocs build`` it runs at
the end of the build; under ``mkdocs serve`` only on the first build.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from archive_build.search import index
from archive_build.search import record as search_record
from archive_build.site import reading


class Search:
    """The search side of one MkDocs build."""

    def __init__(self) -> None:
        self.command = "build"
        self.indexed = False
        # Each note's fields (``NoteRecord``'s) as the notes file holds them: a reused page's are taken over as they are.
        self.notes: list[dict[str, Any]] = []
        self.vocabulary = index.Vocabulary()

    def configure(self, names: Mapping[str, list[str]]) -> None:
        """A build starts: no notes yet, a vocabulary of the gazetteer's names."""
        self.notes = []
        self.vocabulary = index.Vocabulary()
        self.vocabulary.add_names(n for spellings in names.values() for n in spellings)

    @staticmethod
    def record(page: Any, names: Mapping[str, list[str]]) -> Any:
        """The page's search record, or None for a page the search leaves out (a collection page)."""
        src = page.file.src_uri
        if reading.is_article(page.meta):
            return search_record.article_record(page.meta, names, page.content or "")
        if src.startswith("entities/") and src != "entities/index.md" and isinstance(page.meta.get("entity"), dict):
            return search_record.entity_record(page.meta, names)
        if src.startswith(("articles/", "entities/", "browse/")) or page.is_homepage:
            return None
        return search_record.page_record()

    def page_context(self, page: Any, names: Mapping[str, list[str]]) -> dict[str, Any] | None:
        """Attach the page's search record (``page.ab_search``) and mark up what the index should see.

        Returns what an article page gave the notes and the vocabulary, as
        ``add_page`` takes it (an incremental render reuses it for a page
        it does not render again), or None.
        """
        record = self.record(page, names)
        page.ab_search = record
        if record is not None and record.kind == "Article":
            page.content = search_record.add_note_headings(page.content, page.meta.get("annotations"))
            notes = search_record.note_records(page.meta, page.url, record)
            title, text = index.Vocabulary.words(str(page.meta.get("title") or "")), index.Vocabulary.words(page.content)
            fields = [vars(n) for n in notes]
            self.notes.extend(fields)
            self.vocabulary.add_words(title)
            self.vocabulary.add_words(text)
            return {"notes": fields, "title": sorted(title), "text": sorted(text)}
        if record is not None and record.kind == "Entity":
            page.content = search_record.ignore_entity_lists(page.content)
        return None

    def add_page(self, given: Mapping[str, Any]) -> None:
        """What one page gave the notes and the vocabulary (``page_context``'s return)."""
        self.notes.extend(given.get("notes", ()))
        self.vocabulary.add_words(given.get("title", ()))
        self.vocabulary.add_words(given.get("text", ()))

    def leave_for_merge(self, shard: Any) -> None:
        """What this shard's pages gave the search, for ``site_merge`` (``shards.STATE_ENV``)."""
        import os

        from archive_build.site.plugin.shards import STATE_ENV

        folder = os.environ.get(STATE_ENV)
        if folder:
            index.save_shard_state(Path(folder) / f"shard-{shard.k}-of-{shard.n}.json", self.notes, self.vocabulary)

    def post_build(self, site_dir: Path) -> None:
        """The vocabulary, and the indexes (or, for ``archive-build site``, the notes it indexes later)."""
        deferred = index.deferred_notes_folder()
        if deferred is not None:
            index.save_notes(deferred, self.notes)
            index.write_vocabulary(site_dir, self.vocabulary)
        elif not (self.command == "serve" and self.indexed):
            # Under `mkdocs serve` only the first build is indexed: re-indexing 10,000
            # pages on every live reload would cost more than the rebuild itself.
            index.build_index(site_dir)
            index.build_notes_index(site_dir, map(index.note_record, self.notes))
            index.write_vocabulary(site_dir, self.vocabulary)
            self.indexed = True
