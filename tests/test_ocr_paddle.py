"""PaddleOcrEngine against a fake ``paddleocr`` module in both result shapes.

The real package cannot download its models here, so a stand-in module is put into
``sys.modules``; its outputs copy PaddleOCR's documented shapes: 2.x ``ocr()`` returns
``[[ [box, (text, score)], … ]]`` (``[None]`` for a blank page) and 3.x ``predict()``
returns dict-like results with ``rec_texts``/``rec_scores``/``rec_polys``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zhanchi.errors import EngineUnavailableError, OcrEngineError
from zhanchi.ocr.paddle import PaddleOcrEngine

BOX = [[10.0, 20.0], [200.0, 20.0], [200.0, 50.0], [10.0, 50.0]]
IMG = np.full((300, 400, 3), 255, np.uint8)


def fake_paddleocr(version: str, page: Any = None, crash: bool = False) -> types.ModuleType:
    mod = types.ModuleType("paddleocr")
    mod.__version__ = version  # type: ignore[attr-defined]
    calls: list[tuple[str, dict[str, Any]]] = []
    mod.calls = calls  # type: ignore[attr-defined]

    class PaddleOCR:
        def __init__(self, **kwargs: Any) -> None:
            calls.append(("init", kwargs))

        def ocr(self, img: np.ndarray, det: bool = True, cls: bool = True) -> Any:  # 2.x
            if crash:
                raise RuntimeError("paddle exploded")
            if not det:
                return [[("电工", 0.93)]]
            return page if page is not None else [[[BOX, ("承诺书", 0.98)]]]

        def predict(self, img: np.ndarray) -> Any:  # 3.x
            if crash:
                raise RuntimeError("paddle exploded")
            if page is not None:
                return page
            return [{"rec_texts": ["承诺书"], "rec_scores": [0.98],
                     "rec_polys": [np.array(BOX, np.int16)], "dt_polys": [np.array(BOX)]}]

    class TextRecognition:
        def __init__(self, **kwargs: Any) -> None:
            calls.append(("rec", kwargs))

        def predict(self, imgs: list[np.ndarray]) -> list[dict[str, Any]]:
            return [{"rec_text": "电工", "rec_score": 0.93} for _ in imgs]

    mod.PaddleOCR = PaddleOCR  # type: ignore[attr-defined]
    mod.TextRecognition = TextRecognition  # type: ignore[attr-defined]
    return mod


@pytest.fixture
def models(tmp_path: Path) -> Path:
    for sub in ("det", "rec"):
        (tmp_path / "ppocr" / sub).mkdir(parents=True)
        (tmp_path / "ppocr" / sub / "inference.pdmodel").write_bytes(b"x")
    return tmp_path / "ppocr"


@pytest.mark.parametrize("version", ["2.7.3", "3.1.0"])
def test_reads_both_result_shapes(monkeypatch: pytest.MonkeyPatch, models: Path, version: str) -> None:
    mod = fake_paddleocr(version)
    monkeypatch.setitem(sys.modules, "paddleocr", mod)
    engine = PaddleOcrEngine(models)
    assert engine.name == f"paddleocr-{version}/ppocr"
    page = engine.read(IMG)
    assert (page.width, page.height) == (400, 300)
    assert [(ln.text, ln.confidence) for ln in page.lines] == [("承诺书", 0.98)]
    assert page.lines[0].polygon == [(10.0, 20.0), (200.0, 20.0), (200.0, 50.0), (10.0, 50.0)]
    regions = engine.read_regions(IMG, [(10, 60, 100, 90), (10, 100, 100, 130)])
    assert [ln.text for ln in regions] == ["电工", "电工"]
    init = mod.calls[0][1]  # type: ignore[attr-defined]
    assert str(models / "det") in init.values()  # local models only, no download names


def test_blank_page_in_2x_shape(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    monkeypatch.setitem(sys.modules, "paddleocr", fake_paddleocr("2.7.3", page=[None]))
    assert PaddleOcrEngine(models).read(IMG).lines == []


@pytest.mark.parametrize("version,page", [
    ("2.7.3", [[[BOX[:3], ("x", 0.9)]]]),  # a 3-point box
    ("2.7.3", [[["not a pair"]]]),
    ("3.1.0", [{"rec_texts": ["a", "b"], "rec_scores": [0.9], "rec_polys": [BOX]}]),
    ("3.1.0", [{"texts": []}]),
])
def test_bad_output_is_an_engine_error(monkeypatch: pytest.MonkeyPatch, models: Path,
                                       version: str, page: Any) -> None:
    monkeypatch.setitem(sys.modules, "paddleocr", fake_paddleocr(version, page=page))
    with pytest.raises(OcrEngineError):
        PaddleOcrEngine(models).read(IMG)


@pytest.mark.parametrize("version", ["2.7.3", "3.1.0"])
def test_crash_inside_paddle_is_an_engine_error(monkeypatch: pytest.MonkeyPatch, models: Path,
                                                version: str) -> None:
    monkeypatch.setitem(sys.modules, "paddleocr", fake_paddleocr(version, crash=True))
    with pytest.raises(OcrEngineError, match="failed on a page"):
        PaddleOcrEngine(models).read(IMG)


def test_unavailable_without_the_package(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    monkeypatch.setitem(sys.modules, "paddleocr", None)  # import paddleocr -> ImportError
    with pytest.raises(EngineUnavailableError, match="not installed"):
        PaddleOcrEngine(models)


def test_unavailable_without_local_models(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "paddleocr", fake_paddleocr("3.1.0"))
    with pytest.raises(EngineUnavailableError, match="model folder"):
        PaddleOcrEngine(tmp_path / "missing")
    (tmp_path / "empty" / "det").mkdir(parents=True)
    (tmp_path / "empty" / "rec").mkdir()
    with pytest.raises(EngineUnavailableError, match="model folder"):
        PaddleOcrEngine(tmp_path / "empty")


def test_get_engine_passes_the_model_dir(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    from zhanchi.ocr import registry

    monkeypatch.setitem(sys.modules, "paddleocr", fake_paddleocr("3.1.0"))
    monkeypatch.setattr(registry, "_cache", {})
    assert registry.get_engine("paddleocr", model_dir=models).name == "paddleocr-3.1.0/ppocr"
