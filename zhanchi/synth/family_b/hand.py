"""Handwriting that is not a font: every character drawn differently.

Debian has few hand faces, so family B takes a face (KaitiM GB, or a monoline sans
that looks like ballpoint) and varies each written character on its own: size, slant,
rotation, a smooth warp of its strokes, pen weight and pressure, and a baseline that
drifts as a hand does along a line. A :class:`Hand` is one writer's habits; the
variation is drawn per character. The face must cover every character (asserted).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from zhanchi.synth.family_b.faces import HAND_FACES, first_covering, font, require

RGB = tuple[int, int, int]
INKS: tuple[RGB, ...] = ((20, 40, 140), (15, 15, 20), (30, 30, 95), (40, 60, 160))


@dataclass(frozen=True)
class Hand:
    """One writer: face, slant, size, weight, spacing, warp and baseline drift, ink."""

    face: str
    slant: float  # shear, positive leans right
    size: float  # relative to the nominal pt
    weight: int  # 0 the face's own strokes … 2 heavy (never thinner: thin strokes vanish)
    spacing: float  # advance factor (signatures crowd)
    warp: float  # stroke warp amplitude, fraction of the character size
    drift: float  # baseline random-walk step, fraction of the size
    color: RGB


@dataclass
class Writing:
    """Written text: the ink image, its baseline and each character's centre (px)."""

    image: Image.Image
    baseline: int
    centres: list[int]


def draw_hand(rng: random.Random, *, face: str | None = None) -> Hand:
    """A writer's habits drawn from the packet's seed."""
    return Hand(face or rng.choice(HAND_FACES), slant=rng.uniform(-0.08, 0.28),
                size=rng.uniform(0.92, 1.12), weight=rng.choice((0, 0, 1, 1, 2)),
                spacing=rng.uniform(0.92, 1.1), warp=rng.uniform(0.03, 0.07),
                drift=rng.uniform(0.01, 0.035), color=rng.choice(INKS))


def signing_hand(hand: Hand, rng: random.Random) -> Hand:
    """The same writer signing: bigger, faster, more slanted and crowded."""
    return Hand(hand.face, slant=hand.slant + rng.uniform(0.1, 0.25), size=hand.size * 1.35,
                weight=min(2, hand.weight + 1), spacing=rng.uniform(0.74, 0.88),
                warp=hand.warp * 1.3, drift=hand.drift * 1.5, color=hand.color)


def _smooth(nrng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    small = nrng.standard_normal((cells, cells)).astype(np.float32)
    return cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def _glyph(ch: str, face: str, s: int, hand: Hand, rng: random.Random,
           nrng: np.random.Generator, dpi: int) -> np.ndarray:
    """One character: rendered, sheared, turned, warped and inked at its own weight."""
    n = s * 2
    img = Image.new("L", (n, n), 0)
    ImageDraw.Draw(img).text((s // 2, int(s * 1.4)), ch, font=font(face, s), fill=255, anchor="ls")
    shear = hand.slant + rng.uniform(-0.07, 0.07)
    img = img.transform(img.size, Image.Transform.AFFINE, (1, shear, -shear * s * 1.4, 0, 1, 0),
                        resample=Image.Resampling.BICUBIC)
    img = img.rotate(rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC, center=(s, s * 1.4))
    arr = np.asarray(img, dtype=np.float32)
    amp = hand.warp * s
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    mx = xx + _smooth(nrng, (n, n), 4) * amp
    my = yy + _smooth(nrng, (n, n), 4) * amp
    arr = np.asarray(cv2.remap(arr, mx, my, interpolation=cv2.INTER_LINEAR, borderValue=0),
                     dtype=np.float32)
    k = round((hand.weight + rng.choice((0, 0, 0, 1))) * dpi / 300)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if k > 0:
        out = out.filter(ImageFilter.MaxFilter(2 * min(k, 2) + 1))
    return np.asarray(out, dtype=np.float32)


def write(text: str, pt: float, dpi: int, rng: random.Random, hand: Hand) -> Writing:
    """Write ``text`` by ``hand`` at about ``pt`` points; the face must cover it."""
    face = hand.face
    require(face, text)
    nrng = np.random.default_rng(rng.randrange(1 << 62))
    size = max(8, round(pt * hand.size / 72.0 * dpi))
    width = int(size * (len(text) * 1.25 + 1.5)) + 8
    height = int(size * 2.2)
    baseline = int(size * 1.45)
    canvas = np.zeros((height, width), dtype=np.float32)
    centres: list[int] = []
    x = size * 0.2
    drift = 0.0
    for ch in text:
        if ch == " ":
            x += size * 0.5
            continue
        s = max(8, round(size * rng.uniform(0.86, 1.14)))
        g = _glyph(ch, face, s, hand, rng, nrng, dpi)
        drift = float(np.clip(drift + rng.gauss(0, hand.drift) * size, -0.14 * size, 0.14 * size))
        top = int(baseline - s * 1.4 + drift + rng.uniform(-0.05, 0.05) * size)
        left = int(x - s // 2)
        y0, x0 = max(0, top), max(0, left)
        y1, x1 = min(height, top + g.shape[0]), min(width, left + g.shape[1])
        if y1 > y0 and x1 > x0:
            patch = g[y0 - top:y1 - top, x0 - left:x1 - left]
            canvas[y0:y1, x0:x1] = np.maximum(canvas[y0:y1, x0:x1], patch)
        # Latin letters and digits are narrow in CJK faces: keep them from running together.
        glyph_w = max(font(face, s).getlength(ch), s * 0.58 if ch.isascii() else 0.0)
        adv = glyph_w * hand.spacing * rng.uniform(0.93, 1.08)
        centres.append(int(x + adv / 2))
        x += adv
    # Pressure varies along the line but never fades a character out: values must stay
    # legible to a person, whatever they do to OCR.
    pressure = 0.85 + 0.15 * np.clip(_smooth(nrng, canvas.shape, 6) * 0.5 + 0.5, 0, 1)
    alpha = cv2.GaussianBlur(canvas, (0, 0), max(0.4, size / 110)) * pressure * rng.uniform(0.9, 1.0)
    crop = int(min(width, x + size * 0.35))
    rgba = np.zeros((height, crop, 4), dtype=np.uint8)
    rgba[..., :3] = hand.color
    rgba[..., 3] = np.clip(alpha[:, :crop], 0, 255).astype(np.uint8)
    return Writing(Image.fromarray(rgba, "RGBA"), baseline, centres)


def written_width_mm(text: str, pt: float, hand: Hand) -> float:
    """About how wide ``text`` comes out in mm (for laying out blanks and wraps)."""
    f = font(hand.face, 200)
    return f.getlength(text.replace(" ", "　")) / 200.0 * pt * hand.size / 72.0 * 25.4 * hand.spacing


def faces_for(text: str, preferred: str) -> str:
    """``preferred`` if it covers ``text``, else the first hand face that does."""
    order = (preferred, *[f for f in HAND_FACES if f != preferred])
    return first_covering(order, text)
