"""RapidOCR on ONNX Runtime: the default engine (PP-OCRv6 small, models inside the wheel).

Detection and recognition run at different resolutions on purpose: rapidocr first
shrinks the page to ``max_side`` (the frame its line crops are cut from, so it bounds
recognition detail), then the detector sees the page shrunk further to
``det_max_side``. Detection cost grows with the square of its side while recognition
only needs the crops, so a small detector side buys most of the speed for little
accuracy (see ``benchmarks/bench_ocr_engine.py``).

The per-line direction classifier of rapidocr is off by default: page orientation is
decided once per page by :mod:`zhanchi.imaging.orientation`, which calls
:meth:`RapidOcrEngine.upside_down_votes` on a handful of line pieces instead.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from zhanchi.errors import EngineUnavailableError, OcrEngineError
from zhanchi.models import OcrLine, OcrPage
from zhanchi.ocr.base import OcrEngine, Recognized, clamp01, make_page, to_bgr

MODEL = "PP-OCRv6_small"
DET_FILE = "PP-OCRv6_det_small.onnx"
REC_FILE = "PP-OCRv6_rec_small.onnx"
CLS_FILE = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
# The classifier's input is 48×192: a longer crop would be squashed, so a line is cut
# into pieces of at most this width-to-height ratio before it is classified.
CLS_PIECE_RATIO = 4.0


@dataclass(frozen=True)
class RapidSettings:
    """The knobs of :class:`RapidOcrEngine`; those that change output are in its name."""

    threads: int = 0  # ORT intra-op threads; 0 = one per core
    # Longest side the detector sees (Det.limit_side_len, "max"). Printed text reads
    # perfectly down to 960 (736 starts to miss 6 pt print), but handwriting-like fills,
    # the letter's key fields, average 96.3 % at 1280 against 95.1 % at 960 (10 pages);
    # 1280 costs ~45 % more CPU than 960 and ~65 % less than rapidocr's own defaults.
    # Set ZHANCHI_OCR_DET_SIDE=960 where speed matters more (benchmarks/bench_ocr_engine.py).
    det_max_side: int = 1280
    max_side: int = 2000  # longest side of the frame crops are cut from (Global.max_side_len)
    use_cls: bool = False  # rapidocr's per-line 0/180 classifier inside read()
    text_score: float = 0.5  # lines below this recognition confidence are dropped
    # Crops per recognition batch. 1: a batch is padded to its widest line, and one by
    # one measured ~25 % less CPU per page than rapidocr's 6.
    rec_batch: int = 1
    mem_arena: bool = True  # ORT CPU memory arena: faster, a little more memory
    # ORT worker threads spin-wait between ops by default. Off: measured -25 % CPU per
    # page when the cores are shared (other workers, other jobs), same output.
    spin: bool = False

    @classmethod
    def from_options(cls, **options: Any) -> RapidSettings:
        """Settings from keyword options, with env defaults for the pipeline's knobs.

        ``ZHANCHI_OCR_THREADS`` and ``ZHANCHI_OCR_DET_SIDE`` set ``threads`` and
        ``det_max_side`` when not given, so an operator can tune a run without code.
        """
        # rapidocr's own names for the two main knobs are accepted too.
        for alias, key in (("intra_op_num_threads", "threads"), ("limit_side_len", "det_max_side")):
            if alias in options:
                options[key] = options.pop(alias)
        env = {"threads": "ZHANCHI_OCR_THREADS", "det_max_side": "ZHANCHI_OCR_DET_SIDE"}
        for key, var in env.items():
            if key not in options and os.environ.get(var):
                options[key] = int(os.environ[var])
        unknown = set(options) - set(cls.__dataclass_fields__)
        if unknown:
            raise EngineUnavailableError(f"unknown rapidocr options: {sorted(unknown)}")
        return cls(**options)

    @property
    def name(self) -> str:
        try:
            version = metadata.version("rapidocr")
        except metadata.PackageNotFoundError:
            version = "missing"
        name = f"rapidocr-{version}/{MODEL}+det{self.det_max_side}"
        if self.max_side != 2000:
            name += f"+max{self.max_side}"
        if self.use_cls:
            name += "+cls"
        if self.text_score != 0.5:
            name += f"+score{self.text_score:g}"
        if self.rec_batch != 1:  # padding within a batch can change a line's reading
            name += f"+batch{self.rec_batch}"
        return name


def model_dir() -> Path:
    """Folder of the ONNX models shipped inside the rapidocr wheel (not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailableError("the rapidocr package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class RapidOcrEngine(OcrEngine):
    """PP-OCRv6 small detection + recognition (+ mobile direction classifier) via rapidocr.

    >>> engine = RapidOcrEngine(threads=2, det_max_side=1280)  # doctest: +SKIP
    >>> engine.read(page_bgr).lines[0].text  # doctest: +SKIP
    '承诺书'
    """

    def __init__(self, **options: Any) -> None:
        self.settings = RapidSettings.from_options(**options)
        self.name = self.settings.name
        self._index: dict[str, int] | None = None  # recogniser character -> output column
        models = model_dir()
        paths = {k: models / f for k, f in (("Det", DET_FILE), ("Rec", REC_FILE),
                                            ("Cls", CLS_FILE))}
        missing = [p.name for p in paths.values() if not p.is_file()]
        if missing:
            # Never let rapidocr fetch them: it would try the network.
            raise EngineUnavailableError(f"rapidocr models missing from the wheel: {missing}")
        s = self.settings
        threads = s.threads if s.threads > 0 else (os.cpu_count() or 1)
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": s.use_cls,
            "Global.text_score": s.text_score,
            "Global.max_side_len": s.max_side,
            "Det.limit_type": "max",
            "Det.limit_side_len": s.det_max_side,
            "Rec.rec_batch_num": s.rec_batch,
            "Cls.cls_batch_num": 16,  # orientation sends ~16 pieces per page: one batch
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": s.mem_arena,
        }
        for task, path in paths.items():
            params[f"{task}.model_path"] = str(path)
        try:
            from rapidocr import RapidOCR

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            self._ocr: Any = RapidOCR(params=params)
            # Load all three sessions now: errors surface at start, not on page one.
            with _session_options(spin=s.spin):
                self._det: Any = self._ocr._load_det_model()
                self._rec: Any = self._ocr._load_rec_model()
                self._cls: Any = self._ocr._load_cls_model()
            from zhanchi.ocr.rapid_prep import use_table_preprocess

            use_table_preprocess(self._det)  # same input, bit for bit, in a quarter of the time
        except ImportError as exc:
            raise EngineUnavailableError(f"rapidocr cannot be imported: {exc}") from exc
        except Exception as exc:  # onnxruntime and omegaconf raise many kinds
            raise EngineUnavailableError(f"rapidocr failed to load: {type(exc).__name__}") from exc

    def read(self, image: np.ndarray) -> OcrPage:
        bgr = to_bgr(image)
        t0 = time.perf_counter()
        try:
            out = self._ocr(bgr)
        except Exception as exc:
            raise OcrEngineError(f"{self.name} failed on a page: {type(exc).__name__}") from exc
        lines = _lines_from_output(out, self.name)
        return make_page(self.name, bgr, lines, round((time.perf_counter() - t0) * 1000))

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Recognized]:
        if not crops:
            return []
        from rapidocr.ch_ppocr_rec import TextRecInput

        imgs = [to_bgr(c) for c in crops]
        try:
            out = self._rec(TextRecInput(img=imgs))
        except Exception as exc:
            raise OcrEngineError(f"{self.name} failed on line crops: {type(exc).__name__}") from exc
        if out.txts is None or len(out.txts) != len(imgs):
            raise OcrEngineError(f"{self.name}: recogniser returned a wrong number of results")
        return [Recognized(str(t), clamp01(s)) for t, s in zip(out.txts, out.scores, strict=True)]

    def fit(self, crop: np.ndarray, texts: Sequence[str], within: bool = False) -> list[float | None] | None:
        from zhanchi.ocr.ctc import per_character

        rec = self._rec
        img = to_bgr(crop)
        _, height, width = rec.rec_image_shape
        ratio = max(width / height, img.shape[1] / max(1, img.shape[0]))
        try:
            probs = rec.session(rec.resize_norm_img(img, ratio)[np.newaxis].astype(np.float32))[0]
        except Exception as exc:
            raise OcrEngineError(f"{self.name} failed on a line crop: {type(exc).__name__}") from exc
        if self._index is None:
            self._index = {c: i for i, c in enumerate(rec.postprocess_op.character)}
        log_probs = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0))
        return [per_character(log_probs, t, self._index, within) for t in texts]

    def upside_down_votes(self, crops: Sequence[np.ndarray]) -> list[float]:
        pieces: list[np.ndarray] = []
        owner: list[int] = []
        for i, crop in enumerate(crops):
            for piece in _pieces(to_bgr(crop)):
                pieces.append(piece)
                owner.append(i)
        if not pieces:
            return [0.0] * len(crops)
        try:
            res = self._cls(pieces).cls_res
        except Exception as exc:
            raise OcrEngineError(f"{self.name} direction classifier failed: {type(exc).__name__}") from exc
        sums = np.zeros(len(crops))
        counts = np.zeros(len(crops))
        for i, (label, score) in zip(owner, res or [], strict=True):
            sums[i] += clamp01(score) * (1.0 if "180" in str(label) else -1.0)
            counts[i] += 1
        return [float(s / c) if c else 0.0 for s, c in zip(sums, counts, strict=True)]

    def close(self) -> None:
        self._det = self._rec = self._cls = None
        self._ocr = None


_options_lock = threading.Lock()


@contextmanager
def _session_options(*, spin: bool) -> Iterator[None]:
    """Add session settings rapidocr's config cannot express, while its sessions are made.

    rapidocr builds ``SessionOptions`` in ``OrtInferSession._init_sess_opts``; it is
    wrapped for the duration (under a lock, so concurrent loads do not interleave).
    """
    from rapidocr.inference_engine.onnxruntime.main import OrtInferSession

    original = OrtInferSession.__dict__["_init_sess_opts"]

    def patched(cfg: Any) -> Any:
        opts = original.__func__(cfg)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        return opts

    with _options_lock:
        OrtInferSession._init_sess_opts = staticmethod(patched)  # type: ignore[method-assign]
        try:
            yield
        finally:
            OrtInferSession._init_sess_opts = original  # type: ignore[method-assign]


def _pieces(crop: np.ndarray) -> list[np.ndarray]:
    """Cut a line crop into classifier-sized pieces (width ≤ CLS_PIECE_RATIO × height)."""
    h, w = crop.shape[:2]
    step = max(1, int(h * CLS_PIECE_RATIO))
    if w <= step * 1.25:
        return [crop]
    return [crop[:, x:x + step] for x in range(0, w - step // 2, step)]


def _lines_from_output(out: Any, engine: str) -> list[OcrLine]:
    boxes = getattr(out, "boxes", None)
    txts = getattr(out, "txts", None)
    scores = getattr(out, "scores", None)
    if boxes is None or txts is None or scores is None or len(txts) == 0:
        return []  # rapidocr's empty output: a page without text
    if not (len(boxes) == len(txts) == len(scores)):
        raise OcrEngineError(f"{engine}: boxes, texts and scores differ in number")
    lines = []
    for box, text, score in zip(boxes, txts, scores, strict=True):
        pts = np.asarray(box, dtype=np.float64)
        if pts.shape != (4, 2) or not np.isfinite(pts).all():
            raise OcrEngineError(f"{engine}: a line box is not 4 finite points")
        lines.append(OcrLine(text=str(text), confidence=clamp01(score),
                             polygon=[(round(float(x), 1), round(float(y), 1)) for x, y in pts]))
    return lines
