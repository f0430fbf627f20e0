"""Run settings with sensible defaults; every knob can be set from the environment.

Nothing here needs configuring for a first run: the defaults are what the benchmarks
chose on a 2-core machine. Environment variables use the ``ZHANCHI_`` prefix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def env_int(name: str, default: int) -> int:
    """An integer from the environment, or ``default``; a bad value is an InputError."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        from zhanchi.errors import InputError

        raise InputError(f"{name} must be an integer, got {raw!r}") from exc


def limits_from_env(cls: type[T]) -> T:
    """The ingest limits with ZHANCHI_MAX_PAGES / _MAX_PIXELS / _MAX_FILE_BYTES applied."""
    base: Any = cls()
    return cls(  # type: ignore[call-arg]
        max_pages_per_submission=env_int("ZHANCHI_MAX_PAGES", base.max_pages_per_submission),
        max_pixels_per_page=env_int("ZHANCHI_MAX_PIXELS", base.max_pixels_per_page),
        max_file_bytes=env_int("ZHANCHI_MAX_FILE_BYTES", base.max_file_bytes),
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
    limits: Any = None  # zhanchi.ingest.Limits
    # a policy version id to apply instead of the one in force on as_of (evaluation of
    # a candidate version: ``zhanchi eval --policy``); None in production
    policy_version: str | None = None

    @property
    def results_path(self) -> Path:
        return self.out_dir / "results.jsonl"
