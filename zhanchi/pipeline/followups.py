"""What a saved result sets off in earlier cases of the same store.

- A packet answering a reviewer's request for documents rejoins the waiting case
  (:func:`zhanchi.pipeline.supplements.link_supplement`), its recheck in the same
  transition.
- SPEC §6 ``duplicate_claim``: when a packet claims a certificate number another
  submission (another id) in the store claims too, *both* are flagged. The later one
  is flagged by its own checks; the earlier one, decided before, is rechecked through
  the one recheck path (:func:`zhanchi.pipeline.recheck.recheck_case`), so its new
  check run, route and event land in one case transition and it joins the review
  queue. A packet a reviewer has already decided keeps its decision (the later
  packet's reviewer sees it named in the message).

results.jsonl: the earlier packet's first line stays (lines are never rewritten),
and a new line for the same ``submission_id`` / ``revision`` / ``content_sha256``
follows it with the rechecked ``checks``, ``reasons`` and ``route`` and an extra key
``"recheck": {"run", "after", "previous_route", "by"}``: of several lines for one
(id, revision), the last is the current word.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from zhanchi.models import SubmissionResult
from zhanchi.models.claimed import certificate_number, claimed_documents
from zhanchi.pipeline.inputs import RecheckInputs
from zhanchi.pipeline.recheck import RecheckOutcome, recheck_case
from zhanchi.store import Store
from zhanchi.store.case_state import ReviewConflictError
from zhanchi.store.schema import STATUS_DONE

log = logging.getLogger("zhanchi.batch")

AppendLine = Callable[[str, str, str], object]  # (line, submission id, dedup key)


def recheck_line(store: Store, outcome: RecheckOutcome, *, after: str, by: str) -> str | None:
    """The results.jsonl line that follows a rechecked packet's first line."""
    original = store.result_line(outcome.pk)
    if original is None:
        return None
    data = json.loads(original)
    data.update(checks=[c.model_dump() for c in outcome.checks],
                documents=[d.model_dump(mode="json", exclude_none=True)
                           for d in store.documents(outcome.pk)],
                recheck={"run": outcome.run, "after": after,
                         "previous_route": outcome.old_route, "by": by})
    return SubmissionResult.model_validate(data).finalise().to_json_line()


def flag_earlier_claims(store: Store, result: SubmissionResult, inputs: RecheckInputs,
                        append: AppendLine) -> list[str]:
    """Recheck the earlier packets of other ids claiming this result's certificate.

    Only when this result's own ``duplicate_claim`` failed; only the newest revision of
    each other id, and only packets no reviewer has decided. Returns the ids flagged.
    """
    if not any(c.code == "duplicate_claim" and c.status == "fail" for c in result.checks):
        return []
    cert, letter = claimed_documents(result.documents)
    numbers = {n for n in (certificate_number(cert), certificate_number(letter)) if n}
    newest: dict[str, tuple[int, int, str]] = {}  # id -> (revision, pk, status)
    for number in numbers:
        for other in store.other_claims_for_certificate(number, result.submission_id):
            if other.submission_id not in newest or \
                    newest[other.submission_id][0] < other.revision:
                newest[other.submission_id] = (other.revision, other.pk, other.status)
    flagged = []
    for sid, (_revision, pk, status) in sorted(newest.items()):
        if status != STATUS_DONE:
            continue
        try:
            outcome = recheck_case(store, pk, inputs, actor="pipeline", kind="pipeline.recheck",
                                   after="duplicate_claim", force=False,
                                   payload={"by": result.submission_id})
        except ReviewConflictError:  # decided by a reviewer meanwhile: it stays decided
            continue
        if outcome is None:
            continue  # already flagged: its checks came out the same
        line = recheck_line(store, outcome, after="duplicate_claim", by=result.submission_id)
        sub = store.get_submission(pk)
        if line is not None and sub is not None:
            append(line, sid, f"{sub.content_sha256}#run{outcome.run}")
        flagged.append(sid)
        log.info("%s: also flagged as claiming the certificate of %s (%s -> %s)", sid,
                 result.submission_id, outcome.old_route, outcome.new_route)
    return flagged
