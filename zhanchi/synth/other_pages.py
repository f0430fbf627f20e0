"""The filing proof (备案证明) and the pages that are none of the claim documents:
an ID-card copy and a blank sheet (the application form is :mod:`.application_form`).
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from zhanchi.synth.canvas import A4, PageSpec, Picture, Rect, Text, font, text_width_mm
from zhanchi.synth.certificates import cn_date, printed_date
from zhanchi.synth.content import FilingProof, Person
from zhanchi.synth.marks import id_photo, mm_px, seal

PROOF_TITLE = "备案证明"
ID_FRONT_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
BLEED_TEXT = "本人参加了职业技能等级认定考核，取得证书，现申请技能提升补贴。"


def _wrap(page: PageSpec, text: str, x0: float, x1: float, y: float, pt: float, gap: float,
          indent: int = 2) -> float:
    """Typeset a paragraph between x0 and x1 from baseline y; returns the next baseline."""
    line, x = "", x0 + indent * text_width_mm("　", "song", pt)
    start = x
    for ch in text:
        w = text_width_mm(ch, "song", pt)
        if x + w > x1 and ch not in "，。、）：；":
            page.add(Text(start, y, line, "song", pt))
            line, x, start, y = "", x0, x0, y + gap
        line += ch
        x += w
    if line:
        page.add(Text(start, y, line, "song", pt))
    return y + gap


def render_proof(proof: FilingProof, dpi: int, rng: random.Random) -> PageSpec:
    """A short official letter: <agency> is filed with <province>人力资源和社会保障厅."""
    page = PageSpec(kind="filing_proof")
    tw = text_width_mm(PROOF_TITLE, "hei", 22)
    page.add(Text(105 - tw / 2, 48, PROOF_TITLE, "hei", 22))
    page.add(Text(150, 62, proof.filing_no, "song", 11))
    body = (
        f"兹证明{proof.agency}已纳入{proof.issuer}职业技能考核鉴定机构备案管理，"
        f"备案编号：{proof.filing_no}，可在备案范围内开展职业技能考核鉴定（职业技能等级认定）工作。"
    )
    y = _wrap(page, body, 25, 185, 84, 14, 10)
    y = _wrap(page, "特此证明。", 25, 185, y + 2, 14, 10)
    date_text = cn_date(proof.issue_date) if rng.random() < 0.6 else printed_date(proof.issue_date, rng)
    ix = 185 - text_width_mm(proof.issuer, "song", 14)
    page.add(Text(ix, y + 30, proof.issuer, "song", 14))
    dx = 185 - text_width_mm(date_text, "song", 14)
    page.add(Text(dx, y + 42, date_text, "song", 14))
    stamp = seal(proof.issuer, dpi, rng, diameter_mm=42)
    page.add(Picture(ix + rng.uniform(5, 25), y + 10, stamp, dpi))
    return page


def render_id_copy(person: Person, dpi: int, rng: random.Random) -> PageSpec:
    """Photocopy of both sides of an ID card on one sheet (grey, like copiers make it)."""
    page = PageSpec(kind="unknown", paper=(246, 246, 246))
    for top in (40.0, 120.0):
        page.add(Rect(52, top, 52 + 85.6, top + 54, (90, 90, 90), (225, 225, 225), 0.4))
    x, y = 57.0, 50.0
    birth = person.birth
    values = (person.name, "男" if person.male else "女", "汉",
              f"{birth.year}年{birth.month}月{birth.day}日", "江西省南昌市某某路88号")
    for label, value in zip(ID_FRONT_LABELS[:5], values, strict=True):
        page.add(Text(x, y, label, "hei", 7, (70, 70, 70)))
        page.add(Text(x + 11, y, value, "hei", 8, (20, 20, 20)))
        y += 7.5
    page.add(Text(x, 89, ID_FRONT_LABELS[5], "hei", 7, (70, 70, 70)))
    page.add(Text(x + 20, 89, person.id_number, "hei", 10, (20, 20, 20)))
    page.add(Picture(108, 46, id_photo(24, 30, dpi, rng).convert("L").convert("RGBA"), dpi, ink=False))
    page.add(Text(70, 140, "中华人民共和国", "hei", 14, (40, 40, 40)))
    page.add(Text(75, 152, "居民身份证", "hei", 16, (40, 40, 40)))
    page.add(Text(65, 165, "签发机关  某某市公安局", "hei", 7, (60, 60, 60)))
    page.add(Text(65, 170, "有效期限  2016.05.01-2036.05.01", "hei", 7, (60, 60, 60)))
    page.add(Text(60, 205, "仅供申领技能提升补贴使用", "kai", 14, (40, 40, 120)))
    return page


def _bleed(dpi: int, rng: random.Random) -> Image.Image:
    """The front's print seen through thin paper: mirrored, faint, soft."""
    w, h = mm_px(170, dpi), mm_px(rng.uniform(60, 150), dpi)
    canvas = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(canvas)
    f = font("song", mm_px(4.5, dpi))
    step = mm_px(11, dpi)
    for y in range(step, h, step):
        draw.text((0, y), BLEED_TEXT * 2, font=f, fill=255)
    canvas = ImageOps.mirror(canvas).filter(ImageFilter.GaussianBlur(max(1.0, dpi / 80)))
    alpha = np.asarray(canvas, np.float32) * rng.uniform(0.05, 0.1)
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., :3] = 60
    rgba[..., 3] = alpha.astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def render_blank(dpi: int, rng: random.Random) -> PageSpec:
    """An empty sheet (the back of a page the scanner picked up), often with the front's
    print showing faintly through it, mirrored."""
    shade = rng.randrange(244, 252)
    page = PageSpec(A4[0], A4[1], kind="unknown", paper=(shade, shade, shade - 2))
    if rng.random() < 0.6:
        page.add(Picture(20, rng.uniform(30, 120), _bleed(dpi, rng), dpi))
    return page
