"""Calibrated field confidences: a fitted curve, stored as data, that a policy names.

An extractor's confidence is a score (OCR confidence times how strict the parse was);
a calibration curve maps it to the share of reads that were right at that score on
labelled corpora (:mod:`zhanchi.evaluation.calibration` measures and fits it). The
policy version names the curve (``confidence.calibration``) and sets its thresholds in
probability; a version without one compares the scores as they are (v1).

A curve file (``zhanchi/policy/calibration/<name>.json``) holds, per field key
(``<doc type>.<field>``, ``<field>``, ``*`` for all reads pooled), increasing knots
``x`` (score) and ``y`` (probability right); a score between knots is interpolated and
above the last clamped. The most specific curve with evidence at a score states its
probability; below every curve's evidence the score is never raised. The calibrated field keeps its score beside it (``score``), so applying a
curve twice changes nothing.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zhanchi.errors import PolicyError
from zhanchi.models import Document

SCORE = "score"  # extra key: the extractor's confidence before calibration


class Curve(BaseModel):
    """One field key's isotonic curve: knots ``x`` (score) to ``y`` (probability)."""

    model_config = ConfigDict(frozen=True)

    x: list[float] = Field(min_length=1)
    y: list[float] = Field(min_length=1)
    n: int = 0  # reads it was fitted on

    @model_validator(mode="after")
    def _monotone(self) -> Curve:
        if len(self.x) != len(self.y):
            raise ValueError("x and y differ in length")
        if any(b < a for a, b in zip(self.x, self.x[1:], strict=False)) or \
                any(b < a for a, b in zip(self.y, self.y[1:], strict=False)):
            raise ValueError("knots must not decrease")
        if any(not 0.0 <= v <= 1.0 for v in (*self.x, *self.y)):
            raise ValueError("knots lie in 0..1")
        return self

    def __call__(self, score: float) -> float:
        if score < self.x[0]:  # below any evidence: never raised above the score itself
            return min(score, self.y[0])
        if score >= self.x[-1]:
            return self.y[-1]
        i = bisect_right(self.x, score)
        x0, x1, y0, y1 = self.x[i - 1], self.x[i], self.y[i - 1], self.y[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (score - x0) / (x1 - x0)


class Calibration(BaseModel):
    """A named set of curves and what they were fitted on."""

    model_config = ConfigDict(frozen=True)

    name: str
    fitted_on: dict[str, object] = {}
    method: str = ""
    curves: dict[str, Curve]
    # Below the evidence of the most specific curve there is: "less_specific" asks the
    # field's, then the pooled curve (family-a-2026-12); "score" keeps the score, never
    # raised, since a pooled curve speaks for other fields' reads at that score (a
    # malformed certificate number at 0.89 was stated 0.98 by the pooled curve).
    below_evidence: Literal["less_specific", "score"] = "less_specific"

    def curve(self, doc_type: str, field: str) -> Curve | None:
        for key in (f"{doc_type}.{field}", field, "*"):
            if key in self.curves:
                return self.curves[key]
        return None

    def probability(self, doc_type: str, field: str, score: float) -> float:
        """The most specific curve with evidence at ``score`` (its lowest knot at or
        below it) states the probability; with none, the score stays as it is. With
        ``below_evidence = "score"`` only the most specific curve there is speaks."""
        for key in (f"{doc_type}.{field}", field, "*"):
            curve = self.curves.get(key)
            if curve is not None and (score >= curve.x[0] or self.below_evidence == "score"):
                return curve(score)  # below its evidence a curve never raises the score
        return score

    def apply(self, documents: list[Document]) -> list[Document]:
        """The documents with every field's confidence calibrated (score kept beside)."""
        out = []
        for doc in documents:
            fields = {}
            for name, f in doc.fields.items():
                extra = f.model_extra or {}
                score = float(extra.get(SCORE, f.confidence))  # type: ignore[arg-type]
                new = f.model_copy(update={
                    "confidence": round(self.probability(doc.type, name, score), 4)})
                if new.model_extra is not None:
                    new.model_extra[SCORE] = score
                fields[name] = new
            out.append(doc.model_copy(update={"fields": fields}))
        return out


@lru_cache(maxsize=8)
def load_calibration(name: str) -> Calibration:
    """The packaged curve file ``name`` (``policy/calibration/<name>.json``)."""
    res = resources.files("zhanchi.policy").joinpath("calibration", f"{name}.json")
    try:
        return Calibration.model_validate(json.loads(res.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise PolicyError(f"calibration {name!r} cannot be loaded ({type(exc).__name__})") from None
