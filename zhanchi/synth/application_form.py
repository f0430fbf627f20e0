"""The 失业保险技能提升补贴申请表 that packets often carry beside the claim documents.

It shares much with a certificate: the applicant's name and ID number, the occupation
and level, often the certificate's name, number, issue date and issuer written into the
table. What it lacks is what makes a certificate one: a certificate's printed title and
label column, a seal of an assessment organisation over an issuer, a QR and photo.
Instead it has a table of cells, a heading that ends in 申请表, the applicant's
signature and empty office boxes (经办人, 审核意见, 盖章). Its expected type is
``unknown`` (layout ``application_form``); it is never a claim document.
"""

from __future__ import annotations

import random

from zhanchi.synth.canvas import Line, PageSpec, Picture, Rect, Text, text_width_mm
from zhanchi.synth.certificates import printed_date
from zhanchi.synth.content import Claim
from zhanchi.synth.marks import handwriting, signature
from zhanchi.synth.refdata import LEVEL_NAMES

TITLES = ("失业保险技能提升补贴申请表", "技能提升补贴申请表", "失业保险技能提升补贴申领表")
LEFT, RIGHT = 18.0, 192.0
LABEL_PT, HAND_PT = 11.0, 13.0


def _cell_text(page: PageSpec, x: float, y0: float, h: float, text: str) -> None:
    page.add(Text(x + 2, y0 + h / 2 + 1.6, text, "song", LABEL_PT))


def _hand(page: PageSpec, x: float, y0: float, h: float, text: str, dpi: int,
          rng: random.Random) -> None:
    if not text:
        return
    img, base = handwriting(text, HAND_PT, dpi, rng)
    page.add(Picture(x + rng.uniform(1.5, 3.5), y0 + h / 2 + 2.2 - base / dpi * 25.4, img, dpi))


def _row(page: PageSpec, y0: float, h: float, cells: list[tuple[str, str]], dpi: int,
         rng: random.Random) -> None:
    """One table row of (label, value) pairs sharing the width equally."""
    page.add(Rect(LEFT, y0, RIGHT, y0 + h, (30, 30, 30), None, 0.3))
    span = (RIGHT - LEFT) / len(cells)
    for i, (label, value) in enumerate(cells):
        x = LEFT + i * span
        label_w = max(24.0, text_width_mm(label, "song", LABEL_PT) + 5)
        if i:
            page.add(Line(x, y0, x, y0 + h, 0.3))
        page.add(Line(x + label_w, y0, x + label_w, y0 + h, 0.3))
        _cell_text(page, x, y0, h, label)
        _hand(page, x + label_w, y0, h, value, dpi, rng)


def render_application_form(claim: Claim, dpi: int, rng: random.Random) -> PageSpec:
    """A hand-filled application form: a table of the applicant's and the certificate's
    particulars, a signed declaration and the office's empty approval boxes."""
    page = PageSpec(kind="unknown")
    person, cert = claim.person, claim.certificate
    title = rng.choice(TITLES)
    tw = text_width_mm(title, "hei", 17)
    page.add(Text(105 - tw / 2, 30, title, "hei", 17))
    if rng.random() < 0.5:
        page.add(Text(LEFT, 40, "申请编号：", "song", 10))
    page.add(Text(RIGHT - 48, 40, "填表日期：    年   月   日", "song", 10))
    num, name = LEVEL_NAMES[cert.level]
    level = rng.choice((num, name, f"{num}/{name}"))
    cert_name = "职业技能等级证书" if cert.kind == "skill" else "职业资格证书"
    rows: list[list[tuple[str, str]]] = [
        [("姓名", person.name), ("性别", "男" if person.male else "女")],
        [(rng.choice(("身份证号码", "公民身份号码", "证件号码")), person.id_number)],
        [("联系电话", f"1{rng.randrange(30, 99)}{rng.randrange(10**7, 10**8)}"),
         ("参保地", cert.issuer[:3] if rng.random() < 0.5 else "")],
        [("参保单位", "")],
        [(rng.choice(("职业（工种）", "职业名称", "职业")), cert.occupation),
         (rng.choice(("等级", "技能等级")), level)],
    ]
    if rng.random() < 0.7:
        rows.append([("证书名称", cert_name), ("证书编号", cert.number if rng.random() < 0.7 else "")])
    if rng.random() < 0.5:
        rows.append([("发证日期", printed_date(cert.issue_date, rng)),
                     (rng.choice(("发证机构", "发证单位")), "")])
    rows.append([(rng.choice(("开户银行", "社保卡开户行")), ""), ("银行账号", "")])
    y, h = 46.0, rng.uniform(11, 14)
    for cells in rows:
        _row(page, y, h, cells, dpi, rng)
        y += h
    # the declaration with the applicant's signature
    page.add(Rect(LEFT, y, RIGHT, y + 30, (30, 30, 30), None, 0.3))
    page.add(Text(LEFT + 3, y + 8, "本人承诺以上所填信息真实有效，如有虚假愿承担相应责任。", "song", LABEL_PT))
    page.add(Text(LEFT + 70, y + 22, "申请人（签字）：", "song", LABEL_PT))
    sig, base = signature(person.name, dpi, rng)
    page.add(Picture(LEFT + 105, y + 23 - base / dpi * 25.4, sig, dpi))
    y += 30
    # the office's boxes, left empty
    for label in rng.sample(("经办人意见", "审核意见", "审批意见"), 2):
        page.add(Rect(LEFT, y, RIGHT, y + 28, (30, 30, 30), None, 0.3))
        page.add(Line(LEFT + 30, y, LEFT + 30, y + 28, 0.3))
        _cell_text(page, LEFT, y, 28, label)
        page.add(Text(RIGHT - 62, y + 20, "经办人：", "song", 10))
        page.add(Text(RIGHT - 62, y + 25.5, "（盖章）    年   月   日", "song", 10))
        y += 28
    page.add(Text(LEFT, y + 8, "注：本表一式两份，申请人填写后连同证书复印件一并提交。", "song", 9))
    return page
