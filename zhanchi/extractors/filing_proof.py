"""The filing proof (备案证明): which agency is filed, where, by whom, since when.

Read from its sentence (兹证明 <agency> 已纳入 <issuer> 职业技能考核鉴定机构备案管理)
when it is there, else from labels like a certificate. The province is the one the
issuing HR department belongs to (or, failing that, the one named in the agency); the
date is the last date on the page (the signature date under the issuer); when that line lost its
first characters (no year left), its region is marked for a second read.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhanchi.extractors.anchors import align, trim_span
from zhanchi.extractors.certificates import read_labelled
from zhanchi.extractors.date_regions import date_tail_region
from zhanchi.extractors.dates import find_date
from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.parse_errors import DateParseError
from zhanchi.extractors.seal_text import drop_seal_text
from zhanchi.extractors.specs import FILING_PROOF, DocSpec
from zhanchi.models import BBox, ExtractedField, OcrLine


def _dates(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    while pos < len(text):
        try:
            _, s, e = find_date(text[pos:])
        except DateParseError:
            break
        spans.append((pos + s, pos + e))
        pos += e
    return spans


class FilingProofReader:
    """Reads one filing-proof page; ``regions`` holds, for a date the page OCR read only
    in part, the region to recognise again (second look ``date_region``)."""

    def __init__(self, lines: Sequence[OcrLine], ctx: Context, page: int = 1,
                 spec: DocSpec = FILING_PROOF) -> None:
        # seal text (the issuer's name round the ring) is no part of any value
        self.lines = drop_seal_text(lines)
        self.ctx = ctx
        self.page = page
        self.spec = spec
        self.parsers = spec.parsers
        self.regions: dict[str, BBox] = {}

    def read(self) -> dict[str, ExtractedField]:
        """The SPEC §5 filing-proof fields found on the page."""
        lines, ctx, page = self.lines, self.ctx, self.page
        tm = TextMap.from_lines(lines)
        out: dict[str, ExtractedField] = {}

        def put(name: str, start: int, end: int, quality: float) -> None:
            start, end = trim_span(tm, start, end)
            if end <= start or name in out:
                return
            box, conf = tm.locate(start, end)
            f = make_field(self.parsers[name], tm.text[start:end], ctx, ocr_conf=conf, bbox=box,
                           page=page, quality=quality)
            if f is not None:
                out[name] = f

        for blank in align(tm.text, self.spec.anchors):
            if blank.closed:
                put(blank.fields[0], blank.start, blank.end, blank.quality)
        dates = _dates(tm.text)
        if dates:
            put("issue_date", *dates[-1], 1.0)
        for name, f in read_labelled(lines, self.spec, ctx, page).items():
            out.setdefault(name, f)
        if "issue_date" not in out:
            region = date_tail_region(lines)
            if region is not None:
                self.regions["issue_date"] = region
        if "province" not in out:
            self._province(out)
        return out

    def _province(self, out: dict[str, ExtractedField]) -> None:
        for source in ("issuer", "agency"):
            src = out.get(source)
            if src is None:
                continue
            places = [e for e in self.ctx.gazetteer.find(str(src.value)) if e.kind == "province"]
            if places:
                out["province"] = ExtractedField(
                    value=places[0].value, confidence=src.confidence, page=self.page,
                    bbox=src.bbox, raw=str(src.value)[places[0].start:places[0].end],
                )
                return


def read_filing_proof(lines: Sequence[OcrLine], ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """The SPEC §5 filing-proof fields found on one page."""
    return FilingProofReader(lines, ctx, page).read()
