"""Which straight-through passes go to the QA queue for a second look.

A false pass is a subsidy paid wrongly, and nobody looks at a pass; so a share of them
(``policy.quality_sampling.share``) is drawn for a person to check. The draw is random
across packets but fixed per packet: a number in [0, 1) from the SHA-256 of the
submission id and content hash, so a rerun, a recheck or another worker draws exactly
the same packets, and nobody can steer a packet out of the sample. Sampling changes no
result: the pass stays ``pass``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from zhanchi.models import SubmissionResult
from zhanchi.policy import Policy

_SALT = b"zhanchi-qa-sample/v1\x00"


def qa_draw(submission_id: str, content_sha256: str) -> float:
    """The packet's fixed uniform number in [0, 1).

    >>> qa_draw("A0001", "00" * 32) == qa_draw("A0001", "00" * 32)
    True
    """
    digest = hashlib.sha256(_SALT + f"{submission_id}\x00{content_sha256}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def drawn_for_qa(submission_id: str, content_sha256: str, share: float) -> bool:
    """True when the packet falls in a sample of ``share`` of all packets."""
    return share > 0 and qa_draw(submission_id, content_sha256) < share


def sample_for_qa(store: Any, submission_pk: int, result: SubmissionResult,
                  policy: Policy) -> bool:
    """Put a straight-through pass in the QA queue if it is drawn; True when it was."""
    from zhanchi.store.qa import add_qa_sample

    share = policy.quality_sampling.share
    if result.route != "pass" or not drawn_for_qa(result.submission_id,
                                                  result.content_sha256, share):
        return False
    add_qa_sample(store, submission_pk, share=share,
                  draw=qa_draw(result.submission_id, result.content_sha256),
                  policy_version=policy.version)
    return True
