"""Find the submissions in an inbox and fingerprint their files (SPEC §1 "Identity").

Each entry directly inside the inbox is one submission: a single file (id = its stem)
or a folder (id = its name, walked recursively). A submission is its id *plus* the
hash of its contents, because scanners reuse names such as ``SCAN0001.pdf``; the
content hash depends only on relative paths and bytes, never on mtimes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path

from zhanchi.errors import InputError
from zhanchi.models.pages import SourceFile, Submission

log = logging.getLogger(__name__)

# Hidden files, editor/Office lock files, partial uploads, OS litter.
IGNORED = (".*", "~*", "*.part", "*.tmp", "thumbs.db", "desktop.ini", "__macosx")


@dataclass(frozen=True)
class Entry:
    """One inbox entry: the :class:`Submission` record plus where its files are.

    ``paths`` maps each ``SourceFile.path`` (relative to the inbox) to its absolute
    path, in the same (page) order as ``submission.files``.
    """

    submission: Submission
    root: Path
    paths: dict[str, Path] = field(hash=False)

    @property
    def submission_id(self) -> str:
        return self.submission.submission_id

    @property
    def is_folder(self) -> bool:
        return self.root.is_dir()

    def items(self) -> Iterator[tuple[str, Path]]:
        """``(path relative to the inbox, absolute path)`` for each file, in page order."""
        for source in self.submission.files:
            yield source.path, self.paths[source.path]


def discover(inbox: Path) -> list[Entry]:
    """All submissions in ``inbox``, sorted by submission id.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); _ = (d / "A1.png").write_bytes(b"x")
    >>> [e.submission_id for e in discover(d)]
    ['A1']
    """
    if not inbox.is_dir():
        raise InputError(f"inbox is not a folder: {inbox}")
    inbox = inbox.absolute()  # entries keep absolute paths whatever the working directory
    children = sorted(
        (child for child in inbox.iterdir() if not is_ignored(child.name)), key=lambda p: p.name
    )
    children = [child for child in children if child.is_dir() or _is_regular(child)]
    ids = _submission_ids(children)
    entries = [_entry(child, ids[child], inbox) for child in children]
    return sorted(entries, key=lambda e: e.submission_id)


def is_ignored(name: str) -> bool:
    """Whether a file or folder name is litter rather than part of a submission."""
    lowered = name.lower()
    return any(fnmatchcase(lowered, pattern) for pattern in IGNORED)


def content_sha256(pairs: list[tuple[str, str]]) -> str:
    """Hash over sorted ``(path within the entry, file sha256)`` pairs.

    >>> content_sha256([("b.png", "2"), ("a.png", "1")]) == content_sha256([("a.png", "1"), ("b.png", "2")])
    True
    """
    digest = hashlib.sha256()
    for path, sha in sorted(pairs):
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + sha.encode() + b"\n")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Hash a file in fixed-size chunks, so big scans never sit in memory whole."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """Sort key putting ``p2.jpg`` before ``p10.jpg`` (page order as people number it)."""
    return [
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    ]


def _submission_ids(children: list[Path]) -> dict[Path, str]:
    """File stem or folder name; a stem shared by several entries keeps its full name.

    ``SCAN1.pdf`` beside ``SCAN1.jpg`` would otherwise be one id for two packets, and
    the store would take the second for a revision of the first.
    """
    stems = {child: child.name if child.is_dir() else child.stem for child in children}
    counts = Counter(stems.values())
    ids: dict[Path, str] = {}
    for child, stem in stems.items():
        if counts[stem] > 1 and not child.is_dir():
            log.warning("inbox entries share the id %r; using the file name %r", stem, child.name)
            ids[child] = child.name
        else:
            ids[child] = stem
    return ids


def _entry(root: Path, submission_id: str, inbox: Path) -> Entry:
    if root.is_dir():
        files = sorted(_walk(root), key=lambda p: natural_key(p.relative_to(root).as_posix()))
        base = root
    else:
        files, base = [root], root.parent
    sources: list[SourceFile] = []
    pairs: list[tuple[str, str]] = []
    mtimes: list[float] = []
    for path in files:
        sha, size, mtime = _fingerprint(path)
        sources.append(SourceFile(path=path.relative_to(inbox).as_posix(), sha256=sha, size=size))
        pairs.append((path.relative_to(base).as_posix(), sha))
        mtimes.append(mtime)
    if not mtimes:
        mtimes.append(root.stat().st_mtime)  # an empty folder: when the folder appeared
    submission = Submission(
        submission_id=submission_id,
        files=sources,
        content_sha256=content_sha256(pairs),
        received_at=datetime.fromtimestamp(max(mtimes), tz=UTC),
    )
    paths = {source.path: path for source, path in zip(sources, files, strict=True)}
    return Entry(submission=submission, root=root, paths=paths)


def _walk(folder: Path) -> Iterator[Path]:
    for current, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not is_ignored(d)]  # prune hidden folders in place
        for name in names:
            path = Path(current) / name
            if not is_ignored(name) and _is_regular(path):
                yield path


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False  # broken symlink, vanished file


def _fingerprint(path: Path) -> tuple[str, int, float]:
    """``(sha256, size, mtime)``; an unreadable file keeps its place with an empty hash.

    It is still listed so that loading it reports ``unreadable_page`` for it.
    """
    try:
        info = path.stat()
        return file_sha256(path), info.st_size, info.st_mtime
    except OSError as exc:
        log.warning("cannot read %s (%s)", path.name, type(exc).__name__)
        return "", 0, 0.0
