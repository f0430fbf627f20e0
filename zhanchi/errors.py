"""One error tree for the whole project.

Every expected failure is a :class:`ZhanchiError` carrying a ``reason`` code. Codes
that are SPEC §6 review reasons (``unreadable_page``) become review outcomes in
exactly one place (the submission processor); the others stop the run with the
class's ``exit_code``. Messages never carry personal data (names, ID numbers):
they name files, pages and field names only.
"""

from __future__ import annotations


class ZhanchiError(Exception):
    """Base of every error the project raises on purpose."""

    reason: str = "internal_error"
    exit_code: int = 70

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason


class InputError(ZhanchiError):
    """The command line or configuration is wrong (bad path, bad date)."""

    reason = "bad_input"
    exit_code = 2


class RegistryError(ZhanchiError):
    """A registry CSV is present but malformed; names file and line."""

    reason = "registry_malformed"
    exit_code = 3


class PolicyError(ZhanchiError):
    """The policy file is missing, malformed or has no version for the date."""

    reason = "policy_invalid"
    exit_code = 3


class DocTypeError(ZhanchiError):
    """A declared document type or layout (``zhanchi/doctypes``) is malformed."""

    reason = "doctype_invalid"
    exit_code = 3


class StoreError(ZhanchiError):
    """The project's database could not be opened or migrated."""

    reason = "store_unavailable"
    exit_code = 4


class UnreadablePageError(ZhanchiError):
    """A file or page cannot be opened or read: becomes ``unreadable_page``."""

    reason = "unreadable_page"
    exit_code = 0  # a review outcome, never a run failure

    def __init__(self, message: str, *, file: str, page: int | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.page = page


class OcrEngineError(ZhanchiError):
    """The OCR engine failed on a page (crash, bad output); retried, then unreadable."""

    reason = "ocr_failed"
    exit_code = 5


class EngineUnavailableError(ZhanchiError):
    """An OCR engine was asked for but cannot be loaded (package or models missing)."""

    reason = "engine_unavailable"
    exit_code = 5


class AuditError(ZhanchiError):
    """The event log's hash chain is broken (an entry was edited or removed)."""

    reason = "audit_chain_broken"
    exit_code = 6
