"""The 承诺书: align the OCR text to the printed template and read the blanks.

The printed words between the blanks are known (the layout's ``anchors``), so
the values are whatever lies between two anchors. Anchors are found fuzzily and in
order; lines are joined in reading order with fill-ins interleaved by position, so a
value broken over two lines or written over the underline reads as one. A blank whose
closing anchor was lost is only read when its own format delimits it (dates, numbers).
Printings differ (:mod:`zhanchi.synth.letter_forms`): the agency's printed placeholder
may stand in its blank, before, after or under the name (:mod:`.placeholder` tells them
apart), and a name written above the words it belongs to is read with the row below it
(``TextMap.from_lines(..., interlinear=True)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zhanchi.extractors.anchors import Blank, align, trim_span
from zhanchi.extractors.dates import find_date
from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.fuzzy import search
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.levels import find_levels
from zhanchi.extractors.parse_errors import DateParseError
from zhanchi.extractors.placeholder import SPLIT_QUALITY, value_runs
from zhanchi.extractors.places import JIANGXI
from zhanchi.extractors.specs import COMMITMENT_LETTER, DocSpec
from zhanchi.extractors.text import fold
from zhanchi.models import BBox, ExtractedField, OcrLine

HINT_CHARS = r"[签手印(（]"  # a stray piece of （签字、手印） ends a name (no name holds them)
MAX_USUAL_NAME = 3  # characters in all but a few Chinese names
_NUMBER = re.compile(r"[YS5][0-9OoIl]{21}|[0-9OoIl]{16}")
# a number of full length in either format, first letter in either case (s000…)
_FULL_NUMBER = re.compile(r"[YySs5][0-9OoIl]{21}|[0-9OoIl]{16}")


class LetterReader:
    """Reads one letter page's fields into :class:`ExtractedField` objects."""

    def __init__(self, lines: Sequence[OcrLine], ctx: Context, page: int = 1,
                 spec: DocSpec = COMMITMENT_LETTER) -> None:
        self.tm = TextMap.from_lines(lines, interlinear=True)
        self.ctx = ctx
        self.page = page
        self.spec = spec
        self.parsers = spec.parsers
        self.placeholders = {f: fold(p, keep_spaces=True) for f, p in spec.placeholders}
        self.fields: dict[str, ExtractedField] = {}

    def put(self, name: str, start: int, end: int, quality: float, parser: str | None = None) -> None:
        start, end = trim_span(self.tm, start, end)
        if end <= start or name in self.fields:
            return
        box, conf = self.tm.locate(start, end)
        f = make_field(parser or self.parsers[name], self.tm.text[start:end], self.ctx,
                       ocr_conf=conf, bbox=box, page=self.page, quality=quality)
        if f is not None:
            self.fields[name] = f

    def read(self) -> dict[str, ExtractedField]:
        text = self.tm.text
        for blank in align(text, self.spec.anchors):
            if blank.fields == ("exam_date", "exam_province"):
                self._date_and_province(blank)
            elif blank.fields == ("sign_date",) or blank.fields == ("certificate_number",):
                self._delimited(blank)
            elif blank.closed and blank.fields[0] in self.placeholders:
                self._beside_placeholder(blank)
            elif blank.closed:
                self._place_context()
                self.put(blank.fields[0], blank.start, blank.end, blank.quality)
            elif blank.fields == ("signer_name",):
                self._signer(blank)
        self._place_context()
        self._level()
        if "certificate_number" not in self.fields:
            m = _NUMBER.search(text)
            if m:
                self.put("certificate_number", m.start(), m.end(), 0.9)
        return self.fields

    def _beside_placeholder(self, b: Blank) -> None:
        """A value whose blank may also hold its printed placeholder: the runs that are
        not the placeholder, joined (a name continued on the next line reads whole)."""
        name = b.fields[0]
        runs = [trim_span(self.tm, b.start + s, b.start + e)
                for s, e in value_runs(self.tm.text[b.start:b.end], self.placeholders[name])]
        runs = [(s, e) for s, e in runs if e > s]
        if len(runs) == 1:
            self.put(name, runs[0][0], runs[0][1], b.quality)
        elif runs and name not in self.fields:
            located = [self.tm.locate(s, e) for s, e in runs]
            boxes = [box for box, _ in located if box is not None]
            weights = [e - s for s, e in runs]
            conf = sum(c * w for (_, c), w in zip(located, weights, strict=True)) / sum(weights)
            box = (min(x[0] for x in boxes), min(x[1] for x in boxes),
                   max(x[2] for x in boxes), max(x[3] for x in boxes)) if boxes else None
            # a name in pieces around the placeholder's words: which piece is placeholder
            # and which is name is a guess a reviewer confirms
            f = make_field(self.parsers[name], "".join(self.tm.text[s:e] for s, e in runs), self.ctx,
                           ocr_conf=conf, bbox=box, page=self.page, quality=b.quality * SPLIT_QUALITY)
            if f is not None:
                self.fields[name] = f

    def _place_context(self) -> None:
        prov = self.fields.get("exam_province")
        city = self.fields.get("exam_city")
        self.ctx.province = str(prov.value) if prov else JIANGXI
        self.ctx.city = str(city.value) if city else None

    def _date_and_province(self, b: Blank) -> None:
        seg = self.tm.text[b.start:b.end]
        try:
            _, ds, de = find_date(seg)
        except DateParseError:
            cut = seg.rfind("在")
            if cut < 0:
                return
            ds, de = 0, cut
        self.put("exam_date", b.start + ds, b.start + de, b.quality)
        rest = b.start + de
        if self.tm.text[rest:rest + 1] == "在":
            rest += 1
        elif self.tm.text[rest:rest + 2] == "日在":
            rest += 2
        if b.closed:
            self.put("exam_province", rest, b.end, b.quality)
            self._place_context()

    def _delimited(self, b: Blank) -> None:
        seg = self.tm.text[b.start:b.end]
        name = b.fields[0]
        if name == "sign_date":
            try:
                _, ds, de = find_date(seg)
            except DateParseError:
                return
            self.put(name, b.start + ds, b.start + de, b.quality)
            return
        m = _NUMBER.search(seg)
        if m:
            # widen to the whole run of letters and digits: a malformed number (Z…) must
            # be read whole, so the format check rejects it, not a valid-looking piece
            lo, hi = m.start(), m.end()
            while lo > 0 and seg[lo - 1].isascii() and seg[lo - 1].isalnum():
                lo -= 1
            while hi < len(seg) and seg[hi].isascii() and seg[hi].isalnum():
                hi += 1
            if hi > lo + 1 and seg[hi - 1] in "Oo" and (
                    hi - 1 == m.end() or _FULL_NUMBER.fullmatch(seg[lo:hi - 1])):
                hi -= 1  # the full stop after the number, read as a letter o
            self.put(name, b.start + lo, b.start + hi, b.quality)
        elif b.closed:
            end = seg.find("。")
            self.put(name, b.start, b.start + end if end >= 0 else b.end, b.quality * 0.9)

    def _signer(self, b: Blank) -> None:
        # The closing hint (签字、手印) lay under the fingerprint: cut at what is left of it.
        seg = self.tm.text[b.start:b.end]
        hint = search(seg, fold("(签字、手印)", keep_spaces=True), 0.5)
        cut = min((h[0] for h in (hint, search(seg, "签字", 0.0), search(seg, "手印", 0.0),
                                  search(seg, "(签", 0.0)) if h), default=len(seg))
        m = re.search(r"[\u4e00-\u9fff·]{2,4}", re.split(HINT_CHARS, seg[:cut])[0])
        if m:
            self.put("signer_name", b.start + m.start(), b.start + m.end(), b.quality * 0.9)

    def signer_region(self) -> BBox | None:
        """Where the signature is: between 承诺人： and （签字、手印）, a little above the
        line (handwriting stands taller than print); from whichever of the two was found."""
        text = self.tm.text
        label = search(text, fold("承诺人:", keep_spaces=True), 0.3)
        # from the label's first character: a line holding print and handwriting has no
        # even character pitch, and the region reader strips the label again
        lbox = self.tm.locate(label[0], label[0] + 1)[0] if label else None
        hbox = self._hint_start(label[1] if label else 0)
        if lbox is None and hbox is None:
            return self._region_above_date()
        ref = hbox or lbox
        assert ref is not None
        h = ref[3] - ref[1]
        x0 = lbox[0] if lbox else ref[0] - 9 * h
        x1 = hbox[0] if hbox else ref[2] + 9 * h
        y0 = min(b[1] for b in (lbox, hbox) if b) - int(0.6 * h)
        y1 = max(b[3] for b in (lbox, hbox) if b) + int(0.4 * h)
        return (max(0, x0), max(0, y0), x1, y1) if x1 > x0 else None

    def _hint_start(self, start: int) -> BBox | None:
        """Box of where （签字、手印） begins, from whatever part of it was read (the
        fingerprint often covers its first characters): a guessed box for a lost head."""
        for piece, lost in (("(签字、手印)", 0), ("签字", 1), ("手印", 4)):
            hit = search(self.tm.text, fold(piece, keep_spaces=True), 0.3 if lost == 0 else 0.0, start)
            if hit is None:
                continue
            box = self.tm.locate(hit[0], hit[0] + 1)[0]
            if box is not None:
                w = box[2] - box[0]
                return (box[0] - lost * w, box[1], box[2] - lost * w, box[3])
        return None

    def _region_above_date(self) -> BBox | None:
        """Both the label and the hint lost: the signature line is the row above 时间."""
        found = search(self.tm.text, fold("时间:", keep_spaces=True), 0.3)
        if found is None:
            return None
        box = self.tm.locate(found[0], found[0] + 1)[0]
        if box is None:
            return None
        h = box[3] - box[1]
        return (max(0, box[0] - h), max(0, box[1] - 4 * h), box[0] + 14 * h, max(0, box[1] - h // 3))

    def _level(self) -> None:
        title = self.fields.get("certificate_title")
        if title is None or title.raw is None or title.bbox is None:
            return
        levels = {lvl for _, _, lvl in find_levels(title.raw)}
        if len(levels) == 1:
            self.fields["level"] = ExtractedField(
                value=levels.pop(), confidence=title.confidence, page=title.page,
                bbox=title.bbox, raw=title.raw,
            )


def read_letter(lines: Sequence[OcrLine], ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """Every SPEC §5 letter field found on the page (marks are added by the caller)."""
    return LetterReader(lines, ctx, page).read()


def better_signer(page_read: ExtractedField | None, reread: ExtractedField | None) -> ExtractedField | None:
    """Choose between the signer read with the page and the one re-read from its region.

    The page OCR often loses the last character under the fingerprint (杨秀斌 → 杨秀) or
    the whole line; the region read keeps the printed label out and the ink in. The
    re-read wins when the page read is missing or is a shorter piece of it.
    """
    if reread is None:
        return page_read
    if page_read is None:
        return reread
    a, b = str(page_read.value), str(reread.value)
    # one character more than the page read, same start: the one the fingerprint hid
    # (吴飞 → 吴飞芳); but a fourth character is far likelier a ridge read as ink
    # (胡秀金 → 胡秀金多) than a four-character name, and more is the hint's remains
    if len(b) == len(a) + 1 and b.startswith(a) and len(b) <= MAX_USUAL_NAME:
        return reread
    return page_read


DISAGREE_CAP = 0.6  # two reads of the name that differ: whichever is kept goes to review
UNSURE_WIPE_CAP = 0.75  # a gray fingerprint's wipe may have taken a character with it


def settle_signer(page_read: ExtractedField | None, region_read: ExtractedField | None,
                  pen_read: ExtractedField | None, clean_wipe: bool = True) -> ExtractedField | None:
    """The signer from the page read, the region re-read and the pen-only read.

    The pen read (:mod:`.second_look.signer`) sees only the handwriting, the fingerprint wiped:
    where it has a name it settles what the page read's residue left open. Two reads
    that agree give the better confidence of the two; a page read that holds the pen
    read plus residue (保黄平瑶, 梁荣淡) gives way to it, as does one a character short
    (the one under the fingerprint); reads that differ otherwise keep the likelier one
    at a confidence that sends it to review. Without a pen read, :func:`better_signer`.

    ``clean_wipe`` is false when the fingerprint could not be told from the pen by
    colour (gray, binarised): the wipe may have taken the character under it, so a
    page read one longer than the pen read is kept, but as doubtful.
    """
    if pen_read is None:
        return better_signer(page_read, region_read)
    if page_read is None:
        return pen_read
    a, b = str(page_read.value), str(pen_read.value)
    if a == b:
        return max(page_read, pen_read, key=lambda f: f.confidence)
    if b in a and clean_wipe:
        return pen_read
    if b in a:
        return page_read.model_copy(update={"confidence": min(page_read.confidence, UNSURE_WIPE_CAP)})
    if a in b and len(b) == len(a) + 1 and len(b) <= MAX_USUAL_NAME:
        return pen_read
    best = max(page_read, pen_read, key=lambda f: f.confidence)
    return best.model_copy(update={"confidence": min(best.confidence, DISAGREE_CAP)})
