"""The letter's handwritten values: the signer read from the pen alone, settled against
the page read, and the certificate number's residue and lost digits."""

from __future__ import annotations

import cv2
import numpy as np

from zhanchi.extractors.commitment_letter import (
    DISAGREE_CAP,
    UNSURE_WIPE_CAP,
    read_letter,
    settle_signer,
)
from zhanchi.extractors.fields import Context
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.sample_lines import lines_from_rows
from zhanchi.extractors.second_look.number_box import reread_number
from zhanchi.extractors.second_look.signer import pen_crop, read_pen
from zhanchi.models import ExtractedField
from zhanchi.ocr.fakes import FakeEngine

CTX = Context(get_gazetteer(()))
PEN = (60, 40, 30)  # blue-black ballpoint, BGR
RED = (70, 60, 210)  # ink-pad red, BGR


def name(value: str, conf: float) -> ExtractedField:
    return ExtractedField(value=value, confidence=conf, page=1, bbox=[0, 0, 10, 10], raw=value)


def test_agreeing_reads_keep_the_better_confidence() -> None:
    got = settle_signer(name("赵志欣", 0.67), None, name("赵志欣", 0.99))
    assert got is not None and (got.value, got.confidence) == ("赵志欣", 0.99)


def test_residue_around_the_page_read_gives_way_to_the_pen() -> None:
    for page_read in ("韩伟多", "保黄平瑶"):
        got = settle_signer(name(page_read, 0.9), None, name(page_read.strip("多保"), 0.98))
        assert got is not None and got.value == page_read.strip("多保") and got.confidence == 0.98


def test_a_gray_wipe_that_dropped_a_character_is_doubtful() -> None:
    got = settle_signer(name("黄娟鑫", 0.9), None, name("黄娟", 0.98), clean_wipe=False)
    assert got is not None and got.value == "黄娟鑫" and got.confidence <= UNSURE_WIPE_CAP


def test_hint_residue_on_the_pen_read_does_not_lengthen_the_name() -> None:
    got = settle_signer(name("吴超婷", 0.8), None, name("吴超婷字", 0.6))
    assert got is not None and got.value == "吴超婷" and got.confidence <= DISAGREE_CAP


def test_the_character_under_the_fingerprint_is_taken_from_the_pen() -> None:
    got = settle_signer(name("许平", 0.99), None, name("许平力", 0.97))
    assert got is not None and got.value == "许平力"


def test_disagreeing_reads_go_to_review() -> None:
    got = settle_signer(name("梁荣", 0.99), None, name("梁菜", 0.95))
    assert got is not None and got.confidence <= DISAGREE_CAP < 0.8


def test_without_a_pen_read_the_old_rules_apply() -> None:
    got = settle_signer(name("胡秀金", 0.9), name("胡秀金多", 0.9), None)
    assert got is not None and got.value == "胡秀金"


def _page(gray: bool = False) -> tuple[np.ndarray, Marks]:
    img = np.full((200, 400, 3), 255, np.uint8)
    cv2.line(img, (100, 100), (160, 100), PEN, 4)  # a stroke of the name
    cv2.line(img, (190, 80), (190, 130), PEN, 4)  # the last character, under the fingerprint
    ridges = np.full_like(img, 255)
    for r in range(6, 40, 6):  # concentric ridges, printed over the pen (ink darkens ink)
        cv2.circle(ridges, (200, 105), r, RED, 2)
    img = np.minimum(img, ridges)
    marks = Marks(has_signature=True, signature_confidence=1.0, signature_bbox=[95, 75, 215, 135],
                  has_fingerprint=True, fingerprint_confidence=1.0, fingerprint_bbox=[160, 65, 240, 145],
                  scan_kind="colour", pitch=40.0, fingerprint_kind="colour")
    if gray:
        g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        img = cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)
        ridge = int(np.median(g[(g < 200) & (g > 100)]))
        marks = marks.model_copy(update={"scan_kind": "gray", "fingerprint_kind": "gray",
                                         "fingerprint_ink_level": float(ridge)})
    return img, marks


def _ridge_left(crop: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """Dark pixels on the ridges away from the pen strokes (a ring at r=30 right of them)."""
    ys, xs = np.nonzero(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < 200)
    ys, xs = ys + box[1], xs + box[0]
    return int(((xs > 205) & (abs(np.hypot(xs - 200, ys - 105) - 30) < 3)).sum())


def test_colour_pen_crop_keeps_pen_and_drops_ridges() -> None:
    img, marks = _page()
    got = pen_crop(img, marks)
    assert got is not None
    crop, box = got
    assert _ridge_left(crop, box) == 0
    assert crop[90 - box[1], 190 - box[0]].max() < 120  # the stroke under a ridge stays


def test_gray_pen_crop_wipes_ridges_keeps_strokes_carrying_on() -> None:
    img, marks = _page(gray=True)
    got = pen_crop(img, marks)
    assert got is not None
    crop, box = got
    assert _ridge_left(crop, box) == 0
    assert crop[100 - box[1], 130 - box[0]].max() < 120  # the stroke outside it stays


def test_pen_crop_stops_at_the_printed_hint() -> None:
    img, marks = _page()
    got = pen_crop(img, marks.model_copy(update={"signature_bbox": [95, 75, 300, 135], "hint_x0": 230}))
    assert got is not None and got[1][2] == 230


def test_no_signature_box_no_pen_read() -> None:
    img, marks = _page()
    unsigned = marks.model_copy(update={"signature_bbox": None})
    assert read_pen(img, FakeEngine(region_text="韩伟"), unsigned, CTX) is None
    weak = marks.model_copy(update={"has_signature": False})  # a box of doubtful strokes
    assert read_pen(img, FakeEngine(region_text="韩伟"), weak, CTX) is None


def test_pen_read_strips_label_and_hint_residue() -> None:
    img, marks = _page()
    got = read_pen(img, FakeEngine(region_text="承诺人：韩伟(签", region_confidence=0.97), marks, CTX)
    assert got is not None and got.value == "韩伟" and got.confidence == 0.97


def test_a_fourth_character_from_the_pen_is_doubtful() -> None:
    img, marks = _page()
    got = read_pen(img, FakeEngine(region_text="韩伟多字", region_confidence=0.97), marks, CTX)
    assert got is not None and got.confidence < 0.8


ROWS = [
    "承诺书", "本人于2020年8月15日在江西（直辖市、自治区）",
    "获得电工四级（职业、等级）职业资格证书（职业技能等级证书），证书编号：",
    "{}", "承诺人：张三 (签字、手印)", "时间：2021年3月5日",
]


def test_trailing_o_after_a_full_number_is_the_full_stop() -> None:
    rows = [r.format("s000036078668254796891o") for r in ROWS]
    f = read_letter(lines_from_rows(rows), CTX)["certificate_number"]
    assert f.value == "S000036078668254796891" and f.confidence >= 0.8


def test_a_number_short_of_a_digit_is_reread_from_its_box() -> None:
    short = ExtractedField(value="254080953493919", confidence=0.6, page=1, bbox=[100, 100, 400, 130])
    img = np.full((300, 600, 3), 255, np.uint8)
    whole = reread_number(img, FakeEngine(region_text="号：2514080953493919", region_confidence=1.0), short, CTX)
    assert whole is not None and whole.value == "2514080953493919"
    again_short = reread_number(img, FakeEngine(region_text="254080953493919"), short, CTX)
    assert again_short is None  # a re-read no better is not taken


def test_a_signing_date_broken_by_a_seal_is_reread_from_its_row() -> None:
    from zhanchi.extractors.second_look.number_box import reread_sign_date

    rows = [[("承诺人：彭璐文", 100), ("(签字、手印)", 600)], [("时间：2022年", 100), ("月21日", 500)]]
    img = np.full((400, 900, 3), 255, np.uint8)
    engine = FakeEngine(region_text="时间：2022年7月21日", region_confidence=0.95)
    got = reread_sign_date(img, engine, lines_from_rows(rows), CTX)
    assert got is not None and got.value == "2022-07-21" and got.confidence < 0.95
    nothing = FakeEngine(region_text="时间：2022年 月21日")
    assert reread_sign_date(img, nothing, lines_from_rows(rows), CTX) is None
