"""Family B's 职业技能等级证书 in three layouts: 2020 style, an organisation's, e-print.

``skill2020``: portrait, guilloche ground, photo top right, QR bottom right, labels
and values in a narrow column, issuer and date in a block at the foot with the seal
over both. ``org_wide``: landscape, label column and value column far apart (dotted
leaders), label words 发证机构/评价机构/认定日期. ``e_print``: the e-certificate printed
on plain paper, a ruled table, a crisp electronic seal over the issuer cell.
"""

from __future__ import annotations

import math
import random
from datetime import date

from zhanchi.synth.content import Certificate
from zhanchi.synth.family_b.faces import PRINT_FACES
from zhanchi.synth.family_b.marks import photo_box, qr, seal
from zhanchi.synth.family_b.sheet import Sheet
from zhanchi.synth.refdata import CN_DIGITS, LEVEL_NAMES

SKILL_LAYOUTS = ("skill2020", "org_wide", "e_print")
RED = (170, 30, 35)


def date_text(d: date, rng: random.Random, *, chinese: bool = True) -> str:
    """An issue date as certificates print it (Chinese numerals on some)."""
    style = rng.randrange(4 if chinese else 3)
    if style == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if style == 1:
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == 2:
        return f"{d.year}.{d.month:02d}.{d.day:02d}"

    def num(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (CN_DIGITS[n] if n < 10 else ("" if tens == 1 else CN_DIGITS[tens]) + "十"
                + (CN_DIGITS[ones] if ones else ""))
    return "".join(CN_DIGITS[int(c)] for c in str(d.year)) + f"年{num(d.month)}月{num(d.day)}日"


def level_text(level: int, rng: random.Random) -> str:
    num, name = LEVEL_NAMES[level]
    return rng.choice((f"{num}/{name}", num, name, f"{num}（{name}）"))


def _guilloche(sheet: Sheet, rng: random.Random) -> None:
    color = rng.choice(((226, 236, 244), (240, 228, 226), (232, 240, 228)))
    phase = rng.uniform(0, 6)
    for k in range(0, int(sheet.height), 6):
        pts = [(x, k + 2.5 * math.sin(x / 9 + phase + k / 17)) for x in range(0, int(sheet.width) + 3, 3)]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            sheet.line(x0, y0, x1, y1, 0.15, color)


def _seal_over(sheet: Sheet, cert: Certificate, cx: float, cy: float, rng: random.Random,
               *, crisp: bool = False, notes: tuple[str, ...] = ("seal_over_issuer",)) -> None:
    stamp = seal(cert.issuer, sheet.dpi, rng, bottom=rng.choice(("职业技能等级认定专用章", "证书专用章")),
                 oval=not crisp and rng.random() < 0.25, crisp=crisp, size_mm=rng.uniform(36, 44))
    sheet.ink(stamp, cx - sheet.mm(stamp.width) / 2, cy - sheet.mm(stamp.height) / 2)
    for n in notes:
        sheet.note(n)


def skill2020(cert: Certificate, dpi: int, rng: random.Random) -> Sheet:
    s = Sheet(210, 297, dpi, paper=(252, 251, 246), kind="skill_level_certificate", layout="skill2020")
    _guilloche(s, rng)
    s.rect(12, 12, 198, 285, outline=(120, 140, 170), width=1.0)
    title_face = rng.choice(("serif_bold", "sans_bold"))
    s.centred(46, "职业技能等级证书", title_face, rng.uniform(24, 30), RED, spacing=rng.uniform(0, 3))
    s.paste(photo_box(30, 40, dpi, rng), 150, 62)
    lf, vf = rng.choice(PRINT_FACES), rng.choice(PRINT_FACES)
    pt = rng.uniform(11.5, 13.5)
    gap = rng.uniform(28, 40)
    rows = [(rng.choice(("姓　　名", "姓名")), cert.holder_name), ("证件号码", cert.id_number),
            (rng.choice(("职业名称", "职业（工种）")), cert.occupation),
            (rng.choice(("职业技能等级", "等　　级")), level_text(cert.level, rng)),
            ("证书编号", cert.number)]
    y = 118.0
    for label, value in rows:
        s.text(28, y, label, lf, pt)
        s.text(28 + gap, y, value, vf, pt + 0.5)
        y += rng.uniform(12, 15)
    by = y + rng.uniform(18, 30)
    issuer_w = s.text(28, by, f"评价机构：{cert.issuer}", vf, pt)
    s.text(28, by + 11, f"发证日期：{date_text(cert.issue_date, rng)}", vf, pt)
    _seal_over(s, cert, 28 + issuer_w * rng.uniform(0.55, 0.8), by + 4 + rng.uniform(-2, 3), rng,
               notes=("seal_over_issuer", "seal_over_date"))
    s.paste(qr(f"https://zscx.osta.org.cn/?n={cert.number}", 28, dpi), 160, 240)
    s.text(160, 274, "扫码查验", "sans", 8)
    return s


def org_wide(cert: Certificate, dpi: int, rng: random.Random) -> Sheet:
    s = Sheet(297, 210, dpi, paper=(255, 253, 248), kind="skill_level_certificate", layout="org_wide")
    s.rect(8, 8, 289, 202, outline=(150, 30, 30), width=2.2)
    s.rect(11, 11, 286, 199, outline=(150, 30, 30), width=0.4)
    s.centred(34, "职业技能等级证书", rng.choice(("serif_bold", "sung")), rng.uniform(26, 32), RED,
              spacing=rng.uniform(2, 6))
    s.centred(44, "VOCATIONAL SKILL LEVEL CERTIFICATE", "serif", 9, RED)
    s.paste(photo_box(30, 40, dpi, rng), 28, 62)
    s.paste(qr(cert.number, 26, dpi), 250, 24)
    lf, vf = rng.choice(PRINT_FACES), rng.choice(PRINT_FACES)
    pt = rng.uniform(12, 14)
    lx, vx = rng.uniform(68, 76), rng.uniform(150, 175)
    issuer_label = rng.choice(("发证机构", "评价机构", "认定机构"))
    rows = [("姓名", "Name", cert.holder_name), ("身份证号", "ID No.", cert.id_number),
            ("职业（工种）", "Occupation", cert.occupation),
            ("职业技能等级", "Level", level_text(cert.level, rng)),
            ("证书编号", "Certificate No.", cert.number),
            (rng.choice(("发证日期", "认定日期", "颁证日期")), "Date of Issue",
             date_text(cert.issue_date, rng)),
            (issuer_label, "Issued by", cert.issuer)]
    y = 66.0
    step = rng.uniform(15, 18)
    for label, english, value in rows:
        lw = s.text(lx, y, label, lf, pt)
        s.text(lx, y + 4.2, english, "serif", 6.5, (90, 90, 90))
        s.dotted(lx + lw + 3, vx - 3, y, (160, 160, 160))
        end = vx + s.text(vx, y, value, vf, pt + 0.5)
        if label == issuer_label:
            _seal_over(s, cert, end - rng.uniform(5, 18), y - 2 + rng.uniform(-3, 3), rng)
        y += step
    return s


def e_print(cert: Certificate, dpi: int, rng: random.Random) -> Sheet:
    s = Sheet(210, 297, dpi, paper=(255, 255, 255), kind="skill_level_certificate", layout="e_print")
    band = rng.choice(((30, 80, 150), (160, 40, 40)))
    s.rect(15, 18, 195, 40, outline=None, fill=band)
    s.centred(33, "职业技能等级证书（电子证书）", "sans_bold", 17, (255, 255, 255))
    face = rng.choice(PRINT_FACES)
    pt = rng.uniform(10, 11.5)
    x0, x1, x2, x3 = 15.0, 48.0, 125.0, 195.0
    rows = [("姓名", cert.holder_name), ("证件类型", "居民身份证"), ("证件号码", cert.id_number),
            ("职业（工种）", cert.occupation), ("职业技能等级", level_text(cert.level, rng)),
            ("证书编号", cert.number), ("评价机构", cert.issuer),
            ("发证日期", date_text(cert.issue_date, rng, chinese=False))]
    y = 50.0
    h = rng.uniform(12, 15)
    issuer_cell = (0.0, 0.0)
    for label, value in rows:
        s.rect(x0, y, x1, y + h, outline=(60, 60, 60), fill=(238, 242, 248), width=0.25)
        s.rect(x1, y, x2 if label in ("姓名", "证件类型") else x3, y + h, outline=(60, 60, 60), width=0.25)
        s.text(x0 + 2, y + h * 0.65, label, face, pt)
        w = s.text(x1 + 3, y + h * 0.65, value, face, pt + 0.5)
        if label == "评价机构":
            issuer_cell = (x1 + 3 + w * 0.7, y + h / 2)
        y += h
    s.rect(x2, 50, x3, 50 + 2 * h, outline=(60, 60, 60), width=0.25)
    s.paste(photo_box(16, 2 * h - 4, dpi, rng), x3 - 20, 52)
    s.paste(qr(f"https://jndj.osta.org.cn/verify?no={cert.number}", 30, dpi), 20, y + 12)
    s.text(55, y + 22, "扫描二维码或登录技能人才评价证书查询系统验证", face, 9)
    stamp_at = f"打印时间：{cert.issue_date.year + 1}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} " \
        f"{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}"
    s.text(55, y + 30, stamp_at, face, 8, (90, 90, 90))
    _seal_over(s, cert, issuer_cell[0], issuer_cell[1], rng, crisp=True)
    s.text(15, 285, "本电子证书与纸质证书具有同等效力", face, 8, (110, 110, 110))
    return s


def render_skill_b(cert: Certificate, dpi: int, rng: random.Random, layout: str) -> Sheet:
    """One skill-certificate page in ``layout`` (one of :data:`SKILL_LAYOUTS`)."""
    page = {"skill2020": skill2020, "org_wide": org_wide, "e_print": e_print}[layout](cert, dpi, rng)
    page.note(f"layout:{layout}")
    return page
