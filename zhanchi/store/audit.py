"""The store's audit API: append events, verify the log, read a case's history.

``verify_chain`` is what ``zhanchi audit verify`` runs. Beyond the chain itself it
checks that every stored decision is still the one its ``pipeline.decision`` event
recorded (the event carries the SHA-256 of the results.jsonl line), so editing a
stored result is caught even though results live outside the log.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhanchi.store import chain
from zhanchi.store.anchor import Anchor, check_anchors, current_anchor
from zhanchi.store.chain import ChainReport, Event
from zhanchi.store.core import StoreCore
from zhanchi.store.results import DECISION_EVENT, line_sha256
from zhanchi.store.schema_audit import EventRow
from zhanchi.store.schema_pipeline import SubmissionRow


def verify_decisions(session: Session, up_to_event: int) -> tuple[int, str] | None:
    """The first decision event whose submission's stored line no longer matches it."""
    rows = session.execute(
        select(EventRow.id, EventRow.payload, SubmissionRow.result_json)
        .join(SubmissionRow, SubmissionRow.pk == EventRow.submission_pk)
        .where(EventRow.kind == DECISION_EVENT, EventRow.id <= up_to_event)
        .order_by(EventRow.id).execution_options(yield_per=2000)
    )
    for event_id, payload, line in rows:
        recorded = json.loads(payload)
        if line is None or line_sha256(line) != recorded.get("result_sha256"):
            rows.close()
            return event_id, (
                f"the stored result of submission {recorded.get('submission_id')} "
                f"r{recorded.get('revision')} is not the one this decision recorded "
                "(edited after the decision)")
    return None


class AuditMixin(StoreCore):
    """The event log."""

    def append_event(self, kind: str, actor: str, payload: dict[str, Any],
                     submission_pk: int | None = None) -> Event:
        """Append one entry in its own transaction.

        To record an action together with the change it describes, call
        :func:`zhanchi.store.chain.append_event` with the session of
        :meth:`transaction` instead.
        """
        with self.transaction("append_event") as s:
            return chain.append_event(s, kind, actor, payload, submission_pk)

    def verify_chain(self, anchors: list[Anchor] | None = None) -> ChainReport:
        """Check the whole log (and the stored decisions against it); never raises on a break.

        With ``anchors`` (heads written down outside the database) every anchored entry
        must still be in the log with its anchored hash: a trimmed or rewritten tail is
        caught even when the head row was forged to match.
        """
        with self.reader("verify_chain") as s:
            report = chain.verify_chain(s)
            if not report.ok:
                return report
            broken = verify_decisions(s, report.checked)
            if broken is not None:
                return ChainReport(False, report.checked, broken[0], broken[1], report.head_hash)
            lost = check_anchors(s, anchors or [], report.checked)
            if lost is not None:
                return ChainReport(False, report.checked, lost[0], lost[1], report.head_hash)
            return report

    def anchor(self) -> Anchor:
        """The head to write down outside the database (after checking the chain is intact)."""
        self.verify_chain().raise_if_broken()
        with self.reader("anchor") as s:
            return current_anchor(s)

    def history(self, submission_pk: int) -> list[Event]:
        """Every event about one submission, oldest first (the case history)."""
        with self.reader("history") as s:
            return chain.events_for(s, submission_pk)
