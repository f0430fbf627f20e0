"""Raster marks that are not typeset text: handwriting, signature, fingerprint, seal,
ID photo and QR code. Each returns an RGBA image at the requested dpi.
"""

from __future__ import annotations

import math
import random

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from zhanchi.synth.canvas import MM_PER_INCH, RED, RGB, font

BLUE_BLACK: RGB = (22, 32, 86)


def mm_px(mm: float, dpi: int) -> int:
    return max(1, round(mm / MM_PER_INCH * dpi))


def ink_image(alpha: np.ndarray, color: RGB) -> Image.Image:
    rgba = np.zeros((*alpha.shape, 4), dtype=np.uint8)
    rgba[..., :3] = color
    rgba[..., 3] = np.clip(alpha, 0, 255).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def handwriting(
    text: str, pt: float, dpi: int, rng: random.Random, *, color: RGB = BLUE_BLACK,
    weight: int = 0, slant: float = 0.0,
) -> tuple[Image.Image, int]:
    """Jittered ukai text: per-character size, angle and baseline wobble.

    Returns the image and the baseline's y within it, so callers can sit it on a line.
    ``weight`` thickens strokes (signatures), ``slant`` shears right-leaning.
    """
    size = max(6, round(pt / 72.0 * dpi))
    width = int(size * (len(text) * 1.15 + 1)) + 4
    height = int(size * 1.9)
    baseline = int(size * 1.3)
    canvas = Image.new("L", (width, height), 0)
    x = size * 0.15
    for ch in text:
        s = max(6, round(size * rng.uniform(0.9, 1.08)))
        f = font("kai", s)
        glyph = Image.new("L", (s * 2, s * 2), 0)
        ImageDraw.Draw(glyph).text((s // 2, int(s * 1.4)), ch, font=f, fill=255, anchor="ls")
        glyph = glyph.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC)
        dy = rng.uniform(-0.06, 0.06) * size
        canvas.paste(255, (int(x - s // 2), int(baseline - s * 1.4 + dy)), glyph)
        x += f.getlength(ch) * rng.uniform(0.92, 1.04)
    if weight:
        canvas = canvas.filter(ImageFilter.MaxFilter(2 * weight + 1))
    if slant:
        canvas = canvas.transform(canvas.size, Image.Transform.AFFINE,
                                  (1, slant, -slant * baseline, 0, 1, 0),
                                  resample=Image.Resampling.BICUBIC)
    canvas = canvas.filter(ImageFilter.GaussianBlur(max(0.4, size / 90)))
    arr = np.asarray(canvas, dtype=np.float32) * rng.uniform(0.8, 0.95)
    crop = int(min(width, x + size * 0.3))
    return ink_image(arr[:, :crop], color), baseline


def signature(name: str, dpi: int, rng: random.Random) -> tuple[Image.Image, int]:
    """A hurried signature: larger, thicker, slanted, letters crowded together."""
    return handwriting(name, rng.uniform(20, 26), dpi, rng, weight=max(1, dpi // 120),
                       slant=rng.uniform(0.15, 0.35))


def fingerprint(dpi: int, rng: random.Random) -> Image.Image:
    """A red thumbprint: an ellipse of ridges from 印泥, fading at the edge."""
    w, h = mm_px(rng.uniform(13, 16), dpi), mm_px(rng.uniform(17, 20), dpi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx - w / 2) / (w / 2)
    v = (yy - h / 2) / (h / 2)
    nrng = np.random.default_rng(rng.randrange(1 << 30))

    def smooth(n: int, amp: float) -> np.ndarray:
        field = Image.fromarray(((nrng.random((n, n)) - 0.5) * 255 + 128).astype(np.uint8))
        return (np.asarray(field.resize((w, h), Image.Resampling.BICUBIC), np.float32) - 128) / 128 * amp

    # Ridges are level sets of a warped whorl: smooth displacement makes them wander
    # and break like a real print instead of drawing perfect target rings.
    uw, vw = u + smooth(6, 0.12), v * 0.9 + smooth(6, 0.12) - 0.15
    r = np.sqrt(u * u + v * v)
    rw = np.sqrt(uw * uw + vw * vw)
    theta = np.arctan2(vw, uw)
    ridges = rng.uniform(11, 15)
    phase = rw * ridges + 0.8 * np.sin(theta + rng.uniform(0, 6)) * np.exp(-rw * 2.0) + smooth(10, 0.25)
    pattern = 0.5 + 0.5 * np.sin(2 * np.pi * phase)
    pattern *= nrng.random((h, w)) > 0.04  # sweat pores and gaps
    edge = np.clip((1.0 + smooth(5, 0.08) - r) / 0.25, 0, 1)
    blotch = Image.fromarray((nrng.random((8, 8)) * 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC)
    pressure = 0.55 + 0.45 * np.asarray(blotch, dtype=np.float32) / 255.0
    alpha = 255 * np.clip(pattern * 1.4 - 0.2, 0, 1) * edge * pressure
    img = ink_image(alpha, (196, 24, 40))
    return img.rotate(rng.uniform(-25, 25), expand=True, resample=Image.Resampling.BICUBIC)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.38
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=255)


def seal(
    arc_text: str, dpi: int, rng: random.Random, *, diameter_mm: float = 40.0,
    bottom_text: str = "", color: RGB = RED,
) -> Image.Image:
    """A round red official seal: ring, star, the name along the top arc, a bottom line."""
    d = mm_px(diameter_mm, dpi)
    img = Image.new("L", (d, d), 0)
    draw = ImageDraw.Draw(img)
    ring = max(2, round(d * 0.03))
    draw.ellipse((ring // 2, ring // 2, d - ring // 2, d - ring // 2), outline=255, width=ring)
    _star(draw, d / 2, d / 2, d * 0.16)
    n = len(arc_text)
    span = min(250.0, 22.0 * n + 20)
    # Long names get smaller characters so they still fit the arc, as on real seals.
    cs = max(6, round(min(d * 0.13, (d / 2 - ring) * 0.85 * math.radians(span) / max(n, 1) * 0.9)))
    f = font("song", cs)
    radius = d / 2 - ring - cs * 0.75
    for i, ch in enumerate(arc_text):
        phi = math.radians(-span / 2 + span * (i + 0.5) / n) if n else 0.0
        glyph = Image.new("L", (cs * 2, cs * 2), 0)
        ImageDraw.Draw(glyph).text((cs, cs), ch, font=f, fill=255, anchor="mm",
                                   stroke_width=max(1, cs // 20), stroke_fill=255)
        glyph = glyph.rotate(-math.degrees(phi), resample=Image.Resampling.BICUBIC)
        gx = d / 2 + radius * math.sin(phi) - cs
        gy = d / 2 - radius * math.cos(phi) - cs
        img.paste(255, (round(gx), round(gy)), glyph)
    if bottom_text:
        bs = min(d * 0.085, d * 0.5 / max(1, len(bottom_text)))
        bf = font("song", max(6, round(bs)))
        draw.text((d / 2, d * 0.74), bottom_text, font=bf, fill=255, anchor="mm")
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    texture = Image.fromarray((nrng.random((12, 12)) * 255).astype(np.uint8)).resize(
        (d, d), Image.Resampling.BICUBIC)
    tex = 0.6 + 0.4 * np.asarray(texture, dtype=np.float32) / 255.0
    speckle = nrng.random((d, d)) > 0.06  # ink that did not take
    alpha = np.asarray(img, dtype=np.float32) * tex * speckle * rng.uniform(0.75, 0.92)
    out = ink_image(alpha, color).filter(ImageFilter.GaussianBlur(max(0.4, d / 500)))
    return out.rotate(rng.uniform(-20, 20), resample=Image.Resampling.BICUBIC)


def id_photo(w_mm: float, h_mm: float, dpi: int, rng: random.Random) -> Image.Image:
    """A stand-in ID photo: coloured background, grey head and shoulders."""
    w, h = mm_px(w_mm, dpi), mm_px(h_mm, dpi)
    bg = rng.choice(((67, 142, 219), (240, 240, 240), (200, 40, 40)))
    img = Image.new("RGBA", (w, h), (*bg, 255))
    draw = ImageDraw.Draw(img)
    tone = rng.randrange(90, 140)
    draw.ellipse((w * 0.05, h * 0.62, w * 0.95, h * 1.3), fill=(40, 40, 48, 255))
    draw.ellipse((w * 0.28, h * 0.16, w * 0.72, h * 0.66), fill=(tone + 90, tone + 70, tone + 50, 255))
    draw.ellipse((w * 0.27, h * 0.12, w * 0.73, h * 0.36), fill=(30, 28, 28, 255))
    return img


def qr_code(data: str, size_mm: float, dpi: int) -> Image.Image:
    """A QR code of ``data`` (black on white) scaled to ``size_mm``."""
    qr = qrcode.QRCode(border=1, box_size=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGBA")
    n = mm_px(size_mm, dpi)
    return img.resize((n, n), Image.Resampling.NEAREST)
