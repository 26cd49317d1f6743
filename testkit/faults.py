"""Fault injection: builds killed with SIGKILL, run two at once, their cache damaged, their output folders unwritable or gone.

Every trial ends with one ordinary ``archive-build build`` and compares each
generated file (``docs/``' generated folders and ``site-data/``) with a clean
build of the same inputs, byte for byte; a temporary left behind counts as a
difference.  The archive changes between trials (articles edited, added and
removed, annotations edited, entities dropped from the gazetteer and
described anew), cycling through a few editions whose clean builds are made
once each.

``bench/faults.py`` (``make bench-faults``) runs every fault at full size
and prints trials, healed, and every difference; ``tests/test_faults.py``
runs them one by one at a small size.
"""
from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from .cli import BIN, cli_env, run_cli
from .generate import generate
from .skeleton import copy_skeleton

GENERATED = ("docs/articles", "docs/browse", "docs/entities", "docs/data", "docs/.generated", "site-data")
EDITIONS = 3
DAMAGE = ("truncated", "flipped", "folder", "emptied")


def run(project: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """The real console script in ``project``."""
    return run_cli(project, *args, timeout=timeout)


def start(project: Path, *args: str, output: bool = True) -> subprocess.Popen[str]:
    """The console script started in a session of its own (its workers share its process group).

    ``output=False``: its output is thrown away, not piped (a worker outliving
    a killed build would hold the pipe open, and reading it would never end).
    """
    pipe = subprocess.PIPE if output else subprocess.DEVNULL
    return subprocess.Popen(
        [str(BIN / "archive-build"), *args], cwd=project, env=cli_env(), stdout=pipe, stderr=pipe, text=True, start_new_session=True,
    )


def outputs(project: Path) -> dict[str, bytes]:
    """Every generated file by path, plus a key for each temporary a build left in ``docs/``, the project or the cache."""
    out: dict[str, bytes] = {}
    for tree in GENERATED:
        base = project / tree
        for p in sorted(base.rglob("*")) if base.is_dir() else ():
            if p.is_file() or p.is_symlink():
                out[p.relative_to(project).as_posix()] = p.read_bytes()
    for folder in (project, project / "docs", project / ".cache" / "archive-build"):
        for p in folder.rglob(".*") if folder.name == "archive-build" and folder.is_dir() else (folder.iterdir() if folder.is_dir() else ()):
            if ".tmp-" in p.name or ".old-" in p.name:
                out[f"left behind: {p.relative_to(project).as_posix()}"] = b""
    return out


def differences(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    """The paths where two ``outputs`` differ: missing, extra, or other bytes."""
    return sorted(
        [f"missing {k}" for k in want.keys() - got.keys()] + [f"extra {k}" for k in got.keys() - want.keys()]
        + [f"differs {k}" for k in want.keys() & got.keys() if got[k] != want[k]]
    )


class Archive:
    """A synthetic archive and its editions: each edition's raw/, annotations/ and entities.yml, written only where they differ."""

    def __init__(self, base: Path, n: int, seed: int = 1) -> None:
        self.base = base
        src = base / "source"
        copy_skeleton(src)
        generate(src, n, seed=seed, entities=max(20, n // 2))
        self.raw = {p.name: p.read_bytes() for p in sorted((src / "raw").iterdir())}
        self.annotations = {p.name: p.read_text("utf-8") for p in sorted((src / "annotations").iterdir())}
        self.gazetteer = yaml.safe_load((src / "entities.yml").read_text("utf-8"))
        self._clean: dict[int, dict[str, bytes]] = {}

    def files(self, edition: int) -> dict[str, bytes]:
        """Edition ``edition``'s inputs by path: a fifth of the articles and annotations edited, one article gone, a quarter of the entities."""
        k = edition % EDITIONS
        out: dict[str, bytes] = {}
        names = sorted(self.raw)
        linked = {target for text in self.annotations.values() for a in yaml.safe_load(text)["annotations"] for target in a.get("links", ())}
        removable = [name for name in names if name.rsplit(".", 1)[0] not in linked]
        gone = removable[k % len(removable)]
        for i, name in enumerate(names):
            if name == gone:
                continue
            data = self.raw[name]
            if i % 5 == k and not name.endswith(".html"):
                data += f"\n\nA paragraph added in edition {k}, about the harbour and its cranes.\n".encode()
            out[f"raw/{name}"] = data
        for i, (name, text) in enumerate(sorted(self.annotations.items())):
            if name[:-4] + ".txt" == gone or name[:-4] + ".md" == gone or name[:-4] + ".html" == gone:
                continue
            if i % 5 == (k + 1) % 5:
                doc = yaml.safe_load(text)
                doc["annotations"][0]["body"] = f"Edited in edition {k}. " + str(doc["annotations"][0].get("body", ""))
                text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000)
            out[f"annotations/{name}"] = text.encode()
        entities = []
        for i, e in enumerate(self.gazetteer["entities"]):
            if i % 4 == k:
                continue
            e = dict(e)
            if i % 9 == k:
                e["description"] = f"Described anew in edition {k}."
            entities.append(e)
        out["entities.yml"] = yaml.safe_dump({"entities": entities}, sort_keys=False, allow_unicode=True, width=1000).encode()
        return out

    def project(self, name: str, edition: int = 0) -> Path:
        """A fresh project holding ``edition``."""
        root = self.base / name
        if root.exists():
            shutil.rmtree(root)
        copy_skeleton(root)
        self.write(root, edition)
        return root

    def write(self, root: Path, edition: int) -> None:
        """Make ``root``'s inputs exactly ``edition``'s, touching only files whose bytes change."""
        want = self.files(edition)
        for folder in ("raw", "annotations"):
            (root / folder).mkdir(parents=True, exist_ok=True)
            for p in (root / folder).iterdir():
                if f"{folder}/{p.name}" not in want:
                    p.unlink()
        for rel, data in want.items():
            path = root / rel
            try:
                if path.read_bytes() == data:
                    continue
            except OSError:
                pass
            path.write_bytes(data)

    def clean(self, edition: int) -> dict[str, bytes]:
        """The generated files of a clean build of ``edition`` (built once, in a project of its own)."""
        k = edition % EDITIONS
        if k not in self._clean:
            root = self.project(f"clean-{k}", k)
            proc = run(root, "build", "--quiet")
            if proc.returncode != 0:
                raise RuntimeError(f"the clean build of edition {k} failed:\n{proc.stderr}")
            self._clean[k] = outputs(root)
            shutil.rmtree(root)
        return self._clean[k]


@dataclass
class Trial:
    kind: str
    detail: str
    healed: bool
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what went wrong besides the output: a traceback, an orphan, a wrong exit status


@dataclass
class Faults:
    """A project built from an ``Archive`` and the trials run on it."""

    archive: Archive
    root: Path
    rng: random.Random
    edition: int = 0
    trials: list[Trial] = field(default_factory=list)
    rebuild_seconds: float = 1.0

    @classmethod
    def start(cls, base: Path, n: int, seed: int = 1, *, timed: bool = False) -> "Faults":
        """A project built once; ``timed``: and rebuilt once more to time a rebuild (the span kills are drawn from)."""
        archive = Archive(base, n, seed)
        faults = cls(archive, archive.project("work"), random.Random(seed))
        proc = run(faults.root, "build", "--quiet")
        assert proc.returncode == 0, proc.stderr
        if timed:
            faults.time_rebuild()
        return faults

    def time_rebuild(self) -> None:
        """Time one rebuild of a changed archive: kills fall anywhere within that span."""
        began = time.perf_counter()
        self.next_edition()
        proc = run(self.root, "build", "--quiet")
        assert proc.returncode == 0, proc.stderr
        self.rebuild_seconds = time.perf_counter() - began

    def next_edition(self) -> None:
        self.edition += 1
        self.archive.write(self.root, self.edition)

    def settle(self, kind: str, detail: str, notes: list[str] | None = None) -> Trial:
        """One ordinary build, compared with the clean build of the current edition."""
        notes = list(notes or [])
        proc = run(self.root, "build", "--quiet")
        if proc.returncode != 0:
            notes.append(f"the healing build exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
        if "Traceback" in proc.stderr:
            notes.append("a traceback")
        diff = differences(outputs(self.root), self.archive.clean(self.edition))
        trial = Trial(kind, detail, not diff and not notes, diff, notes)
        self.trials.append(trial)
        return trial

    # -- the faults ------------------------------------------------------

    def kill(self) -> Trial:
        """A rebuild of a changed archive killed with SIGKILL at a random moment (the build only, not its workers)."""
        self.next_edition()
        delay = self.rng.uniform(0, self.rebuild_seconds)
        proc = start(self.root, "build", "--quiet", output=False)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        notes = []
        orphans = _survivors(proc.pid)
        if orphans:
            notes.append(f"{orphans} worker processes outlived the build")
        return self.settle("kill -9", f"after {delay:.2f} s", notes)

    def concurrent(self) -> Trial:
        """Two builds of a changed archive started at once: one waits for the other, both succeed."""
        self.next_edition()
        first, second = start(self.root, "build", "--quiet"), start(self.root, "build", "--quiet")
        notes = []
        for proc in (first, second):
            _out, err = proc.communicate(timeout=900)
            if proc.returncode != 0 or "Traceback" in err:
                notes.append(f"a build run beside another exited {proc.returncode}: {err.strip()[-300:]}")
        return self.settle("two builds at once", "both waiting", notes)

    def refused(self) -> Trial:
        """A second build with --no-wait while one runs: refused in one line naming the running build.

        The first build is stopped (SIGSTOP) once it holds the lock, and goes
        on after the second has answered: a small build could otherwise end
        before the second one has started on a busy host.
        """
        lock = self.root / ".cache" / "archive-build" / "build.lock"
        second = None
        for _attempt in range(3):
            self.next_edition()
            first = start(self.root, "build", "--quiet")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _holds_pid(lock, first.pid):
                time.sleep(0.01)
            os.kill(first.pid, signal.SIGSTOP)
            try:
                if _is_locked(lock):
                    second = run(self.root, "build", "--quiet", "--no-wait")
            finally:
                os.kill(first.pid, signal.SIGCONT)
            first.communicate(timeout=900)
            if second is not None:
                break
        notes = []
        if second is None:
            return self.settle("two builds at once", "the second refused", ["the first build never held the lock when stopped"])
        if first.returncode != 0:
            notes.append(f"the first build exited {first.returncode}")
        lines = second.stderr.strip().splitlines()
        if second.returncode == 0 or len(lines) != 1 or f"pid {first.pid}" not in second.stderr:
            notes.append(f"the second build was not refused in one line naming pid {first.pid}: {second.returncode} {second.stderr.strip()[-300:]}")
        return self.settle("two builds at once", "the second refused", notes)

    def damage(self, paths: list[Path], how: str) -> Trial:
        """Cache files damaged (``how``: one of ``DAMAGE``), then a rebuild of a changed archive."""
        self.next_edition()
        for path in paths:
            damage_file(path, how, self.rng)
        names = ", ".join(p.relative_to(self.root / ".cache" / "archive-build").as_posix() for p in paths)
        trial = self.settle("cache damaged", f"{how}: {names}")
        again = run(self.root, "build", "--quiet")  # healed: the damage is not reported twice
        if again.returncode != 0 or "damaged cache" in again.stderr:
            trial.notes.append(f"the build after the healing one: {again.returncode} {again.stderr.strip()[-300:]}")
            trial.healed = False
        return trial

    def cache_files(self) -> list[Path]:
        """Every file of the cache but the lock (and MkDocs' template cache)."""
        cache = self.root / ".cache" / "archive-build"
        return sorted(p for p in cache.rglob("*") if p.is_file() and p.name != "build.lock" and "jinja" not in p.parts and ".tmp-" not in p.name)

    def unwritable(self, folder: str) -> Trial:
        """An output folder that cannot be written, then a changed archive: one line naming it, and ``site`` refuses to publish."""
        self.next_edition()
        notes = []
        with read_only(self.root / folder):
            proc = run(self.root, "build", "--quiet")
            lines = [line for line in proc.stderr.strip().splitlines() if line]
            expected = f"{folder} is not writable"
            if proc.returncode == 0 or "Traceback" in proc.stderr or not any(expected in line for line in lines):
                notes.append(f"the build said {proc.returncode}: {proc.stderr.strip()[-300:]}")
            site = run(self.root, "site")
            if site.returncode == 0 or "the last build failed" not in site.stderr:
                notes.append(f"site published after a failed build: {site.returncode} {site.stderr.strip()[-300:]}")
        return self.settle("output unwritable", folder, notes)

    def missing(self, *folders: str) -> Trial:
        """Output folders removed (inputs unchanged)."""
        for folder in folders:
            shutil.rmtree(self.root / folder, ignore_errors=True)
        return self.settle("output missing", ", ".join(folders))

    def copy(self, root: Path, seed: int) -> "Faults":
        """The same archive and project state in another folder (a build's starting point shared by several trials)."""
        shutil.copytree(self.root, root, symlinks=True)
        return Faults(self.archive, root, random.Random(seed), self.edition, [], self.rebuild_seconds)

    def cache_not_a_folder(self) -> Trial:
        """``.cache/archive-build`` replaced by a file: one line saying to remove it; removed, the next build heals."""
        cache = self.root / ".cache" / "archive-build"
        shutil.rmtree(cache)
        cache.write_text("not a folder\n", "utf-8")
        proc = run(self.root, "build", "--quiet")
        notes = []
        if proc.returncode == 0 or proc.stderr.strip() != ".cache/archive-build: error: .cache/archive-build is not a folder: remove it":
            notes.append(f"the build said {proc.returncode}: {proc.stderr.strip()[-300:]}")
        cache.unlink()
        return self.settle("cache not a folder", ".cache/archive-build", notes)


def _is_locked(lock: Path) -> bool:
    """Whether a process holds the build lock's flock now (tried without waiting, and let go at once)."""
    import fcntl

    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def _holds_pid(lock: Path, pid: int) -> bool:
    try:
        return lock.read_text("ascii").strip() == str(pid)
    except OSError:
        return False


def _survivors(pgid: int, grace: float = 5.0) -> int:
    """How many processes of the killed build's group still run after ``grace`` seconds (zombies have ended); killed then."""
    deadline = time.monotonic() + grace
    while (count := len(_group(pgid))) and time.monotonic() < deadline:
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    return count


def _group(pgid: int) -> list[int]:
    """The running (not zombie) processes of a process group, from /proc."""
    members = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(name))
    return members


def damage_file(path: Path, how: str, rng: random.Random) -> None:
    """Damage one file: cut to half its length, four bytes flipped, replaced by a folder, or emptied."""
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        buf = bytearray(data)
        for _ in range(4):
            i = rng.randrange(len(buf)) if buf else 0
            if buf:
                buf[i] ^= 0xFF
        path.write_bytes(bytes(buf))
    elif how == "folder":
        path.unlink()
        path.mkdir()
        (path / "inside").write_text("a file in a folder where a cache file was\n", "utf-8")
    elif how == "emptied":
        path.write_bytes(b"")
    else:
        raise ValueError(how)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` made unwritable for the block: no file created, removed or renamed in it.

    By its mode, or for root (whom modes do not stop) by the immutable attribute.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return
    subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True, capture_output=True)


def can_make_read_only(base: Path) -> bool:
    """Whether ``read_only`` works here (root needs ``chattr`` and a filesystem that keeps the attribute)."""
    probe = base / ".read-only-probe"
    probe.mkdir(parents=True, exist_ok=True)
    try:
        with read_only(probe):
            try:
                (probe / "x").write_bytes(b"")
            except OSError:
                return True
            return False
    except (OSError, subprocess.CalledProcessError):
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def roles(files: list[Path], cache: Path) -> dict[str, list[Path]]:
    """Cache files by what they hold: each top-level file on its own, each sharded folder as one role."""
    out: dict[str, list[Path]] = {}
    for p in files:
        rel = p.relative_to(cache)
        role = rel.as_posix() if len(rel.parts) == 1 else rel.parent.as_posix()
        out.setdefault(role, []).append(p)
    return out
