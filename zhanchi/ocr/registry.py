"""``get_engine``: engines by name, loaded lazily and once per process.

Loading the ONNX models takes about a second and ~200 MB, so each (name, options)
pair is built the first time it is asked for and shared afterwards. Nothing here
imports an engine library at module import time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhanchi.errors import EngineUnavailableError
from zhanchi.ocr.base import OcrEngine

_cache: dict[tuple[str, tuple[tuple[str, Any], ...]], OcrEngine] = {}
_lock = threading.Lock()


def _rapidocr(**options: Any) -> OcrEngine:
    from zhanchi.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine(**options)


def _paddleocr(**options: Any) -> OcrEngine:
    from zhanchi.ocr.paddle import PaddleOcrEngine

    if "model_dir" not in options:
        raise EngineUnavailableError("the paddleocr engine needs model_dir=<folder with det/ rec/>")
    return PaddleOcrEngine(**options)


def _null(**options: Any) -> OcrEngine:
    from zhanchi.ocr.fakes import NullEngine

    return NullEngine()


def _recorded(**options: Any) -> OcrEngine:
    from zhanchi.ocr.recorded import RecordedEngine

    if "directory" not in options:
        raise EngineUnavailableError("the recorded engine needs directory=<recordings folder>")
    return RecordedEngine(**options)


FACTORIES: dict[str, Callable[..., OcrEngine]] = {
    "rapidocr": _rapidocr,
    "paddleocr": _paddleocr,
    "null": _null,
    "recorded": _recorded,
}


def parse_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """Split ``"rapidocr:det_max_side=960,threads=1"`` into a name and typed options.

    Lets a command-line ``--engine`` or ``ZHANCHI_OCR_ENGINE`` carry engine options.

    >>> parse_spec("rapidocr:det_max_side=960,use_cls=false")
    ('rapidocr', {'det_max_side': 960, 'use_cls': False})
    """
    name, _, rest = spec.partition(":")
    options: dict[str, Any] = {}
    for item in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, raw = item.partition("=")
        if not sep:
            raise EngineUnavailableError(f"engine option {key!r} has no value")
        value: Any = raw
        if raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        else:
            for cast in (int, float):
                try:
                    value = cast(raw)
                    break
                except ValueError:
                    continue
        options[key.strip()] = value
    return name.strip(), options


# Environment variables that stand in for engine options when these are not given.
ENV_OPTIONS = {"rapidocr": {"threads": "ZHANCHI_OCR_THREADS",
                            "det_max_side": "ZHANCHI_OCR_DET_SIDE"}}


def _key(name: str, options: dict[str, Any]) -> tuple[str, tuple[tuple[str, Any], ...]]:
    # The environment is part of the key: a changed ZHANCHI_OCR_DET_SIDE must never be
    # answered with an engine (or a name, hence a cache key) built under the old value.
    env = tuple((k, os.environ.get(var)) for k, var in ENV_OPTIONS.get(name, {}).items()
                if k not in options)
    items = tuple(sorted((k, str(v) if isinstance(v, Path) else v) for k, v in options.items()))
    return name, items + env


def get_engine(name: str = "rapidocr", **options: Any) -> OcrEngine:
    """The engine called ``name`` with ``options``, built on first use and then shared.

    Names: ``rapidocr`` (default; options ``threads``, ``det_max_side``, ``max_side``,
    ``use_cls``, ``text_score``, ``rec_batch``, ``mem_arena``), ``paddleocr``
    (``model_dir``), ``null``, ``recorded`` (``directory``). Options may also be given
    in the name: ``get_engine("rapidocr:det_max_side=960")``.

    >>> engine = get_engine("rapidocr", threads=2)  # doctest: +SKIP
    >>> engine is get_engine("rapidocr", threads=2)  # doctest: +SKIP
    True
    """
    name, spec_options = parse_spec(name)
    options = {**spec_options, **options}
    factory = FACTORIES.get(name)
    if factory is None:
        raise EngineUnavailableError(f"unknown OCR engine {name!r}; known: {sorted(FACTORIES)}")
    key = _key(name, options)
    with _lock:
        engine = _cache.get(key)
        if engine is None:
            engine = factory(**options)
            _cache[key] = engine
        return engine


def engine_name(name: str = "rapidocr", **options: Any) -> str:
    """The name ``get_engine(name, **options).name`` will have, without loading anything.

    Cache keys and provenance need it before the first page is read.
    """
    name, spec_options = parse_spec(name)
    options = {**spec_options, **options}
    key = _key(name, options)
    with _lock:
        if key in _cache:
            return _cache[key].name
    if name == "rapidocr":
        from zhanchi.ocr.rapid import RapidSettings

        return RapidSettings.from_options(**options).name
    if name in ("null",):
        return name
    return get_engine(name, **options).name  # cheap for the others, or needs loading anyway


def engine_options(engine_spec: str, ort_threads: int | None) -> dict[str, Any]:
    """Options for ``get_engine``: the thread count, for engines that take one.

    >>> engine_options("rapidocr:det_max_side=960", 1)
    {'threads': 1}
    >>> engine_options("null", 1)
    {}
    """
    name = engine_spec.partition(":")[0].strip()
    if ort_threads is None or name != "rapidocr" or "threads=" in engine_spec:
        return {}
    return {"threads": ort_threads}


def clear_engines() -> None:
    """Close and forget every cached engine (tests; worker shutdown)."""
    with _lock:
        engines = list(_cache.values())
        _cache.clear()
    for engine in engines:
        engine.close()
