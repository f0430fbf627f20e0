"""A progress bar with pages per second for long batch runs (rich, on stderr)."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class BatchProgress:
    """Counts submissions read and shows pages/s; a no-op when disabled (tests, servers)."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.enabled = enabled and total > 0
        self.pages = 0
        self._t0 = time.perf_counter()
        self._progress: Progress | None = None
        self._task = None
        if self.enabled:
            self._progress = Progress(
                TextColumn("读取材料"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._task = self._progress.add_task("read", total=total, rate="")

    def __enter__(self) -> BatchProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, pages: int) -> None:
        self.pages += pages
        if self._progress is None or self._task is None:
            return
        elapsed = max(time.perf_counter() - self._t0, 1e-6)
        self._progress.update(self._task, advance=1,
                              rate=f"{self.pages} 页, {self.pages / elapsed:.2f} 页/秒")
