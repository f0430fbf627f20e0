"""The project's database: submissions, decisions, OCR cache, registries, audit log.

Open it with ``Store.open(url)``; ``resolve_url(db, out_dir)`` gives the URL the CLI
uses (``--db``, else ``ZHANCHI_DATABASE_URL``, else ``OUT_DIR/zhanchi.sqlite3``).
"""

from zhanchi.store.cache import PageImage, ocr_cache_key
from zhanchi.store.chain import ChainReport, Event
from zhanchi.store.claims import ClaimKey, OtherClaim, RecordedClaim, claim_key_from_result
from zhanchi.store.engine import DATABASE_URL_ENV, default_url, resolve_url
from zhanchi.store.registry import RegistrySnapshot
from zhanchi.store.schema_pipeline import (
    STATUS_APPROVED,
    STATUS_DONE,
    STATUS_PROCESSING,
    STATUS_REJECTED,
    STATUS_WAITING,
)
from zhanchi.store.store import Store
from zhanchi.store.submissions import Claim, StoredSubmission

__all__ = [
    "ChainReport", "Claim", "ClaimKey", "DATABASE_URL_ENV", "Event", "OtherClaim", "PageImage",
    "RecordedClaim", "RegistrySnapshot", "STATUS_APPROVED", "STATUS_DONE", "STATUS_PROCESSING",
    "STATUS_REJECTED", "STATUS_WAITING", "Store", "StoredSubmission", "claim_key_from_result",
    "default_url", "ocr_cache_key", "resolve_url",
]
