"""A reference list chooses among the readings a doubtful line allows.

Where a value's crop reads garbled (a pen written over print keeps only part of its
strokes), the recogniser's greedy reading is worthless but its output still says how
well each known name fits the crop (:meth:`OcrEngine.fit`, CTC likelihoods). One known
name that fits far better than every other one, and not much worse than the greedy
reading itself, is the likeliest reading of the crop.

It stays a choice among doubtful readings, never a sure read (SPEC §3): the field keeps
what was read in ``raw``, carries ``picked`` and a confidence under every review bar
(:data:`PICK_QUALITY`), and the checks judge the read text, not the pick. A name one
character from a known one (an unfiled agency beside a filed one) is picked as the known
one here, and a reviewer sees both. The engine's evidence alone decides: the other
documents of the packet are never candidates, so a pick stays independent of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from zhanchi.errors import OcrEngineError
from zhanchi.extractors.fields import PICKED
from zhanchi.extractors.gazetteer import subsequence
from zhanchi.models import ExtractedField
from zhanchi.ocr.base import OcrEngine, to_bgr

log = logging.getLogger("zhanchi.extract")

DOUBTFUL = 0.8  # a read scoring under this may be settled by a look (a pick among others)
PICK_QUALITY = 0.7  # a picked value's quality: under every review bar after calibration
# the chosen name fits at most this much (nats per character) worse than the greedy
# reading: on family-A pen crops over print the right name fit at -1.0 to -4.0, names
# that were not written at -6.5 or worse
MIN_FIT = -5.0
# …and better than any other known name in all by this much per character of it (nats;
# a short name carries less evidence), at least MIN_LEAD: on family-A pen crops right
# agencies (11-15 characters) led by 31-43, a crop too faint to tell (the right name
# second) by 6 with 9 characters; 手工木工 over 车工 for a hurried 手木 by 4.7
LEAD_PER_CHAR = 1.0
MIN_LEAD = 4.0
HEIGHT = 48  # crops are joined at the recogniser's line height
GAP = 16  # white pixels between joined crops (a space between two rows of one value)


@dataclass(frozen=True)
class Choice:
    """The chosen name, how well it fits (per character) and its lead over the next."""

    value: str
    fit: float
    lead: float


def join_rows(crops: Sequence[np.ndarray]) -> np.ndarray:
    """The rows of one value side by side, at one height, as one line."""
    rows = []
    for c in crops:
        bgr = to_bgr(c)
        h, w = bgr.shape[:2]
        rows.append(cv2.resize(bgr, (max(1, round(w * HEIGHT / max(1, h))), HEIGHT),
                               interpolation=cv2.INTER_AREA))
        rows.append(np.full((HEIGHT, GAP, 3), 255, np.uint8))
    return np.hstack(rows[:-1]) if rows else np.full((HEIGHT, GAP, 3), 255, np.uint8)


def choose(engine: OcrEngine, crops: Sequence[np.ndarray], names: Sequence[str],
           within: bool = False) -> Choice | None:
    """The one name of ``names`` the joined ``crops`` say, or None when no name fits
    well enough or two fit about as well (or the engine cannot score texts).
    ``within``: the name may lie anywhere in the crops, other ink around it."""
    names = sorted({n for n in names if n})
    if not crops or not names:
        return None
    line = join_rows(crops)
    try:
        fits = engine.fit(line, names, within)
    except OcrEngineError as exc:  # a failed look must not lose the fields already read
        log.warning("scoring known names against a crop failed: %s", type(exc).__name__)
        return None
    if fits is None:
        return None
    # rank by the whole text's likelihood (ranked per character, long names would win)
    ranked = sorted(((f * len(n), f, n) for f, n in zip(fits, names, strict=True) if f is not None),
                    reverse=True)
    if not ranked:
        return None
    total, fit, value = ranked[0]
    # a variant of the best name (an alias that drops 市, a suffix) is the same agency:
    # no rival, and of the variants the one that fits best per character is taken (the
    # whole text's likelihood barely minds a character less where the ink is faint)
    same = [(f, n) for _, f, n in ranked if subsequence(n, value) or subsequence(value, n)]
    variants = {n for _, n in same}
    rivals = [t for t, _, n in ranked if n not in variants]
    lead = total - rivals[0] if rivals else float("inf")
    fit, value = max(same)
    if fit < MIN_FIT or lead < max(MIN_LEAD, LEAD_PER_CHAR * len(value)):
        return None
    return Choice(value, round(fit, 3), round(lead, 3))


def settled(f: ExtractedField, choice: Choice) -> ExtractedField:
    """``f`` with the chosen name as its value: ``raw`` keeps the read, ``picked`` says
    so and the confidence stays under every review bar."""
    return f.model_copy(update={"value": choice.value, PICKED: True,
                                "confidence": round(min(f.confidence, PICK_QUALITY), 4)})
