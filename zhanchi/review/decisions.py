"""What a decision must carry, and what an approval records as claimed.

- reject: a reason (it goes to the applicant);
- request more documents: what is missing;
- approve: nothing more while every check passes; with failed checks left, a note
  saying why the reviewer approves anyway (an override is an auditable judgement).
"""

from __future__ import annotations

from zhanchi.models import Check, SubmissionResult
from zhanchi.pipeline.recheck import Part, checked_documents
from zhanchi.store import ClaimKey, claim_key_from_result

MAX_TEXT = 500
REJECT_REASONS = (
    "材料不齐全",
    "鉴定机构未备案",
    "证书信息与比对名单不符",
    "已领取过补贴（重复申领）",
    "等级不在补贴范围",
    "超过申请期限",
    "承诺书未签字或未按手印",
    "材料疑似伪造",
)


class DecisionProblem(ValueError):
    """A decision that cannot be saved as given; ``message`` is shown to the reviewer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_decision(decision: str, reason: str, note: str,
                   checks: list[Check]) -> tuple[str | None, str | None]:
    """The decision's reason and note, cleaned; :class:`DecisionProblem` when incomplete.

    >>> check_decision("reject", "  ", "", [])
    Traceback (most recent call last):
    ...
    zhanchi.review.decisions.DecisionProblem: 驳回必须填写理由
    """
    reason, note = reason.strip()[:MAX_TEXT], note.strip()[:MAX_TEXT]
    if decision == "reject":
        if not reason:
            raise DecisionProblem("驳回必须填写理由")
    elif decision == "request_documents":
        if not reason:
            raise DecisionProblem("请写明需要补充哪些材料")
    elif decision == "approve":
        failed = [c for c in checks if c.status == "fail"]
        if failed and not note:
            raise DecisionProblem(f"仍有 {len(failed)} 项检查未通过：批准须填写说明")
        reason = ""
    else:
        raise DecisionProblem("未知的决定")
    return reason or None, note or None


def claim_key_for(parts: list[Part]) -> ClaimKey | None:
    """What an approval of this case claims (certificate, ID number, occupation, level)."""
    if not parts:
        return None
    probe = SubmissionResult(submission_id=parts[0].submission_id, source=[], route="review",
                             documents=checked_documents(parts))
    return claim_key_from_result(probe)
