"""The 承诺书: align the OCR text to the printed template and read the blanks.

The printed words between the blanks are known (:data:`~.specs.LETTER_TEMPLATE`), so
the values are whatever lies between two anchors. Anchors are found fuzzily and in
order; lines are joined in reading order with fill-ins interleaved by position, so a
value broken over two lines or written over the underline reads as one. A blank whose
closing anchor was lost is only read when its own format delimits it (dates, numbers).
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
from zhanchi.extractors.places import JIANGXI
from zhanchi.extractors.specs import COMMITMENT_LETTER, LETTER_TEMPLATE
from zhanchi.models import ExtractedField, OcrLine

_PARSER = {f.name: f.parser for f in COMMITMENT_LETTER.fields}
_NUMBER = re.compile(r"[YS5][0-9OoIl]{21}|[0-9OoIl]{16}")


class LetterReader:
    """Reads one letter page's fields into :class:`ExtractedField` objects."""

    def __init__(self, lines: Sequence[OcrLine], ctx: Context, page: int = 1) -> None:
        self.tm = TextMap.from_lines(lines)
        self.ctx = ctx
        self.page = page
        self.fields: dict[str, ExtractedField] = {}

    def put(self, name: str, start: int, end: int, quality: float, parser: str | None = None) -> None:
        start, end = trim_span(self.tm, start, end)
        if end <= start or name in self.fields:
            return
        box, conf = self.tm.locate(start, end)
        f = make_field(parser or _PARSER[name], self.tm.text[start:end], self.ctx,
                       ocr_conf=conf, bbox=box, page=self.page, quality=quality)
        if f is not None:
            self.fields[name] = f

    def read(self) -> dict[str, ExtractedField]:
        text = self.tm.text
        for blank in align(text, LETTER_TEMPLATE):
            if blank.fields == ("exam_date", "exam_province"):
                self._date_and_province(blank)
            elif blank.fields == ("sign_date",) or blank.fields == ("certificate_number",):
                self._delimited(blank)
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
            self.put(name, b.start + m.start(), b.start + m.end(), b.quality)
        elif b.closed:
            end = seg.find("。")
            self.put(name, b.start, b.start + end if end >= 0 else b.end, b.quality * 0.9)

    def _signer(self, b: Blank) -> None:
        # The closing hint (签字、手印) lay under the fingerprint: cut at what is left of it.
        seg = self.tm.text[b.start:b.end]
        cut = min((h[0] for h in (search(seg, "签字", 0.0), search(seg, "手印", 0.0),
                                  search(seg, "(签", 0.0)) if h), default=len(seg))
        m = re.search(r"[\u4e00-\u9fff·]{2,4}", seg[:cut])
        if m:
            self.put("signer_name", b.start + m.start(), b.start + m.end(), b.quality * 0.9)

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
