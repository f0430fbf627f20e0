"""Synthetic 承诺人 lines for the mark detector's tests and benchmark.

Draws the bottom of a 承诺书 (a paragraph line, ``承诺人： （签字、手印）``, ``时 间： 年 月 日``)
with PIL, optionally adding a handwritten signature (ukai font, pen colours), a red
ridged fingerprint and a red official seal. The printed text's OCR lines are built from
where it was drawn, so tests need no OCR engine. ``benchmarks/bench_marks.py`` imports
this module too. The ``test_`` functions at the bottom check the renderer itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from zhanchi.models.pages import OcrLine, OcrPage, PageRef, ReadPage

PRINT_FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"
HAND_FONT = "/usr/share/fonts/truetype/arphic/ukai.ttc"

Mode = Literal["colour", "gray", "binary", "fax"]
MODES: tuple[Mode, ...] = ("colour", "gray", "binary")

NAME_CHARS = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武洪"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力梅鑫斌宇浩凯健俊帆"
PEN_INKS: tuple[tuple[int, int, int], ...] = (  # RGB
    (20, 20, 25),  # black gel
    (25, 35, 85),  # blue-black
    (35, 60, 165),  # blue ballpoint
    (60, 60, 70),  # faded black
)
PAD_INKS: tuple[tuple[int, int, int], ...] = (  # RGB of ink-pad red
    (205, 30, 40),
    (190, 25, 50),
    (225, 70, 85),  # pinkish, light press
    (165, 20, 35),  # dark crimson
)


@dataclass
class LetterCase:
    """What to draw on one synthetic letter bottom."""

    signature: bool
    fingerprint: bool
    seed: int = 0
    seal: bool = False  # a red official seal somewhere on the page
    seal_near: bool = False  # … placed right beside the 承诺人 / 时间 lines
    dpi: int = 200
    jitter: bool = False  # random font size, positions, ink, noise, OCR text variants
    ocr_split: bool | None = None  # 承诺人 and （签字、手印） as two OCR lines
    underline: bool | None = None  # a printed rule under the signing gap
    sig_at: Literal["gap", "over_hint", "after_hint"] | None = None  # None: where it fits
    fp_at: Literal["hint", "signature", "right"] | None = None  # None: over the hint (random if jitter)
    ocr_text: str | None = None  # the 承诺人 line's OCR text (unsplit), e.g. with the name read in


@dataclass
class Rendered:
    """A drawn page with the OCR lines of its printed text and the truth boxes."""

    image: np.ndarray  # BGR
    lines: list[OcrLine]
    signature_box: tuple[int, int, int, int] | None = None
    fingerprint_box: tuple[int, int, int, int] | None = None
    seal_box: tuple[int, int, int, int] | None = None
    notes: dict[str, object] = field(default_factory=dict)


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def _line(text: str, box: tuple[float, float, float, float], pad: float) -> OcrLine:
    x0, y0, x1, y1 = box
    poly = [(x0 - pad, y0 - pad), (x1 + pad, y0 - pad), (x1 + pad, y1 + pad), (x0 - pad, y1 + pad)]
    return OcrLine(text=text, confidence=0.95, polygon=poly)


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], scale: float) -> np.ndarray:
    """Zero-mean, unit-ish smooth random field (features about ``scale`` px)."""
    small = rng.standard_normal((max(2, int(shape[0] / scale) + 2), max(2, int(shape[1] / scale) + 2)))
    big = cv2.resize(small.astype(np.float32), (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    return big / max(1e-6, float(big.std()))


def fingerprint_alpha(rng: np.random.Generator, dpi: int) -> np.ndarray:
    """An ink-coverage patch (0..1) of a pressed fingertip: wavy loop ridges in an ellipse."""
    height_cm = rng.uniform(1.6, 2.5)
    h = int(height_cm / 2.54 * dpi)
    w = int(h * rng.uniform(0.62, 0.8))
    period = rng.uniform(0.42, 0.55) / 25.4 * dpi
    size = int(max(h, w) * 1.25)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    xx -= size / 2
    yy -= size / 2
    ang = math.radians(rng.uniform(-35, 35))
    xr = xx * math.cos(ang) + yy * math.sin(ang)
    yr = -xx * math.sin(ang) + yy * math.cos(ang)
    r_env = np.sqrt((xr / (w / 2)) ** 2 + (yr / (h / 2)) ** 2)
    r_env = r_env + 0.07 * _smooth_noise(rng, (size, size), size / 4)
    # loop pattern: rings round a core below the centre, bent by a slow warp
    cx, cy = rng.uniform(-0.1, 0.1) * w, rng.uniform(0.0, 0.2) * h
    d = np.sqrt((xr - cx) ** 2 + ((yr - cy) * 0.8) ** 2)
    theta = np.arctan2(yr - cy, xr - cx)
    warp = 1.5 * _smooth_noise(rng, (size, size), size / 3)
    phase = d / period + 1.3 * np.sin(theta + rng.uniform(0, 6.28)) + warp
    ridges = 0.5 + 0.5 * np.cos(2 * np.pi * phase)
    ink = np.clip((ridges - 0.3) / 0.25, 0.0, 1.0)
    pressure = np.clip(1.3 - r_env**4, 0.0, 1.0) * np.clip(
        0.9 + 0.3 * _smooth_noise(rng, (size, size), size / 5), 0.0, 1.0
    )
    inside = r_env < 1.0
    alpha = ink * pressure * inside
    alpha = np.clip(alpha * rng.uniform(0.8, 1.0) + rng.normal(0, 0.05, alpha.shape) * inside, 0.0, 1.0)
    return alpha.astype(np.float32)


def _blend(canvas: np.ndarray, alpha: np.ndarray, rgb: tuple[int, int, int], x: int, y: int) -> tuple[int, int, int, int]:
    """Multiply ink of ``rgb`` into the RGB float canvas at (x, y); return the inked bbox."""
    H, W = canvas.shape[:2]
    h, w = alpha.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    a = alpha[y0 - y : y1 - y, x0 - x : x1 - x, None]
    col = np.array(rgb, np.float32)[None, None, :] / 255.0
    canvas[y0:y1, x0:x1] *= 1.0 - a * (1.0 - col)
    ys, xs = np.nonzero(alpha[y0 - y : y1 - y, x0 - x : x1 - x] > 0.3)
    if len(xs) == 0:
        return (x0, y0, x0, y0)
    return (int(xs.min()) + x0, int(ys.min()) + y0, int(xs.max()) + x0, int(ys.max()) + y0)


def signature_alpha(rng: np.random.Generator, size: int) -> np.ndarray:
    """A handwritten name in ukai, slanted and slightly rotated, as ink coverage 0..1."""
    name = rng.choice(list(NAME_CHARS)) + "".join(rng.choice(list(GIVEN_CHARS), size=rng.integers(1, 3)))
    font = _font(HAND_FONT, size)
    tw = int(font.getlength(name)) + size
    img = Image.new("L", (tw, int(size * 1.6)), 0)
    ImageDraw.Draw(img).text((size // 2, size // 4), name, font=font, fill=255)
    arr: np.ndarray = np.asarray(img, np.float32) / 255.0
    shear = rng.uniform(-0.25, 0.1)
    M = np.array([[1, shear, -shear * arr.shape[0] / 2], [0, 1, 0]], np.float32)
    arr = cv2.warpAffine(arr, M, (arr.shape[1], arr.shape[0]))
    R = cv2.getRotationMatrix2D((arr.shape[1] / 2, arr.shape[0] / 2), rng.uniform(-8, 8), 1.0)
    arr = cv2.warpAffine(arr, R, (arr.shape[1], arr.shape[0]))
    if rng.random() < 0.5:  # ballpoint: thinner than the brush font
        k = max(1, size // 40)
        arr = cv2.erode(arr, np.ones((k + 1, k + 1), np.uint8))
    return np.clip(arr * rng.uniform(0.85, 1.0), 0, 1)


def seal_alpha(rng: np.random.Generator, dpi: int) -> np.ndarray:
    """A round official seal: ring, star, text on the arc and a line below, 0..1."""
    d = int(rng.uniform(4.0, 4.4) / 2.54 * dpi)
    img = Image.new("L", (d + 4, d + 4), 0)
    draw = ImageDraw.Draw(img)
    ring = max(3, int(0.12 / 2.54 * dpi))
    draw.ellipse((2, 2, d + 1, d + 1), outline=255, width=ring)
    c = (d + 4) / 2
    rs = d * 0.16
    pts = []
    for i in range(10):
        rr = rs if i % 2 == 0 else rs * 0.38
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    draw.polygon(pts, fill=255)
    text = "江西省人力资源和社会保障厅"
    fsz = int(d * 0.12)
    font = _font(PRINT_FONT, fsz)
    span = math.radians(250)
    for i, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        glyph = Image.new("L", (fsz * 2, fsz * 2), 0)
        ImageDraw.Draw(glyph).text((fsz // 2, fsz // 2), ch, font=font, fill=255)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        rr = d / 2 - ring - fsz * 0.75
        img.paste(255, (int(c + rr * math.cos(a) - fsz), int(c + rr * math.sin(a) - fsz)), glyph)
    f2 = _font(PRINT_FONT, int(fsz * 0.9))
    draw.text((c - f2.getlength("办公室") / 2, c + d * 0.2), "办公室", font=f2, fill=255)
    arr = np.asarray(img, np.float32) / 255.0
    worn = np.clip(0.9 + 0.4 * _smooth_noise(rng, arr.shape, d / 12), 0.3, 1.0)
    return (arr * worn * 0.9).astype(np.float32)


def render_letter(case: LetterCase) -> Rendered:
    """Draw the bottom of a 承诺书 as described by ``case``."""
    rng = np.random.default_rng(case.seed)
    jit = case.jitter
    dpi = int(rng.choice([150, 200, 250, 300])) if jit else case.dpi
    pt = float(rng.choice([12, 14, 15, 16])) if jit else 14.0
    fs = int(round(dpi * pt / 72))
    W = int(8.27 * dpi)
    H = int((7.6 if case.seal else 4.6) * dpi)
    margin = int(1.0 * dpi)
    img = Image.new("RGB", (W, H), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    font = _font(PRINT_FONT, fs)
    pad = fs * 0.12
    lines: list[OcrLine] = []

    def text(x: float, y: float, s: str, ocr: str | None = None) -> tuple[float, float, float, float]:
        draw.text((x, y), s, font=font, fill=(0, 0, 0))
        box = draw.textbbox((x, y), s, font=font)
        if ocr is not None:
            lines.append(_line(ocr, box, pad))
        return box

    y = int(0.5 * dpi)
    para = ["本人承诺所接受的职业技能鉴定考核及所提供的信息、材料", "完全属实，如有不实或其他任一不符合申请失业保险技能提升", "补贴的情形，本人愿意退回已申领的补贴，并承担相应损失及法律责任。"]
    per_line = int((W - 2 * margin) / fs)
    for row in para:
        row = row[:per_line]
        text(margin, y, row, row)
        y += int(fs * 1.8)
    y += int(fs * (rng.uniform(1.0, 2.5) if jit else 1.5))
    prefix, hint = "承诺人：", "（签字、手印）"
    gap = fs * (rng.uniform(0.5, 7.0) if jit else 6.0)
    total = font.getlength(prefix) + gap + font.getlength(hint)
    x_a = float(rng.uniform(margin, max(margin + 1, W - margin - total - 3 * fs))) if jit else W * 0.45
    pb = text(x_a, y, prefix)
    hb = text(pb[2] + gap, y, hint)
    split = case.ocr_split if case.ocr_split is not None else bool(jit and rng.random() < 0.5)
    variants = ["承诺人：", "承诺入：", "承诺 人：", "承诺人:"]
    pref_ocr = str(rng.choice(variants)) if jit else prefix
    underline = case.underline if case.underline is not None else bool(jit and rng.random() < 0.3)
    if underline:
        draw.line((pb[2] + fs * 0.2, pb[3] + 3, hb[0] - fs * 0.2, pb[3] + 3), fill=(0, 0, 0), width=max(1, fs // 18))
    y_t = y + int(fs * (rng.uniform(2.0, 3.2) if jit else 2.5))
    time_s = "时  间：" + "　" * 4 + "年" + "　" * 2 + "月" + "　" * 2 + "日"
    tb = text(x_a, y_t, time_s, "时间：年月日" if not jit else str(rng.choice(["时 间：年 月 日", "时间：年月日", "时 问： 年 月 日"])))
    org_box = None
    if case.seal and not case.seal_near:  # the issuing office's name, where seals sit
        org = "江西省人力资源和社会保障厅办公室"
        org_box = text(W - margin - font.getlength(org), int(y_t + 3.0 * fs), org, org)
    out = Rendered(image=np.zeros(1), lines=lines)
    canvas: np.ndarray = np.asarray(img, np.float32) / 255.0
    cy = (pb[1] + pb[3]) / 2

    # ink the signature: in the gap if it fits, else over or after the hint
    sig_name_ocr = ""
    if case.signature:
        size = int(fs * (rng.uniform(1.2, 1.9) if jit else 1.5))
        sa = signature_alpha(rng, size)
        room = hb[0] - pb[2]
        at = case.sig_at
        if at is None:
            at = "gap" if room > sa.shape[1] * 0.8 else ("over_hint" if rng.random() < 0.5 else "after_hint")
        if at == "gap":
            sx = pb[2] + max(0.0, (room - sa.shape[1]) * float(rng.uniform(0.0, 1.0) if jit else 0.5))
        elif at == "over_hint":
            sx = hb[0] - sa.shape[1] * 0.2
        else:
            sx = hb[2] + fs * 0.3
        sy = cy - sa.shape[0] / 2 + (rng.uniform(-0.4, 0.2) * fs if jit else -0.1 * fs)
        ink = PEN_INKS[int(rng.integers(0, len(PEN_INKS)))] if jit else PEN_INKS[0]
        out.signature_box = _blend(canvas, sa, ink, int(sx), int(sy))
        sig_name_ocr = "张三" if jit and rng.random() < 0.5 else ""
        out.notes["signature_ink"] = ink
        if jit and rng.random() < 0.5:  # handwritten date on the 时间 line
            da = signature_alpha(rng, int(fs * 1.1))
            _blend(canvas, da[:, : da.shape[1] // 2], ink, int(tb[0] + 3.5 * fs), int(tb[1] - 0.3 * fs))

    # OCR of the 承诺人 line, as an engine might return it
    if split:
        lines.append(_line(pref_ocr, pb, pad))
        lines.append(_line(hint, hb, pad))
    else:
        ocr_text = case.ocr_text if case.ocr_text is not None else pref_ocr + sig_name_ocr + hint
        lines.append(_line(ocr_text, (pb[0], pb[1], hb[2], hb[3]), pad))

    if case.fingerprint:
        fa = fingerprint_alpha(rng, dpi)
        spots = {"hint": hb[0] + (hb[2] - hb[0]) * 0.7, "right": hb[2] + fs * 1.5}
        spots["signature"] = (out.signature_box[0] + out.signature_box[2]) / 2 if out.signature_box else (pb[2] + hb[0]) / 2
        if case.fp_at is not None:
            fx_c, fy_c = spots[case.fp_at], cy
        elif jit:
            fx_c = float(rng.choice([spots["hint"], (pb[2] + hb[0]) / 2, spots["right"]]))
            fy_c = cy + rng.uniform(-0.6, 0.6) * fs
        else:
            fx_c, fy_c = spots["hint"], cy
        colour = PAD_INKS[int(rng.integers(0, len(PAD_INKS)))] if jit else PAD_INKS[0]
        out.fingerprint_box = _blend(canvas, fa, colour, int(fx_c - fa.shape[1] / 2), int(fy_c - fa.shape[0] / 2))
        out.notes["pad_ink"] = colour

    if case.seal:
        sa = seal_alpha(rng, dpi)
        if case.seal_near:
            sx, sy = int(min(W - sa.shape[1] - 10, tb[2] + fs)), int(y_t - sa.shape[0] * 0.1)
        else:
            assert org_box is not None
            sx = int((org_box[0] + org_box[2]) / 2 - sa.shape[1] / 2)
            sy = int((org_box[1] + org_box[3]) / 2 - sa.shape[0] / 2)
        out.seal_box = _blend(canvas, sa, (210, 35, 45), sx, sy)

    if jit:  # paper tint, sensor noise, blur, jpeg
        canvas *= np.array([rng.uniform(0.93, 1.0), rng.uniform(0.93, 1.0), rng.uniform(0.9, 1.0)], np.float32)
        canvas += rng.normal(0, rng.uniform(0.005, 0.025), canvas.shape).astype(np.float32)
        if rng.random() < 0.5:
            canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.4, 0.9))
    bgr = cv2.cvtColor((np.clip(canvas, 0, 1) * 255).astype(np.uint8), cv2.COLOR_RGB2BGR)
    if jit and rng.random() < 0.6:
        ok, enc = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(55, 95))])
        bgr = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    out.image = bgr
    out.lines = lines
    out.notes.update(dpi=dpi, pt=pt, split=split)
    return out


_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32)


def convert(image: np.ndarray, mode: Mode) -> np.ndarray:
    """The page as a colour, grayscale, Otsu-binarised or fax (ordered-dither) scan, 3-channel."""
    if mode == "colour":
        return image
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if mode == "binary":
        _, gray = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if mode == "fax":  # dark stays black, paper white, mid-tones (red ink) become dots
        h, w = gray.shape
        tile = np.tile((_BAYER + 0.5) / 16 * 255, (h // 4 + 1, w // 4 + 1))[:h, :w]
        gray = np.where(gray.astype(np.float32) > tile * 0.75 + 40, 255, 0).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def as_page(r: Rendered, mode: Mode = "colour") -> ReadPage:
    """Wrap a rendering as the extractors' input."""
    img = convert(r.image, mode)
    h, w = img.shape[:2]
    ocr = OcrPage(engine="synthetic", lines=r.lines, width=w, height=h)
    return ReadPage(ref=PageRef(file="synthetic.png", page=1, width=w, height=h), ocr=ocr, image=img)


# --- the renderer itself -------------------------------------------------------------


def test_ocr_boxes_cover_printed_ink() -> None:
    r = render_letter(LetterCase(signature=False, fingerprint=False))
    gray = cv2.cvtColor(r.image, cv2.COLOR_BGR2GRAY)
    for line in r.lines:
        x0, y0, x1, y1 = line.bbox
        assert (gray[y0:y1, x0:x1] < 128).sum() > 20, line.text
    assert any("承诺人" in ln.text for ln in r.lines)


def test_marks_change_the_pixels_they_claim() -> None:
    r = render_letter(LetterCase(signature=True, fingerprint=True))
    assert r.signature_box is not None and r.fingerprint_box is not None
    x0, y0, x1, y1 = r.fingerprint_box
    patch = r.image[y0:y1, x0:x1].astype(int)
    redness = patch[..., 2] - np.maximum(patch[..., 0], patch[..., 1])
    assert (redness > 60).mean() > 0.15


def test_binary_mode_has_two_levels() -> None:
    r = render_letter(LetterCase(signature=True, fingerprint=True, jitter=True, seed=3))
    assert set(np.unique(convert(r.image, "binary"))) <= {0, 255}
