"""The engine interface with fake, null and crashing engines; get_engine; lazy loading."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np
import pytest

from zhanchi.errors import EngineUnavailableError, OcrEngineError
from zhanchi.models import OcrPage
from zhanchi.ocr import (
    CrashingEngine,
    FakeEngine,
    NullEngine,
    OcrEngine,
    Recognized,
    as_quad,
    crop_quad,
    engine_name,
    get_engine,
    image_sha256,
    registry,
)
from zhanchi.ocr.fakes import line


def test_fake_engine_returns_its_lines_in_the_image_frame() -> None:
    fake = FakeEngine([line("承诺书", (10, 5, 90, 30))])
    page = fake.read(np.zeros((120, 200), np.uint8))  # grey input is accepted
    assert isinstance(page, OcrPage)
    assert (page.width, page.height, page.engine) == (200, 120, "fake")
    assert [ln.text for ln in page.lines] == ["承诺书"]
    assert page.lines[0].bbox == (10, 5, 90, 30)


def test_fake_engine_lines_may_depend_on_the_image() -> None:
    fake = FakeEngine(lambda img: [line(f"w{img.shape[1]}", (0, 0, 5, 5))])
    assert fake.read(np.zeros((10, 33, 3), np.uint8)).lines[0].text == "w33"


def test_null_engine_reads_nothing_and_has_no_opinion() -> None:
    null = NullEngine()
    assert null.read(np.zeros((10, 10, 3), np.uint8)).lines == []
    assert null.upside_down_votes([np.zeros((5, 20, 3), np.uint8)]) == [0.0]
    assert null.recognize([np.zeros((5, 20, 3), np.uint8)]) == [Recognized("", 0.0)]


def test_crashing_engine_raises_engine_errors() -> None:
    img = np.zeros((10, 10, 3), np.uint8)
    with pytest.raises(OcrEngineError):
        CrashingEngine().read(img)
    with pytest.raises(OcrEngineError):
        CrashingEngine().read_regions(img, [(0, 0, 5, 5)])
    with pytest.raises(RuntimeError):
        CrashingEngine(raw=True).read(img)


@pytest.mark.parametrize("bad", [np.zeros((0, 0, 3), np.uint8), np.zeros((5, 5), np.float32),
                                 np.zeros((5, 5, 2), np.uint8)])
def test_bad_images_are_engine_errors(bad: np.ndarray) -> None:
    with pytest.raises(OcrEngineError):
        NullEngine().read(bad)


def test_read_regions_keeps_order_and_boxes() -> None:
    fake = FakeEngine(region_text="电工", region_confidence=0.8)
    img = np.full((100, 200, 3), 255, np.uint8)
    boxes = [(10, 10, 110, 40), [(5, 50), (150, 55), (149, 80), (4, 75)]]
    lines = fake.read_regions(img, boxes)
    assert [ln.text for ln in lines] == ["电工", "电工"]
    assert lines[0].polygon == [(10, 10), (110, 10), (110, 40), (10, 40)]
    assert lines[1].polygon[1] == (150, 55)
    assert fake.read_regions(img, []) == []


class _ShortEngine(NullEngine):
    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        return []


def test_read_regions_rejects_a_wrong_number_of_results() -> None:
    with pytest.raises(OcrEngineError, match="2 regions"):
        _ShortEngine().read_regions(np.zeros((50, 50, 3), np.uint8), [(0, 0, 9, 9), (9, 9, 20, 20)])


class _TopHeavyEngine(OcrEngine):
    """Recognises 'upright' crops (ink in the top half) with high confidence."""

    name = "top-heavy"

    def read(self, image: np.ndarray) -> OcrPage:
        raise NotImplementedError

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        out = []
        for c in crops:
            half = c.shape[0] // 2
            top, bottom = (255 - c[:half]).mean(), (255 - c[half:]).mean()
            out.append(Recognized("x", 0.95 if top > bottom else 0.4))
        return out


def test_generic_upside_down_votes_compare_confidence_both_ways() -> None:
    crop = np.full((20, 80, 3), 255, np.uint8)
    crop[2:8] = 0  # ink near the top: "upright" for this engine
    votes = _TopHeavyEngine().upside_down_votes([crop, cv2.rotate(crop, cv2.ROTATE_180)])
    assert votes[0] < 0 < votes[1]
    assert _TopHeavyEngine().upside_down_votes([]) == []


def test_crop_quad_straightens_a_slanted_line_and_lays_tall_boxes_down() -> None:
    img = np.full((200, 300, 3), 255, np.uint8)
    quad = [(50.0, 60.0), (250.0, 80.0), (248.0, 110.0), (48.0, 90.0)]
    crop = crop_quad(img, quad)
    assert crop.shape[1] > crop.shape[0] and abs(crop.shape[1] - 201) <= 1
    tall = crop_quad(img, as_quad((10, 10, 30, 110)))
    assert tall.shape[:2] == (20, 100)


def test_as_quad_rejects_other_shapes() -> None:
    with pytest.raises(OcrEngineError):
        as_quad((1, 2, 3))


def test_image_hash_depends_on_shape_and_pixels() -> None:
    a = np.zeros((4, 6), np.uint8)
    assert image_sha256(a) != image_sha256(a.reshape(6, 4))
    assert image_sha256(a) == image_sha256(a.copy())
    b = a.copy()
    b[0, 0] = 1
    assert image_sha256(a) != image_sha256(b)


def test_get_engine_builds_once_per_name_and_options(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[dict[str, Any]] = []

    def factory(**options: Any) -> OcrEngine:
        built.append(options)
        return FakeEngine(name=f"fake{len(built)}")

    monkeypatch.setitem(registry.FACTORIES, "counting", factory)
    monkeypatch.setattr(registry, "_cache", {})
    threads = [threading.Thread(target=get_engine, args=("counting",), kwargs={"k": 1})
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1
    assert get_engine("counting", k=1) is get_engine("counting", k=1)
    assert get_engine("counting", k=2).name == "fake2"
    assert engine_name("counting", k=2) == "fake2"


def test_unknown_engines_and_missing_options_are_unavailable() -> None:
    with pytest.raises(EngineUnavailableError, match="unknown OCR engine"):
        get_engine("tesseract")
    with pytest.raises(EngineUnavailableError):
        get_engine("paddleocr")
    with pytest.raises(EngineUnavailableError):
        get_engine("recorded")
    with pytest.raises(EngineUnavailableError, match="unknown rapidocr options"):
        engine_name("rapidocr", det_side=5)
    assert get_engine("null").name == "null"


def test_engine_specs_carry_options(monkeypatch: pytest.MonkeyPatch) -> None:
    assert registry.parse_spec("rapidocr") == ("rapidocr", {})
    assert registry.parse_spec("rapidocr: det_max_side=960, use_cls=true,text_score=0.6") == (
        "rapidocr", {"det_max_side": 960, "use_cls": True, "text_score": 0.6})
    assert registry.parse_spec("recorded:directory=tests/rec") == ("recorded", {"directory": "tests/rec"})
    with pytest.raises(EngineUnavailableError):
        registry.parse_spec("rapidocr:threads")
    monkeypatch.delenv("ZHANCHI_OCR_DET_SIDE", raising=False)
    assert engine_name("rapidocr:det_max_side=960") == engine_name("rapidocr", det_max_side=960)
    monkeypatch.setattr(registry, "_cache", {})
    assert get_engine("null:") is get_engine("null")


def test_rapidocr_name_is_known_without_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHANCHI_OCR_DET_SIDE", raising=False)
    name = engine_name("rapidocr")
    assert name.startswith("rapidocr-3.") and "PP-OCRv6_small" in name
    assert engine_name("rapidocr", det_max_side=960) != name
    assert engine_name("rapidocr", threads=1) == name  # threads do not change output
    monkeypatch.setenv("ZHANCHI_OCR_DET_SIDE", "1600")
    assert engine_name("rapidocr") == engine_name("rapidocr", det_max_side=1600)


LAZY_PROBE = r"""
import importlib, pkgutil, sys
import onnxruntime
created = []
real_init = onnxruntime.InferenceSession.__init__
def spy(self, *a, **k):
    created.append(a[0] if a else k.get("path_or_bytes"))
    real_init(self, *a, **k)
onnxruntime.InferenceSession.__init__ = spy
import zhanchi
failed = []
for mod in pkgutil.walk_packages(zhanchi.__path__, "zhanchi."):
    if mod.name.endswith("__main__"):
        continue  # running the CLI is not importing
    try:
        importlib.import_module(mod.name)
    except Exception as exc:  # another area's module mid-development must not hide ours
        failed.append(mod.name)
for name in ("zhanchi.ocr", "zhanchi.imaging", "zhanchi.ocr.rapid", "zhanchi.ocr.registry"):
    assert name in sys.modules, name
print("sessions", len(created), "failed", failed)
"""


def test_importing_any_zhanchi_module_creates_no_onnx_session() -> None:
    out = subprocess.run([sys.executable, "-c", LAZY_PROBE], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "sessions 0 " in out.stdout, out.stdout


def test_ocr_and_imaging_do_not_even_import_rapidocr() -> None:
    code = ("import sys, zhanchi.ocr, zhanchi.imaging; "
            "print('rapidocr' in sys.modules, 'onnxruntime' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"], out.stderr[-2000:]
