"""results.jsonl shared by several runs at once: appends under an exclusive file lock.

Two ``zhanchi process`` runs (or a scheduled run and a manual one) may write the same
``OUT_DIR/results.jsonl``. The store's claims make sure each packet is decided by one
run only, but the file itself needs three more guarantees, all under ``flock``:

- a line is written whole before another process writes (no interleaved bytes, even
  for lines longer than a pipe buffer);
- a partial last line left by a *killed* writer is cut before anything is appended
  (a killed process holds no lock, so a partial line under the lock is always dead);
- a line another run appended meanwhile (say, a packet this run found decided and
  wanted to "repair") is not appended twice: the lines added since this process last
  looked are read before every append, not the whole file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zhanchi.pipeline.results_file import ResultsWriter, keys_in

_TAIL_STEP = 64 * 1024


def _cut_partial_tail(fh: int) -> int:
    """Truncate the file after its last newline; returns the bytes removed."""
    size = os.fstat(fh).st_size
    if size == 0:
        return 0
    if os.pread(fh, 1, size - 1) == b"\n":
        return 0
    end = size
    while end > 0:
        start = max(0, end - _TAIL_STEP)
        chunk = os.pread(fh, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            keep = start + cut + 1
            os.ftruncate(fh, keep)
            os.fsync(fh)
            return size - keep
        end = start
    os.ftruncate(fh, 0)
    os.fsync(fh)
    return size


class SharedResultsWriter(ResultsWriter):
    """A :class:`ResultsWriter` that several processes can append to at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_path = path.with_name(f".{path.name}.lock")
        self._seen = 0
        with self._locked():
            super().__init__(path)  # repairs a dead writer's partial line, reads the keys
            self._seen = path.stat().st_size if path.exists() else 0

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _catch_up(self, fh: int) -> None:
        """Learn the keys of lines other processes appended since we last looked."""
        size = os.fstat(fh).st_size
        if size < self._seen:  # cut by a repair: read it all again
            self._keys, self._seen = set(), 0
        if size > self._seen:
            data = os.pread(fh, size - self._seen, self._seen)
            complete = data[: data.rfind(b"\n") + 1]
            self._keys |= keys_in(complete.splitlines())
            self._seen += len(complete)

    def append(self, line: str, submission_id: str, content_sha256: str) -> bool:
        """Append ``line`` unless that submission content is already in the file."""
        if "\n" in line:
            raise ValueError("a results line must not contain a newline")
        data = (line + "\n").encode("utf-8")
        with self._locked():
            fh = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                _cut_partial_tail(fh)
                self._catch_up(fh)
                if self.has(submission_id, content_sha256):
                    return False
                written = 0
                while written < len(data):  # one line, whole, before the lock is released
                    written += os.write(fh, data[written:])
                os.fsync(fh)
                self._seen = os.fstat(fh).st_size
            finally:
                os.close(fh)
        self._keys.add((submission_id, content_sha256))
        return True
