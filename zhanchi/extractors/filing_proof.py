"""The filing proof (备案证明): which agency is filed, where, by whom, since when.

Read from its sentence (兹证明 <agency> 已纳入 <issuer> 职业技能考核鉴定机构备案管理)
when it is there, else from labels like a certificate. The province is the one the
issuing HR department belongs to (or, failing that, the one named in the agency); the
date is the last date on the page (the signature date under the issuer).
"""

from __future__ import annotations

from collections.abc import Sequence

from zhanchi.extractors.anchors import align, trim_span
from zhanchi.extractors.certificates import read_labelled
from zhanchi.extractors.dates import find_date
from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.layout import TextMap
from zhanchi.extractors.parse_errors import DateParseError
from zhanchi.extractors.specs import FILING_PROOF, FILING_TEMPLATE
from zhanchi.models import ExtractedField, OcrLine

_PARSER = {f.name: f.parser for f in FILING_PROOF.fields}


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


def read_filing_proof(lines: Sequence[OcrLine], ctx: Context, page: int = 1) -> dict[str, ExtractedField]:
    """The SPEC §5 filing-proof fields found on one page."""
    tm = TextMap.from_lines(lines)
    out: dict[str, ExtractedField] = {}

    def put(name: str, start: int, end: int, quality: float) -> None:
        start, end = trim_span(tm, start, end)
        if end <= start or name in out:
            return
        box, conf = tm.locate(start, end)
        f = make_field(_PARSER[name], tm.text[start:end], ctx, ocr_conf=conf, bbox=box,
                       page=page, quality=quality)
        if f is not None:
            out[name] = f

    for blank in align(tm.text, FILING_TEMPLATE):
        if blank.closed:
            put(blank.fields[0], blank.start, blank.end, blank.quality)
    dates = _dates(tm.text)
    if dates:
        put("issue_date", *dates[-1], 1.0)
    for name, f in read_labelled(lines, FILING_PROOF, ctx, page).items():
        out.setdefault(name, f)
    if "province" not in out:
        for source in ("issuer", "agency"):
            src = out.get(source)
            if src is None:
                continue
            places = [e for e in ctx.gazetteer.find(str(src.value)) if e.kind == "province"]
            if places:
                out["province"] = ExtractedField(
                    value=places[0].value, confidence=src.confidence, page=page, bbox=src.bbox,
                    raw=str(src.value)[places[0].start:places[0].end],
                )
                break
    return out
