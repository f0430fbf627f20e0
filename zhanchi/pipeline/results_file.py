"""results.jsonl: appended one line per finished submission, never rewritten.

A killed run may leave a half-written last line; :func:`repair` truncates it so the
file stays valid JSON Lines, and every complete line written before the crash stays.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path


def repair(path: Path) -> int:
    """Drop a trailing partial line left by a crash; return the bytes removed."""
    if not path.exists():
        return 0
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return 0
    cut = data.rfind(b"\n") + 1
    with path.open("r+b") as fh:
        fh.truncate(cut)
        fh.flush()
        os.fsync(fh.fileno())
    return len(data) - cut


def keys_in(lines: Iterable[str | bytes]) -> set[tuple[str, str]]:
    """The (submission_id, content_sha256) pairs of the complete JSON lines given."""
    keys: set[tuple[str, str]] = set()
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue  # repair() handles the only partial line a crash can leave
        keys.add((str(obj.get("submission_id")), str(obj.get("content_sha256", ""))))
    return keys


def written_keys(path: Path) -> set[tuple[str, str]]:
    """The (submission_id, content_sha256) pairs already in the file."""
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as fh:
        return keys_in(fh)


class ResultsWriter:
    """Appends lines durably: each line is flushed and fsynced before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        repair(path)
        self._keys = written_keys(path)

    def has(self, submission_id: str, content_sha256: str) -> bool:
        return (submission_id, content_sha256) in self._keys

    def append(self, line: str, submission_id: str, content_sha256: str) -> bool:
        """Append ``line`` unless that submission content is already there."""
        if self.has(submission_id, content_sha256):
            return False
        if "\n" in line:
            raise ValueError("a results line must not contain a newline")
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._keys.add((submission_id, content_sha256))
        return True
