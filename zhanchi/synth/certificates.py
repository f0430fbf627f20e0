"""职业技能等级证书 (one page, portrait or landscape) and 职业资格证书 (two booklet pages).

Labels are printed as listed in the module constants (the skill certificate's issuer and
date labels, its value column and extra boxes vary by :mod:`.cert_styles`), each
followed by a full-width colon, with the value to its right on the same baseline.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from zhanchi.synth.canvas import A4, RED, Line, Op, PageSpec, Picture, Rect, Text, text_width_mm
from zhanchi.synth.cert_styles import ENGLISH, LEADER, SkillStyle
from zhanchi.synth.content import Certificate
from zhanchi.synth.marks import id_photo, qr_code, seal
from zhanchi.synth.refdata import CN_DIGITS, level_label

SKILL_TITLE = "职业技能等级证书"
QUAL_TITLE = "职业资格证书"
SKILL_LABELS = ("姓名", "证件类型", "证件号码", "职业名称", "工种/职业方向", "职业技能等级",
                "证书编号", "发证日期", "评价机构名称")
QUAL_LABELS_P1 = ("姓名", "性别", "身份证号", "出生日期", "文化程度")
QUAL_LABELS_P2 = ("职业(工种)及等级", "理论知识考试成绩", "操作技能考核成绩", "评定成绩",
                  "证书编号", "发证日期", "发证机关")
QUERY_LINE = "证书查询网址：http://zscx.osta.org.cn"
FRAME = (150, 112, 48)
TITLE_RED = (160, 26, 30)
SUBLABEL = (90, 90, 90)
A5 = (148.0, 210.0)


def cn_date(d: date) -> str:
    """二〇二三年五月十日 (how official letters write dates)."""
    def num(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    year = "".join(CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{num(d.month)}月{num(d.day)}日"


def printed_date(d: date, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == 1:
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def _rows(page: PageSpec, rows: list[tuple[str, str]], x: float, y: float, *, step: float,
          pt: float, value_x: float | None = None, leaders: bool = False,
          english: bool = False) -> None:
    for label, value in rows:
        text = f"{label}："
        page.add(Text(x, y, text, "hei", pt))
        label_end = x + text_width_mm(text, "hei", pt)
        vx = value_x if value_x is not None else label_end + 2
        if leaders:
            dot = text_width_mm(LEADER, "song", pt)
            n = int((vx - label_end - 4) / dot)
            if n > 3:
                page.add(Text(label_end + 2, y, LEADER * n, "song", pt, FRAME))
        if english and label in ENGLISH:
            page.add(Text(x, y + pt * 0.36, ENGLISH[label], "song", pt * 0.55, SUBLABEL))
        page.add(Text(vx, y, value, "song", pt + 0.5))
        page.regions[label] = (vx, y - pt * 0.4, vx + text_width_mm(value, "song", pt + 0.5), y + 1.5)
        y += step


def _frame(page: PageSpec, margin: float) -> None:
    w, h = page.width, page.height
    page.add(Rect(margin, margin, w - margin, h - margin, FRAME, None, 1.6))
    page.add(Rect(margin + 2.5, margin + 2.5, w - margin - 2.5, h - margin - 2.5, FRAME, None, 0.4))


def _far_value_x(rows: list[tuple[str, str]], wanted: float, right: float) -> float:
    """A far value column: at ``wanted`` unless the longest value would run past ``right``."""
    widest = max(text_width_mm(v, "song", 13.5) for _, v in rows)
    return min(wanted, right - widest)


def render_skill(cert: Certificate, dpi: int, rng: random.Random,
                 style: SkillStyle | None = None) -> PageSpec:
    """The national 2022-format skill level certificate, printed in ``style`` (the
    national template when not given; see :mod:`.cert_styles`)."""
    st = style or SkillStyle()
    size = (A4[1], A4[0]) if cert.landscape else A4
    page = PageSpec(size[0], size[1], kind="skill_level_certificate", paper=(253, 251, 244))
    page.phenomena.extend(st.phenomena)
    _frame(page, 10)
    w = page.width
    tw = text_width_mm(SKILL_TITLE, "hei", 30)
    page.add(Text(w / 2 - tw / 2, 40, SKILL_TITLE, "hei", 30, TITLE_RED))
    sub = "SKILL LEVEL CERTIFICATE"
    page.add(Text(w / 2 - text_width_mm(sub, "song", 11) / 2, 49, sub, "song", 11, TITLE_RED))
    rows = [
        ("姓名", cert.holder_name), ("证件类型", "居民身份证"), ("证件号码", cert.id_number),
        ("职业名称", cert.occupation), ("工种/职业方向", "—"),
        ("职业技能等级", level_label(cert.level)), ("证书编号", cert.number),
        (st.date_label, printed_date(cert.issue_date, rng)), (st.issuer_label, cert.issuer),
    ]
    kw = {"leaders": st.leaders, "english": st.english}
    if cert.landscape and st.boxes_beside:
        # photo and QR in a column right of the values; labels at the far left
        page.add(Picture(w - 58, 60, id_photo(32, 42, dpi, rng), dpi, ink=False))
        _rows(page, rows, 28, 72, step=12.5, pt=13, value_x=_far_value_x(rows, 150, w - 64), **kw)
        qx, qy = w - 58, 128.0
    elif cert.landscape:
        page.add(Picture(30, 62, id_photo(32, 42, dpi, rng), dpi, ink=False))
        vx = _far_value_x(rows, 190, w - 18) if st.far else 126
        _rows(page, rows, 80, 72, step=12.5, pt=13, value_x=vx, **kw)
        qx, qy = (32.0, 140.0) if st.far else (w - 62, 120.0)
    else:
        page.add(Picture(w / 2 - 16, 62, id_photo(32, 42, dpi, rng), dpi, ink=False))
        x = 24 if st.far else 32
        vx = _far_value_x(rows, 122, w - 16) if st.far else 80
        _rows(page, rows, x, 128, step=14, pt=13, value_x=vx, **kw)
        qx, qy = 32.0, 250.0
    page.add(Picture(qx, qy, qr_code(cert.number, 26, dpi), dpi, ink=False))
    page.add(Text(32, page.height - 16, QUERY_LINE, "song", 9))
    if cert.landscape and st.boxes_beside:
        page.add(Text(qx, qy + 31, "扫码查验", "song", 9))
    else:
        page.add(Text(qx + 30, qy + 10, "扫码查验", "song", 9))
    # The seal is centred on the agency row, over the end of the agency's name (as on
    # real certificates); it must not blot out the number or the issue date, whose
    # loss would make a "clean" packet unreadable.
    ax, ay, name_end, _ = page.regions[st.issuer_label]
    stamp = seal(cert.issuer, dpi, rng, diameter_mm=40, bottom_text="职业技能等级认定专用章")
    cx = min(page.width - 35, max(ax + 30, name_end - rng.uniform(0, 6)))
    cy = ay + (6 if cert.landscape else 10) + rng.uniform(-1, 1)
    page.add(Picture(cx - stamp.width / dpi * 12.7, cy - stamp.height / dpi * 12.7, stamp, dpi))
    return page


def render_qualification(cert: Certificate, dpi: int, rng: random.Random) -> list[PageSpec]:
    """The older booklet: photo page and result page (both A5)."""
    p1 = PageSpec(*A5, kind="qualification_certificate", paper=(250, 248, 240))
    _frame(p1, 8)
    p1.add(Text(74 - text_width_mm("中华人民共和国", "song", 12) / 2, 28, "中华人民共和国", "song", 12))
    p1.add(Text(74 - text_width_mm(QUAL_TITLE, "hei", 24) / 2, 42, QUAL_TITLE, "hei", 24, TITLE_RED))
    p1.add(Picture(56, 52, id_photo(36, 46, dpi, rng), dpi, ink=False))
    rows = [("姓名", cert.holder_name), ("性别", "男" if cert.male else "女")]
    if cert.id_printed:
        rows.append(("身份证号", cert.id_number))
    else:
        rows.append(("出生日期", f"{cert.birth.year}年{cert.birth.month}月{cert.birth.day}日"))
    rows.append(("文化程度", cert.education))
    _rows(p1, rows, 22, 118, step=13, pt=12, value_x=52)

    p2 = PageSpec(*A5, kind="qualification_certificate", paper=(250, 248, 240))
    _frame(p2, 8)
    intro = "经鉴定考核合格，具备以下职业资格。"
    p2.add(Text(20, 28, intro, "song", 11))
    level_text = f"{cert.occupation} {level_label(cert.level)}"
    theory, practical = cert.scores
    grade = "优秀" if min(cert.scores) >= 90 else ("良好" if min(cert.scores) >= 80 else "合格")
    rows2 = [
        ("职业(工种)及等级", level_text), ("理论知识考试成绩", f"{theory}分"),
        ("操作技能考核成绩", f"{practical}分"), ("评定成绩", grade), ("证书编号", cert.number),
        ("发证日期", printed_date(cert.issue_date, rng)), ("发证机关", cert.issuer),
    ]
    _rows(p2, rows2, 16, 48, step=14, pt=11)
    p2.add(Line(16, 152, 132, 152, 0.3, FRAME))
    p2.add(Text(16, 162, "本证书在全国范围内有效。", "song", 10))
    ix, iy, _, _ = p2.regions["发证机关"]
    stamp = seal(cert.issuer, dpi, rng, diameter_mm=38, bottom_text="职业技能鉴定专用章", color=RED)
    p2.add(Picture(ix + rng.uniform(0, 20), iy - rng.uniform(18, 26), stamp, dpi))
    return [p1, p2]


def _shifted(op: Op, dx: float) -> Op:
    if isinstance(op, Text | Picture):
        return replace(op, x=op.x + dx)
    return replace(op, x0=op.x0 + dx, x1=op.x1 + dx)


def booklet_spread(pages: list[PageSpec]) -> PageSpec:
    """The booklet opened flat on the scanner: both A5 pages side by side on one sheet
    (landscape A4), a fold shadow between them."""
    left, right = pages
    sheet = PageSpec(A4[1], A4[0], kind=left.kind, paper=left.paper)
    sheet.phenomena.append("cert_booklet_spread")
    for dx, page in ((0.0, left), (A5[0], right)):
        sheet.ops.extend(_shifted(op, dx) for op in page.ops)
        sheet.regions.update({k: (a + dx, b, c + dx, d) for k, (a, b, c, d) in page.regions.items()})
    sheet.add(Line(A5[0], 4, A5[0], A4[0] - 4, 1.2, (200, 196, 186)))
    return sheet
