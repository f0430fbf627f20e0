"""Load the pages of a file or a whole submission, within :class:`Limits`.

Two shapes of the same stream:

* :func:`load_pages` raises :class:`UnreadablePageError` at the first problem — for
  callers that handle one file at a time;
* :func:`iter_pages` / :func:`load_entry` yield errors *as values* beside the pages,
  so one bad page or file does not hide the readable rest of a packet. The submission
  processor turns those values into ``unreadable_page`` in one place.

All of them are generators: one decoded page is alive at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from zhanchi.errors import UnreadablePageError
from zhanchi.ingest.discover import Entry
from zhanchi.ingest.images import count_image_pages, iter_image_pages
from zhanchi.ingest.pdf import count_pdf_pages, iter_pdf_pages
from zhanchi.ingest.raw import Limits, LimitsLike, RawPage, check_file, check_page_count

SUPPORTED_SUFFIXES = frozenset({".pdf", ".tif", ".tiff", ".jpg", ".jpeg", ".png"})
PageOrError = RawPage | UnreadablePageError
Decoder = Literal["pdf", "image"]

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")


def is_supported(name: str) -> bool:
    """Whether a file name has one of the extensions SPEC §1 accepts."""
    return Path(name).suffix.lower() in SUPPORTED_SUFFIXES


def load_pages(path: Path, rel: str, limits: LimitsLike | None = None) -> Iterator[RawPage]:
    """Pages of one file, in order; raises :class:`UnreadablePageError` on the first problem.

    ``rel`` is the path relative to the inbox, used in ``RawPage.file`` and in messages.
    """
    for item in iter_pages(path, rel, limits):
        if isinstance(item, UnreadablePageError):
            raise item
        yield item


def iter_pages(path: Path, rel: str, limits: LimitsLike | None = None) -> Iterator[PageOrError]:
    """Pages of one file, with unreadable files and pages yielded as errors."""
    checked = Limits.of(limits)
    try:
        if _decoder(path, rel, checked) == "pdf":
            yield from iter_pdf_pages(path, rel, checked)
        else:
            yield from iter_image_pages(path, rel, checked)
    except UnreadablePageError as error:
        yield error


def count_pages(path: Path, rel: str, limits: LimitsLike | None = None) -> int:
    """Pages the file holds, read from headers only; raises if it cannot be loaded."""
    checked = Limits.of(limits)
    if _decoder(path, rel, checked) == "pdf":
        return count_pdf_pages(path, rel, checked)
    return count_image_pages(path, rel, checked)


def check_entry(entry: Entry, limits: LimitsLike | None = None) -> int:
    """Refuse a submission before any page is decoded; return its readable page count.

    Raises :class:`UnreadablePageError` (``file`` = the submission id) when the entry has
    no files, none of them can be opened, or together they exceed ``max_pages_per_submission``.
    """
    checked = Limits.of(limits)
    return _check_counts(entry, _count_files(entry, checked), checked)


def load_entry(entry: Entry, limits: LimitsLike | None = None) -> Iterator[PageOrError]:
    """Every page of a submission in file order, with problems yielded as errors.

    An empty folder or an over-long submission yields one error for the submission
    and no pages; otherwise each unreadable file or page yields its own error.
    """
    checked = Limits.of(limits)
    counts = _count_files(entry, checked)
    try:
        _check_counts(entry, counts, checked)
    except UnreadablePageError as error:
        if not _all_failed(counts) or not counts:
            yield error  # empty or over-long: one error for the whole submission
            return
        # Every file failed: their own errors below say more than a summary would.
    for rel, path in entry.items():
        counted = counts[rel]
        if isinstance(counted, UnreadablePageError):
            yield counted
        else:
            yield from iter_pages(path, rel, checked)


def _decoder(path: Path, rel: str, limits: Limits) -> Decoder:
    """PDF or raster, by content first: phone apps save JPEGs as ``.pdf`` and vice versa."""
    if not is_supported(rel):
        raise UnreadablePageError(
            f"{rel}: unsupported file type '{Path(rel).suffix or '(none)'}' "
            "(expected PDF, TIFF, JPEG or PNG)",
            file=rel,
        )
    check_file(path, rel, limits)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise UnreadablePageError(
            f"{rel}: cannot read file ({type(exc).__name__})", file=rel
        ) from exc
    if b"%PDF-" in head:  # readers accept the header anywhere in the first kilobyte
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    return "pdf" if Path(rel).suffix.lower() == ".pdf" else "image"


def _count_files(entry: Entry, limits: Limits) -> dict[str, int | UnreadablePageError]:
    counts: dict[str, int | UnreadablePageError] = {}
    for rel, path in entry.items():
        try:
            counts[rel] = count_pages(path, rel, limits)
        except UnreadablePageError as error:
            counts[rel] = error
    return counts


def _all_failed(counts: dict[str, int | UnreadablePageError]) -> bool:
    return all(isinstance(c, UnreadablePageError) for c in counts.values())


def _check_counts(
    entry: Entry, counts: dict[str, int | UnreadablePageError], limits: Limits
) -> int:
    sid = entry.submission_id
    if not counts:
        raise UnreadablePageError(f"{sid}: submission folder holds no files", file=sid)
    if _all_failed(counts):
        raise UnreadablePageError(f"{sid}: no readable PDF or image file in submission", file=sid)
    total = sum(c for c in counts.values() if isinstance(c, int))
    check_page_count(sid, total, limits)
    return total
