"""Finding the printed hint by template matching when OCR dropped it."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from zhanchi.extractors.marks_hint import HINT, PREFIX, find_printed

FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"


def row_with(text: str, at: int, size: int = 40, width: int = 1200) -> np.ndarray:
    """A row of dark ink (True) with ``text`` printed at ``at``."""
    img = Image.new("L", (width, size * 3), 0)
    ImageDraw.Draw(img).text((at, size), text, font=ImageFont.truetype(FONT, size), fill=255)
    return np.asarray(img, np.uint8) > 128


def ink_left(text: str, at: int, size: int = 40) -> int:
    """Where the ink of ``text`` drawn at ``at`` begins (（ has a wide left bearing)."""
    return int(np.nonzero(row_with(text, at, size).any(axis=0))[0][0])


def test_the_hint_is_found_where_it_was_printed() -> None:
    row = row_with("承诺人：　　　　　　" + HINT, 30)
    found = find_printed(HINT, row, 40.0)
    assert found is not None
    (x0, y0, x1, y1), score = found
    assert abs(x0 - ink_left(HINT, 30 + 10 * 40)) < 6 and score > 0.8
    prefix = find_printed(PREFIX, row, 40.0)
    assert prefix is not None and abs(prefix[0][0] - ink_left(PREFIX, 30)) < 6


def test_the_hint_is_found_under_scribbles_at_another_pitch() -> None:
    row = row_with(HINT, 500, size=44)
    rng = np.random.default_rng(1)
    for _ in range(6):  # pen strokes across it
        x, y = int(rng.integers(480, 800)), int(rng.integers(40, 90))
        row[y : y + 4, x : x + 120] = True
    found = find_printed(HINT, row, 40.0)
    assert found is not None and abs(found[0][0] - ink_left(HINT, 500, 44)) < 8


def test_blank_paper_and_other_text_are_not_the_hint() -> None:
    assert find_printed(HINT, np.zeros((120, 1200), bool), 40.0) is None
    assert find_printed(HINT, row_with("时　间：　　年　月　日", 30), 40.0) is None
