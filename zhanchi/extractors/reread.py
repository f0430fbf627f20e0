"""A second look at values the page OCR missed: re-read the region right of a label.

The page-level detector sometimes drops a printed value (a seal's faded ghost merged
into its box, a stamp across it). When the label was found, the value's place is
known: this module crops that region from the page image and asks the engine to
recognise just it (``OcrEngine.read_regions``). Values read this way keep a lower
confidence, so a reviewer still sees them when the threshold is strict.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from zhanchi.extractors.fields import Context, make_field
from zhanchi.models import BBox, ExtractedField

log = logging.getLogger("zhanchi.extract")

REREAD_QUALITY = 0.9  # a value read from a guessed region …
# … and one whose format does not delimit it: seal residue may trail it, so it goes to review
TEXT_QUALITY = 0.75
HINT_CHARS = r"[签手印(（]"  # a stray piece of （签字、手印） ends a name (no name holds them)
DELIMITED = frozenset({"date", "level", "certificate_number", "id_number"})
MAX_USUAL_NAME = 3  # characters in all but a few Chinese names
INK_MAX_RED = 120  # red channel below this is pen ink (or ink under a red mark)
WIDTH_IN_HEIGHTS = 16.0  # a value runs at most this many label heights to the right


def value_region(label: BBox, width: int, height: int) -> BBox:
    """Where a value printed right of ``label`` lies, clipped to the page."""
    x0, y0, x1, y1 = label
    h = y1 - y0
    return (min(width - 1, x1 + int(0.2 * h)), max(0, y0 - int(0.2 * h)),
            min(width, x1 + int(WIDTH_IN_HEIGHTS * h)), min(height, y1 + int(0.2 * h)))


def reread(image: Any, engine: Any, unread: dict[str, BBox], parsers: dict[str, str],
           ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """Recognise the value region of every unread label; the fields that then parse."""
    if not unread or image is None or engine is None:
        return {}
    from zhanchi.imaging import for_ocr  # the same seal-faded copy the page OCR saw

    h, w = image.shape[:2]
    names: Sequence[str] = list(unread)
    boxes = [value_region(unread[n], w, h) for n in names]
    try:
        lines = engine.read_regions(for_ocr(image), boxes)
    except Exception as exc:  # an engine failure here must not lose the fields already read
        log.warning("re-reading %d value regions failed: %s", len(boxes), type(exc).__name__)
        return {}
    out: dict[str, ExtractedField] = {}
    for name, box, line in zip(names, boxes, lines, strict=True):
        if not line.text.strip():
            continue
        f = make_field(parsers[name], line.text, ctx, ocr_conf=line.confidence, bbox=box,
                       page=page,
                       quality=REREAD_QUALITY if parsers[name] in DELIMITED else TEXT_QUALITY)
        if f is not None:
            out[name] = f
    return out


def ink_only(crop: Any) -> Any:
    """Keep the pen, drop the fingerprint: on a colour page the red ridges have a bright
    red channel, while blue-black ink, and ink under the ridges, stay dark in it."""
    import numpy as np

    b, r = crop[:, :, 0].astype(np.int16), crop[:, :, 2].astype(np.int16)
    keep = (r < INK_MAX_RED) & (b >= r - 10)
    out = np.full_like(crop, 255)
    out[keep] = crop[keep]
    return out


def _is_colour(crop: Any) -> bool:
    spread = crop.max(axis=2).astype(int) - crop.min(axis=2).astype(int)
    return bool((spread > 60).mean() > 0.01)


def strip_label(text: str) -> str:
    """The text after a leading ``承诺人：`` (however badly read), else all of it."""
    from zhanchi.extractors.fuzzy import search
    from zhanchi.extractors.text import fold

    m = re.match(r"^.{0,3}?人[:：、,，.;；]?", text)  # 承诺人： however its first two read
    if m is not None:
        return text[m.end():]
    label = search(text, fold("承诺人:", keep_spaces=True), 0.3)
    return text[label[1]:] if label is not None else text


def reread_signer(image: Any, engine: Any, region: BBox, ctx: Context, page: int = 1) -> ExtractedField | None:
    """The signer's name re-read from the signature region of a letter (on a colour page
    with the fingerprint's red ridges removed first)."""
    if image is None or engine is None:
        return None
    from zhanchi.extractors.fuzzy import search
    from zhanchi.extractors.text import fold
    from zhanchi.imaging import for_ocr

    x0, y0, x1, y1 = region
    crop = image[y0:y1, x0:x1]
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


NUMBER_PAD = 0.15  # margin round a number's box, in its heights
_NUMBER_RUN = re.compile(r"[A-Za-z0-9]{14,24}")


def _read_padded(image: Any, engine: Any, bbox: BBox, what: str) -> tuple[BBox, Any] | None:
    """Recognise ``bbox`` with a margin of :data:`NUMBER_PAD` of its height, clipped to the
    page, on the seal-faded copy the page OCR saw; the box read and its line, or ``None``
    when the engine fails (a failed second look must not lose the first one)."""
    from zhanchi.imaging import for_ocr

    x0, y0, x1, y1 = bbox
    h, w = image.shape[:2]
    pad = int(NUMBER_PAD * (y1 - y0))
    box = (max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad))
    try:
        return box, engine.read_regions(for_ocr(image), [box])[0]
    except Exception as exc:
        log.warning("re-reading %s failed: %s", what, type(exc).__name__)
        return None


def reread_number(image: Any, engine: Any, found: ExtractedField, ctx: Context,
                  page: int = 1) -> ExtractedField | None:
    """A malformed certificate number re-read from its own box; the re-read if it is
    well formed, else ``None``.

    A number inside a long printed line is squeezed with the whole line into the
    recogniser's input and can lose a digit (2514080953493919 → 254080953493919); read
    from its own box it keeps the full width.
    """
    from zhanchi.extractors.fields import well_formed

    if image is None or engine is None or found.bbox is None:
        return None
    x0, y0, x1, y1 = found.bbox
    read = _read_padded(image, engine, (x0, y0, x1, y1), "a certificate number")
    if read is None:
        return None
    box, line = read
    runs = [m.group(0) for m in _NUMBER_RUN.finditer(re.sub(r"\s", "", line.text))]
    for text in (t for run in runs for t in (run, run.rstrip("Oo"))):  # o: the full stop
        f = make_field("certificate_number", text, ctx, ocr_conf=line.confidence, bbox=box,
                       page=page, quality=REREAD_QUALITY)
        if f is not None and well_formed("certificate_number", f.value):
            return f
    return None


_TIME_LABEL = re.compile(r"时\s*间|间\s*[:：]")


def reread_sign_date(image: Any, engine: Any, lines: Sequence[Any], ctx: Context,
                     page: int = 1) -> ExtractedField | None:
    """The letter's signing date re-read from its whole row (``时间：…年…月…日``).

    A seal's ghost across the row can break it into pieces the page OCR reads apart,
    losing a digit between them (2022年 | 月21日); read as one band it stays whole.
    """
    from zhanchi.extractors.dates import find_date
    from zhanchi.extractors.layout import group_rows
    from zhanchi.extractors.parse_errors import DateParseError

    if image is None or engine is None:
        return None
    rows = [row for row in group_rows(lines) if _TIME_LABEL.search("".join(ln.text for ln in row))]
    if not rows:
        return None
    row = rows[-1]  # the signing date closes the letter
    x0, y0 = min(ln.bbox[0] for ln in row), min(ln.bbox[1] for ln in row)
    x1, y1 = max(ln.bbox[2] for ln in row), max(ln.bbox[3] for ln in row)
    read = _read_padded(image, engine, (x0, y0, x1, y1), "the signing date's row")
    if read is None:
        return None
    box, line = read
    text = re.sub(r"\s", "", line.text)
    try:
        _, start, end = find_date(text)
    except DateParseError:
        return None
    return make_field("date", text[start:end], ctx, ocr_conf=line.confidence, bbox=box,
                      page=page, quality=REREAD_QUALITY)
