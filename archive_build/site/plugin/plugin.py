"""``ArchivePlugin``: the archive's MkDocs plugin, wiring MkDocs' events to the concerns of this package.

Listed last under ``plugins:`` in mkdocs.yml, so its events run after the
tags plugin's, as a ``hooks:`` module's would.  Its state lives on the
instance (MkDocs makes one per ``mkdocs build`` and keeps it across the
rebuilds of ``mkdocs serve``).
"""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

from archive_build.site import page_records, spare, trash
from archive_build.site.plugin import includes, sanitise, serve, shards
from archive_build.site.plugin.converter import Converter
from archive_build.site.plugin.incremental import Incremental, Reuse, pack_identities
from archive_build.site.plugin.opendata import OpenData
from archive_build.site.plugin.reading import Reading
from archive_build.site.plugin.search import Search

log = logging.getLogger("mkdocs.plugins.archive")


class ArchivePlugin(BasePlugin):  # type: ignore[type-arg]
    """Sanitiser, reading features, search records, feed and open data for every page; ``make serve``'s live rebuild."""

    def __init__(self) -> None:
        self.reading = Reading()
        self.search = Search()
        self.opendata = OpenData()
        self.rebuild = serve.ServeRebuild()
        self.shard: shards.ShardFilter | None = None
        self.incremental = Incremental()
        self.files: Any = None
        self.templates_left: set[str] = set()
        self.converter: Converter | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.reading.dirty = dirty
        self.search.command = command

    def on_config(self, config: Any) -> Any:
        if serve.on_serve_mode():
            # A preview needs no sitemap: rendering one for 10,000 pages on every live reload costs a fifth of a second.
            config["theme"].static_templates.discard("sitemap.xml")
        self.reading.configure(serve.project_of(config).gazetteer)
        self.search.configure(self.reading.names)
        shard = shards.from_environment()
        self.shard = shards.ShardFilter(shard) if shard is not None else None
        if self.shard is not None:
            self.shard.configure(config)
        self.templates_left = set(config["theme"].static_templates)
        self.converter = Converter(config)
        return config

    def on_files(self, files: Any, *, config: Any) -> Any:
        self.files = files
        if self.shard is not None:
            self.shard.choose(files)
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        if serve.on_serve_mode() and self.rebuild.finish():
            nav = serve.reconcile(files, nav, config)
            self.rebuild.mark_modified(files, config["docs_dir"])
        self.incremental.start(files, nav, serve.project_of(config).site_data, allow_reuse=self.shard is None and not serve.on_serve_mode())
        return nav

    @property
    def partial(self) -> shards.ShardFilter | Any:
        """What limits the pages this build writes: its shard, the pages an incremental render reuses, or nothing."""
        return self.shard if self.shard is not None else self.incremental.reuse

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if not serve.on_serve_mode():
            return server
        return serve.watch(server, config)

    def on_pre_build(self, *, config: Any) -> None:
        if serve.on_serve_mode():
            self.rebuild.start(serve.project_of(config).root)  # waited for in on_nav

    def on_build_error(self, *, error: Exception) -> None:
        self.rebuild.finish()

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        partial = self.partial
        if partial is not None:
            if partial.renders_collection:
                self.reading.gather_feed(files)
            if not partial.renders_collection or not self.templates_left:
                partial.exclude_others(files, assets=not partial.renders_collection)
        return self.reading.add_filters(env, serve.project_of(config).cache / "jinja")

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        self.templates_left.discard(template_name)
        partial = self.partial
        if partial is not None and partial.renders_collection and not self.templates_left:
            # The sitemap has listed every page: the pages other shards write, or the old site gives, are left out.
            partial.exclude_others(self.files, assets=False)
        return output_content

    def on_pre_page(self, page: Any, *, config: Any, files: Any) -> Any:
        if self.converter is not None:
            self.converter.use_for(page)
        reuse = self.incremental.reuse
        if reuse is not None and reuse.skips(page):
            reuse.read_from_record(page)  # the old site has it: its record gives what other pages read of it
        return page

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        sanitise.before_markdown(page, config)
        partial = self.partial
        if partial is not None and partial.skips(page):
            # Another shard renders it, or the old site has it; its front matter (title, tags) is all this one needs.
            shards.render_nothing(page)
            shards.keep_listed_meta(page)
            return ""
        return includes.expand(markdown, page, config["docs_dir"])

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        partial = self.partial
        if partial is not None and partial.skips(page):
            # Not written here: its (empty) HTML needs no sanitising and no reading features.
            sanitise.after_render(page)
            reuse = self.incremental.reuse
            if reuse is not None and reuse.skips(page):
                page.present_anchor_ids = reuse.anchors(page.file.src_uri)  # what MkDocs checks links into it against
            return html
        return self.reading.page_content(sanitise.page_content(html, page), page)

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        sanitise.page_context(page)
        given = self.search.page_context(page, self.reading.names)
        self.incremental.rendered(page, given)
        if self.partial is None:
            self.reading.page_context(page)
        return context

    def on_post_build(self, *, config: Any) -> None:
        if serve.on_serve_mode():
            self.rebuild.rendered()
            serve.collect_garbage_soon()
        site_data = serve.project_of(config).site_data
        if self.shard is not None:
            self.incremental.finish()
            self.search.leave_for_merge(self.shard.shard)
            self.opendata.post_build(site_data, config["site_dir"], dirty=False, written=None, share=self.shard.packs)
            if self.shard.shard.renders_collection:
                self.reading.write_feed(config)
            return
        reuse = self.incremental.reuse
        if reuse is not None:
            self._post_build_reusing(reuse, site_data, config)
            return
        self.incremental.finish()
        self.opendata.post_build(site_data, config["site_dir"], dirty=self.reading.dirty, written=self.rebuild.take_written())
        self.search.post_build(Path(config["site_dir"]))
        self.reading.write_feed(config)

    def _post_build_reusing(self, reuse: Reuse, site_data: Path, config: Any) -> None:
        """An incremental render's end: the records, search, open data and feed, and the old site's files in the new tree.

        With a spare tree (``site/spare.py``) the new site is made of it once
        all is written; otherwise the old site's files are linked into the
        new tree in a thread meanwhile.  Each part's seconds are logged.
        """
        site_dir = Path(config["site_dir"])
        clock = time.perf_counter()
        unpack, same = reuse.unchanged_packs(pack_identities(site_data))
        self.opendata.post_build(site_data, config["site_dir"], dirty=False, written=None, share=lambda names: unpack)
        laps = [f"open data {time.perf_counter() - clock:.2f} s"]
        spare_tree = os.environ.get(page_records.REUSE_SPARE_ENV)
        if spare_tree and os.path.isdir(spare_tree):
            laps += self._records_search_feed(reuse, site_dir, config)
            clock = time.perf_counter()
            cache = serve.project_of(config).cache
            # Out of trash/ while it fills: a deleter still running there would empty it meanwhile.
            stale = cache / f".spare-stale.tmp-{os.getpid()}"
            spare.make_site(spare_tree, os.fspath(site_dir), reuse.old_site, reuse.reused_files(site_data, same, "data"), os.fspath(stale))
            # The new site is the spare now: it takes the place of MkDocs' folder, whose own files it took.
            bin_folder = cache / trash.FOLDER
            bin_folder.mkdir(exist_ok=True)
            os.rename(stale, bin_folder / stale.name.lstrip("."))
            os.rename(site_dir, bin_folder / f"fresh-left-{os.getpid()}")
            os.rename(spare_tree, site_dir)
            trash.empty_later(bin_folder)
            laps.append(f"the new site made of the spare tree {time.perf_counter() - clock:.2f} s")
        else:
            clock = time.perf_counter()

            def link() -> str:
                reuse.link(site_dir, site_data, same)
                return f"linking the old site's files (meanwhile) {time.perf_counter() - clock:.2f} s"

            with ThreadPoolExecutor(1) as pool:
                linking = pool.submit(link)
                try:
                    laps += self._records_search_feed(reuse, site_dir, config)
                finally:
                    laps.append(linking.result())
        log.info(f"archive: {len(reuse.reused)} pages and {len(same)} open-data packs from the old site; " + ", ".join(laps))

    def _records_search_feed(self, reuse: Reuse, site_dir: Path, config: Any) -> list[str]:
        """The reused pages' records and search data, then the search's files and the feed; the seconds each took."""
        clock = time.perf_counter()
        for line, given in reuse.reused_records():
            self.incremental.writer.line(line)  # type: ignore[union-attr]
            self.search.add_page(given)
        self.incremental.finish()
        records = time.perf_counter()
        self.search.post_build(site_dir)
        search = time.perf_counter()
        self.reading.write_feed(config)
        return [
            f"records {records - clock:.2f} s", f"the search's files {search - records:.2f} s", f"feed {time.perf_counter() - search:.2f} s",
        ]
