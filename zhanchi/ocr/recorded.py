"""Recorded OCR: record a real engine's output once, replay it in fast tests.

One small JSON file per call, named ``<method>-<sha256>.json`` after the hash of the
input pixels (shape, dtype and bytes; for line crops, the hash of their hashes), so a
recording is found by content and never by file name. Only text, confidences and
polygons are stored, never the image. As in OCRmyPDF's ``tests/cache/``, a missing
recording is an error that says how to make it, not a silent call to a real model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from zhanchi.errors import OcrEngineError
from zhanchi.models import OcrPage
from zhanchi.ocr.base import OcrEngine, Recognized, image_sha256

FORMAT = 1


def crops_sha256(crops: Sequence[np.ndarray]) -> str:
    """Key of a list of crops: the hash of their hashes, in order."""
    h = hashlib.sha256(b"crops|")
    for c in crops:
        h.update(image_sha256(c).encode())
    return h.hexdigest()


def recording_path(directory: Path, method: str, key: str) -> Path:
    return directory / f"{method}-{key}.json"


class RecordingEngine(OcrEngine):
    """Wraps a real engine and writes every answer it gives to ``directory``."""

    def __init__(self, inner: OcrEngine, directory: str | Path) -> None:
        self.inner = inner
        self.directory = Path(directory)
        self.name = inner.name

    def _save(self, method: str, key: str, result: Any) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        doc = {"format": FORMAT, "engine": self.inner.name, "method": method,
               "input_sha256": key, "result": result}
        path = recording_path(self.directory, method, key)
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def read(self, image: np.ndarray) -> OcrPage:
        page = self.inner.read(image)
        self._save("read", image_sha256(image), page.model_dump(mode="json"))
        return page

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        res = self.inner.recognize(crops)
        self._save("recognize", crops_sha256(crops), [[r.text, r.confidence] for r in res])
        return res

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        votes = self.inner.upside_down_votes(crops)
        self._save("upside_down_votes", crops_sha256(crops), [round(v, 6) for v in votes])
        return votes

    def close(self) -> None:
        self.inner.close()


class RecordedEngine(OcrEngine):
    """Replays what a :class:`RecordingEngine` wrote, keyed by input content.

    ``name`` defaults to the recorded engine's name, so results made from a replay
    carry the same provenance as the real run they reproduce.
    """

    def __init__(self, directory: str | Path, *, name: str | None = None) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise OcrEngineError(f"no recordings folder at {self.directory}")
        if name is None:
            names = {self._load_file(p).get("engine", "") for p in self.directory.glob("*.json")}
            name = next(iter(names)) if len(names) == 1 else "recorded"
        self.name = name

    @staticmethod
    def _load_file(path: Path) -> dict[str, Any]:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OcrEngineError(f"recording {path.name} cannot be read") from exc
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or "result" not in doc:
            raise OcrEngineError(f"recording {path.name} is not a format-{FORMAT} recording")
        return doc

    def _load(self, method: str, key: str) -> Any:
        path = recording_path(self.directory, method, key)
        if not path.is_file():
            raise OcrEngineError(
                f"no recording {path.name} in {self.directory}: record it by running the "
                "real engine wrapped in RecordingEngine on the same input")
        return self._load_file(path)["result"]

    def read(self, image: np.ndarray) -> OcrPage:
        try:
            return OcrPage.model_validate(self._load("read", image_sha256(image)))
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise OcrEngineError("a read recording does not hold a valid page") from exc

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        if not crops:
            return []
        rows = self._load("recognize", crops_sha256(crops))
        if not isinstance(rows, list) or len(rows) != len(crops):
            raise OcrEngineError("a recognize recording does not match its crops")
        return [Recognized(str(t), float(c)) for t, c in rows]

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        if not crops:
            return []
        votes = self._load("upside_down_votes", crops_sha256(crops))
        if not isinstance(votes, list) or len(votes) != len(crops):
            raise OcrEngineError("an upside-down recording does not match its crops")
        return [float(v) for v in votes]
