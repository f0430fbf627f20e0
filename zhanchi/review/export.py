"""Decided packets for the payment office: one row per claim, as CSV or XLSX.

Rows come from reviewers' final decisions (approve / reject) and, optionally, from
packets that passed straight through. The amount is the policy file's
``subsidy_yuan`` for the level (0 for a rejected claim or a level not covered), from
the policy version that decided the packet. A value read from a scan could start
with ``=``: in CSV every such text cell gets the OWASP quote prefix (a CSV cell has no
type); in XLSX every text cell is stored as a string with the "quote prefix" style,
so no spreadsheet runs it as a formula and none shows a stray apostrophe either.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select

from zhanchi.models import Document, ExtractedField, SubmissionResult
from zhanchi.pipeline.recheck import Part, checked_documents
from zhanchi.policy import Policy, load_policies, load_policy
from zhanchi.review.labels import CST, DECISION_LABELS, LEVEL_LABELS, local_date
from zhanchi.review.queue import routed_by_pipeline
from zhanchi.store.result_rows import claimed_certificate, field_value
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema import (
    STATUS_APPROVED,
    STATUS_DONE,
    STATUS_REJECTED,
    DocumentRow,
    FieldRow,
    ReviewDecisionRow,
    SubmissionLinkRow,
    SubmissionRow,
)

HEADER = ("提交编号", "姓名", "身份证号", "职业（工种）", "等级", "证书编号", "补贴金额（元）",
          "决定", "驳回理由", "审核人", "收件日期", "决定日期", "政策版本")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_CHUNK = 500


def neutralise(text: str) -> str:
    """A cell text that no spreadsheet will run as a formula (OWASP: prefix a quote).

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("张三")
    ('\\'=HYPERLINK("http://x")', '张三')
    """
    return "'" + text if text.startswith(_DANGEROUS) else text


@dataclass(frozen=True)
class ExportRow:
    """One decided claim (``pk``: the case's submission, for the export marks)."""

    pk: int
    submission_id: str
    name: str
    id_number: str
    occupation: str
    level: int | None
    certificate_number: str
    amount: int
    decision: str
    reason: str
    reviewer: str
    received: date
    decided: date
    policy: str

    def cells(self) -> list[object]:
        level = f"{self.level}（{LEVEL_LABELS.get(self.level, '?')}）" if self.level else ""
        return [self.submission_id, self.name, self.id_number, self.occupation, level,
                self.certificate_number, self.amount, DECISION_LABELS.get(self.decision,
                                                                          self.decision),
                self.reason, self.reviewer, self.received, self.decided, self.policy]


def _bounds(date_from: date | None, date_to: date | None) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from or date(2000, 1, 1), datetime.min.time(), CST)
    end = datetime.combine((date_to or date(2999, 12, 30)) + timedelta(days=1),
                           datetime.min.time(), CST)
    return start, end


def _light_documents(store: ReviewStore, pks: list[int]) -> dict[int, list[Document]]:
    """Documents with field values only (no pages), many packets at a time."""
    out: dict[int, list[Document]] = defaultdict(list)
    for i in range(0, len(pks), _CHUNK):
        chunk = pks[i:i + _CHUNK]
        with store.reader("export_documents") as s:
            docs = s.execute(select(DocumentRow.id, DocumentRow.submission_pk, DocumentRow.type)
                             .where(DocumentRow.submission_pk.in_(chunk))
                             .order_by(DocumentRow.submission_pk, DocumentRow.document_index)).all()
            fields: dict[int, dict[str, ExtractedField]] = defaultdict(dict)
            for doc_id, name, value in s.execute(
                    select(FieldRow.document_id, FieldRow.name, FieldRow.value)
                    .where(FieldRow.document_id.in_([d.id for d in docs]))):
                fields[doc_id][name] = ExtractedField(value=value, confidence=1.0)
        for d in docs:
            out[d.submission_pk].append(Document.model_validate(
                {"type": d.type, "pages": [], "fields": fields.get(d.id, {})}))
    return out


def export_rows(store: ReviewStore, date_from: date | None = None, date_to: date | None = None,
                *, include_straight_through: bool = True) -> list[ExportRow]:
    """Decided claims whose decision falls in the date range (China time), oldest first."""
    start, end = _bounds(date_from, date_to)
    with store.reader("export_rows") as s:
        latest = select(ReviewDecisionRow.submission_pk,
                        func.max(ReviewDecisionRow.id).label("id")).group_by(
            ReviewDecisionRow.submission_pk).subquery()
        reviewed = s.execute(
            select(SubmissionRow, ReviewDecisionRow)
            .join(latest, latest.c.submission_pk == SubmissionRow.pk)
            .join(ReviewDecisionRow, ReviewDecisionRow.id == latest.c.id)
            .where(SubmissionRow.status.in_((STATUS_APPROVED, STATUS_REJECTED)),
                   ReviewDecisionRow.decided_at >= start, ReviewDecisionRow.decided_at < end)
        ).all()
        items = [(sub, d.decision, d.reviewer, d.reason or "", d.decided_at)
                 for sub, d in reviewed]
        if include_straight_through:
            # a supplement merged into a case is paid (or not) with that case, never alone
            merged = exists(select(SubmissionLinkRow.id).where(
                SubmissionLinkRow.supplement_pk == SubmissionRow.pk))
            passed = s.scalars(select(SubmissionRow).where(and_(
                SubmissionRow.status == STATUS_DONE, SubmissionRow.route == "pass",
                ~routed_by_pipeline(), ~merged, SubmissionRow.decided_at >= start,
                SubmissionRow.decided_at < end))).all()
            items += [(sub, "pipeline_pass", "（自动）", "", sub.decided_at or sub.created_at)
                      for sub in passed]
        links = s.execute(select(SubmissionLinkRow.waiting_pk, SubmissionLinkRow.supplement_pk)
                          .order_by(SubmissionLinkRow.id)).all()
    supplements: dict[int, list[int]] = defaultdict(list)
    for waiting, supplement in links:
        supplements[waiting].append(supplement)
    pks = sorted({sub.pk for sub, *_ in items} | {p for v in supplements.values() for p in v})
    documents = _light_documents(store, pks)
    policies = {p.version: p for p in load_policies()}
    rows = []
    for sub, decision, reviewer, reason, decided_at in items:
        parts = [Part(pk, "", 0, "", documents.get(pk, []))
                 for pk in [sub.pk, *supplements.get(sub.pk, [])]]
        policy = policies.get(sub.policy_version or "") or load_policy(local_date(decided_at))
        rows.append(_row(sub, parts, policy, decision, reviewer, reason, decided_at))
    return sorted(rows, key=lambda r: (r.decided, r.submission_id))


def _row(sub: SubmissionRow, parts: list[Part], policy: Policy, decision: str, reviewer: str,
         reason: str, decided_at: datetime) -> ExportRow:
    probe = SubmissionResult(submission_id=sub.submission_id, source=[], route="review",
                             documents=checked_documents(parts))
    cert, letter = claimed_certificate(probe)

    def pick(name: str) -> str:  # the certificate's value, else the letter's
        for doc in (cert, letter):
            value = field_value(doc, name)
            if value not in (None, ""):
                return str(value)
        return ""

    level_value = field_value(cert, "level") or field_value(letter, "level")
    level = level_value if isinstance(level_value, int) and not isinstance(level_value, bool) \
        else None
    paid = decision in ("approve", "pipeline_pass") and level in policy.levels.eligible
    amount = policy.subsidy_yuan.get(level, 0) if paid and level is not None else 0
    name = pick("holder_name") or pick("signer_name")
    return ExportRow(sub.pk, sub.submission_id, name, pick("id_number"), pick("occupation"), level,
                     pick("certificate_number"), amount, decision, reason, reviewer,
                     local_date(sub.received_at), local_date(decided_at), policy.version)


def to_csv(rows: Iterable[ExportRow]) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads the Chinese correctly), ISO dates."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([neutralise(c) if isinstance(c, str) else
                         c.isoformat() if isinstance(c, date) else c for c in row.cells()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Iterable[ExportRow]) -> bytes:
    """One sheet; ID and certificate numbers as text, dates as dates, amounts as numbers.

    Text cells are typed strings (never formulas, whatever they start with) carrying
    Excel's ``quotePrefix`` style, which keeps them text when a user edits them later;
    the value itself is the exact text, without the CSV's apostrophe.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "已决定申领"
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row.cells())
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type, cell.number_format = "s", "@"  # text, never a formula
                cell.quotePrefix = True
            elif isinstance(cell.value, date):
                cell.number_format = 'yyyy"年"m"月"d"日"'
    for column, width in zip("ABCDEFGHIJKLM", (18, 10, 22, 16, 14, 26, 12, 10, 24, 10, 14, 14,
                                               16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
