"""The signature read character by character where a fingerprint lies on it.

Small examples rendered by family A (its font signature and its hurried hand), no
OCR model: the recogniser is a stub that answers cell by cell.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from PIL import Image

from zhanchi.extractors.fields import Context, make_field
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.second_look.signer import UNDER_PRINT_CAP, by_character
from zhanchi.extractors.second_look.signer_cells import cell_count
from zhanchi.models import ExtractedField
from zhanchi.ocr.base import Recognized
from zhanchi.synth.content import make_person
from zhanchi.synth.marks import signature
from zhanchi.synth.refdata import load_reference
from zhanchi.synth.signing import hurried_signature

CTX = Context(get_gazetteer(()))


class CellEngine:
    """Answers each recognised crop with the next of ``answers``."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.crops = 0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        self.crops += len(crops)
        return [Recognized(a, 0.9) for a in self.answers[: len(crops)]]


def _on_paper(img: Image.Image) -> np.ndarray:
    paper = Image.new("RGB", img.size, "white")
    paper.paste(img, (0, 0), img)
    return np.asarray(paper)[:, :, ::-1].copy()


@pytest.mark.parametrize(("draw", "exact"), [(signature, 1.0), (hurried_signature, 0.7)])
def test_the_pen_holds_as_many_cells_as_the_name_has_characters(draw: object, exact: float) -> None:
    ref = load_reference()
    right = 0
    for i in range(40):
        rng = random.Random(f"cells:{i}")
        name = make_person(rng, ref, date(2024, 6, 30)).name
        img, _ = draw(name, 200, rng)  # type: ignore[operator]
        n = cell_count(_on_paper(img))
        assert n <= len(name)  # never more characters than written: no false doubt
        right += n == len(name)
    assert right >= exact * 40


def _letter_row(name: str) -> tuple[np.ndarray, Marks]:
    """The A font signature on a page, a fingerprint box over its last character."""
    sig = _on_paper(signature(name, 200, random.Random(3))[0])
    page = np.full((400, 900, 3), 255, np.uint8)
    h, w = sig.shape[:2]
    page[100:100 + h, 100:100 + w] = sig
    ys, xs = np.nonzero(sig.min(axis=2) < 150)
    box = [100 + int(xs.min()), 100 + int(ys.min()), 100 + int(xs.max()), 100 + int(ys.max())]
    ink_h = box[3] - box[1]
    fp = [box[2] - ink_h, box[1] - ink_h // 2, box[2] + ink_h // 2, box[3] + ink_h // 2]
    marks = Marks(has_signature=True, signature_confidence=0.99, signature_bbox=box,
                  has_fingerprint=True, fingerprint_confidence=0.99, fingerprint_bbox=fp,
                  scan_kind="colour", pitch=40.0, fingerprint_kind="colour")
    return page, marks


def _read(value: str, conf: float = 0.99) -> ExtractedField:
    return ExtractedField(value=value, confidence=conf, page=1, bbox=[0, 0, 10, 10], raw=value)


def test_a_name_one_short_under_the_print_takes_the_cells_and_stays_doubtful() -> None:
    page, marks = _letter_row("邵超霞")
    got = by_character(_read("邵超"), page, CellEngine(["邵", "超", "霞"]), marks, CTX)  # type: ignore[arg-type]
    assert got.value == "邵超霞" and got.confidence <= UNDER_PRINT_CAP < 0.8


def test_cells_that_do_not_hold_the_line_read_only_make_it_doubtful() -> None:
    page, marks = _letter_row("邵超霞")
    got = by_character(_read("邵超"), page, CellEngine(["邵", "趙", "霞"]), marks, CTX)  # type: ignore[arg-type]
    assert got.value == "邵超" and got.confidence <= UNDER_PRINT_CAP


def test_a_name_as_long_as_the_pen_is_left_alone() -> None:
    page, marks = _letter_row("邵超霞")
    engine = CellEngine(["邵", "超", "霞"])
    got = by_character(_read("邵超霞"), page, engine, marks, CTX)  # type: ignore[arg-type]
    assert (got.value, got.confidence) == ("邵超霞", 0.99) and engine.crops == 0


def test_a_name_short_of_the_pen_is_doubtful_without_a_print_too() -> None:
    """Family A seed 2026126: a faxed signature's last character blotted black, the line
    read 孙萍 of 孙萍璐 at 0.999 with the fingerprint beside the pen, not on it. The pen
    holds three characters: doubtful, and the cells give the third."""
    page, marks = _letter_row("邵超霞")
    box = marks.signature_bbox or []
    beside = [box[2] + 200, box[1], box[2] + 300, box[3]]
    marks = marks.model_copy(update={"fingerprint_bbox": beside})
    got = by_character(_read("邵超"), page, CellEngine(["邵", "超", "霞"]), marks, CTX)  # type: ignore[arg-type]
    assert got.value == "邵超霞" and got.confidence <= UNDER_PRINT_CAP
    alone = marks.model_copy(update={"fingerprint_bbox": None, "has_fingerprint": False})
    got = by_character(_read("邵超"), page, CellEngine(["邵", "趙", "霞"]), alone, CTX)  # type: ignore[arg-type]
    assert got.value == "邵超" and got.confidence <= UNDER_PRINT_CAP


def test_a_name_read_as_one_character_is_doubtful() -> None:
    for raw in ("邵", "邵·"):
        got = make_field("name", raw, CTX, ocr_conf=0.99, bbox=None)
        assert got is not None and got.confidence < 0.8
    sure = make_field("name", "邵超", CTX, ocr_conf=0.99, bbox=None)
    assert sure is not None and sure.confidence >= 0.8
