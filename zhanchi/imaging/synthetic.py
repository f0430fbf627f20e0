"""Synthetic page images for tests and benchmarks: A4 text pages and their defects.

Pages are rendered with PIL from public template text (the 承诺书 of 赣人社字〔2020〕332号
and the notice's own wording) with fictitious fills, so no personal data is involved.
Defects are added one at a time: red seals over text, QR-like blocks, photos, fax
binarisation, quarter turns, small skews and phone-photo perspective with uneven light.
Everything is deterministic for a given ``seed``. ``turn`` is re-exported for tests.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from zhanchi.imaging.orientation import turn

__all__ = ["A4_200DPI", "FONTS", "LETTER_TEXT", "NOTICE_TEXT", "add_photo", "add_qr_block", "add_seal", "fax", "handwritten_page", "phone_photo", "skew", "text_page",
           "turn", "wrap"]

A4_200DPI = (1654, 2339)  # width, height in pixels
FONTS = {
    "uming": "/usr/share/fonts/truetype/arphic/uming.ttc",
    "ukai": "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}
LETTER_TEXT = (
    "本人于2021年6月18日在江西省南昌市青山湖区，参加了江西省职业技能鉴定指导中心组织开展的"
    "电工职业（工种）职业技能考核鉴定考试，符合国家职业技能标准规定的报考条件，考试成绩合格，"
    "获得电工四级职业技能等级证书，证书编号：S000036000001214000123。"
    "本人已知晓并充分理解申请失业保险技能提升补贴所需条件。本人承诺所接受的职业技能鉴定考核及所"
    "提供的信息、材料完全属实，如有不实或其他任一不符合申请失业保险技能提升补贴的情形，本人愿意退"
    "回已申领的补贴，并承担相应损失及法律责任。"
)
NOTICE_TEXT = (
    "为进一步做好全省职业技能评价工作，加强失业保险支持技能提升展翅行动补贴资金管理，根据人力资源"
    "社会保障部关于实行职业技能考核鉴定机构备案管理的通知等文件规定，现就进一步规范职业技能评价，"
    "加强技能提升补贴资金管理有关事项通知如下：一、落实职业技能评价备案制度。除原环境保护部、国家"
    "铁路局、原安全生产监督管理部门相关机构实施的职业资格及军队士兵职业技能鉴定外，其他有关实施部门"
    "拟设立的职业技能考核鉴定机构，要经各级人力资源社会保障部门备案同意后组织开展职业技能考核鉴定。"
    "二、做好职业资格退出接续工作。对第一批退出国家职业资格目录的职业资格，在2020年9月30日之前已"
    "完成鉴定报名的，可根据考生意愿在2020年12月31日之前安排完成其他职业技能鉴定考试工作。三、严格"
    "技能提升补贴审核。各失业保险经办机构要与职业技能鉴定考核机构建立信息共享、沟通协调机制，通过"
    "信息比对有效甄别申请材料的真实性，严防冒领、骗取补贴。四、强化政策宣传和信息公开。"
)


def _noise(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Gaussian noise from a tiled 256×256 patch: drawing millions of normals is slow."""
    patch = (sigma * rng.standard_normal((256, 256, *shape[2:]))).astype(np.float32)
    reps = (-(-shape[0] // 256), -(-shape[1] // 256)) + (1,) * (len(shape) - 2)
    return np.tile(patch, reps)[: shape[0], : shape[1]]


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS.get(name, name), size)


def wrap(text: str, per_line: int) -> list[str]:
    """Cut text into lines of ``per_line`` characters (CJK text has no word breaks)."""
    return [text[i:i + per_line] for i in range(0, len(text), per_line)]


def text_page(text: str = LETTER_TEXT, *, title: str | None = "承诺书", font: str = "uming",
              size: int = 33, spacing: float = 1.8, landscape: bool = False,
              footer: Sequence[str] = ("承诺人：张三", "时间：2021年7月2日")) -> tuple[np.ndarray, list[str]]:
    """A white A4 page at 200 dpi with ``text`` wrapped at the margins.

    Returns the BGR image and the lines drawn (title and footer included), in reading
    order, for accuracy measurements. ``size`` is the glyph size in pixels (33 px is
    12 pt at 200 dpi).
    """
    w, h = A4_200DPI[::-1] if landscape else A4_200DPI
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    margin = int(w * 0.1)
    body_font = _font(font, size)
    drawn: list[str] = []
    y = int(h * 0.06)
    if title:
        tf = _font(font, int(size * 1.8))
        tw = draw.textlength(title, font=tf)
        draw.text(((w - tw) / 2, y), title, font=tf, fill="black")
        drawn.append(title)
        y += int(size * 1.8 * 2.2)
    per_line = max(4, int((w - 2 * margin) / size) - 2)
    for row in wrap(text, per_line):
        if y > h - margin - size * 2 * (len(footer) + 1):
            break
        draw.text((margin, y), row, font=body_font, fill="black")
        drawn.append(row)
        y += int(size * spacing)
    y += size * 2
    for row in footer:
        draw.text((int(w * 0.55), y), row, font=body_font, fill="black")
        drawn.append(row)
        y += int(size * spacing)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR), drawn


def handwritten_page(text: str = LETTER_TEXT, *, size: int = 30, ink: int = 60, seed: int = 0,
                     per_line: int = 30) -> tuple[np.ndarray, list[str]]:
    """Handwriting-like fills: brush-script glyphs (AR PL UKai) each tilted and shifted
    at random, uneven spacing, a soft pen (blur). Returns the page and its lines."""
    rng = np.random.default_rng(seed)
    w, h = A4_200DPI
    img = Image.new("L", (w, h), 255)
    font = _font("ukai", size)
    lines = wrap(text, per_line)
    y = int(h * 0.08)
    for row in lines:
        x = w * 0.1
        for ch in row:
            tile = Image.new("L", (size * 2, size * 2), 0)
            ImageDraw.Draw(tile).text((size / 2, size / 2), ch, font=font, fill=255)
            tile = tile.rotate(float(rng.normal(0, 6)), resample=Image.Resampling.BICUBIC)
            img.paste(ink, (int(x - size / 2), int(y - size / 2 + rng.normal(0, 3))), tile)
            x += (size * 0.55 if ch.isascii() else size * 1.08) + float(rng.normal(0, 2))
        y += int(size * 2.2)
    grey = cv2.GaussianBlur(np.asarray(img), (3, 3), 0.8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), lines


def add_seal(image: np.ndarray, center: tuple[int, int], radius: int = 190,
             text: str = "江西省职业技能鉴定指导中心", color: tuple[int, int, int] = (40, 30, 215)
             ) -> np.ndarray:
    """Stamp a red round seal (ring, star, text along the rim) over the page.

    The ink multiplies like real stamp ink, so black text under it stays dark.
    """
    h, w = image.shape[:2]
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    cx, cy = center
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=255,
                 width=max(4, radius // 18))
    star = [(cx + radius * 0.3 * np.cos(np.pi / 2 + k * 4 * np.pi / 5),
             cy - radius * 0.3 * np.sin(np.pi / 2 + k * 4 * np.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=255)
    glyph = max(12, radius // 4)
    font = _font("zenhei", glyph)
    n = len(text)
    for i, ch in enumerate(text):
        ang = np.pi * (1.15 - 1.3 * i / max(1, n - 1))  # along the upper rim, left to right
        gx = cx + (radius * 0.72) * np.cos(ang) - glyph / 2
        gy = cy - (radius * 0.72) * np.sin(ang) - glyph / 2
        tile = Image.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph / 2, glyph / 2), ch, font=font, fill=255)
        tile = tile.rotate(np.degrees(ang) - 90, resample=Image.Resampling.BICUBIC)
        layer.paste(255, (int(gx - glyph / 2), int(gy - glyph / 2)), tile)
    alpha = np.asarray(layer, dtype=np.float32)[..., None] / 255.0 * 0.85
    ink = np.array(color, dtype=np.float32) / 255.0
    out = image.astype(np.float32) * (1 - alpha + alpha * ink)
    return np.clip(out, 0, 255).astype(np.uint8)


def add_qr_block(image: np.ndarray, origin: tuple[int, int], size: int = 220, seed: int = 0
                 ) -> np.ndarray:
    """Paste a QR-code-like block (random modules with three finder squares)."""
    rng = np.random.default_rng(seed)
    n = 29
    mods = rng.random((n, n)) < 0.5
    for oy, ox in ((0, 0), (0, n - 7), (n - 7, 0)):
        mods[oy:oy + 7, ox:ox + 7] = True
        mods[oy + 1:oy + 6, ox + 1:ox + 6] = False
        mods[oy + 2:oy + 5, ox + 2:ox + 5] = True
    block: np.ndarray = np.where(mods, 0, 255).astype(np.uint8)
    block = cv2.resize(block, (size, size), interpolation=cv2.INTER_NEAREST)
    out = image.copy()
    x, y = origin
    out[y:y + size, x:x + size] = block[..., None]
    return out


def add_photo(image: np.ndarray, box: tuple[int, int, int, int], seed: int = 0) -> np.ndarray:
    """Paste a portrait-photo-like block (smooth shapes and noise) into ``box``."""
    x0, y0, x1, y1 = box
    rng = np.random.default_rng(seed)
    ph, pw = y1 - y0, x1 - x0
    photo = np.full((ph, pw, 3), (200, 160, 120), np.uint8)
    cv2.ellipse(photo, (pw // 2, int(ph * 0.4)), (pw // 4, ph // 4), 0, 0, 360, (150, 170, 210), -1)
    cv2.ellipse(photo, (pw // 2, ph), (pw // 2, ph // 3), 0, 0, 360, (40, 40, 50), -1)
    noise = _noise(rng, photo.shape, 12)
    out = image.copy()
    out[y0:y1, x0:x1] = np.clip(photo + noise, 0, 255).astype(np.uint8)
    return out


def fax(image: np.ndarray, seed: int = 0, threshold: int = 150) -> np.ndarray:
    """A binarised, speckled fax-like version of the page (still 3-channel)."""
    rng = np.random.default_rng(seed)
    grey: np.ndarray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.int16)
    grey = grey + _noise(rng, grey.shape, 25).astype(np.int16)
    bw = np.where(grey < threshold, 0, 255).astype(np.uint8)
    return cv2.cvtColor(bw, cv2.COLOR_GRAY2BGR)


def skew(image: np.ndarray, degrees_ccw: float) -> np.ndarray:
    """Rotate by a small angle counter-clockwise, white fill, same canvas size."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees_ccw, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))


def phone_photo(page: np.ndarray, corners: Sequence[tuple[float, float]],
                canvas: tuple[int, int] = (1600, 2100), background: tuple[int, int, int] = (70, 80, 90),
                light: float = 0.35, seed: int = 0) -> np.ndarray:
    """Photograph ``page`` onto a darker desk: its corners land on ``corners``.

    ``corners`` are canvas pixels, clockwise from the page's top-left; ``light`` is how
    much darker the far corner gets (uneven lighting).
    """
    rng = np.random.default_rng(seed)
    cw, ch = canvas
    h, w = page.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, np.array(corners, np.float32))
    desk = np.full((ch, cw, 3), background, np.uint8)
    desk = np.clip(desk + _noise(rng, desk.shape, 6), 0, 255).astype(np.uint8)
    out = cv2.warpPerspective(page, m, (cw, ch), dst=desk, flags=cv2.INTER_AREA,
                              borderMode=cv2.BORDER_TRANSPARENT)
    yy, xx = np.ogrid[0:ch, 0:cw]
    shade = (1.0 - light * (xx / cw * 0.6 + yy / ch * 0.4)).astype(np.float32)
    out = out.astype(np.float32) * shade[..., None]
    out = cv2.GaussianBlur(out, (3, 3), 0) + _noise(rng, out.shape, 3)
    return np.clip(out, 0, 255).astype(np.uint8)
