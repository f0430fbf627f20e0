"""Family B's other pages: the 职业资格证书 booklet spread, the filing proof, and the
pages that are no claim document (expected type ``unknown``): an application form
(申请表) that carries the applicant's name, ID number, occupation and even the
certificate number, an ID-card copy, and the blank back of a sheet.
"""

from __future__ import annotations

import random

from zhanchi.synth.content import Certificate, FilingProof, Person
from zhanchi.synth.family_b.cert_skill import date_text, level_text
from zhanchi.synth.family_b.faces import PRINT_FACES
from zhanchi.synth.family_b.hand import Hand
from zhanchi.synth.family_b.letters import put_writing
from zhanchi.synth.family_b.marks import photo_box, seal
from zhanchi.synth.family_b.sheet import Sheet

GREY = (90, 90, 90)


def booklet(cert: Certificate, dpi: int, rng: random.Random) -> Sheet:
    """The older 职业资格证书 opened flat on the scanner: both inner pages on one sheet."""
    s = Sheet(297, 210, dpi, paper=(246, 242, 230), kind="qualification_certificate",
              layout="booklet_spread")
    s.rect(147, 0, 150, 210, outline=None, fill=(215, 210, 198))  # the fold
    face, vf = rng.choice(PRINT_FACES), rng.choice(PRINT_FACES)
    s.centred(24, "中华人民共和国职业资格证书", rng.choice(("serif_bold", "sung")), 13, (140, 30, 30), cx=74)
    s.paste(photo_box(28, 36, dpi, rng), 60, 32)
    rows = [("姓　　名", cert.holder_name), ("性　　别", "男" if cert.male else "女")]
    if cert.id_printed:
        rows.append(("身份证号码", cert.id_number))
    else:
        rows.append(("出生年月", f"{cert.birth.year}年{cert.birth.month}月"))
    rows.append(("文化程度", cert.education))
    y = 88.0
    for label, value in rows:
        s.text(18, y, label, face, 11)
        s.text(50, y, value, vf, 11.5)
        s.line(49, y + 1.5, 135, y + 1.5, 0.2, GREY)
        y += 15
    theory, practical = cert.scores
    rows2 = [("职业（工种）", cert.occupation), ("等　　级", level_text(cert.level, rng)),
             ("理论知识考试成绩", f"{theory}"), ("操作技能考核成绩", f"{practical}"),
             ("证书编号", cert.number), ("发证日期", date_text(cert.issue_date, rng)),
             ("发证机关", cert.issuer)]
    y = 34.0
    s.text(162, 24, "经鉴定考核合格，特发此证。", face, 10.5)
    for label, value in rows2:
        lw = s.text(162, y + 8, f"{label}：", face, 10.5)
        s.text(162 + max(lw, 36) + 1, y + 8, value, vf, 11)
        y += 14
    stamp = seal(cert.issuer, dpi, rng, bottom="职业技能鉴定专用章", size_mm=rng.uniform(34, 40))
    # centred between the date row and the issuer row, over both
    cx, cy = rng.uniform(200, 225), y - 14 + rng.uniform(-3, 2)
    s.ink(stamp, cx - s.mm(stamp.width) / 2, cy - s.mm(stamp.height) / 2)
    s.note("seal_over_issuer")
    s.note("seal_over_date")
    return s


def proof(p: FilingProof, dpi: int, rng: random.Random) -> Sheet:
    """备案证明 on an office letterhead, its issuer and date under a seal."""
    s = Sheet(210, 297, dpi, kind="filing_proof", layout="proof_letterhead")
    face = rng.choice(PRINT_FACES)
    s.centred(30, p.issuer, rng.choice(("serif_bold", "sans_bold")), 18, (180, 20, 20))
    s.line(20, 36, 190, 36, 0.8, (180, 20, 20))
    s.centred(56, "备案证明", face, 20, spacing=4)
    body = (f"{p.agency}已纳入{p.province}人力资源和社会保障厅职业技能考核鉴定机构备案管理，"
            f"备案编号：{p.filing_no}。")
    x, y = 30.0, 76.0
    for ch in "　　兹证明" + body:
        if x > 176:
            x, y = 24.0, y + 10
        x += s.text(x, y, ch, face, 13)
    s.text(30, y + 12, "特此证明。", face, 13)
    s.text(120, y + 40, p.issuer, face, 12)
    s.text(130, y + 50, date_text(p.issue_date, rng), face, 12)
    stamp = seal(p.issuer, dpi, rng, size_mm=40)
    s.ink(stamp, 130 + rng.uniform(-5, 10), y + 22 + rng.uniform(0, 8))
    s.note("seal_over_issuer")
    return s


def application_form(person: Person, cert: Certificate, dpi: int, rng: random.Random,
                     hand: Hand) -> Sheet:
    """A filled 申请表: name, ID number, occupation, level, even the certificate number."""
    s = Sheet(210, 297, dpi, kind="unknown", layout="application_form")
    face = rng.choice(PRINT_FACES)
    title = rng.choice(("失业保险技能提升补贴申请表", "职工技能提升补贴申领审核表", "技能提升补贴申请登记表"))
    s.centred(28, title, rng.choice(("sans_bold", "serif_bold")), 16)
    s.text(20, 40, f"申请日期：{rng.randrange(2021, 2026)}年  月  日", face, 10)
    rows = [("姓名", person.name), ("性别", "男" if person.male else "女"),
            ("公民身份号码", person.id_number), ("联系电话", f"1{rng.randrange(30, 99)}{rng.randrange(10**7, 10**8)}"),
            ("参保单位", ""), ("职业（工种）", cert.occupation),
            ("证书等级", level_text(cert.level, rng)), ("证书编号", cert.number if rng.random() < 0.6 else ""),
            ("发证日期", ""), ("开户银行", ""), ("银行卡号", ""), ("申请人签字", "")]
    y = 46.0
    for label, value in rows:
        s.rect(20, y, 190, y + 13, outline=(40, 40, 40), width=0.3)
        s.line(62, y, 62, y + 13, 0.3, (40, 40, 40))
        s.text(23, y + 8.5, label, face, 11)
        if value:
            put_writing(s, value, 66, y + 9.5, 12.5, hand, rng)
        y += 13
    s.text(20, y + 12, "经办机构审核意见：", face, 11)
    s.text(120, y + 40, "经办人：", face, 11)
    return s


def id_copy(person: Person, dpi: int, rng: random.Random) -> Sheet:
    """Both sides of an ID card photocopied on one sheet, with a 复印无效 note by hand."""
    s = Sheet(210, 297, dpi, kind="unknown", layout="id_copy")
    face = rng.choice(("sans", "droid"))
    ox, oy = rng.uniform(50, 70), rng.uniform(30, 60)
    s.rect(ox, oy, ox + 86, oy + 54, outline=(80, 80, 80), fill=(222, 222, 222), width=0.4)
    y = oy + 10
    for label, value in (("姓名", person.name), ("性别", "男" if person.male else "女"),
                         ("出生", f"{person.birth.year} 年 {person.birth.month} 月 {person.birth.day} 日")):
        s.text(ox + 5, y, label, face, 7, GREY)
        s.text(ox + 16, y, value, face, 8.5)
        y += 8
    s.text(ox + 5, oy + 48, "公民身份号码", face, 7, GREY)
    s.text(ox + 27, oy + 48, person.id_number, face, 9.5)
    s.paste(photo_box(22, 28, dpi, rng).convert("L"), ox + 60, oy + 8)
    by = oy + 70
    s.rect(ox, by, ox + 86, by + 54, outline=(80, 80, 80), fill=(228, 228, 228), width=0.4)
    s.centred(by + 20, "中华人民共和国", face, 12, cx=ox + 48)
    s.centred(by + 31, "居民身份证", face, 14, cx=ox + 48)
    s.text(ox + 10, by + 44, "签发机关", face, 6.5, GREY)
    s.text(ox + 10, by + 50, "有效期限", face, 6.5, GREY)
    return s


def blank_back(dpi: int, rng: random.Random) -> Sheet:
    """The back of a sheet: empty but for faint show-through and a punch hole."""
    tone = rng.randrange(240, 253)
    s = Sheet(210, 297, dpi, paper=(tone, tone, tone - 3), kind="unknown", layout="blank_back")
    for k in range(rng.randrange(3, 9)):
        y = 60 + k * 9
        s.rect(185 - rng.uniform(60, 150), y, 185, y + 1.6, outline=None,
               fill=(tone - 12, tone - 12, tone - 12))
    s.draw.ellipse((s.px(6), s.px(140), s.px(12), s.px(146)), fill=(120, 120, 120))
    return s
