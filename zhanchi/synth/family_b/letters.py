"""Family B's 承诺书 in four printed versions, filled in by a drawn :class:`Hand`.

``seed_above`` / ``seed_over``: the seed's wording exactly, where the agency has no
blank at all; the applicant writes the name above the printed placeholder
（职业技能鉴定考核机构或职业技能等级认定社会培训评价组织名称） or straight over it.
``hints``: an office's version with an agency blank before that placeholder.
``plain``: an agency blank and no placeholder. Margins, type size, face and line pitch
are drawn per letter, so blanks fall anywhere; a value that does not fit the rest of
its line may continue at the start of the next one, as people write.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from zhanchi.synth.content import BLANKS_OF, Letter
from zhanchi.synth.family_b.faces import PRINT_FACES, advance_mm
from zhanchi.synth.family_b.hand import Hand, faces_for, signing_hand, write, written_width_mm
from zhanchi.synth.family_b.marks import fingerprint
from zhanchi.synth.family_b.sheet import Sheet

LETTER_LAYOUTS = ("seed_above", "seed_over", "hints", "plain")
PLACEHOLDER = "（职业技能鉴定考核机构或职业技能等级认定社会培训评价组织名称）"
# (printed text before the blank, blank key); the seed's paragraph in order.
PARAGRAPH = (
    ("本人于", "exam_year"), ("年", "exam_month"), ("月", "exam_day"), ("日在", "exam_province"),
    ("省（直辖市、自治区）", "exam_city"), ("（设区市）", "exam_county"),
    ("（县、市、区），参加了", "agency"), (PLACEHOLDER + "组织开展的", "occupation"),
    ("职业（工种）职业技能考核鉴定考试，符合国家职业技能标准规定的报考条件，考试成绩合格，获得",
     "certificate_title"),
    ("（职业、等级）职业资格证书（职业技能等级证书），证书编号：", "certificate_number"),
    ("。", None),
)
PARAGRAPH_2 = (
    "本人已知晓并充分理解申请失业保险技能提升补贴所需条件。本人承诺所接受的职业技能鉴定考核及"
    "所提供的信息、材料完全属实，如有不实或其他任一不符合申请失业保险技能提升补贴的情形，"
    "本人愿意退回已申领的补贴，并承担相应损失及法律责任。"
)
NO_BREAK_BEFORE = set("，。、）：；")
MIN_BLANK = {"exam_year": 12.0, "exam_month": 7.0, "exam_day": 7.0, "agency": 45.0}


@dataclass
class _Flow:
    """Lays printed text and handwritten blanks into lines on the sheet."""

    sheet: Sheet
    left: float
    right: float
    y: float
    pitch: float
    face: str
    pt: float
    hand: Hand
    hand_pt: float
    rng: random.Random
    wrap_p: float
    x: float = 0.0
    segments: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)

    def newline(self) -> None:
        self.x, self.y = self.left, self.y + self.pitch

    def text(self, s: str, tag: str = "") -> None:
        for ch in s:
            w = advance_mm(ch, self.face, self.pt)
            if self.x + w > self.right + 0.3 and ch not in NO_BREAK_BEFORE:
                self.newline()
            self.sheet.text(self.x, self.y, ch, self.face, self.pt)
            if tag:
                segs = self.segments.setdefault(tag, [])
                if segs and abs(segs[-1][2] - self.y) < 0.01:
                    segs[-1] = (segs[-1][0], self.x + w, self.y)
                else:
                    segs.append((self.x, self.x + w, self.y))
            self.x += w

    def _put(self, key: str, value: str, width: float) -> None:
        x0 = self.x
        self.sheet.line(x0, self.y + 1.2, x0 + width, self.y + 1.2, 0.22)
        if value:
            put_writing(self.sheet, value, x0 + self.rng.uniform(0.8, 2.5),
                        self.y + self.rng.uniform(-0.6, 0.4), self.hand_pt, self.hand, self.rng)
        box = (x0, self.y - self.pitch * 0.6, x0 + width, self.y + 2.0)
        old = self.sheet.regions.get(key)
        self.sheet.regions[key] = box if old is None else (
            min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3]))
        self.x += width

    def blank(self, key: str, value: str) -> None:
        need = max(MIN_BLANK.get(key, 14.0), written_width_mm(value, self.hand_pt, self.hand) + 4)
        room = self.right - self.x
        if need <= room:
            self._put(key, value, need)
            return
        fit = 0
        while fit < len(value) and written_width_mm(value[:fit + 1], self.hand_pt, self.hand) + 3 < room:
            fit += 1
        if 1 <= fit < len(value) and self.rng.random() < self.wrap_p:
            self._put(key, value[:fit], room)
            self.newline()
            rest = value[fit:]
            self._put(key, rest, written_width_mm(rest, self.hand_pt, self.hand) + 5)
            self.sheet.note("value_wrapped")
            return
        self.newline()
        self._put(key, value, need)


def put_writing(sheet: Sheet, text: str, x: float, y: float, pt: float, hand: Hand,
                rng: random.Random) -> list[float]:
    """Write ``text`` with its baseline at (x, y) mm; returns each character's centre x."""
    if not text:
        return []
    face = faces_for(text, hand.face)
    w = write(text, pt, sheet.dpi, rng, replace(hand, face=face))
    sheet.ink(w.image, x, y - sheet.mm(w.baseline))
    return [x + sheet.mm(c) for c in w.centres]


def _agency_on_placeholder(flow: _Flow, value: str, over: bool) -> None:
    """Write the agency above (or over) the printed placeholder, wrapping with it."""
    segs = flow.segments.get("placeholder", [])
    rest = value
    pt = flow.hand_pt * (1.0 if over else 0.85)
    for i, (x0, x1, y) in enumerate(segs):
        if not rest:
            break
        fit = len(rest)
        while fit > 1 and written_width_mm(rest[:fit], pt, flow.hand) > x1 - x0 - 2 and i < len(segs) - 1:
            fit -= 1
        if fit < len(rest):
            flow.sheet.note("value_wrapped")
        base = y - flow.pt * 0.3528 * flow.rng.uniform(0.5, 0.75) if over else y - flow.pitch * flow.rng.uniform(0.45, 0.55)
        put_writing(flow.sheet, rest[:fit], x0 + flow.rng.uniform(1, 6), base, pt, flow.hand, flow.rng)
        flow.sheet.regions["agency"] = (x0, base - flow.pitch * 0.5, x1, base + 2)
        rest = rest[fit:]
    flow.sheet.note("agency_over_placeholder" if over else "agency_above_placeholder")


def render_letter(letter: Letter, dpi: int, rng: random.Random, *, hand: Hand, layout: str,
                  a5: bool = False) -> Sheet:
    """The filled-in letter; ``layout`` is one of :data:`LETTER_LAYOUTS`."""
    w, h = (148.0, 210.0) if a5 else (210.0, 297.0)
    k = w / 210.0
    sheet = Sheet(w, h, dpi, paper=(255, 255, rng.randrange(248, 256)), kind="commitment_letter",
                  layout=f"letter_{layout}")
    face = rng.choice(PRINT_FACES)
    pt = rng.uniform(11.5, 15.5) * (k ** 0.5)
    seed = layout.startswith("seed")
    pitch = pt * 0.3528 * (rng.uniform(2.3, 2.8) if seed else rng.uniform(1.75, 2.4))
    left, right = rng.uniform(16, 32) * k, w - rng.uniform(16, 30) * k
    top = rng.uniform(18, 34) * k
    if rng.random() < 0.6:
        sheet.text(left, top, "附件", rng.choice(("sans", "droid", face)), pt)
    sheet.centred(top + pitch * 1.6, "承诺书", rng.choice(("serif_bold", "sans_bold", face)),
                  pt * rng.uniform(1.4, 1.8), spacing=rng.choice((0.0, pt * 0.25)))
    flow = _Flow(sheet, left, right, top + pitch * 3.6, pitch, face, pt, hand,
                 pt * rng.uniform(1.0, 1.25), rng, wrap_p=0.7)
    flow.x = left + 2 * advance_mm("　", face, pt)
    blanks = letter.blanks()
    for printed, key in PARAGRAPH:
        if layout == "plain":
            printed = printed.replace(PLACEHOLDER, "")
        if PLACEHOLDER in printed:
            cut = printed.index(PLACEHOLDER)
            flow.text(printed[:cut])
            flow.text(PLACEHOLDER, tag="placeholder")
            flow.text(printed[cut + len(PLACEHOLDER):])
        else:
            flow.text(printed)
        if key is None:
            continue
        if key == "agency" and seed:
            continue  # no blank in the seed: written on the placeholder below
        flow.blank(key, blanks[key])
    if seed and blanks["agency"]:
        _agency_on_placeholder(flow, blanks["agency"], over=layout == "seed_over")
    flow.newline()
    flow.x = left + 2 * advance_mm("　", face, pt)
    flow.text(PARAGRAPH_2)
    _sign_block(sheet, letter, flow, blanks, rng)
    for name in letter.smudged:
        for key in BLANKS_OF.get(name, (name,)):
            sheet.note(f"smudge:{key}")
    return sheet


def _sign_block(sheet: Sheet, letter: Letter, flow: _Flow, blanks: dict[str, str],
                rng: random.Random) -> None:
    pt, face = flow.pt, flow.face
    x = rng.uniform(0.45, 0.6) * sheet.width
    y = flow.y + flow.pitch * rng.uniform(2.0, 3.2)
    label_w = sheet.text(x, y, "承诺人：", face, pt)
    gap = rng.uniform(26, 40) * sheet.width / 210
    sheet.text(x + label_w + gap, y, "（签字、手印）", face, pt)
    sx = x + label_w + rng.uniform(0.5, 3)
    sheet.regions["signature"] = (sx, y - 12, x + label_w + gap, y + 3)
    centres: list[float] = []
    if letter.signer:
        sign = signing_hand(flow.hand, rng)
        centres = put_writing(sheet, letter.signer, sx, y + rng.uniform(-1, 1.5), flow.hand_pt * 1.15,
                              sign, rng)
    if letter.has_fingerprint:
        fp = fingerprint(sheet.dpi, rng)
        fw, fh = sheet.mm(fp.width), sheet.mm(fp.height)
        if centres and rng.random() < 0.8:
            fx = centres[-1] - fw * rng.uniform(0.35, 0.65)  # pressed on the name's last character
            sheet.note("fingerprint_over_name")
        else:
            fx = x + label_w + gap + rng.uniform(-4, 8)
        fy = y - fh * rng.uniform(0.55, 0.8)
        sheet.ink(fp, fx, fy)
        sheet.regions["fingerprint"] = (fx, fy, fx + fw, fy + fh)
    yd = y + flow.pitch * rng.uniform(1.3, 1.8)
    dx = x + sheet.text(x, yd, "时　间：", face, pt) + 1
    for key, unit, width in (("sign_year", "年", 15.0), ("sign_month", "月", 9.0), ("sign_day", "日", 9.0)):
        put_writing(sheet, blanks[key], dx + rng.uniform(0.3, 1.5), yd + rng.uniform(-0.6, 0.4),
                    flow.hand_pt, flow.hand, rng)
        sheet.regions[key] = (dx, yd - 7, dx + width, yd + 2)
        dx += width
        dx += sheet.text(dx, yd, unit, face, pt) + 1
