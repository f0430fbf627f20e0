"""Where to look for the applicant's marks on a 承诺书, from the OCR lines alone.

The template ends with ``承诺人： （签字、手印）`` and ``时 间： 年 月 日``. The signature goes
to the right of ``承诺人：`` (between it and the hint, over the hint or after it); the
fingerprint is pressed near the hint. This module finds those lines (fuzzily, because
OCR reads 承诺入, 承诺 人, 时 问 …), estimates the printed character pitch (the scale
every size threshold is expressed in) and lists the printed text boxes to blank out so
that only handwriting is left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zhanchi.models.pages import BBox, OcrLine

_ANCHOR = re.compile(r"承\s*诺\s*[人入八]|诺\s*[人入]\s*[：:]")
_TIME = re.compile(r"^\W{0,2}(?:[时吋]\s*[间问]|日\s*期)")
_DATE_ONLY = re.compile(r"年.{0,6}月.{0,6}日")  # 时间 lost, the date row itself
_HINT = re.compile(r"签\s*字|手\s*印")
_HINT_CHARS = set("（(签字、，,手印）)")
_KEYWORDS = re.compile(r"承诺|签\s*字|手\s*印|[时吋]\s*[间问]|年.*月|法律责任|补贴")
# a line this short, off the 承诺人 row and without template words, may be a handwritten
# name the OCR engine read on its own; it is not blanked out
_MAX_HANDWRITTEN_CHARS = 4


@dataclass(frozen=True)
class LetterLayout:
    """The regions to inspect and the printed boxes to ignore, in page pixels."""

    pitch: float  # advance of one printed CJK character
    anchor_found: bool  # the 承诺人 line was read; otherwise regions are guesses
    anchor_point: tuple[float, float]  # where a fingerprint is expected (the hint)
    signature_region: BBox
    fingerprint_region: BBox
    printed: tuple[BBox, ...]  # printed text off the 承诺人 row, to blank out (padded)
    template: tuple[tuple[BBox, str], ...] = ()  # 承诺人： and （签字、手印） on the row (padded)
    reference: tuple[tuple[BBox, str], ...] = ()  # long printed lines: how much ink print leaves


def is_anchor_text(text: str) -> bool:
    """Whether OCR text reads as ``承诺人`` (承诺入, 承诺 人 … included)."""
    return _ANCHOR.search(text) is not None


def char_weight(ch: str) -> float:
    """Advance of a character in printed-CJK-character units (ASCII and spaces are half)."""
    return 0.5 if ord(ch) < 0x2E80 else 1.0


def _weight(text: str) -> float:
    return sum(char_weight(c) for c in text)


def estimate_pitch(lines: Sequence[OcrLine], width: int) -> float:
    """The printed character advance in pixels.

    Widths per character are inflated by gaps the engine merged (a signing gap, the
    spaces of ``时 间： 年 月 日``), so a low quantile is taken; line heights are the
    fallback and the sanity bound. Without any line, an A4 page holds about 45
    characters of 小四/四号 across its full width.
    """
    per_char = [(ln.bbox[2] - ln.bbox[0]) / _weight(ln.text) for ln in lines if _weight(ln.text) >= 4]
    heights = [ln.bbox[3] - ln.bbox[1] for ln in lines if ln.bbox[3] > ln.bbox[1]]
    from_h = float(np.median(heights)) / 1.15 if heights else width / 45.0
    if not per_char:
        return from_h
    from_w = float(np.percentile(per_char, 25))
    return from_w if 0.6 * from_h <= from_w <= 1.5 * from_h else from_h


def _same_row(a: BBox, b: BBox) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _template_spans(line: OcrLine, pitch: float) -> list[tuple[float, float, str]]:
    """X-spans of the printed ``承诺人：`` and ``（签字、手印）`` inside one OCR line.

    Characters between them (a handwritten name the engine read) stay unmasked. Spans
    are placed from the nearer end of the box, counting printed advances, because the
    box may stretch over a blank signing gap the text does not show.
    """
    text = line.text
    x0, _, x1, _ = line.bbox
    spans: list[tuple[float, float, str]] = []
    m = _ANCHOR.search(text)
    if m:
        end = m.end()
        if end < len(text) and text[end] in "：:":
            end += 1
        spans.append((x0 + _weight(text[: m.start()]) * pitch, x0 + _weight(text[:end]) * pitch, text[m.start() : end]))
        rest_from = end
    else:
        rest_from = 0
    idx = [i for i in range(rest_from, len(text)) if text[i] in _HINT_CHARS]
    if idx:
        i0, i1 = idx[0], idx[-1] + 1
        after = _weight(text[i1:])
        before = _weight(text[:i0])
        if after <= before:
            hx1 = x1 - after * pitch
            spans.append((hx1 - _weight(text[i0:i1]) * pitch, hx1, text[i0:i1]))
        else:
            hx0 = x0 + before * pitch
            spans.append((hx0, hx0 + _weight(text[i0:i1]) * pitch, text[i0:i1]))
    return spans


def _pad(box: tuple[float, float, float, float], dx: float, dy: float, w: int, h: int) -> BBox:
    return (
        max(0, int(box[0] - dx)),
        max(0, int(box[1] - dy)),
        min(w, int(box[2] + dx + 1)),
        min(h, int(box[3] + dy + 1)),
    )


def _time_line(lines: Sequence[OcrLine], row: OcrLine | None) -> OcrLine | None:
    """The ``时 间：`` line below the row (or a bare short date line when 时间 was lost)."""
    below = [ln for ln in lines if row is None or ln.bbox[1] > (row.bbox[1] + row.bbox[3]) / 2]
    strict = [ln for ln in below if _TIME.search(ln.text)]
    loose = [ln for ln in below if _DATE_ONLY.search(ln.text) and len(ln.text) <= 16]
    for found in (strict, loose):
        if found:
            return min(found, key=lambda ln: ln.bbox[1])
    return None


def find_layout(lines: Sequence[OcrLine], width: int, height: int) -> LetterLayout:
    """Locate the 承诺人 line and derive the search regions and printed boxes."""
    pitch = estimate_pitch(lines, width)
    anchors = [ln for ln in lines if _ANCHOR.search(ln.text)]
    anchor = max(anchors, key=lambda ln: ln.bbox[1]) if anchors else None  # the last one on the page
    hints = [ln for ln in lines if _HINT.search(ln.text)]
    if anchor is None and hints:  # 承诺人 unread (often under the signature): the hint's row
        anchor = max(hints, key=lambda ln: ln.bbox[1])
    time_line = _time_line(lines, anchor)

    if anchor is not None:
        ax0 = float(anchor.bbox[0])
        cy = (anchor.bbox[1] + anchor.bbox[3]) / 2
        row = [ln for ln in lines if ln is anchor or _same_row(ln.bbox, anchor.bbox)]
        spans = [sp for ln in row for sp in _template_spans(ln, pitch)]
        row_prefix = [s for s in spans if is_anchor_text(s[2])]
        if row_prefix:
            prefix_end = min(s[1] for s in row_prefix)
        else:  # 承诺人： is printed flush with 时 间： below it, four characters wide
            left = time_line.bbox[0] if time_line is not None and time_line.bbox[0] < ax0 else ax0 - 10 * pitch
            ax0 = max(0.0, float(left))
            prefix_end = ax0 + 4 * pitch
        hint = [s for s in spans if s[0] > prefix_end - 1]
        anchor_x = (hint[0][0] + hint[0][1]) / 2 if hint else prefix_end + 4 * pitch
        row_right = float(max(ln.bbox[2] for ln in row))
    elif time_line is not None:  # nothing of the row was read: the row above 时间
        tx0, ty0, _, ty1 = time_line.bbox
        cy = ty0 - 1.5 * (ty1 - ty0)
        ax0, row = float(tx0), []
        prefix_end = tx0 + 4 * pitch
        anchor_x = prefix_end + 6 * pitch
        row_right = prefix_end + 14 * pitch
    else:  # no trace of the template: the whole page, every OCR line is print
        full = (0, 0, width, height)
        every = tuple(_pad(ln.bbox, 0.2 * pitch, 0.15 * pitch, width, height) for ln in lines)
        return LetterLayout(pitch, False, (width / 2, height / 2), full, full, every)

    text_right = max((ln.bbox[2] for ln in lines), default=width)
    sx1 = min(width, max(row_right, text_right) + 3 * pitch)
    sy1 = time_line.bbox[1] if time_line is not None else cy + 2.5 * pitch
    sig = _pad((prefix_end + 0.1 * pitch, cy - 2.2 * pitch, sx1, max(sy1, cy + 0.8 * pitch)), 0, 0, width, height)
    fy1 = time_line.bbox[3] + 2 * pitch if time_line is not None else cy + 5 * pitch
    fp = _pad((ax0 - 3 * pitch, cy - 5 * pitch, sx1 + 2 * pitch, fy1), 0, 0, width, height)

    printed: list[BBox] = []
    template: list[tuple[BBox, str]] = []
    dx, dy = 0.2 * pitch, 0.15 * pitch
    for ln in lines:
        b = ln.bbox
        if ln in row:
            for s0, s1, t in _template_spans(ln, pitch):
                template.append((_pad((s0, b[1], s1, b[3]), dx, dy, width, height), t))
            continue
        chars = len(re.sub(r"\s", "", ln.text))
        if chars <= _MAX_HANDWRITTEN_CHARS and not _KEYWORDS.search(ln.text) and ln is not time_line:
            continue  # maybe handwriting the engine read as its own line
        printed.append(_pad(b, dx, dy, width, height))
    # print density is measured on full-width body lines near the letter's end
    body = [ln for ln in lines if ln not in row and ln is not time_line and len(ln.text) >= 8]
    body.sort(key=lambda ln: abs(ln.bbox[1] - cy))
    reference = tuple((ln.bbox, ln.text) for ln in body[:4])
    return LetterLayout(pitch, anchor is not None, (anchor_x, cy), sig, fp, tuple(printed), tuple(template), reference)
