"""A sheet of paper drawn straight to pixels: family B's own renderer.

Family A describes pages as operations in mm and rasterises them later; family B
draws at once on a Pillow image (mm in, pixels out), with ink marks (handwriting,
seals, fingerprints) multiplied onto the paper at the end, as ink takes on paper.
Every printed string is checked against its face's glyph coverage before drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from zhanchi.synth.family_b.faces import advance_mm, first_covering, font, require

RGB = tuple[int, int, int]
INK: RGB = (28, 26, 30)
MM_PER_INCH = 25.4
FALLBACK = ("serif", "sans")


@dataclass
class Sheet:
    """One page at ``dpi``: paper colour, drawn content, ink marks and named regions."""

    width: float
    height: float
    dpi: int
    paper: RGB = (255, 255, 255)
    kind: str = ""
    layout: str = ""
    regions: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    phenomena: list[str] = field(default_factory=list)  # what this page shows (counted)
    _img: Image.Image | None = None
    _marks: list[tuple[Image.Image, int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._img = Image.new("RGB", (self.px(self.width), self.px(self.height)), self.paper)

    @property
    def image(self) -> Image.Image:
        assert self._img is not None
        return self._img

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm / MM_PER_INCH * self.dpi)

    def mm(self, px: float) -> float:
        return px / self.dpi * MM_PER_INCH

    def note(self, phenomenon: str) -> None:
        if phenomenon not in self.phenomena:
            self.phenomena.append(phenomenon)

    def text(self, x: float, y: float, s: str, face: str, pt: float, color: RGB = INK,
             *, anchor: str = "ls", spacing: float = 0.0) -> float:
        """Print ``s`` with its baseline-left at (x, y) mm; returns the width in mm.

        ``spacing`` adds mm between characters (letter-spaced titles and labels). A face
        that lacks a glyph of ``s`` falls back to the next face that has them all, as
        typesetting does (Droid Sans Fallback has no Latin digits, for one).
        """
        face = first_covering((face, *FALLBACK), s)
        require(face, s)
        f = font(face, round(pt / 72.0 * self.dpi))
        if spacing <= 0:
            self.draw.text((self.px(x), self.px(y)), s, font=f, fill=color, anchor=anchor)
            return advance_mm(s, face, pt)
        cx = x
        for ch in s:  # one face for the whole string, chosen above
            self.draw.text((self.px(cx), self.px(y)), ch, font=f, fill=color, anchor=anchor)
            cx += advance_mm(ch, face, pt) + spacing
        return cx - x - spacing

    def centred(self, y: float, s: str, face: str, pt: float, color: RGB = INK,
                *, spacing: float = 0.0, cx: float | None = None) -> tuple[float, float]:
        w = advance_mm(s, face, pt) + spacing * max(0, len(s) - 1)
        x0 = (self.width / 2 if cx is None else cx) - w / 2
        self.text(x0, y, s, face, pt, color, spacing=spacing)
        return x0, x0 + w

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.25,
             color: RGB = INK) -> None:
        self.draw.line((self.px(x0), self.px(y0), self.px(x1), self.px(y1)), fill=color,
                       width=max(1, self.px(width)))

    def dotted(self, x0: float, x1: float, y: float, color: RGB = (120, 120, 120)) -> None:
        step = 1.2
        x = x0
        while x < x1:
            self.line(x, y, min(x1, x + 0.4), y, 0.25, color)
            x += step

    def rect(self, x0: float, y0: float, x1: float, y1: float, *, outline: RGB | None = INK,
             fill: RGB | None = None, width: float = 0.3) -> None:
        self.draw.rectangle((self.px(x0), self.px(y0), self.px(x1), self.px(y1)),
                            outline=outline, fill=fill, width=max(1, self.px(width)))

    def paste(self, img: Image.Image, x: float, y: float) -> None:
        """An opaque picture (photo, QR code) with its top-left at (x, y) mm."""
        self.image.paste(img.convert("RGB"), (self.px(x), self.px(y)))

    def ink(self, img: Image.Image, x: float, y: float) -> None:
        """An RGBA ink mark, multiplied onto the page when it is finished."""
        self._marks.append((img, self.px(x), self.px(y)))

    def finish(self) -> np.ndarray:
        """The page as an RGB uint8 array, ink marks multiplied on in drawing order."""
        arr = np.asarray(self.image, dtype=np.float32) / 255.0
        h, w = arr.shape[:2]
        for img, x, y in self._marks:
            ov = np.asarray(img.convert("RGBA"), dtype=np.float32) / 255.0
            x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + ov.shape[1]), min(h, y + ov.shape[0])
            if x0 >= x1 or y0 >= y1:
                continue
            patch = ov[y0 - y:y1 - y, x0 - x:x1 - x]
            alpha = patch[..., 3:4]
            arr[y0:y1, x0:x1] *= 1.0 - alpha + alpha * patch[..., :3]
        return np.clip(arr * 255.0 + 0.5, 0, 255).astype(np.uint8)
