"""All store tables in one import: the metadata Alembic compares against.

The ORM classes are the store's own: only ``zhanchi.store`` modules query them (an
import-linter contract keeps the review app, the flows, deployment and the CLI out).
"""

from zhanchi.store.schema_audit import (
    CLAIM_SOURCE_PIPELINE,
    CLAIM_SOURCE_REVIEWER,
    CLAIM_SOURCES,
    ChainHeadRow,
    EventRow,
    RecordedClaimRow,
)
from zhanchi.store.schema_case import CaseVersionRow
from zhanchi.store.schema_export import ExportMarkRow
from zhanchi.store.schema_feedback import AgencyAliasRow, QaSampleRow
from zhanchi.store.schema_pipeline import (
    STATUS_APPROVED,
    STATUS_DONE,
    STATUS_PROCESSING,
    STATUS_REJECTED,
    STATUS_WAITING,
    SUBMISSION_STATUSES,
    BatchRow,
    CheckRow,
    DocumentRow,
    FieldRow,
    OcrCacheRow,
    PageImageRow,
    PageRow,
    SourceFileRow,
    SubmissionRow,
)
from zhanchi.store.schema_registry import (
    REGISTRY_COLUMNS,
    REGISTRY_KINDS,
    RegistryAgencyRow,
    RegistryCertificateRow,
    RegistryClaimRow,
    RegistryImportRow,
)
from zhanchi.store.schema_review import (
    DECISIONS,
    ROLES,
    CaseLockRow,
    ReviewDecisionRow,
    SubmissionLinkRow,
    UserRow,
)
from zhanchi.store.schema_sessions import (
    AppSecretRow,
    LoginSessionRow,
    LoginThrottleRow,
    PendingFormRow,
)
from zhanchi.store.types import Base

metadata = Base.metadata

__all__ = [
    "AgencyAliasRow", "QaSampleRow",
    "BatchRow", "CaseLockRow", "CaseVersionRow", "ChainHeadRow", "CheckRow", "CLAIM_SOURCE_PIPELINE",
    "CLAIM_SOURCE_REVIEWER", "CLAIM_SOURCES", "DECISIONS", "DocumentRow", "EventRow",
    "ExportMarkRow",
    "FieldRow", "OcrCacheRow", "PageImageRow", "PageRow", "RecordedClaimRow",
    "REGISTRY_COLUMNS", "REGISTRY_KINDS", "RegistryAgencyRow", "RegistryCertificateRow",
    "RegistryClaimRow", "RegistryImportRow", "ReviewDecisionRow", "ROLES", "SourceFileRow",
    "STATUS_APPROVED", "STATUS_DONE", "STATUS_PROCESSING", "STATUS_REJECTED",
    "STATUS_WAITING", "SUBMISSION_STATUSES", "SubmissionLinkRow", "SubmissionRow", "UserRow",
    "metadata", "AppSecretRow", "LoginSessionRow", "LoginThrottleRow", "PendingFormRow",
]
