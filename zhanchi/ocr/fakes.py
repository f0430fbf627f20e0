"""Engines for tests and dry runs: fake (given lines), crashing and null.

OCRmyPDF keeps the same trio: the null engine proves the pipeline copes with pages
without text, the crashing one that an engine failure becomes one clear outcome, and
the fake one lets extractors and checks be tested without any model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from zhanchi.errors import OcrEngineError
from zhanchi.models import OcrLine, OcrPage
from zhanchi.ocr.base import OcrEngine, Recognized, make_page, to_bgr


class NullEngine(OcrEngine):
    """Reads nothing: every page comes back without lines."""

    name = "null"

    def read(self, image: np.ndarray) -> OcrPage:
        return make_page(self.name, to_bgr(image), [], 0)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        return [Recognized("", 0.0) for _ in crops]

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        return [0.0] * len(crops)  # no opinion: orientation falls back to "as scanned"


class FakeEngine(OcrEngine):
    """Returns the lines it was given, whatever the image.

    ``lines`` may also be a function of the image, for tests that need the output to
    depend on it (for example on its size). ``region_text`` is what :meth:`recognize`
    answers for every crop; ``upside_down`` sets the vote returned for every crop.

    >>> FakeEngine([OcrLine(text="承诺书", confidence=0.9,
    ...             polygon=[(0, 0), (9, 0), (9, 9), (0, 9)])]).read(np.zeros((20, 20), np.uint8)).lines[0].text
    '承诺书'
    """

    def __init__(self, lines: Sequence[OcrLine] | Callable[[np.ndarray], list[OcrLine]] = (),
                 *, region_text: str = "", region_confidence: float = 0.9,
                 upside_down: float = -1.0, name: str = "fake") -> None:
        self._lines = lines
        self.region = Recognized(region_text, region_confidence)
        self.upside_down = upside_down
        self.name = name
        self.calls: list[str] = []  # which methods ran, for tests that count OCR passes

    def read(self, image: np.ndarray) -> OcrPage:
        self.calls.append("read")
        bgr = to_bgr(image)
        lines = self._lines(bgr) if callable(self._lines) else list(self._lines)
        return make_page(self.name, bgr, lines, 0)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        self.calls.append("recognize")
        return [self.region for _ in crops]

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        self.calls.append("upside_down_votes")
        return [self.upside_down] * len(crops)


class CrashingEngine(OcrEngine):
    """Fails on every call the way a broken engine does: with :class:`OcrEngineError`.

    With ``raw=True`` it raises a plain ``RuntimeError`` instead, for testing that the
    caller's safety net turns foreign exceptions into outcomes too.
    """

    name = "crashing"

    def __init__(self, *, raw: bool = False) -> None:
        self.raw = raw

    def _fail(self) -> OcrEngineError:
        if self.raw:
            raise RuntimeError("simulated engine crash")
        return OcrEngineError("crashing engine: simulated failure")

    def read(self, image: np.ndarray) -> OcrPage:
        raise self._fail()

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        raise self._fail()

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        raise self._fail()


def line(text: str, box: tuple[int, int, int, int], confidence: float = 0.95) -> OcrLine:
    """A convenience :class:`OcrLine` from a rectangle, for tests and fixtures."""
    x0, y0, x1, y1 = box
    return OcrLine(text=text, confidence=confidence,
                   polygon=[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
