"""A name run on over the printed （签字、手印）: doubtful, read from the blue pen alone.

Small examples rendered with family A's signature and print faces; the recogniser is
a stub (no model)."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from zhanchi.extractors.fields import Context
from zhanchi.extractors.gazetteer import get_gazetteer
from zhanchi.extractors.marks import Marks
from zhanchi.extractors.second_look.signer_hint import (
    OVER_HINT_CAP,
    blue_pen,
    over_hint,
    ran_into_hint,
)
from zhanchi.models import ExtractedField
from zhanchi.ocr.base import Recognized
from zhanchi.synth.canvas import INK, font
from zhanchi.synth.marks import signature

CTX = Context(get_gazetteer(()))


class Stub:
    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: list[np.ndarray] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        self.seen.extend(crops)
        return [Recognized(self.text, 0.95) for _ in crops]


def _row(into_hint: bool) -> tuple[np.ndarray, Marks]:
    """承诺人 row: the hint printed at x=420, the A signature ending over it or before it."""
    page = Image.new("RGB", (900, 300), "white")
    ImageDraw.Draw(page).text((420, 150), "（签字、手印）", font=font("song", 40), fill=INK, anchor="ls")
    sig, _ = signature("邵超霞", 200, random.Random(5))
    x = 420 - sig.size[0] + (60 if into_hint else -40)
    page.paste(sig, (x, 60), sig)
    box = sig.getchannel("A").getbbox()
    assert box is not None
    pen = [x + box[0], 60 + box[1], x + box[2], 60 + box[3]]
    marks = Marks(has_signature=True, signature_confidence=0.99, signature_bbox=pen,
                  has_fingerprint=False, fingerprint_confidence=0.99, scan_kind="colour",
                  pitch=40.0, hint_x0=420)
    return np.asarray(page)[:, :, ::-1].copy(), marks


def _read(value: str) -> ExtractedField:
    return ExtractedField(value=value, confidence=0.99, page=1, bbox=[0, 0, 10, 10], raw=value)


def test_the_blue_pen_is_kept_and_the_print_dropped() -> None:
    image, marks = _row(True)
    box = marks.signature_bbox or []
    inside = image[box[1]:box[3], box[0]:box[2]].astype(int)
    black = (inside.max(axis=2) < 120) & (inside.max(axis=2) - inside.min(axis=2) < 25)
    assert black.any()  # the hint's print lies in the pen box…
    crop = blue_pen(image, marks)
    assert crop is not None
    c = crop.astype(int)
    assert not ((c.max(axis=2) < 120) & (c.max(axis=2) - c.min(axis=2) < 25)).any()  # …and is gone
    assert (c[:, :, 0] - c[:, :, 2] >= 25).sum() > 200  # the pen is still there


def test_a_name_one_short_over_the_hint_is_continued_and_doubtful() -> None:
    image, marks = _row(True)
    assert ran_into_hint(marks)
    got = over_hint(_read("邵超"), image, Stub("邵超霞"), marks, CTX)  # type: ignore[arg-type]
    assert got.value == "邵超霞" and got.confidence <= OVER_HINT_CAP < 0.8
    got = over_hint(_read("邵超"), image, Stub("邵趙"), marks, CTX)  # type: ignore[arg-type]
    assert got.value == "邵超" and got.confidence <= OVER_HINT_CAP


def test_a_name_that_stops_before_the_hint_is_left_alone() -> None:
    image, marks = _row(False)
    assert not ran_into_hint(marks)
    stub = Stub("邵超霞")
    got = over_hint(_read("邵超霞"), image, stub, marks, CTX)  # type: ignore[arg-type]
    assert (got.value, got.confidence) == ("邵超霞", 0.99) and not stub.seen
