"""Family B's marks: seals, fingerprints, photo boxes and QR codes, drawn its own way.

Seals here are double-ringed or oval, their arc text set in Noto Serif or SungtiL,
with a serial number under the star and an uneven, one-sided impression; e-certificate
seals are crisp. Fingerprints are loops (not whorls) pressed with a slight drag.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from zhanchi.synth.family_b.faces import font, require

RGB = tuple[int, int, int]
SEAL_INKS: tuple[RGB, ...] = ((214, 40, 40), (190, 20, 60), (225, 70, 50), (170, 30, 90))


def mm_px(mm: float, dpi: int) -> int:
    return max(2, round(mm / 25.4 * dpi))


def _rgba(alpha: np.ndarray, color: RGB) -> Image.Image:
    out = np.zeros((*alpha.shape, 4), dtype=np.uint8)
    out[..., :3] = color
    out[..., 3] = np.clip(alpha, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGBA")


def seal(name: str, dpi: int, rng: random.Random, *, bottom: str = "", oval: bool = False,
         crisp: bool = False, size_mm: float = 40.0) -> Image.Image:
    """A round (or oval) seal: rings, the name around the top, star, serial, bottom line."""
    face = rng.choice(("serif_bold", "sung"))
    require(face, name + bottom)
    w = mm_px(size_mm * (1.25 if oval else 1.0), dpi)
    h = mm_px(size_mm, dpi)
    img = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(img)
    ring = max(2, round(h * 0.028))
    d.ellipse((ring, ring, w - ring, h - ring), outline=255, width=ring)
    if rng.random() < 0.5:
        inner = round(h * 0.07)
        d.ellipse((inner, inner, w - inner, h - inner), outline=255, width=max(1, ring // 3))
    cx, cy = w / 2, h / 2
    pts = [(cx + (h * 0.13 if i % 2 == 0 else h * 0.05) * math.cos(-math.pi / 2 + i * math.pi / 5),
            cy + (h * 0.13 if i % 2 == 0 else h * 0.05) * math.sin(-math.pi / 2 + i * math.pi / 5))
           for i in range(10)]
    d.polygon(pts, fill=255)
    n = max(1, len(name))
    span = min(260.0, 20.0 * n + 40)
    cs = max(6, round(min(h * 0.14, (h / 2 - ring * 3) * math.radians(span) / n * 0.95)))
    f = font(face, cs)
    rx, ry = w / 2 - ring * 2 - cs * 0.8, h / 2 - ring * 2 - cs * 0.8
    for i, ch in enumerate(name):
        phi = math.radians(-span / 2 + span * (i + 0.5) / n)
        g = Image.new("L", (cs * 2, cs * 2), 0)
        ImageDraw.Draw(g).text((cs, cs), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(-math.degrees(phi), resample=Image.Resampling.BICUBIC)
        img.paste(255, (round(cx + rx * math.sin(phi) - cs), round(cy - ry * math.cos(phi) - cs)), g)
    serial = "".join(str(rng.randrange(10)) for _ in range(13))
    d.text((cx, cy + h * 0.33), serial, font=font("sans", max(5, round(h * 0.05))), fill=255, anchor="mm")
    if bottom:
        bs = max(6, round(min(h * 0.085, w * 0.55 / len(bottom))))
        d.text((cx, cy + h * 0.22), bottom, font=font(face, bs), fill=255, anchor="mm")
    alpha = np.asarray(img, dtype=np.float32)
    nrng = np.random.default_rng(rng.randrange(1 << 62))
    if not crisp:
        # A one-sided impression: the pad pressed harder on one side, ink missing in flecks.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        a = rng.uniform(0, 2 * math.pi)
        side = 0.55 + 0.45 * np.clip(0.5 + ((xx / w - 0.5) * math.cos(a) + (yy / h - 0.5) * math.sin(a)), 0, 1)
        blot = cv2.resize(nrng.random((9, 9)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        alpha = alpha * side * (0.65 + 0.35 * blot) * (nrng.random((h, w)) > 0.05)
        alpha = cv2.GaussianBlur(alpha, (0, 0), max(0.5, h / 400))
    color = (220, 30, 30) if crisp else rng.choice(SEAL_INKS)
    out = _rgba(alpha * rng.uniform(0.7, 0.9), color)
    return out.rotate(0 if crisp else rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC,
                      expand=True)


def fingerprint(dpi: int, rng: random.Random) -> Image.Image:
    """A red loop print (ridges enter one side, turn, leave it) with a slight drag."""
    w, h = mm_px(rng.uniform(12, 15), dpi), mm_px(rng.uniform(15, 19), dpi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2)
    nrng = np.random.default_rng(rng.randrange(1 << 62))

    def smooth(cells: int, amp: float) -> np.ndarray:
        s = cv2.resize(nrng.standard_normal((cells, cells)).astype(np.float32), (w, h),
                       interpolation=cv2.INTER_CUBIC)
        return np.asarray(s, dtype=np.float32) * amp

    # A loop: distance to a U-shaped core line, opening to one side.
    side = rng.choice((-1.0, 1.0))
    core = np.sqrt((u * side + 0.15) ** 2 * 1.6 + np.clip(v + 0.1, 0, None) ** 2)
    loop = np.where(v < -0.1, np.abs(u * side + 0.15) * 1.26 + (-0.1 - v) * 0.4, core)
    phase = loop * rng.uniform(10, 13) + smooth(5, 0.35) + 0.3 * v
    ridges = 0.5 + 0.5 * np.cos(2 * np.pi * phase)
    r = np.sqrt(u * u + v * v)
    edge = np.clip((1.0 + smooth(4, 0.1) - r) / 0.3, 0, 1)
    press = 0.5 + 0.5 * np.clip(smooth(3, 0.6) + 0.6, 0, 1)
    alpha = 255 * np.clip(ridges * 1.5 - 0.2, 0, 1) * edge * (0.7 + 0.3 * press)
    drag = rng.randrange(0, max(1, w // 25))
    if drag:
        alpha = cv2.blur(alpha, (drag * 2 + 1, 1))
    img = _rgba(alpha * (nrng.random((h, w)) > 0.03), rng.choice(((200, 30, 45), (180, 20, 60))))
    return img.rotate(rng.uniform(-35, 35), expand=True, resample=Image.Resampling.BICUBIC)


def photo_box(w_mm: float, h_mm: float, dpi: int, rng: random.Random) -> Image.Image:
    """A 2-inch photo stand-in: white or blue ground, a figure in a dark jacket."""
    w, h = mm_px(w_mm, dpi), mm_px(h_mm, dpi)
    ground = rng.choice(((255, 255, 255), (90, 160, 230), (235, 235, 240)))
    img = Image.new("RGB", (w, h), ground)
    d = ImageDraw.Draw(img)
    skin = (rng.randrange(200, 235), rng.randrange(165, 200), rng.randrange(140, 175))
    d.rounded_rectangle((w * 0.12, h * 0.66, w * 0.88, h * 1.1), radius=w // 5, fill=(30, 34, 52))
    d.polygon([(w * 0.42, h * 0.66), (w * 0.58, h * 0.66), (w * 0.5, h * 0.8)], fill=(245, 245, 245))
    d.ellipse((w * 0.31, h * 0.2, w * 0.69, h * 0.64), fill=skin)
    d.chord((w * 0.29, h * 0.14, w * 0.71, h * 0.46), 180, 360, fill=(25, 22, 20))
    return img.filter(ImageFilter.GaussianBlur(max(0.5, w / 200)))


def qr(data: str, size_mm: float, dpi: int) -> Image.Image:
    """A QR code (error correction H, quiet zone 2) of ``data`` at ``size_mm``."""
    code = qrcode.QRCode(border=2, box_size=6, error_correction=qrcode.constants.ERROR_CORRECT_H)
    code.add_data(data)
    code.make(fit=True)
    img = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    n = mm_px(size_mm, dpi)
    return img.resize((n, n), Image.Resampling.NEAREST)
