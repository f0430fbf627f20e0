"""Run settings with sensible defaults; every knob can be set from the environment.

Nothing here needs configuring for a first run: the defaults are what the benchmarks
chose on a 2-core machine. Environment variables use the ``ZHANCHI_`` prefix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        from zhanchi.errors import InputError

        raise InputError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class Limits:
    """Bounds that keep one bad file from taking the machine down."""

    max_pages_per_submission: int = 50
    max_pixels_per_page: int = 60_000_000
    max_file_bytes: int = 200 * 1024 * 1024

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_pages_per_submission=_env_int("ZHANCHI_MAX_PAGES", cls.max_pages_per_submission),
            max_pixels_per_page=_env_int("ZHANCHI_MAX_PIXELS", cls.max_pixels_per_page),
            max_file_bytes=_env_int("ZHANCHI_MAX_FILE_BYTES", cls.max_file_bytes),
        )


@dataclass(frozen=True)
class RunSettings:
    """Everything one batch run needs besides its inputs."""

    inbox: Path
    registry_dir: Path
    out_dir: Path
    db_url: str
    as_of: str  # ISO date
    engine: str = "rapidocr"
    limits: Limits = field(default_factory=Limits)
    store_page_images: bool = True

    @property
    def results_path(self) -> Path:
        return self.out_dir / "results.jsonl"


def default_engine() -> str:
    return os.environ.get("ZHANCHI_OCR_ENGINE", "rapidocr")
