"""The false-pass rate measured from the QA sample, with its 95 % Wilson interval.

Among the sampled straight-through passes a QA reviewer has looked at, the share they
judged "should have been held" estimates how often a pass is wrong. With few looks
(and few or no false passes) the plain ratio says little, so the dashboard shows the
Wilson score interval beside it: it stays inside [0, 1] and is honest at 0 of n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zhanchi.store.core import StoreCore
from zhanchi.store.qa import QA_CORRECT, QA_SHOULD_HOLD, qa_counts

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile
VERDICT_LABELS = {QA_CORRECT: "通过正确", QA_SHOULD_HOLD: "应转人工审核"}


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``k`` successes in ``n`` trials.

    >>> [round(x, 4) for x in wilson_interval(81, 263)]  # Newcombe (1998), example 1
    [0.2553, 0.3662]
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class FalsePassRate:
    """What the QA sample says about straight-through passes."""

    sampled: int
    reviewed: int
    held: int  # judged "should have been held"

    @property
    def rate(self) -> float | None:
        return self.held / self.reviewed if self.reviewed else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.held, self.reviewed) if self.reviewed else None


def false_pass_rate(store: StoreCore) -> FalsePassRate:
    sampled, reviewed, held = qa_counts(store)
    return FalsePassRate(sampled, reviewed, held)
