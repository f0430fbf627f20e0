"""Ingestion: find submissions in the inbox and turn their files into raw pages.

>>> from zhanchi.ingest import Limits
>>> Limits().max_pages_per_submission
50
"""

from zhanchi.ingest.discover import Entry, discover
from zhanchi.ingest.loader import (
    SUPPORTED_SUFFIXES,
    PageOrError,
    check_entry,
    count_pages,
    is_supported,
    iter_pages,
    load_entry,
    load_pages,
)
from zhanchi.ingest.raw import Limits, RawPage

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Entry",
    "Limits",
    "PageOrError",
    "RawPage",
    "check_entry",
    "count_pages",
    "discover",
    "is_supported",
    "iter_pages",
    "load_entry",
    "load_pages",
]
