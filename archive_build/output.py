"""Writing generated trees atomically, touching only files whose bytes changed.

A build that changes much of a generated directory writes it into a
temporary sibling and swaps it into place with ``rename``; a build killed
half-way leaves the previous tree complete.  Unchanged files are hard-linked
from the old tree, so their modification times stay put and ``mkdocs serve
--dirtyreload``, rsync and deploy tools see only what really changed.  A
build that changes only a few files (one annotation edited) replaces just
those, each atomically with ``os.replace``: swapping a 10,000-file tree for
one changed page would cost more than the whole rest of the rebuild.

A manifest (size, modification time and SHA-256 of every file written)
lets a rebuild tell an unchanged file from its ``stat`` alone instead of
reading 10,000 files back; a file whose ``stat`` differs from the manifest
(edited by hand, restored by git) is compared by content as before.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Callable, Collection, Mapping, NamedTuple, Union

#: Above this share of a tree's files changed, the tree is rebuilt and swapped.
SWAP_FRACTION = 0.05
SWAP_MIN = 32


class Entry(NamedTuple):
    """What the manifest remembers about one written file.

    A named tuple: the manifest holds one per generated file (60,000 at
    10,000 articles) and is loaded and saved on every rebuild.
    """

    size: int
    mtime_ns: int
    sha: str
    fingerprint: str = ""  # the build's hash of the data the file was made from

    # An entry stands in for its file's ``stat`` (``matches``) where the build
    # knows the folder is as it left it (``build.state.state_holds``).
    @property
    def st_size(self) -> int:
        return self.size

    @property
    def st_mtime_ns(self) -> int:
        return self.mtime_ns


class _Keep:
    """Marker: the caller knows this file is unchanged (its fingerprint matched)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


class Rendered(NamedTuple):
    """A file's new bytes and their digest (``rendered``), computed in a worker for ``stage``."""

    data: bytes
    sha: str


class Staged(NamedTuple):
    """A file already written for its tree (``stage``): ``sync_tree`` leaves it or moves it into place.

    The build writes the pages and data its workers render this way as they
    arrive, while the workers go on rendering.  It writes them into the
    folder that becomes the tree when most of it changes (a cold build:
    then nothing is moved at all).
    """

    path: str
    size: int
    sha: str
    mtime_ns: int


FileData = Union[bytes, _Keep, Staged]


def link_or_copy(source: Path, target: Path) -> None:
    """``source`` at ``target`` too: a hard link, or a copy across file systems (a folder is copied)."""
    if source.is_dir():
        shutil.copytree(source, target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def staging_dir(target: Path) -> Path:
    """The sibling of ``target`` that files are staged in and a new tree is built in before the swap.

    One filesystem, so moving a file is a rename; ``clean_stale_temps``
    removes it if a killed build leaves it.
    """
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def write_file(path: str, data: bytes) -> int:
    """Write ``data`` as ``path`` (created or truncated); returns the file's modification time (ns).

    With ``os`` calls rather than ``open()``: a cold build creates 50,000
    files, and the file object's own set-up and the separate ``stat`` cost a
    quarter of each write.
    """
    # (Not inherited by child processes either way: PEP 446.  O_BINARY: Windows only.)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd).st_mtime_ns
    finally:
        os.close(fd)


def rendered(data: bytes, intact_sha: str | None = None) -> Rendered | _Keep:
    """A file's new bytes for ``stage``, or ``KEEP`` when they are the bytes it has.

    ``intact_sha``: the digest of the file the tree has now, if it is as the
    last build wrote it (a rebuild after a code change renders every page
    again, mostly unchanged).
    """
    digest = sha(data)
    return KEEP if digest == intact_sha else Rendered(data, digest)


def stage(folder: str, name: str, file: Rendered | _Keep) -> Staged | _Keep:
    """Write a ``rendered`` file as ``folder/name`` (a flat name), for ``sync_tree``.

    One process writes them all: two processes creating files in one
    folder at once contend for the folder's lock, and on the 2-core machine
    here each file then cost 0.15-0.35 ms instead of about 0.015 ms.
    """
    if isinstance(file, _Keep):
        return KEEP
    path = os.path.join(folder, name)
    return Staged(path, len(file.data), file.sha, write_file(path, file.data))


def _bytes(data: bytes | Staged) -> bytes:
    if isinstance(data, Staged):
        with open(data.path, "rb") as f:
            return f.read()
    return data


def tree_stats(target: Path) -> dict[str, os.stat_result]:
    """Every regular file under ``target`` (relative POSIX path → stat), via scandir."""
    out: dict[str, os.stat_result] = {}
    if not target.is_dir():
        return out
    stack = [(os.fspath(target), "")]
    while stack:
        d, prefix = stack.pop()
        with os.scandir(d) as it:
            for e in it:
                rel = prefix + e.name
                if e.is_dir(follow_symlinks=False):
                    stack.append((e.path, rel + "/"))
                elif e.is_file(follow_symlinks=False):
                    out[rel] = e.stat(follow_symlinks=False)
    return out


def matches(st: os.stat_result | Entry | None, entry: Entry | None) -> bool:
    """The file on disk is the one the manifest recorded (same size and mtime)."""
    return st is not None and entry is not None and st.st_size == entry.size and st.st_mtime_ns == entry.mtime_ns


def sync_tree(
    target: Path,
    files: Mapping[str, FileData],
    manifest: dict[str, Entry] | None = None,
    stats: dict[str, os.stat_result] | None = None,
    fingerprints: Mapping[str, str] | None = None,
) -> tuple[int, int, dict[str, Entry]]:
    """Make ``target`` hold exactly ``files`` (relative POSIX path → bytes, ``Staged`` or ``KEEP``).

    ``manifest`` is the tree's entries from the previous build (or None to
    compare by reading files); ``KEEP`` may only be passed for a file whose
    ``stat`` matches its manifest entry.  Returns (files written, files
    unchanged, the tree's new manifest).  If nothing changed, nothing on
    disk is touched.
    """
    manifest = manifest or {}
    fingerprints = fingerprints or {}
    if stats is None:
        stats = tree_stats(target)
    changed: list[str] = []
    digests: dict[str, str] = {}
    new: dict[str, Entry] = {}
    for rel, data in files.items():
        st = stats.get(rel)
        old = manifest.get(rel)
        fp = fingerprints.get(rel, "")
        if isinstance(data, _Keep):
            assert old is not None and matches(st, old), f"KEEP for {rel} without a matching manifest entry"
            new[rel] = old if not fp or fp == old.fingerprint else Entry(old.size, old.mtime_ns, old.sha, fp)  # the same object: nothing written
            continue
        digest, size = (data.sha, data.size) if isinstance(data, Staged) else (sha(data), len(data))
        if st is not None and st.st_size == size:
            if (matches(st, old) and old.sha == digest) or (not matches(st, old) and _same(target / rel, _bytes(data))):
                new[rel] = Entry(st.st_size, st.st_mtime_ns, digest, fp)
                continue
        changed.append(rel)
        digests[rel] = digest
    stale = [rel for rel in stats if rel not in files]
    if not changed and not stale:
        return 0, len(files), new
    if target.is_dir() and len(changed) + len(stale) <= max(SWAP_MIN, SWAP_FRACTION * len(files)):
        for rel in stale:
            (target / rel).unlink()
        for rel in sorted(changed):
            data = files[rel]
            assert not isinstance(data, _Keep)
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Staged):
                os.replace(data.path, dest)  # a rename keeps the size and mtime staged
                size, mtime_ns = data.size, data.mtime_ns
            else:
                tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
                size, mtime_ns = len(data), write_file(os.fspath(tmp), data)
                os.replace(tmp, dest)
            new[rel] = Entry(size, mtime_ns, digests[rel], fingerprints.get(rel, ""))
        if stale:
            _remove_empty_dirs(target)
        return len(changed), len(files) - len(changed), new
    written = 0
    tmp_tree = staging_dir(target)  # may hold files staged for this build already
    tmp_tree.mkdir(parents=True, exist_ok=True)
    # Plain string paths and os calls: at 50,000 files pathlib's objects cost more than the writes.
    changed_set = set(changed)
    old_root, new_root = os.fspath(target) + os.sep, os.fspath(tmp_tree) + os.sep
    link_tmp = new_root + f".link-{os.getpid()}"
    made: set[str] = {""}
    for rel in sorted(files):
        folder = rel.rpartition("/")[0]
        if folder not in made:
            os.makedirs(new_root + folder, exist_ok=True)
            made.add(folder)
        dest = new_root + rel
        data = files[rel]
        staged_here = isinstance(data, Staged) and data.path == dest
        if rel not in changed_set and _link(old_root + rel, dest, link_tmp if staged_here else None):
            continue
        written += 1
        if isinstance(data, Staged):  # renamed, so its size and mtime are the staged file's
            if not staged_here:
                os.rename(data.path, dest)
            new[rel] = Entry(data.size, data.mtime_ns, data.sha, fingerprints.get(rel, ""))
            continue
        if isinstance(data, _Keep):
            with open(old_root + rel, "rb") as f:
                data = f.read()
        mtime_ns = write_file(dest, data)
        if rel in changed_set:
            new[rel] = Entry(len(data), mtime_ns, digests[rel], fingerprints.get(rel, ""))
    swap_dirs(tmp_tree, target)
    return written, len(files) - written, new


def _link(old: str, dest: str, via: str | None) -> bool:
    """Hard-link the old file at ``dest``, keeping its modification time; False where that fails.

    ``via``: a free name to link to first, when ``dest`` already holds a
    staged copy (the same bytes) that the link replaces.
    """
    try:
        if via is None:
            os.link(old, dest)
        else:
            os.link(old, via)
            os.replace(via, dest)
        return True
    except OSError:
        return False


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one system call (Linux ``renameat2``); False where unsupported."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def swap_dirs(new: Path, target: Path, discard: Callable[[Path], None] | None = None) -> None:
    """Put the directory ``new`` at ``target``, removing the old tree (with ``discard``, if given, instead).

    With ``RENAME_EXCHANGE`` there is no instant at which ``target`` is
    missing.  Elsewhere the old tree is renamed aside first; a kill between
    the two renames leaves it as ``.<name>.old-<pid>``, which
    ``clean_stale_temps`` puts back.
    """
    remove = discard or (lambda tree: shutil.rmtree(tree, ignore_errors=True))
    if target.exists() and _exchange(new, target):
        remove(new)  # now holds the old tree
        return
    old_tree = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old_tree)
    os.rename(new, target)
    if old_tree.exists():
        remove(old_tree)


def _remove_empty_dirs(target: Path) -> None:
    for d, subdirs, names in os.walk(target, topdown=False):
        if d != str(target) and not subdirs and not names:
            try:
                os.rmdir(d)
            except OSError:
                pass


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace one file, only when its bytes change."""
    if _same(path, data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _left_by_another_live_process(name: str) -> bool:
    """A temporary named for a process (``…tmp-<pid>``, ``…old-<pid>``) that is still running, and is not this one."""
    pid = name.rsplit("-", 1)[-1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # (EPERM: someone else's process)
        return True
    return True


def clean_stale_temps(parent: Path, only: str | None = None, *, recursive: bool = False, skip: Collection[str] = ()) -> None:
    """Remove temporaries left by a build that was killed (of ``only`` when given; in every subfolder with ``recursive``).

    An old tree whose replacement never arrived (killed between the two
    renames of ``swap_dirs``) is put back rather than removed.  A
    temporary of a process still running is left alone.  ``skip``: the
    names of ``parent``'s subfolders not entered (an old site being deleted
    in the background has 20,000 folders at 10,000 articles: walking it cost
    a third of a one-annotation build).
    """
    if not parent.is_dir():
        return
    for p in sorted(parent.iterdir()):
        if recursive and not p.name.startswith(".") and p.is_dir() and not p.is_symlink():
            if p.name not in skip:
                clean_stale_temps(p, only, recursive=True)
            continue
        if only is not None and not p.name.startswith(f".{only}."):
            continue
        if not (p.name.startswith(".") and (".tmp-" in p.name or ".old-" in p.name)) or _left_by_another_live_process(p.name):
            continue
        if ".old-" in p.name and p.is_dir():
            original = parent / p.name[1:].rsplit(".old-", 1)[0]
            if not original.exists():
                os.rename(p, original)
                continue
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() and not p.is_symlink() else p.unlink(missing_ok=True)


def place_bytes(target: str, data: bytes, mtime_ns: int) -> int:
    """Write ``data`` at ``target`` with modification time ``mtime_ns``, unless it is there already; 1 if written.

    Already there: the same size and that modification time, or the same bytes.
    """
    try:
        st = os.stat(target)
    except FileNotFoundError:
        pass
    else:
        if st.st_size == len(data) and (st.st_mtime_ns == mtime_ns or _same(Path(target), data)):
            return 0
        os.unlink(target)  # not truncated in place: it may be a hard link (to another build's file)
    write_file(target, data)
    os.utime(target, ns=(mtime_ns, mtime_ns))
    return 1
