"""职业技能等级证书 as an e-certificate printout (电子证书 打印件): a table, not label rows.

What sets it apart from the paper certificate (:mod:`.certificates`): a plain white page,
the title 职业技能等级电子证书 with a 电子证照 line under it, the QR code top right with
扫码核验, and the values in a ruled table whose label cells use other words
(持证人, 身份证件号码, 职业（工种）, 技能等级, 证书编号, 认定单位, 认定日期) next to
cells that are no fields (性别, 证书状态). The electronic seal sits under the table.
"""

from __future__ import annotations

import random
from datetime import date

from zhanchi.synth.canvas import A4, RED, Line, PageSpec, Picture, Rect, Text, text_width_mm
from zhanchi.synth.certificates import TITLE_RED, printed_date
from zhanchi.synth.content import Certificate
from zhanchi.synth.marks import qr_code, seal
from zhanchi.synth.refdata import level_label

ECERT_TITLE = "职业技能等级电子证书"
ECERT_SUBTITLE = "电子证照打印件　扫码核验真伪"
# x of the four columns' left edges and the table's right edge, in mm
COLUMNS = (18.0, 52.0, 112.0, 142.0, 192.0)
ROW_MM = 13.0
GRID = (90, 90, 90)
LABEL_FILL = (236, 240, 246)


def _cell_text(page: PageSpec, col: int, top: float, text: str, *, label: bool) -> None:
    x = COLUMNS[col] + (2.0 if label else 3.0)
    page.add(Text(x, top + ROW_MM * 0.66, text, "hei" if label else "song", 11 if label else 12))


def _row(page: PageSpec, top: float, cells: list[tuple[str, str]], key: str | None) -> None:
    """One table row: (label, value) pairs; one pair spans the whole row."""
    page.add(Line(COLUMNS[0], top + ROW_MM, COLUMNS[-1], top + ROW_MM, 0.3, GRID))
    spans = [(0, 4)] if len(cells) == 1 else [(0, 2), (2, 4)]
    for (label, value), (first, last) in zip(cells, spans, strict=True):
        page.add(Rect(COLUMNS[first], top, COLUMNS[first + 1], top + ROW_MM, None, LABEL_FILL))
        page.add(Line(COLUMNS[first + 1], top, COLUMNS[first + 1], top + ROW_MM, 0.3, GRID))
        if last < 4:
            page.add(Line(COLUMNS[last], top, COLUMNS[last], top + ROW_MM, 0.3, GRID))
        _cell_text(page, first, top, label, label=True)
        _cell_text(page, first + 1, top, value, label=False)
    if key is not None:
        x = COLUMNS[1] + 3.0
        page.regions[key] = (x, top + 2, x + text_width_mm(cells[0][1], "song", 12), top + ROW_MM - 2)


ISSUER_LABELS = ("认定单位", "评价机构", "发证机构")
DATE_LABELS = ("认定日期", "发证日期")
# other platforms head the holder, ID, occupation and level cells with the paper
# certificate's words; the first of each is this printout's own
HOLDER_LABELS = ("持证人", "姓名")
ID_LABELS = ("身份证件号码", "证件号码", "公民身份号码", "身份证号码")
OCCUPATION_LABELS = ("职业（工种）", "职业名称")
LEVEL_LABELS = ("技能等级", "职业技能等级", "等级")
OWN_WORDS = (HOLDER_LABELS[0], ID_LABELS[0], OCCUPATION_LABELS[0], LEVEL_LABELS[0])
OTHER_WORDS = 0.5  # share of varied printouts that head those cells in other words


def _cell_words(number: str, varied: bool) -> tuple[str, str, str, str]:
    """The holder, ID, occupation and level labels: drawn from a stream of their own
    (the certificate number), so the printout's other draws stay as they were."""
    words = random.Random(f"ecert-words:{number}")
    if not varied or words.random() >= OTHER_WORDS:
        return OWN_WORDS
    return (words.choice(HOLDER_LABELS), words.choice(ID_LABELS),
            words.choice(OCCUPATION_LABELS), words.choice(LEVEL_LABELS))


def render_skill_ecert(cert: Certificate, dpi: int, rng: random.Random,
                       varied: bool = False) -> PageSpec:
    """The e-certificate printout of a skill level certificate (A4 portrait).

    ``varied``: the cells headed with other platforms' words (the issuer and date; the
    holder, ID, occupation and level with the paper certificate's), and the printout's
    own time (打印时间, a date that is no field) in its foot; drawn from the
    certificate number, so every other draw of the packet stays as it was."""
    own = random.Random(f"ecert-style:{cert.number}")
    issuer_label, date_label = "认定单位", "认定日期"
    if varied and own.random() < 0.5:
        issuer_label, date_label = own.choice(ISSUER_LABELS), own.choice(DATE_LABELS)
    page = PageSpec(*A4, kind="skill_level_certificate", paper=(255, 255, 255))
    w = page.width
    tw = text_width_mm(ECERT_TITLE, "hei", 22)
    page.add(Text(w / 2 - tw / 2, 34, ECERT_TITLE, "hei", 22, TITLE_RED))
    sw = text_width_mm(ECERT_SUBTITLE, "song", 10)
    page.add(Text(w / 2 - sw / 2, 43, ECERT_SUBTITLE, "song", 10))
    page.add(Picture(w - 44, 12, qr_code(cert.number, 24, dpi), dpi, ink=False))
    page.add(Text(w - 41, 42, "扫码核验", "song", 9))
    holder, ident, occupation, level = _cell_words(cert.number, varied)
    rows: list[tuple[list[tuple[str, str]], str | None]] = [
        ([(holder, cert.holder_name), ("性别", "男" if cert.male else "女")], "holder_name"),
        ([(ident, cert.id_number)], "id_number"),
        ([(occupation, cert.occupation), (level, level_label(cert.level))], "occupation"),
        ([("证书编号", cert.number)], "certificate_number"),
        ([(issuer_label, cert.issuer)], "issuer"),
        ([(date_label, printed_date(cert.issue_date, rng)), ("证书状态", "有效")], "issue_date"),
    ]
    top = 56.0
    page.add(Line(COLUMNS[0], top, COLUMNS[-1], top, 0.3, GRID))
    for cells, key in rows:
        _row(page, top, cells, key)
        top += ROW_MM
    page.add(Rect(COLUMNS[0], 56.0, COLUMNS[-1], top, GRID, None, 0.6))
    page.add(Text(COLUMNS[0], top + 10, "本电子证书与纸质证书具有同等效力。", "song", 10))
    if varied and own.random() < 0.6:
        printed = cert.issue_date.toordinal() + own.randrange(30, 700)
        when = date.fromordinal(printed)
        page.add(Text(COLUMNS[0], 285, f"打印时间：{when.isoformat()} {own.randrange(8, 18):02d}:"
                      f"{own.randrange(60):02d}", "song", 9))
        page.phenomena.append("ecert_print_time")
    if (issuer_label, date_label) != ("认定单位", "认定日期") or (
            (holder, ident, occupation, level) != OWN_WORDS):
        page.phenomena.append("cert_label_words")
    stamp = seal(cert.issuer, dpi, rng, diameter_mm=36, bottom_text="电子印章", color=RED)
    page.add(Picture(w - 70 + rng.uniform(-4, 4), top + 14 + rng.uniform(-2, 2), stamp, dpi))
    return page
