"""Seal fading leaves no ghost: seal ink becomes paper, print under it stays dark."""

from __future__ import annotations

import numpy as np

from zhanchi.imaging import for_ocr
from zhanchi.imaging import synthetic as syn

CENTRE = (700, 420)


def test_seal_ink_fades_to_the_paper_not_to_grey() -> None:
    plain, _ = syn.text_page(font="uming", size=33)
    paper = plain.astype(np.float32) * np.array([0.93, 0.97, 0.98], np.float32)  # warm paper
    page = paper.astype(np.uint8)
    # a seal whose ink is only a partial filter in red (red ≈ 0.83 × paper), like real ink
    sealed = syn.add_seal(page, CENTRE, radius=200, color=(40, 30, 200))
    clean = for_ocr(sealed)
    ring = (sealed[..., 2].astype(int) - sealed[..., :2].max(axis=2) > 60) & (page.min(axis=2) > 200)
    assert ring.sum() > 1000
    # where only seal ink was, the faded page is within a few levels of the paper
    diff = np.abs(clean[ring].astype(int) - page[ring].astype(int)).max(axis=1)
    assert np.percentile(diff, 95) <= 12
    box = (slice(220, 620), slice(500, 900))
    ink_before = (page[box].min(axis=2) < 100).sum()
    ink_after = (clean[box].min(axis=2) < 100).sum()
    assert abs(int(ink_after) - int(ink_before)) <= 0.1 * ink_before
