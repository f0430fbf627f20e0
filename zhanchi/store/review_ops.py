"""Changes after the pipeline's decision: re-run checks and field corrections.

Both go through the case state machine (:mod:`zhanchi.store.case_state`): the state
check and the change are one transaction, and neither is possible on a decided case.
Used by ``zhanchi recheck``, the pipeline and the review app; the stored
results.jsonl line stays the pipeline's original.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhanchi.models import Check, FieldValue
from zhanchi.store.case_state import CaseStateMixin


class ReviewOpsMixin(CaseStateMixin):
    """Rechecks and field edits of an open case, each with its event."""

    def add_check_run(self, submission_pk: int, checks: list[Check], *, actor: str,
                      policy_version: str | None, kind: str = "pipeline.recheck",
                      payload: Mapping[str, Any] | None = None) -> int:
        """Record re-run checks beside the old ones and make their route current
        (a held packet stays ``review`` until decided).

        Refused (:class:`~zhanchi.store.case_state.CaseClosedError`) once a reviewer has
        decided the case. Returns the run number.
        """
        with self.case_change(submission_pk, actor=actor, operation="add_check_run") as tx:
            return tx.record_checks(checks, policy_version=policy_version, kind=kind,
                                    payload=dict(payload or {}))

    def edit_field(self, submission_pk: int, document_index: int, name: str,
                   value: FieldValue, *, actor: str) -> None:
        """A correction of one field of an open packet, recorded with its old and new value."""
        with self.case_change(submission_pk, actor=actor, operation="edit_field") as tx:
            tx.edit_field(submission_pk, document_index, name, value)
