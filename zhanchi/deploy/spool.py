"""The inbox spool: take finished packets by atomic rename, archive them by content hash.

Scanners and clerks drop packets into the inbox all day. A scheduled run must not
take a packet that is still being copied in, must never take one twice (two runs at
once included), and must keep every original. So:

- **stable**: an entry is taken only when nothing in it changed (ctime, which copy
  tools cannot back-date, and mtime) for ``stable_seconds``, and its listing (names,
  sizes, mtimes) is the same just before and after the move;
- **claimed by rename**: ``os.rename`` of the entry into ``processing/<run>/`` is atomic
  on one filesystem, so of two runs exactly one gets it (the other's rename fails);
- **crash-safe**: each run holds an exclusive ``flock`` on ``processing/<run>/.lock``; a
  run directory whose lock can be taken belongs to a dead run, and the next run adopts
  its entries (the store's claims then skip or finish what it had done);
- **never deleted**: a finished entry moves to ``archive/<sha[:2]>/<sha>/<name>``, keyed by
  the content hash the store knows it by; one without a result goes to ``failed/<run>/``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from zhanchi.errors import InputError
from zhanchi.ingest.discover import is_ignored

log = logging.getLogger("zhanchi.spool")

LOCK_NAME = ".lock"
# A run folder younger than this may belong to a run that has not locked it yet.
ORPHAN_MIN_AGE = 5.0
Listing = tuple[tuple[str, int, int], ...]


def listing(path: Path) -> tuple[Listing, float]:
    """(relative name, size, mtime_ns) of everything in an entry, and its newest change time."""
    items: list[tuple[str, int, int]] = []
    newest = 0.0
    try:
        paths = [path, *sorted(path.rglob("*"))] if path.is_dir() else [path]
    except FileNotFoundError:  # moved away (another run took it) while we looked
        return (), time.time()
    for p in paths:
        try:
            st = p.lstat()
        except FileNotFoundError:
            return (), time.time()  # changing under us: not stable
        newest = max(newest, st.st_ctime, st.st_mtime)
        rel = p.relative_to(path).as_posix() if p != path else "."
        items.append((rel, st.st_size if not p.is_dir() else 0, st.st_mtime_ns))
    return tuple(items), newest


def _same_content(a: Listing, b: Listing) -> bool:
    # The rename itself changes the top folder's ctime/mtime on some filesystems.
    return [x for x in a if x[0] != "."] == [x for x in b if x[0] != "."]


def _move(src: Path, dest: Path) -> None:
    """Rename, or copy then remove when ``dest`` is on another filesystem."""
    try:
        os.rename(src, dest)
    except OSError as exc:
        if exc.errno != 18:  # EXDEV
            raise
        shutil.move(str(src), str(dest))


def _free_name(dest: Path) -> Path:
    """``dest``, or ``dest.2``, ``dest.3`` … if taken: an archive never overwrites."""
    candidate, n = dest, 1
    while candidate.exists():
        n += 1
        candidate = dest.with_name(f"{dest.name}.{n}")
    return candidate


@dataclass(frozen=True)
class Spool:
    """Where one inbox's packets go while and after they are processed."""

    inbox: Path
    work: Path  # processing/ and failed/ live here; same filesystem as the inbox
    archive: Path

    @classmethod
    def for_inbox(cls, inbox: Path, out: Path, *, work: Path | None = None,
                  archive: Path | None = None) -> Spool:
        """Defaults: ``INBOX/.zhanchi`` (hidden: never taken for a packet) and ``OUT/archive``."""
        if not inbox.is_dir():
            raise InputError(f"inbox is not a folder: {inbox}")
        spool = cls(inbox.absolute(), (work or inbox / ".zhanchi").absolute(),
                    (archive or out / "archive").absolute())
        for d in (spool.processing, spool.failed, spool.archive):
            d.mkdir(parents=True, exist_ok=True)
        if spool.processing.stat().st_dev != spool.inbox.stat().st_dev:
            raise InputError(f"the spool folder {spool.work} must be on the inbox's filesystem "
                             "(packets are claimed by an atomic rename)")
        return spool

    @property
    def processing(self) -> Path:
        return self.work / "processing"

    @property
    def failed(self) -> Path:
        return self.work / "failed"

    def begin(self, run_id: str) -> SpoolRun:
        """A run's own processing folder, locked for as long as the run lives."""
        return SpoolRun(self, run_id)


class SpoolRun:
    """One run's share of the spool: claim, adopt, archive, fail (a context manager)."""

    def __init__(self, spool: Spool, run_id: str) -> None:
        self.spool = spool
        self.run_id = run_id
        self.dir = spool.processing / run_id
        self._fd: int | None = None

    def __enter__(self) -> SpoolRun:
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is None:
            return
        if not [p for p in self.dir.iterdir() if p.name != LOCK_NAME]:
            (self.dir / LOCK_NAME).unlink(missing_ok=True)  # the lock file only, never a packet
            self.dir.rmdir()
        os.close(self._fd)
        self._fd = None

    def entries(self) -> list[Path]:
        return sorted(p for p in self.dir.iterdir() if not is_ignored(p.name))

    def adopt_orphans(self, min_age: float = ORPHAN_MIN_AGE) -> list[str]:
        """Move the entries of dead runs' processing folders into this run's folder."""
        adopted: list[str] = []
        for other in sorted(self.spool.processing.iterdir()):
            if other == self.dir or not other.is_dir() or \
                    time.time() - other.stat().st_ctime < min_age:
                continue
            fd = os.open(other / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # its run is alive
                for entry in sorted(other.iterdir()):
                    if entry.name == LOCK_NAME or (self.dir / entry.name).exists():
                        continue  # a same-named entry waits for the next run
                    os.rename(entry, self.dir / entry.name)
                    adopted.append(entry.name)
                if [p.name for p in other.iterdir()] == [LOCK_NAME]:
                    (other / LOCK_NAME).unlink()
                    other.rmdir()
            finally:
                os.close(fd)
        if adopted:
            log.warning("adopted %d packet(s) from a stopped run", len(adopted))
        return adopted

    def claim_stable(self, stable_seconds: float, *, limit: int | None = None) -> list[str]:
        """Move every stable inbox entry into this run's folder; returns their names."""
        taken: list[str] = []
        for src in sorted(self.spool.inbox.iterdir()):
            if limit is not None and len(taken) >= limit:
                break
            if is_ignored(src.name) or src.absolute() == self.spool.work or \
                    not (src.is_dir() or src.is_file()) or src.is_symlink():
                continue
            before, newest = listing(src)
            if time.time() - newest < stable_seconds:
                log.info("%s is still arriving; not taken yet", src.name)
                continue
            dest = self.dir / src.name
            if dest.exists():
                continue  # same name adopted from a dead run: next time
            try:
                os.rename(src, dest)
            except FileNotFoundError:
                continue  # another run took it first
            after, _ = listing(dest)
            if not _same_content(before, after):  # a writer still had it open
                log.warning("%s changed while being taken; put back", src.name)
                os.rename(dest, src)
                continue
            taken.append(src.name)
        return taken

    def archive(self, name: str, content_sha256: str) -> Path:
        """Move a finished entry to ``archive/<sha[:2]>/<sha>/<name>``; returns where."""
        folder = self.spool.archive / content_sha256[:2] / content_sha256
        folder.mkdir(parents=True, exist_ok=True)
        dest = _free_name(folder / name)
        _move(self.dir / name, dest)
        return dest

    def fail(self, name: str) -> Path:
        """Set aside an entry that got no result (``failed/<run>/<name>``) for a person."""
        folder = self.spool.failed / self.run_id
        folder.mkdir(parents=True, exist_ok=True)
        dest = _free_name(folder / name)
        os.rename(self.dir / name, dest)
        return dest

    def put_back(self, name: str) -> None:
        """Return an entry to the inbox (another run holds the same packet): retried later."""
        dest = self.spool.inbox / name
        if dest.exists():
            self.fail(name)
        else:
            os.rename(self.dir / name, dest)
