"""``make serve``: the build step on every rebuild, and the inputs watched natively.

Active only with ``ARCHIVE_BUILD_ON_SERVE=1`` (the Makefile's serve target).
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from archive_build.project import GENERATED_DOCS, Project


def on_serve_mode() -> bool:
    """Whether this is ``make serve``, which runs the build step inside MkDocs' rebuilds."""
    return os.environ.get("ARCHIVE_BUILD_ON_SERVE") == "1"


def project_of(config: Any) -> Project:
    """The archive project whose ``mkdocs.yml`` MkDocs is building."""
    return Project(Path(config["config_file_path"]).parent)


class ServeRebuild:
    """The build step run at the start of each rebuild, and what it reports for ``on_post_build``.

    The step runs while MkDocs lists the files and makes the navigation
    (about a second of a rebuild at 10,000 articles, all of it work that
    an annotation edit leaves as it was); ``finish`` waits for it, and
    ``reconcile`` then brings MkDocs' file list and navigation up to date
    in the rare rebuild whose step added or removed a page.
    """

    def __init__(self) -> None:
        #: Open-data packs the last build step wrote (None: not known, place them all).
        self.site_data_written: list[str] | None = None
        #: Generated files (under docs/) the build steps wrote since a rebuild last finished; None: not
        #: known (before the first rebuild has finished, or after a step without a report).
        self.unrendered: set[str] | None = None
        self._running: tuple[subprocess.Popen[bytes], tempfile.TemporaryDirectory[str]] | None = None

    def start(self, root: Path) -> None:
        """Start the build step so edits to raw/ show up live.

        In a process of its own, not in this one: in a serve process holding
        10,000 pages the same rebuild took twice as long (5.2-7.7 s against 2.7 s
        on its own), it left its objects for this process's collector, and its
        worker processes would be forked from a process with threads.  Its
        problems and summary go to the same terminal; the open-data files it
        wrote come back in its report.
        """
        self.finish()  # one left running by a rebuild that failed before waiting for it
        # The cyclic collector's passes over a 10,000-page serve process cost 0.4-1.5 s
        # per rebuild; it runs once, after the rebuild is served (collect_garbage_soon).
        gc.disable()
        tmp = tempfile.TemporaryDirectory(prefix="archive-build-")
        report = Path(tmp.name) / "report.json"
        command = [sys.executable, "-m", "archive_build", "--root", str(root), "build", "--keep-going", "--report", str(report)]
        self._running = (subprocess.Popen(command), tmp)

    def finish(self) -> bool:
        """Wait for the build step started last, if one runs; whether one did."""
        if self._running is None:
            return False
        proc, tmp = self._running
        self._running = None
        try:
            proc.wait()
            try:
                report = json.loads((Path(tmp.name) / "report.json").read_text("utf-8"))
                written, pages = list(report["site_data_written"]), set(report["docs_written"])
            except (OSError, ValueError, KeyError, TypeError):
                written = pages = None  # no report (the build failed): every open-data file is placed
        finally:
            tmp.cleanup()
        self.site_data_written = written
        self.unrendered = self.unrendered | pages if self.unrendered is not None and pages is not None else None
        return True

    def rendered(self) -> None:
        """A rebuild finished: every generated file the build steps wrote is rendered."""
        self.unrendered = set()

    def mark_modified(self, files: Any, docs_dir: str) -> None:
        """Tell MkDocs which generated files changed, from the build steps' reports.

        A dirty rebuild asks each of the 10,500 files whether its source is
        newer than its output, twice (two ``stat`` calls each time; 0.3 s at
        10,000 articles); for the generated files the build steps' reports
        say it.  Before the first rebuild has finished, or after a step
        that left no report, MkDocs asks as usual.
        """
        if self.unrendered is None:
            return
        docs = os.path.normpath(docs_dir)
        for f in files:
            if f.src_uri.split("/", 1)[0] in GENERATED_DOCS and _in_folder(f, docs):
                f.is_modified = _modified if f.src_uri in self.unrendered else _unmodified

    def take_written(self) -> list[str] | None:
        """The packs the last build step wrote, once (None: not known)."""
        written, self.site_data_written = self.site_data_written, None
        return written


def _in_folder(file: Any, folder: str) -> bool:
    """Whether MkDocs' ``file`` comes from ``folder`` (normalised): docs/, not the theme or a plugin."""
    return file.src_dir is not None and os.path.normpath(file.src_dir) == folder


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def reconcile(files: Any, nav: Any, config: Any) -> Any:
    """``nav`` (and ``files``, in place) as MkDocs would have made them from ``docs/`` as it is now.

    MkDocs listed the files while the build step was writing them: when the
    step added or removed a page, the list is made again, as MkDocs makes
    it, and the navigation from it.  A change to pages that were there
    already needs nothing: MkDocs reads each page after this.
    """
    docs = os.path.normpath(config["docs_dir"])
    present = set()
    for folder, _dirs, names in os.walk(docs, followlinks=True):
        rel = os.path.relpath(folder, docs)
        prefix = "" if rel == "." else Path(rel).as_posix() + "/"
        present.update(prefix + name for name in names)
    listed = {f.src_uri for f in files if _in_folder(f, docs)}
    if listed == present:
        return nav
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation

    fresh = get_files(config)
    fresh.add_files_from_theme(config.theme.get_env(), config)
    fresh = config.plugins.on_files(fresh, config=config)
    set_exclusions(fresh, config)
    files.__init__(list(fresh))  # the same object: MkDocs' build goes on with it
    return get_navigation(files, config)


def collect_garbage_soon(delay: float = 1.0) -> None:
    """One full collection shortly after a `make serve` rebuild, once the browser has reloaded."""
    import gc
    import threading

    timer = threading.Timer(delay, gc.collect)
    timer.daemon = True
    timer.start()


def watch(server: Any, config: Any) -> Any:
    """Watch the hand-written pages but not the generated ones; ``raw/`` and ``annotations/`` natively.

    The build step writes the generated pages as part of the very rebuild
    that serves them; if MkDocs also watched them, every edit would set off
    a second, useless rebuild, and its polling watcher would stat 10,000+
    generated files twice a second.  ``raw/``, ``annotations/`` and
    ``entities.yml`` are watched through ``--watch``.
    """
    docs = config["docs_dir"]
    server.unwatch(docs)
    for name in sorted(os.listdir(docs)):
        if name not in GENERATED_DOCS and not name.startswith("."):
            server.watch(os.path.join(docs, name))
    project = project_of(config)
    watch_natively(server, take_from_polling(config, [os.fspath(project.raw), os.fspath(project.annotations)]))
    return server


def take_from_polling(config: Any, folders: list[str]) -> list[str]:
    """The ``folders`` asked for with ``--watch``, taken out of ``config["watch"]``.

    MkDocs schedules its ``--watch`` paths on its polling observer after
    ``on_serve`` returns; what is taken out here it never polls.
    """
    wanted = {os.path.realpath(f): f for f in folders}
    taken: list[str] = []
    watch_list = config["watch"]
    for item in list(watch_list):
        real = os.path.realpath(item)  # a relative --watch path is relative to where mkdocs runs, as for MkDocs
        if real in wanted:
            watch_list.remove(item)
            taken.append(wanted.pop(real))
    return taken


def watch_natively(server: Any, folders: list[str]) -> None:
    """Watch the big input folders with the system's file watcher instead of MkDocs' polling.

    MkDocs polls every watched file twice a second: with 10,000 raw files and
    3,000 annotation files its polling thread held the interpreter for most
    of a rebuild (62% of the serve process's samples, py-spy).  inotify
    (watchdog's native observer) costs nothing while idle.  Single files
    (``mkdocs.yml``, ``entities.yml``) stay polled: a native watch on a file
    is lost when an editor saves by renaming.
    """
    import functools

    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileClosedEvent]
    if not folders:
        return
    polling, native = server.observer, Observer()
    # Changes only: inotify also reports files being opened and read, and the
    # build reads the files it is rebuilt for, which set off a second rebuild.
    native.schedule = functools.partial(Observer.schedule, native, event_filter=changes)  # type: ignore[method-assign]
    try:
        native.start()  # started first: a watch that cannot be set up then fails at once, below
    except OSError:
        native = polling
    for f in folders:
        if not os.path.isdir(f):
            server.watch(f)  # as MkDocs would have (it warns about a missing path)
            continue
        server.observer = native  # server.watch schedules on server.observer
        try:
            server.watch(f)
        except OSError:  # no inotify watch to be had (a system limit): MkDocs' polling, as before
            server._watched_paths.pop(f, None)
            server.observer = polling
            server.watch(f)
        finally:
            server.observer = polling
