"""The 承诺书 of 赣人社字〔2020〕332号, printed in Song and filled in by hand.

The printed wording is the seed's template verbatim; blanks are underlined gaps the
applicant writes over. One addition: the agency blank, which the seed text lost, is an
underlined gap right before （职业技能鉴定考核机构…名称）, as on the printed form.
"""

from __future__ import annotations

import random

from zhanchi.synth.canvas import Line, PageSpec, Picture, Text, text_width_mm
from zhanchi.synth.content import Letter
from zhanchi.synth.marks import fingerprint, handwriting, signature
from zhanchi.synth.signing import Signing, draw_signing, hurried_signature

TITLE = "承诺书"
OVER_NAME_SHARE = 0.2  # letters whose fingerprint is pressed over the name's last character
# (printed text, blank key, minimum blank width in mm); the blank follows the text.
PARAGRAPH_1: tuple[tuple[str, str | None, float], ...] = (
    ("本人于", "exam_year", 14), ("年", "exam_month", 8), ("月", "exam_day", 8),
    ("日在", "exam_province", 18), ("省（直辖市、自治区）", "exam_city", 22),
    ("（设区市）", "exam_county", 22), ("（县、市、区），参加了", "agency", 40),
    ("（职业技能鉴定考核机构或职业技能等级认定社会培训评价组织名称）组织开展的", "occupation", 22),
    ("职业（工种）职业技能考核鉴定考试，符合国家职业技能标准规定的报考条件，考试成绩合格，获得",
     "certificate_title", 26),
    ("（职业、等级）职业资格证书（职业技能等级证书），证书编号：", "certificate_number", 50),
    ("。", None, 0),
)
PARAGRAPH_2 = (
    "本人已知晓并充分理解申请失业保险技能提升补贴所需条件。本人承诺所接受的职业技能鉴定考核及"
    "所提供的信息、材料完全属实，如有不实或其他任一不符合申请失业保险技能提升补贴的情形，"
    "本人愿意退回已申领的补贴，并承担相应损失及法律责任。"
)
SIGNER_LABEL = "承诺人："
SIGN_HINT = "（签字、手印）"
DATE_LABEL = "时　间："
HANGING = set("，。、）：；")

LEFT, RIGHT = 25.0, 185.0
BODY_PT, HAND_PT = 14.5, 15.5
LINE_GAP = 11.0


class _Flow:
    """Lays printed runs and blanks into lines, left to right, top to bottom."""

    def __init__(self, page: PageSpec, y: float) -> None:
        self.page, self.x, self.y = page, LEFT, y
        self.run, self.run_x = "", LEFT

    def newline(self) -> None:
        self.flush()
        self.x, self.y = LEFT, self.y + LINE_GAP
        self.run_x = LEFT

    def flush(self) -> None:
        if self.run:
            self.page.add(Text(self.run_x, self.y, self.run, "song", BODY_PT))
        self.run, self.run_x = "", self.x

    def text(self, s: str) -> None:
        for ch in s:
            w = text_width_mm(ch, "song", BODY_PT)
            if self.x + w > RIGHT + 0.5 and ch not in HANGING:
                self.newline()
            if not self.run:
                self.run_x = self.x
            self.run += ch
            self.x += w

    def blank(self, key: str, width: float) -> tuple[float, float]:
        self.flush()
        if self.x + width > RIGHT + 0.5:
            self.newline()
        x0 = self.x
        self.page.add(Line(x0, self.y + 1.3, x0 + width, self.y + 1.3, 0.25))
        self.x += width
        self.run_x = self.x
        self.page.regions[key] = (x0, self.y - 7.5, x0 + width, self.y + 2.0)
        return x0, self.y


def _write(page: PageSpec, text: str, x: float, y: float, dpi: int, rng: random.Random) -> None:
    """Put handwritten ``text`` with its baseline at (x, y) mm."""
    if not text:
        return
    img, base = handwriting(text, HAND_PT * rng.uniform(0.95, 1.08), dpi, rng)
    page.add(Picture(x, y - base / dpi * 25.4, img, dpi))


def render_letter(letter: Letter, dpi: int, rng: random.Random, *, header: bool = True,
                  over_name: bool | None = None, signing: Signing | None = None) -> PageSpec:
    """The filled-in letter as a page description (regions name every blank);
    ``over_name``: the fingerprint pressed over the name's last character (None: drawn);
    ``signing``: the hand and the print's depth (None: drawn, see :mod:`.signing`)."""
    page = PageSpec(kind="commitment_letter")
    how = signing or draw_signing(f"{letter.signer}:{letter.number}:{letter.sign_date}")
    if header:
        page.add(Text(LEFT, 24, "附件", "hei", 14))
    tw = text_width_mm(TITLE, "song", 22)
    page.add(Text(105 - tw / 2, 42, TITLE, "song", 22, bold=True))
    blanks = letter.blanks()
    flow = _Flow(page, 62)
    flow.x = LEFT + 2 * text_width_mm("　", "song", BODY_PT)  # paragraph indent
    for printed, key, min_w in PARAGRAPH_1:
        flow.text(printed)
        if key is None:
            continue
        value = blanks[key]
        need = text_width_mm(value, "kai", HAND_PT) * 1.08 + 4 if value else 0
        x0, y = flow.blank(key, max(min_w, need))
        _write(page, value, x0 + rng.uniform(1.0, 2.5), y + rng.uniform(-0.4, 0.3), dpi, rng)
    flow.newline()
    flow.x = LEFT + 2 * text_width_mm("　", "song", BODY_PT)
    flow.text(PARAGRAPH_2)
    flow.flush()

    y_sig = flow.y + 26
    x_sig = 108.0
    page.add(Text(x_sig, y_sig, SIGNER_LABEL, "song", BODY_PT))
    gap_x = x_sig + text_width_mm(SIGNER_LABEL, "song", BODY_PT) + 1
    gap_w = 34.0
    page.add(Text(gap_x + gap_w, y_sig, SIGN_HINT, "song", BODY_PT))
    page.regions["signature"] = (gap_x, y_sig - 12, gap_x + gap_w, y_sig + 3)
    last_char: float | None = None  # the x (mm) of the signature's last character's centre
    if letter.signer:
        if how.hurried:  # its own draws: the page's others stay as they were
            img, base = hurried_signature(letter.signer, dpi, random.Random(f"hand:{letter.number}"))
            page.phenomena.append("hurried_signature")
        else:
            img, base = signature(letter.signer, dpi, rng)
        sig_x, sig_y = gap_x + rng.uniform(0, 4), y_sig + 1.0 - base / dpi * 25.4
        if how.placement == "over_hint":  # run on over the printed hint's first characters
            sig_x = gap_x + gap_w - img.size[0] / dpi * 25.4 * 0.55
            page.phenomena.append("signature_over_hint")
        elif how.placement == "raised":  # written above the line
            sig_y -= img.size[1] / dpi * 25.4 * 0.3
            page.phenomena.append("signature_raised")
        page.add(Picture(sig_x, sig_y, img, dpi))
        char_mm = img.size[1] / 1.9 / dpi * 25.4  # the signature's character size
        last_char = sig_x + img.size[0] / dpi * 25.4 - char_mm * 0.8
    if letter.has_fingerprint:
        fp = fingerprint(dpi, rng)
        fw, fh = fp.size[0] / dpi * 25.4, fp.size[1] / dpi * 25.4
        fx = gap_x + gap_w - fw * rng.uniform(0.4, 0.9)
        fy = y_sig - fh * rng.uniform(0.55, 0.8)
        # drawn apart from the page's own draws, so letters without it stay as they were
        over = random.Random(f"over_name:{fx}:{fy}")
        drawn = over.random() < OVER_NAME_SHARE
        if last_char is not None and (drawn if over_name is None else over_name):
            # pressed on the name itself: the print's middle on its last character
            fx = last_char - fw * over.uniform(0.4, 0.6)
            fy = y_sig - 3.5 - fh * over.uniform(0.4, 0.6)
            if how.deep_print:  # reaching on into the character before, and lower
                fx = last_char - fw * 0.5 - over.uniform(0.0, 0.5) * char_mm
                fy = y_sig - char_mm * 0.5 - fh * 0.5
            page.phenomena.append("fingerprint_over_name")
        page.add(Picture(fx, fy, fp, dpi))
        page.regions["fingerprint"] = (fx, y_sig - fh, fx + fw, y_sig + fh * 0.3)

    y_date = y_sig + 16
    page.add(Text(x_sig, y_date, DATE_LABEL, "song", BODY_PT))
    x = x_sig + text_width_mm(DATE_LABEL, "song", BODY_PT) + 1
    for key, unit, w in (("sign_year", "年", 17.0), ("sign_month", "月", 10.0), ("sign_day", "日", 10.0)):
        _write(page, blanks[key], x + rng.uniform(0.5, 1.5), y_date + rng.uniform(-0.5, 0.3), dpi, rng)
        page.regions[key] = (x, y_date - 7.5, x + w, y_date + 2)
        x += w
        page.add(Text(x, y_date, unit, "song", BODY_PT))
        x += text_width_mm(unit, "song", BODY_PT) + 1
    return page
