"""Adapter for the ``paddleocr`` package (2.x and 3.x), for sites that have it.

Only used when ``paddleocr`` is importable *and* its models are already on disk: it
cannot download here. ``model_dir`` must hold ``det/`` and ``rec/`` inference model
folders (``cls/`` optional, 2.x only). Both result shapes are converted at once:

* 2.x ``PaddleOCR.ocr(img)`` → ``[[ [box4x2, (text, score)], … ]]`` (``[None]`` when empty);
* 3.x ``PaddleOCR.predict(img)`` → ``[{"rec_texts": […], "rec_scores": […],
  "rec_polys": [4×2, …]}]`` (dict-like ``OCRResult`` objects).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from zhanchi.errors import EngineUnavailableError, OcrEngineError
from zhanchi.models import OcrLine, OcrPage
from zhanchi.ocr.base import OcrEngine, Recognized, clamp01, make_page, to_bgr


class PaddleOcrEngine(OcrEngine):
    """PaddleOCR behind the project's interface; raises :class:`EngineUnavailableError`
    when the package or the local models are missing."""

    def __init__(self, model_dir: str | Path, *, lang: str = "ch", **kwargs: Any) -> None:
        try:
            import paddleocr
        except ImportError as exc:
            raise EngineUnavailableError("the paddleocr package is not installed") from exc
        root = Path(model_dir)
        det, rec, cls = root / "det", root / "rec", root / "cls"
        for d in (det, rec):
            if not d.is_dir() or not any(d.iterdir()):
                raise EngineUnavailableError(f"paddleocr model folder missing or empty: {d}")
        self.version = str(getattr(paddleocr, "__version__", "0"))
        self.major = int(self.version.split(".")[0] or 0) if self.version[:1].isdigit() else 0
        self.name = f"paddleocr-{self.version}/{root.name}"
        try:
            if self.major >= 3:
                self._ocr = paddleocr.PaddleOCR(
                    text_detection_model_dir=str(det), text_recognition_model_dir=str(rec),
                    use_doc_orientation_classify=False, use_doc_unwarping=False,
                    use_textline_orientation=False, lang=lang, **kwargs)
                self._rec = paddleocr.TextRecognition(model_dir=str(rec))
            else:
                extra = {"cls_model_dir": str(cls)} if cls.is_dir() else {}
                self._ocr = paddleocr.PaddleOCR(
                    det_model_dir=str(det), rec_model_dir=str(rec), use_angle_cls=False,
                    lang=lang, show_log=False, **extra, **kwargs)
                self._rec = None
        except Exception as exc:
            raise EngineUnavailableError(f"paddleocr failed to load: {type(exc).__name__}") from exc

    def read(self, image: np.ndarray) -> OcrPage:
        bgr = to_bgr(image)
        t0 = time.perf_counter()
        try:
            if self.major >= 3:
                lines = _lines_v3(self._ocr.predict(bgr), self.name)
            else:
                lines = _lines_v2(self._ocr.ocr(bgr, cls=False), self.name)
        except OcrEngineError:
            raise
        except Exception as exc:
            raise OcrEngineError(f"{self.name} failed on a page: {type(exc).__name__}") from exc
        return make_page(self.name, bgr, lines, round((time.perf_counter() - t0) * 1000))

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        if not crops:
            return []
        imgs = [to_bgr(c) for c in crops]
        try:
            if self._rec is not None:
                out = [(r["rec_text"], r["rec_score"]) for r in self._rec.predict(imgs)]
            else:
                out = [_rec_v2(self._ocr.ocr(img, det=False, cls=False)) for img in imgs]
        except OcrEngineError:
            raise
        except Exception as exc:
            raise OcrEngineError(f"{self.name} failed on line crops: {type(exc).__name__}") from exc
        if len(out) != len(imgs):
            raise OcrEngineError(f"{self.name}: recogniser returned a wrong number of results")
        return [Recognized(str(t), clamp01(s)) for t, s in out]


def _polygon(box: Any, engine: str) -> list[tuple[float, float]]:
    pts = np.asarray(box, dtype=np.float64)
    if pts.shape != (4, 2) or not np.isfinite(pts).all():
        raise OcrEngineError(f"{engine}: a line box is not 4 finite points")
    return [(round(float(x), 1), round(float(y), 1)) for x, y in pts]


def _lines_v2(result: Any, engine: str) -> list[OcrLine]:
    if not result or result[0] is None:
        return []
    lines = []
    for item in result[0]:
        try:
            box, (text, score) = item
        except (TypeError, ValueError) as exc:
            raise OcrEngineError(f"{engine}: unexpected 2.x result item") from exc
        lines.append(OcrLine(text=str(text), confidence=clamp01(score),
                             polygon=_polygon(box, engine)))
    return lines


def _lines_v3(results: Any, engine: str) -> list[OcrLine]:
    if not results:
        return []
    try:
        res = results[0]
        texts, scores, polys = res["rec_texts"], res["rec_scores"], res["rec_polys"]
    except (TypeError, KeyError, IndexError) as exc:
        raise OcrEngineError(f"{engine}: unexpected 3.x result") from exc
    if not (len(texts) == len(scores) == len(polys)):
        raise OcrEngineError(f"{engine}: texts, scores and polygons differ in number")
    return [OcrLine(text=str(t), confidence=clamp01(s), polygon=_polygon(p, engine))
            for t, s, p in zip(texts, scores, polys, strict=True)]


def _rec_v2(result: Any) -> tuple[str, float]:
    # 2.x with det=False: [[(text, score)]] for one image.
    try:
        text, score = result[0][0]
    except (TypeError, IndexError, ValueError) as exc:
        raise OcrEngineError("paddleocr 2.x: unexpected recognition result") from exc
    return str(text), float(score)
