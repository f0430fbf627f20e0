"""How family B's pages reach the office: flatbed, photocopy, fax, phone on a desk or
in a picture frame; plus a water stain over a field (``low_confidence``).

Each capture takes an RGB uint8 array and a seeded numpy generator. Names recorded
in expected JSON (``degradations``) are these names, plus ``rot90/180/270``.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image, ImageDraw

from zhanchi.synth.family_b.faces import font

Img = np.ndarray
CAPTURES = ("flatbed", "photocopy", "fax", "phone_desk", "phone_frame")
ROTATIONS = {"rot90": 90, "rot180": 180, "rot270": 270}


def _jpeg(img: Img, quality: int) -> Img:
    ok, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    out = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
    if out is None:
        raise RuntimeError("JPEG round trip failed")
    return np.ascontiguousarray(np.asarray(out)[..., ::-1])


def _skew(img: Img, angle: float, border: tuple[int, int, int]) -> Img:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return np.asarray(cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=border))


def _grey(img: Img) -> np.ndarray:
    """Luminance with red ink lifted to a mid grey (at most 150), so a red seal or
    fingerprint comes out as dots, neither a black blot over the value under it (which
    stays legible) nor gone (a person still sees the seal and the print)."""
    rgb = img.astype(np.float32)
    lum = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    redness = np.clip(rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2]), 0, 255)
    lifted = np.minimum(lum + 0.5 * redness, np.maximum(lum, 150.0))
    return np.asarray(np.clip(lifted, 0, 255), dtype=np.float32)


def flatbed(img: Img, rng: np.random.Generator) -> Img:
    """Skewed ±2.5°, lid shadow along one edge, sensor noise, JPEG."""
    out = _skew(img, float(rng.uniform(-2.5, 2.5)), (236, 236, 232)).astype(np.float32)
    h, w = out.shape[:2]
    edge = np.linspace(0, 1, w if rng.random() < 0.5 else h, dtype=np.float32)
    shade = 1 - 0.35 * np.exp(-edge * 25)
    out *= (shade[None, :, None] if len(edge) == w else shade[:, None, None])
    out += rng.normal(0, 4.0, (h, w, 1))
    return _jpeg(np.clip(out, 0, 255).astype(np.uint8), int(rng.integers(55, 85)))


def photocopy(img: Img, rng: np.random.Generator) -> Img:
    """Grey toner copy: contrast up, colour gone, toner specks and a streak."""
    grey = np.clip((_grey(img) - 40) * 1.25, 0, 255)
    h, w = grey.shape
    grey[rng.random((h, w)) < 0.002] = 30
    x = int(rng.integers(0, w))
    grey[:, x:x + max(1, w // 400)] *= 0.6
    out = _skew(np.repeat(grey.astype(np.uint8)[..., None], 3, 2), float(rng.uniform(-1.5, 1.5)),
                (250, 250, 250))
    return _jpeg(out, int(rng.integers(60, 85)))


def fax(img: Img, rng: np.random.Generator) -> Img:
    """Standard-mode fax: half vertical resolution, noisy threshold, header line, drop-outs."""
    grey = _grey(img)
    h, w = grey.shape
    half = cv2.resize(grey, (w, h // 2), interpolation=cv2.INTER_AREA)
    thresh = 150 + rng.normal(0, 28, half.shape)
    bw = np.where(half < thresh, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(0, 4))):
        r = int(rng.integers(0, bw.shape[0]))
        bw[r] = 255 if rng.random() < 0.5 else bw[r]
    full = cv2.resize(bw, (w, h), interpolation=cv2.INTER_NEAREST)
    pil = Image.fromarray(full)
    px = max(8, h // 150)
    stamp = f"{int(rng.integers(2021, 2026))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d} " \
        f"{int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}  FROM:0{int(rng.integers(790, 799))}" \
        f"{int(rng.integers(1000000, 9999999))}  P.01"
    ImageDraw.Draw(pil).text((w // 20, px // 2), stamp, font=font("sans", px), fill=0)
    out = np.asarray(pil)
    return np.repeat(out[..., None], 3, axis=2)


def _wood(h: int, w: int, rng: np.random.Generator) -> Img:
    """A wood-grain desk (made at a quarter size: grain is smooth anyway)."""
    sh, sw = max(8, h // 4), max(8, w // 4)
    base = np.array([rng.uniform(110, 160), rng.uniform(75, 110), rng.uniform(45, 70)], np.float32)
    yy = np.arange(sh, dtype=np.float32)[:, None]
    grain = np.sin(yy / float(rng.uniform(1.5, 3.5)) + np.cumsum(rng.normal(0, 0.02, (1, sw)), axis=1) * 8)
    tex = base[None, None, :] * (0.85 + 0.12 * grain[..., None])
    small = np.clip(tex, 0, 255).astype(np.uint8)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))


def _phone(img: Img, rng: np.random.Generator, frame: bool) -> Img:
    """A phone photo: the page (framed or not) in perspective on a desk, light falling off."""
    h, w = img.shape[:2]
    page = np.asarray(cv2.resize(img, (int(w * 0.7), int(h * 0.7)), interpolation=cv2.INTER_AREA))
    if frame:  # a picture frame: mat, moulding, then glass glare
        pw0 = page.shape[1]
        mat, mould = int(pw0 * 0.05), int(pw0 * rng.uniform(0.04, 0.07))
        page = cv2.copyMakeBorder(page, mat, mat, mat, mat, cv2.BORDER_CONSTANT, value=(245, 243, 238))
        colour = [(30, 25, 22), (160, 120, 50), (90, 55, 35)][int(rng.integers(0, 3))]
        page = cv2.copyMakeBorder(page, mould, mould, mould, mould, cv2.BORDER_CONSTANT, value=colour)
    ph, pw = page.shape[:2]
    H, W = int(ph * 1.3), int(pw * 1.3)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    dst = src + [(W - pw) / 2, (H - ph) / 2] + rng.uniform(-0.06, 0.06, (4, 2)) * [pw, ph]
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    out = np.asarray(cv2.warpPerspective(page, m, (W, H), flags=cv2.INTER_LINEAR,
                                         borderMode=cv2.BORDER_TRANSPARENT, dst=_wood(H, W, rng)))
    sh, sw = H // 8, W // 8
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * sw, rng.uniform(0.2, 0.8) * sh
    light = 1.08 - 0.5 * np.sqrt(((xx - cx) / sw) ** 2 + ((yy - cy) / sh) ** 2)
    if frame:
        light += 0.18 * np.clip(1 - np.abs((xx / sw - yy / sh) - rng.uniform(-0.3, 0.3)) * 6, 0, 1)
    tint = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.86, 0.96)], np.float32)
    gain = cv2.resize(light.astype(np.float32), (W, H), interpolation=cv2.INTER_LINEAR)[..., None] * tint
    noisy = out.astype(np.float32) * gain + rng.normal(0, 5.0, (H, W, 1)).astype(np.float32)
    return _jpeg(np.clip(noisy, 0, 255).astype(np.uint8), int(rng.integers(70, 90)))


def stain(img: Img, rng: np.random.Generator, regions: list[tuple[int, int, int, int]]) -> Img:
    """A water drop dried over the field: ink run, blurred and washed brown."""
    out = img.copy()
    for x0, y0, x1, y1 in regions:
        patch = out[y0:y1, x0:x1].astype(np.float32)
        if patch.size == 0:
            continue
        k = max(3, (y1 - y0) // 5)
        run = np.asarray(cv2.GaussianBlur(patch, (0, 0), k), dtype=np.float32)
        run = np.asarray(cv2.blur(run, (1, k * 3)), dtype=np.float32)  # ink runs downwards
        wash = np.array([170, 150, 120], np.float32)
        out[y0:y1, x0:x1] = np.clip(run * 0.7 + wash * 0.3, 0, 255).astype(np.uint8)
    return out


def capture(img: Img, names: list[str], rng: np.random.Generator) -> tuple[Img, int]:
    """Apply capture ``names`` (at most one capture, then rotations); returns the turn cw."""
    steps: dict[str, Callable[[Img], Img]] = {
        "flatbed": lambda a: flatbed(a, rng), "photocopy": lambda a: photocopy(a, rng),
        "fax": lambda a: fax(a, rng), "phone_desk": lambda a: _phone(a, rng, False),
        "phone_frame": lambda a: _phone(a, rng, True),
    }
    rotation = 0
    for name in names:
        if name in steps:
            img = steps[name](img)
        elif name in ROTATIONS:
            rotation = (rotation + ROTATIONS[name]) % 360
            img = np.ascontiguousarray(np.rot90(img, k=-(ROTATIONS[name] // 90)))
    return img, rotation
