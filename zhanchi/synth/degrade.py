"""Named page degradations: what scanners, fax machines, phones and clerks do to paper.

Each takes an RGB ``uint8`` array and a seeded generator and returns a new array.
:func:`apply` runs a list of names in a fixed physical order (marks on the paper
first, then the capture, then the rotation) and returns the names actually applied.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from zhanchi.synth.canvas import multiply_onto
from zhanchi.synth.marks import seal

Image_ = np.ndarray
Region = tuple[int, int, int, int]
DEGRADATIONS = ("clean", "scan", "blur", "rot90", "rot180", "rot270", "fax", "fax_coarse",
                "photo", "photo_frame", "seal_over_text", "smudge")
ORDER = ("seal_over_text", "smudge", "blur", "fax", "fax_coarse", "scan", "photo_frame", "photo",
         "rot90", "rot180", "rot270")
ROTATIONS = {"rot90": 90, "rot180": 180, "rot270": 270}  # clockwise degrees applied
RECEIPT_STAMPS = ("南昌市失业保险管理局", "赣州市就业创业服务中心", "九江市社会保险事业管理局")


def _jpeg_roundtrip(img: Image_, quality: int) -> Image_:
    ok, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
    if decoded is None:
        raise RuntimeError("JPEG round trip failed")
    return np.ascontiguousarray(np.asarray(decoded)[..., ::-1])


def scan(img: Image_, rng: np.random.Generator) -> Image_:
    """Flatbed scan: slight skew (±3°), sensor noise, a touch of grey, JPEG artefacts."""
    h, w = img.shape[:2]
    angle = float(rng.uniform(-3, 3))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(248, 248, 248))
    noise = rng.normal(0, 3.0, out.shape[:2])[..., None]
    out = np.clip(out.astype(np.float32) * float(rng.uniform(0.93, 0.99)) + noise, 0, 255)
    return _jpeg_roundtrip(out.astype(np.uint8), int(rng.integers(60, 86)))


def blur(img: Image_, rng: np.random.Generator) -> Image_:
    """Out of focus / moved during capture."""
    sigma = float(rng.uniform(1.0, 1.8)) * img.shape[1] / 1654
    return cv2.GaussianBlur(img, (0, 0), sigma)


BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]) * 16 + 8


def fax(img: Image_, rng: np.random.Generator) -> Image_:
    """Fax or a black-and-white scan: black/white, greys (red ink) as halftone dots.

    Red seals and fingerprints come out as dotted shapes, as fax machines render
    them, so text under a seal stays solid black and readable.
    """
    rgb = img.astype(np.float32)
    lum = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    redness = np.clip(rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2]), 0, 255)
    grey = np.clip(lum + 0.55 * redness, 0, 255)
    h, w = grey.shape
    dither = np.tile(BAYER, (h // 4 + 1, w // 4 + 1))[:h, :w]
    bw = np.where(grey < 110, 0, np.where(grey > 210, 255, np.where(grey > dither, 255, 0)))
    bw[rng.random(bw.shape) < 0.0008] = 0  # specks
    return np.repeat(bw.astype(np.uint8)[..., None], 3, axis=2)


def fax_coarse(img: Image_, rng: np.random.Generator) -> Image_:
    """A fax sent at standard resolution (half the lines: each pair of rows scanned as
    one, printed twice), a threshold that wanders down the page, dropouts along some
    lines, and the sending machine's header line at the top. A stroke one row thin
    comes out as a pair of rows, never lost: a person still reads every value."""
    h, w = img.shape[:2]
    even = img[: h - h % 2].astype(np.int16)
    half = (even[0::2] + even[1::2]) // 2
    out = np.repeat(half, 2, axis=0)
    if out.shape[0] < h:
        out = np.concatenate([out, out[-1:]], axis=0)
    drift = rng.normal(0, 12, (h // 40 + 1, 1, 1)).repeat(40, axis=0)[:h]
    out = np.where(out + drift > 150, 255, 0).astype(np.uint8)
    for y in rng.choice(h, size=int(h * 0.004), replace=False):
        out[y:y + 2, :] = np.maximum(out[y:y + 2, :], (rng.random((1, w, 1)) < 0.5) * 255)
    header = f"FAX  {int(rng.integers(2000, 2030))}-{int(rng.integers(1, 13)):02d}-" \
             f"{int(rng.integers(1, 29)):02d} {int(rng.integers(0, 24)):02d}:" \
             f"{int(rng.integers(0, 60)):02d}  P.{int(rng.integers(1, 4)):03d}"
    cv2.putText(out, header, (int(0.04 * w), int(0.012 * h) + 12), cv2.FONT_HERSHEY_PLAIN,
                max(1.0, w / 1400), (0, 0, 0), 1 + w // 1600)
    return out


def photo(img: Image_, rng: np.random.Generator) -> Image_:
    """Phone photo: page warped in perspective on a darker desk, uneven light."""
    h, w = img.shape[:2]
    desk = np.array([rng.uniform(70, 120), rng.uniform(60, 100), rng.uniform(50, 80)])
    m = 0.07
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    jitter = rng.uniform(-0.03, 0.03, (4, 2)) * [w, h]
    base = np.array([[m * w, m * h], [(1 - m) * w, m * h], [(1 - m) * w, (1 - m) * h],
                     [m * w, (1 - m) * h]], dtype=np.float32)
    dst = (base + jitter).astype(np.float32)
    mat = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(img, mat, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=desk.tolist())
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    dist = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    light = (1.05 - 0.45 * dist * float(rng.uniform(0.7, 1.1)))[..., None]
    tint = np.array([1.0, rng.uniform(0.96, 1.0), rng.uniform(0.88, 0.97)])
    noise = rng.normal(0, 4.0, (h, w))[..., None]
    out = np.clip(out.astype(np.float32) * light * tint + noise, 0, 255).astype(np.uint8)
    return cv2.GaussianBlur(out, (0, 0), 0.6 * w / 1654)


def photo_frame(img: Image_, rng: np.random.Generator) -> Image_:
    """A certificate still in its picture frame: the page, shrunk, inside a white mat
    and a dark moulding (what a phone photo of a framed certificate shows)."""
    h, w = img.shape[:2]
    band = int(w * rng.uniform(0.04, 0.07))
    mat = int(w * rng.uniform(0.02, 0.05))
    inner = (w - 2 * (band + mat), h - 2 * (band + mat))
    page = cv2.resize(img, inner, interpolation=cv2.INTER_AREA)
    wood = np.array([rng.uniform(60, 110), rng.uniform(35, 65), rng.uniform(20, 40)])
    out = np.empty_like(img)
    out[:] = wood.astype(np.uint8)
    grain = rng.normal(0, 10, (h, 1, 1)) + rng.normal(0, 4, (h, w, 1))
    out = np.clip(out.astype(np.float32) + grain, 0, 255).astype(np.uint8)
    out[band:h - band, band:w - band] = np.array([244, 242, 236], dtype=np.uint8)
    out[band + mat:band + mat + inner[1], band + mat:band + mat + inner[0]] = page
    return out


def seal_over_text(img: Image_, rng: np.random.Generator, regions: list[Region], dpi: int) -> Image_:
    """A red receipt stamp pressed over printed text (an office's 业务专用章)."""
    h, w = img.shape[:2]
    prng = random.Random(int(rng.integers(1 << 30)))
    stamp = seal(prng.choice(RECEIPT_STAMPS), dpi, prng, diameter_mm=38, bottom_text="业务专用章")
    if regions:
        x0, y0, x1, y1 = regions[int(rng.integers(len(regions)))]
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    else:
        cx, cy = int(rng.uniform(0.3, 0.7) * w), int(rng.uniform(0.3, 0.6) * h)
    arr = img.astype(np.float32) / 255.0
    multiply_onto(arr, stamp, cx - stamp.width // 2, cy - stamp.height // 2)
    return np.clip(arr * 255 + 0.5, 0, 255).astype(np.uint8)


def smudge(img: Image_, rng: np.random.Generator, regions: list[Region]) -> Image_:
    """Wet ink wiped across a field: heavy blur and a grey wash (``low_confidence``)."""
    out = img.copy()
    for x0, y0, x1, y1 in regions:
        patch = out[y0:y1, x0:x1].astype(np.float32)
        if patch.size == 0:
            continue
        k = max(3, (y1 - y0) // 6)
        blurred = np.asarray(cv2.GaussianBlur(patch, (0, 0), k * 0.9), dtype=np.float32)
        smeared = np.asarray(cv2.blur(blurred, (k * 3, 1)), dtype=np.float32)  # smear sideways
        wash = np.array([150, 150, 170], dtype=np.float32)
        mixed = smeared * 0.72 + wash * 0.28 + rng.normal(0, 6, patch.shape[:2])[..., None]
        out[y0:y1, x0:x1] = np.clip(mixed, 0, 255).astype(np.uint8)
    return out


def rotate(img: Image_, degrees_cw: int) -> Image_:
    return np.ascontiguousarray(np.rot90(img, k=-(degrees_cw // 90)))


def apply(
    img: Image_, names: list[str], rng: np.random.Generator, *, dpi: int,
    text_regions: list[Region] | None = None, smudge_regions: list[Region] | None = None,
) -> tuple[Image_, list[str], int]:
    """Apply ``names`` in physical order; returns (image, names applied, rotation cw)."""
    unknown = set(names) - set(DEGRADATIONS)
    if unknown:
        raise ValueError(f"unknown degradations: {sorted(unknown)}")
    steps: dict[str, Callable[[Image_], Image_]] = {
        "seal_over_text": lambda a: seal_over_text(a, rng, text_regions or [], dpi),
        "smudge": lambda a: smudge(a, rng, smudge_regions or []),
        "blur": lambda a: blur(a, rng), "fax": lambda a: fax(a, rng),
        "scan": lambda a: scan(a, rng), "photo": lambda a: photo(a, rng),
        "photo_frame": lambda a: photo_frame(a, rng), "fax_coarse": lambda a: fax_coarse(a, rng),
    }
    applied: list[str] = []
    rotation = 0
    for name in ORDER:
        if name not in names:
            continue
        if name in ROTATIONS:
            rotation = (rotation + ROTATIONS[name]) % 360
            img = rotate(img, ROTATIONS[name])
        else:
            img = steps[name](img)
        applied.append(name)
    return img, applied or ["clean"], rotation


def to_pil(img: Image_) -> Image.Image:
    return Image.fromarray(img)
