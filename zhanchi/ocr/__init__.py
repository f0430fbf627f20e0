"""OCR engines behind one interface (:class:`OcrEngine`), loaded lazily by :func:`get_engine`.

Importing this package never loads model weights nor imports an engine library:
``rapidocr`` and ``paddleocr`` are imported when an engine is first built.
"""

from zhanchi.ocr.base import OcrEngine, Recognized, as_quad, crop_quad, image_sha256
from zhanchi.ocr.fakes import CrashingEngine, FakeEngine, NullEngine
from zhanchi.ocr.recorded import RecordedEngine, RecordingEngine
from zhanchi.ocr.registry import clear_engines, engine_name, engine_options, get_engine

__all__ = [
    "CrashingEngine",
    "FakeEngine",
    "NullEngine",
    "OcrEngine",
    "RecordedEngine",
    "RecordingEngine",
    "Recognized",
    "as_quad",
    "clear_engines",
    "crop_quad",
    "engine_name",
    "engine_options",
    "get_engine",
    "image_sha256",
]
