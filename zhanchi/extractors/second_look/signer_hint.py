"""A name run on over the printed （签字、手印）: the pen read stops where the print begins.

The pen crop is cut at the hint (its 字 is no name's), and the page read ends at the
first hint character, so a name whose last character was written over the hint reads
one short, and confidently (朱芳明 → 朱芳). Where the pen box reaches well into the
hint, the name is therefore doubtful; on a colour page the pen's blue-black is told
from the print's black (under a red print, where the pen is dark rather than blue, the
print's own rule: dark in the red channel) and the whole pen is read, and a reading that continues the
name is kept (still doubtful: a reviewer confirms the character read over the print).
"""

from __future__ import annotations

import logging
import re

import numpy as np

from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.marks_ink import dark_in_red
from zhanchi.models import ExtractedField
from zhanchi.ocr.base import OcrEngine

log = logging.getLogger("zhanchi.extract")

INTO_HINT = 0.5  # pen this many pen heights past the hint's start: a character over it
OVER_HINT_CAP = 0.6  # a name that may go on over the print goes to review
BLUE_OVER_RED = 25  # blue minus red of ballpoint ink; printed black and gray have ~0
PAD = 0.2  # margin round the pen box, in pen heights


def ran_into_hint(marks: Marks | None) -> bool:
    """Whether the pen goes on over the printed hint."""
    if marks is None or not marks.signature_bbox or marks.hint_x0 is None:
        return False
    x0, y0, x1, y1 = marks.signature_bbox
    return x1 > marks.hint_x0 + INTO_HINT * max(1, y1 - y0) and x0 < marks.hint_x0


def blue_pen(image: np.ndarray, marks: Marks) -> np.ndarray | None:
    """The whole pen box with only blue-black ink kept (print and red marks gone);
    ``None`` on a page without colour or without blue ink."""
    if marks.scan_kind != "colour" or image.ndim != 3 or not marks.signature_bbox:
        return None
    x0, y0, x1, y1 = marks.signature_bbox
    h = max(1, y1 - y0)
    height, width = image.shape[:2]
    box = (max(0, int(x0 - PAD * h)), max(0, int(y0 - PAD * h)),
           min(width, int(x1 + PAD * h)), min(height, int(y1 + PAD * h)))
    crop = image[box[1]:box[3], box[0]:box[2], :3]
    b, r = crop[:, :, 0].astype(np.int16), crop[:, :, 2].astype(np.int16)
    keep = (b - r >= BLUE_OVER_RED) & (crop.max(axis=2) < 200)
    if marks.fingerprint_bbox:  # pen under red ridges is dark, not blue: keep it there
        fx0, fy0, fx1, fy1 = (v - o for v, o in zip(marks.fingerprint_bbox, (box[0], box[1]) * 2, strict=True))
        under = np.zeros_like(keep)
        under[max(0, fy0):max(0, fy1), max(0, fx0):max(0, fx1)] = True
        keep |= under & dark_in_red(crop)
    if keep.sum() < 0.02 * keep.size:
        return None
    out = np.full_like(crop, 255)
    out[keep] = crop[keep]
    return out


def over_hint(settled: ExtractedField, image: np.ndarray | None, engine: OcrEngine | None,
              marks: Marks | None, ctx: Context) -> ExtractedField:
    """``settled`` made doubtful when the pen goes on over the hint, continued by the
    blue-ink reading when that starts with it and is one character longer."""
    if not ran_into_hint(marks) or marks is None:
        return settled
    cap = {"confidence": min(settled.confidence, OVER_HINT_CAP)}
    crop = blue_pen(image, marks) if image is not None and engine is not None else None
    if crop is None or engine is None:
        return settled.model_copy(update=cap)
    try:
        line = engine.recognize([crop])[0]
    except Exception as exc:  # a failed second look must not lose the first one
        log.warning("reading the signature over the hint failed: %s", type(exc).__name__)
        return settled.model_copy(update=cap)
    m = re.search(r"[\u4e00-\u9fff·]{2,4}", re.sub(r"\s", "", line.text))
    name = str(settled.value)
    if m is not None and len(m.group(0)) == len(name) + 1 and m.group(0).startswith(name):
        x0, y0, x1, y1 = marks.signature_bbox or (0, 0, 0, 0)
        longer = make_field("name", m.group(0), ctx, ocr_conf=line.confidence,
                            bbox=(x0, y0, x1, y1), page=settled.page or 1)
        if longer is not None:
            return longer.model_copy(update=cap)
    return settled.model_copy(update=cap)
