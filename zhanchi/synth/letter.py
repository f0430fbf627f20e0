"""The 承诺书 of 赣人社字〔2020〕332号, printed in Song and filled in by hand.

The printed wording is the seed's template verbatim; blanks are underlined gaps the
applicant writes over. One addition: the agency blank, which the seed text lost, is an
underlined gap right before （职业技能鉴定考核机构…名称）, as on the printed form.

Offices print their own versions (:mod:`.letter_forms`): in a share of letters the
agency has no blank (the seed's wording, the name written above or over the printed
placeholder) or a blank without the placeholder, margins and sizes differ, and a value
that does not fit at a line's end continues on the next line.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

from PIL import Image

from zhanchi.synth.canvas import Line, PageSpec, Picture, Text, text_width_mm
from zhanchi.synth.content import Letter
from zhanchi.synth.letter_forms import (
    PHENOMENA,
    PLACEHOLDER,
    USUAL,
    WRAPPING,
    Form,
    draw_form,
    split_to_fit,
)
from zhanchi.synth.marks import fingerprint, handwriting, signature
from zhanchi.synth.signing import (
    HURRIED_WIDTH,
    Signing,
    draw_signing,
    hurried_hand,
    hurried_signature,
)

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

HAND_PT = USUAL.hand_pt


class _Flow:
    """Lays printed runs and blanks into lines, left to right, top to bottom."""

    def __init__(self, page: PageSpec, y: float, form: Form) -> None:
        self.page, self.form, self.x, self.y = page, form, form.left, y
        self.run, self.run_x = "", form.left
        self.starts: list[tuple[float, float]] = []  # (x, y) of each printed character

    def newline(self) -> None:
        self.flush()
        self.x, self.y = self.form.left, self.y + self.form.line_gap
        self.run_x = self.form.left

    def flush(self) -> None:
        if self.run:
            self.page.add(Text(self.run_x, self.y, self.run, "song", self.form.body_pt))
        self.run, self.run_x = "", self.x

    def text(self, s: str) -> None:
        for ch in s:
            w = text_width_mm(ch, "song", self.form.body_pt)
            if self.x + w > self.form.right + 0.5 and ch not in HANGING:
                self.newline()
            if not self.run:
                self.run_x = self.x
            self.starts.append((self.x, self.y))
            self.run += ch
            self.x += w

    def blank(self, key: str, width: float, rest: Callable[[float], float] | None = None
              ) -> list[tuple[float, float, float]]:
        """Underline a blank ``width`` mm long; returns its pieces (x0, x1, baseline y).
        ``rest``: a blank that does not fit continues on the next line, ``rest(room)`` mm
        long there (else it moves there whole)."""
        self.flush()
        room = self.form.right - self.x
        pieces: list[tuple[float, float, float]] = []
        if self.x + width > self.form.right + 0.5:
            if rest is not None and room >= 12:
                pieces.append((self.x, self.form.right, self.y))
                width = rest(room)
            self.newline()
        pieces.append((self.x, self.x + width, self.y))
        for x0, x1, y in pieces:
            self.page.add(Line(x0, y + 1.3, x1, y + 1.3, 0.25))
        self.x += width
        self.run_x = self.x
        x0, x1, y = max(pieces, key=lambda p: p[1] - p[0])
        self.page.regions[key] = (x0, y - 7.5, x1, y + 2.0)
        return pieces


Hand = Callable[[str, float, int, random.Random], tuple[Image.Image, int]]


def _hurried(text: str, pt: float, dpi: int, rng: random.Random) -> tuple[Image.Image, int]:
    """``text`` in the hurried hand, drawn from a stream of its own; the font's draws are
    made all the same, so the packet's other pages stay as they were."""
    handwriting(text, pt, dpi, rng)
    return hurried_hand(text, pt, dpi, random.Random(f"hurried:{text}:{pt}"))


def _write(page: PageSpec, text: str, x: float, y: float, dpi: int, rng: random.Random,
           hand_pt: float = HAND_PT, hand: Hand = handwriting) -> None:
    """Put ``text`` written in ``hand`` with its baseline at (x, y) mm."""
    if not text:
        return
    img, base = hand(text, hand_pt * rng.uniform(0.95, 1.08), dpi, rng)
    page.add(Picture(x, y - base / dpi * 25.4, img, dpi))


def _rest_width(value: str, room: float, form: Form) -> float:
    """The blank's length on the next line when ``room`` mm are left on this one."""
    _, rest = split_to_fit(value, room - 1.5, form.hand_pt)
    return max(10.0, text_width_mm(rest, "kai", form.hand_pt) * 1.08 + 4)


def _fill(page: PageSpec, value: str, pieces: list[tuple[float, float, float]], form: Form,
          dpi: int, rng: random.Random, hand: Hand) -> None:
    """Write ``value`` on a blank's pieces: what fits on the first, the rest on the next."""
    parts = [value]
    if len(pieces) == 2:
        head, rest = split_to_fit(value, pieces[0][1] - pieces[0][0] - 1.5, form.hand_pt)
        parts = [head, rest]
        if head and rest:
            page.phenomena.append("value_wrapped")
    for part, (x0, _, y) in zip(parts, pieces, strict=False):
        _write(page, part, x0 + rng.uniform(1.0, 2.5), y + rng.uniform(-0.4, 0.3), dpi, rng,
               form.hand_pt, hand)


def _agency_on_placeholder(page: PageSpec, value: str, starts: list[tuple[float, float]],
                           form: Form, dpi: int, rng: random.Random, hand: Hand) -> None:
    """The agency written above (``seed_above``) or over (``seed_over``) the printed
    placeholder whose characters start at ``starts``, from its first character on,
    continuing on the placeholder's next line (or the next line) when it runs out of room."""
    rows: list[tuple[float, float]] = []  # (first x, baseline y) of each line it spans
    for x, y in starts:
        if not rows or rows[-1][1] != y:
            rows.append((x, y))
    rows.append((form.left, rows[-1][1] + form.line_gap))
    body_mm = form.body_pt / 72 * 25.4
    boxes: list[tuple[float, float, float, float]] = []
    rest = value
    for i, (x, y) in enumerate(rows):
        if not rest:
            break
        head, rest = split_to_fit(rest, form.right - x, form.hand_pt)
        if i > 0 and head:
            page.phenomena.append("value_wrapped")
        if form.kind == "seed_above":
            base = y - body_mm * rng.uniform(0.95, 1.1)
        else:
            base = y + rng.uniform(-1.0, 0.8)
        x0 = x + rng.uniform(0.0, 3.0)
        _write(page, head, x0, base, dpi, rng, form.hand_pt, hand)
        boxes.append((x0, base - 7.5, x0 + text_width_mm(head, "kai", form.hand_pt), base + 2.0))
    if boxes:
        page.regions["agency"] = max(boxes, key=lambda b: b[2] - b[0])


def render_letter(letter: Letter, dpi: int, rng: random.Random, *, header: bool = True,
                  over_name: bool | None = None, form: Form | None = None,
                  signing: Signing | None = None) -> PageSpec:
    """The filled-in letter as a page description (regions name every blank);
    ``over_name``: the fingerprint pressed over the name's last character (None: drawn);
    ``form``: the printed version (None: drawn, :func:`.letter_forms.draw_form`);
    ``signing``: the hand and the print's depth (None: drawn, see :mod:`.signing`)."""
    form = draw_form(letter) if form is None else form
    how = signing or draw_signing(f"{letter.signer}:{letter.number}:{letter.sign_date}")
    if form.usual:
        return _render(letter, dpi, rng, header, over_name, form, how)
    # the usual form's draws are made all the same, so the packet's other pages stay as
    # they were; this form draws from its own stream
    _render(letter, dpi, rng, header, over_name, USUAL, how)
    return _render(letter, dpi, random.Random(f"letter_page:{form}:{letter.signer}"), header,
                   over_name, form, how)


def _render(letter: Letter, dpi: int, rng: random.Random, header: bool,
            over_name: bool | None, form: Form, how: Signing) -> PageSpec:
    page = PageSpec(kind="commitment_letter")
    if not form.usual:
        page.phenomena.append(PHENOMENA.get(form.kind, "letter_other_geometry"))
    if header:
        page.add(Text(form.left, 24, "附件", "hei", 14))
    tw = text_width_mm(TITLE, "song", 22)
    page.add(Text(105 - tw / 2, 42, TITLE, "song", 22, bold=True))
    blanks = letter.blanks()
    # the hurried hand is wider than the font's: its blanks are drawn to fit it
    hand, wide = (_hurried, HURRIED_WIDTH) if how.hurried_values else (handwriting, 1.0)
    if how.hurried_values:
        page.phenomena.append("hurried_values")
    flow = _Flow(page, 62, form)
    indent = 2 * text_width_mm("　", "song", form.body_pt)  # paragraph indent
    flow.x = form.left + indent
    for printed, key, min_w in PARAGRAPH_1:
        n0 = len(flow.starts)
        flow.text(form.occupation_lead(printed) if key == "occupation" else printed)
        if key == "occupation" and not form.has_agency_blank:
            starts = flow.starts[n0:n0 + len(PLACEHOLDER)]
            _agency_on_placeholder(page, blanks["agency"], starts, form, dpi, rng, hand)
        if key is None or (key == "agency" and not form.has_agency_blank):
            continue
        value = blanks[key]
        need = text_width_mm(value, "kai", form.hand_pt) * 1.08 * wide + 4 if value else 0
        rest = partial(_rest_width, value, form=form) if form.wrap and key in WRAPPING else None
        pieces = flow.blank(key, max(min_w, need), rest)
        _fill(page, value, pieces, form, dpi, rng, hand)
    flow.newline()
    flow.x = form.left + indent
    flow.text(PARAGRAPH_2)
    flow.flush()

    y_sig = flow.y + 26
    x_sig = 108.0
    page.add(Text(x_sig, y_sig, SIGNER_LABEL, "song", form.body_pt))
    gap_x = x_sig + text_width_mm(SIGNER_LABEL, "song", form.body_pt) + 1
    gap_w = 34.0
    page.add(Text(gap_x + gap_w, y_sig, SIGN_HINT, "song", form.body_pt))
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
    page.add(Text(x_sig, y_date, DATE_LABEL, "song", form.body_pt))
    x = x_sig + text_width_mm(DATE_LABEL, "song", form.body_pt) + 1
    for key, unit, w in (("sign_year", "年", 17.0), ("sign_month", "月", 10.0), ("sign_day", "日", 10.0)):
        _write(page, blanks[key], x + rng.uniform(0.5, 1.5), y_date + rng.uniform(-0.5, 0.3), dpi, rng,
               hand=hand)
        page.regions[key] = (x, y_date - 7.5, x + w, y_date + 2)
        x += w
        page.add(Text(x, y_date, unit, "song", form.body_pt))
        x += text_width_mm(unit, "song", form.body_pt) + 1
    return page
