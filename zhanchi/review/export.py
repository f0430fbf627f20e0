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

from zhanchi.models import SubmissionResult
from zhanchi.pipeline.recheck import Part, checked_documents
from zhanchi.policy import Policy, load_policies, load_policy
from zhanchi.review.labels import CST, DECISION_LABELS, LEVEL_LABELS, local_date
from zhanchi.store.report_reads import DecidedClaim, decided_claims, light_documents
from zhanchi.store.result_rows import claimed_certificate, field_value
from zhanchi.store.review_queries import ReviewStore

HEADER = ("提交编号", "姓名", "身份证号", "职业（工种）", "等级", "证书编号", "补贴金额（元）",
          "决定", "驳回理由", "审核人", "收件日期", "决定日期", "政策版本")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


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


def export_rows(store: ReviewStore, date_from: date | None = None, date_to: date | None = None,
                *, include_straight_through: bool = True) -> list[ExportRow]:
    """Decided claims whose decision falls in the date range (China time), oldest first."""
    start, end = _bounds(date_from, date_to)
    items, links = decided_claims(store, start, end,
                                  include_straight_through=include_straight_through)
    supplements: dict[int, list[int]] = defaultdict(list)
    for waiting, supplement in links:
        supplements[waiting].append(supplement)
    pks = sorted({c.pk for c in items} | {p for v in supplements.values() for p in v})
    documents = light_documents(store, pks)
    policies = {p.version: p for p in load_policies()}
    rows = []
    for claim in items:
        parts = [Part(pk, "", 0, "", documents.get(pk, []))
                 for pk in [claim.pk, *supplements.get(claim.pk, [])]]
        policy = policies.get(claim.policy_version or "") or \
            load_policy(local_date(claim.decided_at))
        rows.append(_row(claim, parts, policy))
    return sorted(rows, key=lambda r: (r.decided, r.submission_id))


def _row(claim: DecidedClaim, parts: list[Part], policy: Policy) -> ExportRow:
    probe = SubmissionResult(submission_id=claim.submission_id, source=[], route="review",
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
    paid = claim.decision in ("approve", "pipeline_pass") and level in policy.levels.eligible
    amount = policy.subsidy_yuan.get(level, 0) if paid and level is not None else 0
    name = pick("holder_name") or pick("signer_name")
    return ExportRow(claim.pk, claim.submission_id, name, pick("id_number"), pick("occupation"),
                     level, pick("certificate_number"), amount, claim.decision, claim.reason,
                     claim.reviewer, local_date(claim.received_at), local_date(claim.decided_at),
                     policy.version)


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
