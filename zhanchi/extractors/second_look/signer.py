"""Second look ``signer_pen``: the signer's name read from the pen alone, else its region.

The page OCR reads the 承诺人 row as one line: the printed label, the handwriting, the
fingerprint's ridges and the hint all go into it, so the name picks up residue (a ridge
read as 多, the hint's 签 mangled, a seal's 保) and the line's confidence speaks for the
label and hint as much as for the name. The mark detector (:mod:`.marks`) already knows
where the pen ink is (``signature_bbox``) and where the fingerprint is: this module crops
just the pen, wipes the fingerprint from the crop (red ridges on colour pages; on gray
and binarised pages whatever in its outline is not a pen stroke carrying on outside it)
and recognises that. Without a pen box, the region between the label and the hint is
read instead (:func:`reread_signer`). The result is compared with the page read in
:func:`~zhanchi.extractors.commitment_letter.settle_signer`. Then, never a name
silently shortened: the pen's characters are counted (a print on the pen, a blot) and
read one by one (:func:`by_character`, :mod:`.signer_cells`); a name run on over the
printed hint is re-read from the blue pen (:mod:`.signer_hint`); a name shorter than
what the pen holds is kept doubtful (also :func:`room_under_print`). None of it looks
at the certificate: ``name_mismatch`` compares the two.
"""

from __future__ import annotations

import logging
import re

import cv2
import numpy as np

from zhanchi.extractors.commitment_letter import (
    HINT_CHARS,
    MAX_USUAL_NAME,
    LetterReader,
    settle_signer,
)
from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.fuzzy import search
from zhanchi.extractors.gazetteer import subsequence
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.marks_ink import dark_in_red, dark_mask, dotted
from zhanchi.extractors.marks_pen import continued
from zhanchi.extractors.second_look.base import Situation
from zhanchi.extractors.second_look.signer_cells import cell_count, read_cells
from zhanchi.extractors.second_look.signer_hint import over_hint
from zhanchi.extractors.text import fold
from zhanchi.imaging import for_ocr
from zhanchi.models import BBox, ExtractedField, OcrLine
from zhanchi.ocr.base import OcrEngine, Recognized

log = logging.getLogger("zhanchi.extract")

PAD_X, PAD_Y = 0.3, 0.2  # margin round the pen's box, in signature heights
DARKER_THAN_RIDGES = 35  # gray levels below a gray fingerprint's ink: pen seen through it
LONG_NAME_QUALITY = 0.7  # a fourth character: a name that long is rare, residue is not
REREAD_QUALITY = 0.9  # a name read from a guessed region
UNDER_PRINT_MIN = 0.3  # the print reaches this many pen heights into the pen's end
ROOM_FOR_ONE = 0.6  # pen box this much wider (in heights) than the name: a character unread
UNDER_PRINT_CAP = 0.6  # a name with a character unread under the print goes to review


def ink_only(crop: np.ndarray) -> np.ndarray:
    """Keep the pen, drop the fingerprint: on a colour page the red ridges have a bright
    red channel, while blue-black ink, and ink under the ridges, stay dark in it."""
    keep = dark_in_red(crop)
    out = np.full_like(crop, 255)
    out[keep] = crop[keep]
    return out


def _is_colour(crop: np.ndarray) -> bool:
    spread = crop.max(axis=2).astype(int) - crop.min(axis=2).astype(int)
    return bool((spread > 60).mean() > 0.01)


def strip_label(text: str) -> str:
    """The text after a leading ``承诺人：`` (however badly read), else all of it."""
    m = re.match(r"^.{0,3}?人[:：、,，.;；]?", text)  # 承诺人： however its first two read
    if m is not None:
        return text[m.end():]
    label = search(text, fold("承诺人:", keep_spaces=True), 0.3)
    return text[label[1]:] if label is not None else text


def reread_signer(image: np.ndarray | None, engine: OcrEngine | None, region: BBox, ctx: Context,
                  page: int = 1) -> ExtractedField | None:
    """The signer's name re-read from the signature region of a letter (on a colour page
    with the fingerprint's red ridges removed first)."""
    if image is None or engine is None:
        return None
    x0, y0, x1, y1 = region
    crop = image[y0:y1, x0:x1]
    line: Recognized | OcrLine
    try:
        if crop.ndim == 3 and crop.size and _is_colour(crop):
            line = engine.recognize([ink_only(crop)])[0]
        else:
            line = engine.read_regions(for_ocr(image), [region])[0]
    except Exception as exc:
        log.warning("re-reading the signature region failed: %s", type(exc).__name__)
        return None
    text = strip_label(fold(line.text, keep_spaces=True).replace(" ", ""))
    hint = search(text, fold("(签字、手印)", keep_spaces=True), 0.5)  # what is left of the hint, if any
    if hint is not None:
        text = text[: hint[0]]
    text = re.split(HINT_CHARS, text)[0]
    m = re.search(r"[\u4e00-\u9fff·]{2,4}", text)
    if m is None:
        return None
    name, quality = m.group(0), REREAD_QUALITY
    if len(name) > MAX_USUAL_NAME:
        # a fourth character here is far likelier a ridge or the hint's 签 read as ink
        # than a four-character name: keep three, and let a reviewer confirm
        name, quality = name[:MAX_USUAL_NAME], REREAD_QUALITY * 0.8
    return make_field("name", name, ctx, ocr_conf=line.confidence, bbox=region, page=page,
                      quality=quality)


def _ellipse(shape: tuple[int, ...], box: BBox, origin: tuple[int, int], pad: float) -> np.ndarray:
    out = np.zeros(shape[:2], np.uint8)
    centre = (int((box[0] + box[2]) / 2 - origin[0]), int((box[1] + box[3]) / 2 - origin[1]))
    axes = (max(1, int((box[2] - box[0]) / 2 + pad)), max(1, int((box[3] - box[1]) / 2 + pad)))
    cv2.ellipse(out, centre, axes, 0, 0, 360, 1, -1)
    return out == 1


def wiped_by_colour(marks: Marks | None) -> bool:
    """Whether the fingerprint (if any) was told from the pen by its red: nothing of the
    pen is then lost with it (gray ridges are as dark as some strokes)."""
    return marks is None or (marks.scan_kind == "colour" and marks.fingerprint_kind in (None, "colour"))


def pen_crop(image: np.ndarray | None, marks: Marks | None) -> tuple[np.ndarray, BBox] | None:
    """The signature's crop with the fingerprint wiped, and its box on the page."""
    if marks is None or not marks.has_signature or not marks.signature_bbox or image is None:
        return None  # no pen found: nothing to read (the region re-read still looks)
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    bgr = bgr[:, :, :3]
    height, width = bgr.shape[:2]
    x0, y0, x1, y1 = marks.signature_bbox
    h = max(1, y1 - y0)
    right = min(width, int(x1 + PAD_X * h))
    if marks.hint_x0 is not None and x0 + h < marks.hint_x0 < right:
        right = marks.hint_x0  # a box run into the printed hint (its 字 is no name's)
    box = (max(0, int(x0 - PAD_X * h)), max(0, int(y0 - PAD_Y * h)), right, min(height, int(y1 + PAD_Y * h)))
    crop = bgr[box[1]:box[3], box[0]:box[2]]
    if crop.size == 0:
        return None
    fp_kind = marks.fingerprint_kind
    if marks.scan_kind == "colour" and fp_kind in (None, "colour"):
        return ink_only(crop), box  # red ridges out, pen (also under them) kept
    out = crop.copy()
    if marks.fingerprint_bbox and fp_kind is not None:
        pitch = marks.pitch or h
        fx0, fy0, fx1, fy1 = marks.fingerprint_bbox
        ell = _ellipse(crop.shape, (fx0, fy0, fx1, fy1), (box[0], box[1]), 0.3 * pitch)
        if ell.any():
            gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
            pen = dark_mask(gray)
            if fp_kind == "gray" and marks.fingerprint_ink_level > 0:
                keep = gray < marks.fingerprint_ink_level - DARKER_THAN_RIDGES
            elif dotted(pen & ell):  # a fax dithers ridges into dots; pen stays solid
                keep = cv2.morphologyEx(pen.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
            else:  # solid ridges: only strokes that carry on outside it are pen
                keep = pen
            strokes = continued(pen & ~ell, keep & ell)
            out[ell & ~strokes] = 255
    return out, box


def read_pen(image: np.ndarray | None, engine: OcrEngine | None, marks: Marks | None,
             ctx: Context, page: int = 1) -> ExtractedField | None:
    """The name recognised from the pen crop (``None`` without a signature box or a name)."""
    if engine is None:
        return None
    got = pen_crop(image, marks)
    if got is None:
        return None
    crop, box = got
    try:
        line = engine.recognize([crop])[0]
    except Exception as exc:  # a failed second look must not lose the first one
        log.warning("reading the signature's pen failed: %s", type(exc).__name__)
        return None
    text = re.sub(r"\s", "", line.text)
    text = re.split(HINT_CHARS, strip_label(text))[0]
    m = re.search(r"[\u4e00-\u9fff·]{2,4}", text)
    if m is None:
        return None
    quality = 1.0 if len(m.group(0)) <= MAX_USUAL_NAME else LONG_NAME_QUALITY
    return make_field("name", m.group(0), ctx, ocr_conf=line.confidence, bbox=box, page=page,
                      quality=quality)


def room_under_print(marks: Marks | None, name: str) -> bool:
    """Whether the pen holds more characters than ``name`` where a fingerprint covers its
    end: handwritten characters are about as wide as the pen box is tall, so a box
    clearly wider than the name's length, with the print over its right end, has a
    character under the print that neither read made out (邵超霞 read as 邵超)."""
    if marks is None or not marks.signature_bbox or not marks.fingerprint_bbox:
        return False
    sx0, sy0, sx1, sy1 = marks.signature_bbox
    fx0, fy0, fx1, fy1 = marks.fingerprint_bbox
    h = max(1, sy1 - sy0)
    covers_end = fx0 < sx1 - UNDER_PRINT_MIN * h and fx1 > sx1 - UNDER_PRINT_MIN * h
    covers_row = fy0 < (sy0 + sy1) / 2 < fy1
    return covers_end and covers_row and (sx1 - sx0) / h >= len(name) + ROOM_FOR_ONE


def by_character(settled: ExtractedField, image: np.ndarray | None, engine: OcrEngine | None,
                 marks: Marks | None, ctx: Context) -> ExtractedField:
    """Count the pen's characters: a name read with fewer is doubtful, and one read one
    short takes the cell-by-cell reading when that holds it in order (the missing
    character comes from the pen alone, never elsewhere). Not only under a print: a
    blotted or faxed-black character is skipped by the line read too (孙萍璐 → 孙萍)."""
    got = pen_crop(image, marks)
    if got is None or engine is None:
        return settled
    crop, box = got
    name, n = str(settled.value), cell_count(crop)
    if n <= len(name):
        return settled
    cap = {"confidence": min(settled.confidence, UNDER_PRINT_CAP)}
    cell_read = read_cells(crop, engine) if n == len(name) + 1 <= MAX_USUAL_NAME else None
    if cell_read is not None and len(cell_read[0]) == n and subsequence(name, cell_read[0]):
        longer = make_field("name", cell_read[0], ctx, ocr_conf=cell_read[1], bbox=box,
                            page=settled.page or 1)
        if longer is not None:
            return longer.model_copy(update=cap)
    return settled.model_copy(update=cap)


def look(s: Situation) -> None:
    """The pen alone, where the marks found it; else the region between label and hint
    (not gated on marks: an unsigned slot re-reads as the bare label, which is no name);
    then settled against the page read."""
    if not isinstance(s.reader, LetterReader):
        return
    for name in s.wanted("signer_pen"):
        pen = read_pen(s.image, s.engine, s.marks, s.ctx)
        region = s.reader.signer_region() if pen is None else None
        in_region = reread_signer(s.image, s.engine, region, s.ctx) if region is not None else None
        settled = settle_signer(s.fields.get(name), in_region, pen, wiped_by_colour(s.marks))
        if settled is not None:
            settled = by_character(settled, s.image, s.engine, s.marks, s.ctx)
            settled = over_hint(settled, s.image, s.engine, s.marks, s.ctx)
        if settled is not None and room_under_print(s.marks, str(settled.value)):
            # never a name silently shortened: a reviewer reads what is under the print
            settled = settled.model_copy(update={"confidence": min(settled.confidence, UNDER_PRINT_CAP)})
        if settled is not None:
            s.fields[name] = settled
