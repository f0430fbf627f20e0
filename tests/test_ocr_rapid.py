"""RapidOcrEngine: the real ONNX models (slow), and its error wrapping (fast, no models)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from zhanchi.errors import EngineUnavailableError, OcrEngineError
from zhanchi.imaging import synthetic as syn
from zhanchi.ocr import OcrEngine, crop_quad, get_engine, rapid
from zhanchi.ocr.rapid import RapidOcrEngine, RapidSettings, _lines_from_output, _pieces


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    return get_engine("rapidocr")


@pytest.mark.slow
def test_reads_a_synthetic_letter(engine: OcrEngine) -> None:
    page_img, truth = syn.text_page(font="uming", size=33)
    page = engine.read(page_img)
    assert page.engine == engine.name and (page.width, page.height) == (1654, 2339)
    text = "".join(ln.text for ln in page.lines)
    for row in truth:
        assert row.replace("，", ",") in text.replace("，", ",")
    assert all(0.5 <= ln.confidence <= 1 for ln in page.lines)
    title = page.lines[0]
    assert title.text == "承诺书" and 500 < title.bbox[0] < title.bbox[2] < 1150
    # Region OCR and direction votes on the lines it just found.
    regions = engine.read_regions(page_img, [ln.polygon for ln in page.lines[:3]])
    assert [r.text for r in regions] == [ln.text for ln in page.lines[:3]]
    crops = [crop_quad(page_img, ln.polygon) for ln in page.lines[1:4]]
    assert all(v < -0.5 for v in engine.upside_down_votes(crops))
    assert all(v > 0.5 for v in engine.upside_down_votes([c[::-1, ::-1] for c in crops]))
    assert engine.read(np.full((400, 300, 3), 255, np.uint8)).lines == []
    # The pipeline's worker threads share one engine: concurrent reads must agree.
    with ThreadPoolExecutor(2) as pool:
        pages = list(pool.map(engine.read, [page_img, page_img]))
    assert all(p.lines == page.lines for p in pages)


def test_settings_name_and_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHANCHI_OCR_THREADS", raising=False)
    monkeypatch.delenv("ZHANCHI_OCR_DET_SIDE", raising=False)
    s = RapidSettings.from_options()
    assert s.threads == 0 and s.det_max_side == RapidSettings().det_max_side and not s.use_cls
    assert "+cls" in RapidSettings(use_cls=True).name
    monkeypatch.setenv("ZHANCHI_OCR_THREADS", "1")
    assert RapidSettings.from_options().threads == 1
    assert RapidSettings.from_options(threads=2).threads == 2  # explicit beats env
    assert RapidSettings.from_options(intra_op_num_threads=2).threads == 2
    assert RapidSettings.from_options(limit_side_len=1280).det_max_side == 1280
    with pytest.raises(EngineUnavailableError):
        RapidSettings.from_options(det_max_sid=1)


def test_missing_models_never_download(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setattr(rapid, "model_dir", lambda: tmp_path)
    with pytest.raises(EngineUnavailableError, match="models missing"):
        RapidOcrEngine()


class _Boom:
    def __call__(self, *a: Any, **k: Any) -> Any:
        raise RuntimeError("onnx exploded")


def _bare_engine() -> RapidOcrEngine:
    eng = RapidOcrEngine.__new__(RapidOcrEngine)  # skip model loading
    eng.settings = RapidSettings()
    eng.name = eng.settings.name
    eng._ocr = eng._rec = eng._cls = _Boom()
    return eng


def test_exceptions_inside_rapidocr_become_engine_errors() -> None:
    eng = _bare_engine()
    img = np.full((60, 200, 3), 255, np.uint8)
    with pytest.raises(OcrEngineError, match="failed on a page: RuntimeError"):
        eng.read(img)
    with pytest.raises(OcrEngineError):
        eng.recognize([img])
    with pytest.raises(OcrEngineError):
        eng.upside_down_votes([img])


class _Out:
    def __init__(self, boxes: Any, txts: Any, scores: Any) -> None:
        self.boxes, self.txts, self.scores = boxes, txts, scores


def test_bad_rapidocr_output_is_an_engine_error() -> None:
    box = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], np.float32)
    assert _lines_from_output(_Out(None, None, None), "e") == []
    ok = _lines_from_output(_Out(np.array([box]), ("电工",), (np.float32(1.0000001),)), "e")
    assert ok[0].confidence == 1.0 and ok[0].polygon[2] == (10.0, 5.0)
    with pytest.raises(OcrEngineError):
        _lines_from_output(_Out(np.array([box]), ("a", "b"), (0.9, 0.9)), "e")
    with pytest.raises(OcrEngineError):
        _lines_from_output(_Out(np.array([box[:3]]), ("a",), (0.9,)), "e")
    with pytest.raises(OcrEngineError):
        _lines_from_output(_Out(np.array([box * np.nan]), ("a",), (0.9,)), "e")


def test_long_lines_are_cut_into_classifier_pieces() -> None:
    assert len(_pieces(np.zeros((40, 150, 3), np.uint8))) == 1
    pieces = _pieces(np.zeros((40, 1600, 3), np.uint8))
    assert len(pieces) == 10 and all(p.shape[1] <= 160 for p in pieces)
