"""How people sign a 承诺书: a hurried hand unlike any font, and where the print lands.

:func:`zhanchi.synth.marks.signature` is the font's ukai, evenly jittered. Real
signatures are not: each character leans, squeezes and warps its own way, the pen is
heavier on some, characters crowd into each other and a stroke often runs on into the
next one. :func:`hurried_signature` draws that, and :func:`hurried_hand` the same hand
writing the letter's values (not crowded, on a wavering line); :func:`draw_signing` decides, per
letter and apart from the page's own draws (letters that draw nothing stay as they
were), whether the name is signed in that hand, whether the values are written in it,
and whether the fingerprint is pressed
over the name's end (then how far it reaches into the name).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from zhanchi.synth.canvas import font
from zhanchi.synth.marks import BLUE_BLACK, ink_image

HURRIED_SHARE = 0.25  # letters signed in a hurried hand
HURRIED_VALUES_SHARE = 0.25  # letters whose values (dates, places, agency…) are hurried too
HURRIED_WIDTH = 1.3  # the hurried hand's width over the font's, for sizing its blanks
DEEP_PRINT_SHARE = 0.5  # of prints over the name: reaching on into the character before
# where the name is written: in the gap, run on over the printed （签字、手印）, or raised
# above the line (the gap is short, the hand large)
PLACEMENTS = (("gap", 0.8), ("over_hint", 0.12), ("raised", 0.08))


@dataclass(frozen=True)
class Signing:
    """What :func:`draw_signing` chose for one letter."""

    hurried: bool  # the name in a hurried hand, not the font's
    deep_print: bool  # a print over the name reaches on into the character before the last
    placement: str = "gap"  # one of PLACEMENTS
    hurried_values: bool = False  # every value written in the hurried hand, not the font's


def draw_signing(key: str) -> Signing:
    """The signing of the letter keyed ``key`` (drawn apart from the page's own draws)."""
    rng = random.Random(f"signing:{key}")
    hurried, deep = rng.random() < HURRIED_SHARE, rng.random() < DEEP_PRINT_SHARE
    placement = rng.choices([p for p, _ in PLACEMENTS], [w for _, w in PLACEMENTS])[0]
    values = rng.random() < HURRIED_VALUES_SHARE  # drawn last: the draws above stay as they were
    return Signing(hurried=hurried, deep_print=deep, placement=placement, hurried_values=values)


def _warp(glyph: np.ndarray, rng: random.Random, amp: float) -> np.ndarray:
    """Bend the strokes: a smooth random displacement of ``amp`` pixels at most."""
    h, w = glyph.shape
    nrng = np.random.default_rng(rng.randrange(1 << 30))

    def field() -> np.ndarray:
        small = ((nrng.random((4, 4)) - 0.5) * 2).astype(np.float32)
        return np.asarray(Image.fromarray(small, "F").resize((w, h), Image.Resampling.BICUBIC)) * amp

    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    sx = np.clip(xx + field(), 0, w - 1).astype(int)
    sy = np.clip(yy + field(), 0, h - 1).astype(int)
    return glyph[sy, sx]


def _glyph(ch: str, size: int, rng: random.Random, weight: int | None = None) -> Image.Image:
    """One character as the hand writes it: own size, width, lean, twist, warp and pen
    weight (``weight``: the pen's, the same for every character; None: drawn for each)."""
    s = max(6, round(size * rng.uniform(0.85, 1.2)))
    f = font("kai", s)
    img = Image.new("L", (s * 2, s * 2), 0)
    ImageDraw.Draw(img).text((s // 2, int(s * 1.4)), ch, font=f, fill=255, anchor="ls")
    shear = rng.uniform(-0.45, 0.05)  # mostly right-leaning, some upright
    squeeze = rng.uniform(0.72, 1.12)
    img = img.transform(img.size, Image.Transform.AFFINE,
                        (1 / squeeze, shear, -shear * s - (1 / squeeze - 1) * s, 0, 1, 0),
                        resample=Image.Resampling.BICUBIC)
    img = img.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)
    arr = _warp(np.asarray(img), rng, 0.05 * s)
    out = Image.fromarray(arr)
    if weight is None:
        weight = rng.choice((0, 1, 1, 2))
    if weight:
        out = out.filter(ImageFilter.MaxFilter(2 * weight + 1))
    return out


def _inked(canvas: Image.Image, x: float, size: int, rng: random.Random) -> Image.Image:
    """The written strokes (white on black ``canvas``) as blue-black ink, softened and
    a little faded, cut just past ``x``, where the last character ended."""
    canvas = canvas.filter(ImageFilter.GaussianBlur(max(0.4, size / 90)))
    arr = np.asarray(canvas, dtype=np.float32) * rng.uniform(0.8, 0.95)
    crop = int(min(canvas.size[0], x + size * 0.3))
    return ink_image(arr[:, :crop], BLUE_BLACK)


def hurried_signature(name: str, dpi: int, rng: random.Random) -> tuple[Image.Image, int]:
    """A signature unlike the font: per-character lean, width, twist, warp and weight,
    characters crowding into each other, a drifting baseline, strokes run on between
    characters. Returns the image and its baseline's y, as :func:`.marks.signature`."""
    size = max(6, round(rng.uniform(20, 27) / 72.0 * dpi))
    width = int(size * (len(name) * 1.3 + 1.5)) + 4
    height = int(size * 2.1)
    baseline = int(size * 1.4)
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    drift = rng.uniform(-0.12, 0.12)  # baseline slope
    x = size * 0.15
    last_end: tuple[float, float] | None = None
    pen = max(1, dpi // 100)
    for ch in name:
        glyph = _glyph(ch, size, rng)
        gs = glyph.size[0] // 2
        dy = rng.uniform(-0.1, 0.1) * size + drift * x
        top = int(baseline - gs * 1.4 + dy)
        canvas.paste(255, (int(x - gs // 2), top), glyph)
        box = glyph.getbbox()
        start = (x - gs // 2 + (box[0] if box else 0), top + gs * 1.0)
        if last_end is not None and rng.random() < 0.45:  # the pen ran on into this character
            mid = ((last_end[0] + start[0]) / 2, min(last_end[1], start[1]) - rng.uniform(0, 0.2) * size)
            draw.line([last_end, mid, start], fill=255, width=pen)
        right = x - gs // 2 + (box[2] if box else gs)
        last_end = (right, top + gs * rng.uniform(1.1, 1.35))
        x = right + size * rng.uniform(-0.12, 0.1)  # crowded: the next one may start inside this one
    return _inked(canvas, x, size, rng), baseline


def hurried_hand(text: str, pt: float, dpi: int, rng: random.Random) -> tuple[Image.Image, int]:
    """Values written in the hurried hand: each character its own size, width, lean,
    twist and warp, as in :func:`hurried_signature`, with one pen, spaced as written
    (not crowded into each other) on a baseline that wavers and drifts a little. Returns
    the image and its baseline's y, as :func:`.marks.handwriting`."""
    size = max(6, round(pt / 72.0 * dpi))
    width = int(size * (len(text) * 1.5 + 1.5)) + 4
    height = int(size * 2.1)
    baseline = int(size * 1.4)
    canvas = Image.new("L", (width, height), 0)
    drift = rng.uniform(-0.02, 0.02)  # baseline slope
    pen = rng.choice((0, 0, 1))  # one pen for the value: its weight does not change per character
    x = size * 0.15
    for ch in text:
        glyph = _glyph(ch, size, rng, pen)
        gs = glyph.size[0] // 2
        top = int(baseline - gs * 1.4 + rng.uniform(-0.08, 0.08) * size + drift * x)
        canvas.paste(255, (int(x - gs // 2), top), glyph)
        box = glyph.getbbox()
        x = x - gs // 2 + (box[2] if box else gs) + size * rng.uniform(0.0, 0.15)
    return _inked(canvas, x, size, rng), baseline
