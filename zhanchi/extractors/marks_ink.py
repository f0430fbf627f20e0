"""Ink masks for the mark detector: what is red (ink pad, seals) and what is pen ink.

Scans arrive in colour, as grayscale, or binarised by the scanner. The scan kind
decides which evidence exists: only a colour scan can tell a red fingerprint from
black handwriting by colour; on gray and binarised scans shape and texture must do.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

ScanKind = Literal["colour", "gray", "binary"]

# chroma (max-min channel) a colour scan shows somewhere; JPEG noise on a gray scan stays below
_COLOUR_CHROMA = 40
_COLOUR_MIN_SHARE = 0.0005  # of the sampled pixels: a small fingerprint is ~0.2 %
_COLOUR_MIN_PIXELS = 60
_RED_MIN_EXCESS = 30  # R above max(G, B)
# share of ink pixels with at most one inked neighbour: dither 0.2-0.9, Otsu ridges < 0.15
_DOTTED = 0.2
_PAD_RED_MIN_R = 120  # ink-pad red, even dark crimson, keeps R above this; pen under it does not


def as_bgr(image: object) -> np.ndarray:
    """The page as a 3-channel uint8 BGR array (accepts gray, BGR, BGRA)."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    if arr.ndim == 3 and arr.shape[2] == 4:
        return cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR)
    if arr.ndim == 3 and arr.shape[2] == 3:
        return arr
    raise ValueError(f"unsupported page image shape {arr.shape}")


def scan_kind(bgr: np.ndarray) -> ScanKind:
    """Whether the page carries colour, only gray levels, or only black and white.

    Colour is judged by how many pixels are clearly chromatic, not by a percentile: a
    fingerprint is a fraction of a percent of an A4 page.
    """
    step = max(1, int(max(bgr.shape[:2]) // 800))  # a sample is enough and keeps it fast
    small = bgr[::step, ::step]
    # max - min over the three channels, plane by plane (a reduction over an axis of 3
    # is ten times slower); uint8 cannot wrap here: max >= min
    b, g, r = small[..., 0], small[..., 1], small[..., 2]
    chroma = np.maximum(np.maximum(b, g), r) - np.minimum(np.minimum(b, g), r)
    if int((chroma > _COLOUR_CHROMA).sum()) >= max(_COLOUR_MIN_PIXELS, _COLOUR_MIN_SHARE * chroma.size):
        return "colour"
    gray = small.astype(np.int16).mean(axis=2)
    mid = ((gray > 40) & (gray < 215)).mean()
    return "binary" if mid < 0.004 else "gray"


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """Ink-pad and seal red: HSV hue near 0/180, saturated, and R clearly above G and B."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    b, g, r = (bgr[..., i].astype(np.int16) for i in range(3))
    hue_red = (h <= 12) | (h >= 158)
    return hue_red & (s >= 50) & (v >= 60) & (r - np.maximum(g, b) >= _RED_MIN_EXCESS)


def paper_level(gray: np.ndarray) -> float:
    """Brightness of the paper (most of any page region is paper)."""
    return float(np.percentile(gray, 90)) if gray.size else 255.0


def dark_mask(gray: np.ndarray, paper: float | None = None) -> np.ndarray:
    """Everything clearly darker than the paper (pen, print, and gray fingerprints)."""
    level = paper_level(gray) if paper is None else paper
    return gray < level - max(45.0, 0.25 * level)


def pen_mask(bgr: np.ndarray, kind: ScanKind, pitch: float = 40.0) -> np.ndarray:
    """Dark or blue-black strokes, never the ink-pad red (its dark ridges look like ink in gray).

    JPEG keeps colour at half resolution, so the rims of red ridges turn gray-pink and
    would pass as pen: mid-gray pixels next to red are dropped too (pen is darker).
    A pen stroke under the red ink stays red-tinted but dark (ink-pad red keeps R high),
    so dark red counts as pen.
    """
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    paper = paper_level(gray)
    ink = dark_mask(gray, paper)
    if kind != "colour":
        return ink
    b, _, r = (bgr[..., i].astype(np.int16) for i in range(3))
    blue = (b - r >= 30) & (gray < paper - 25)  # ballpoint blue is lighter than black
    red = red_mask(bgr) & (r >= _PAD_RED_MIN_R)
    k = max(3, int(0.15 * pitch) | 1)
    near_red = cv2.dilate(red.astype(np.uint8), np.ones((k, k), np.uint8)).astype(bool)
    return (ink | blue) & ~red & ~(near_red & (gray > 90))


def transitions_per_pitch(ink: np.ndarray, pitch: float) -> np.ndarray:
    """Ink/paper changes along rows plus columns, averaged over ~0.6 pitch, per pitch.

    Fingertip ridges give 15–35; print and handwriting rarely exceed 15.
    """
    u = ink.astype(np.uint8)
    t = np.zeros(u.shape, np.float32)
    t[:, 1:] += u[:, 1:] != u[:, :-1]
    t[1:, :] += u[1:, :] != u[:-1, :]
    win = max(3, int(round(0.6 * pitch)) | 1)
    return cv2.blur(t, (win, win)) * pitch


def dotted(ink: np.ndarray) -> bool:
    """Whether ink is a dither of dots (a fax's mid-tones) rather than solid lines."""
    if not ink.any():
        return False
    u = ink.astype(np.float32)
    neighbours = cv2.filter2D(u, -1, np.ones((3, 3), np.float32), borderType=cv2.BORDER_CONSTANT) - u
    return float(((neighbours <= 1) & ink).sum()) >= _DOTTED * float(ink.sum())


def dark_in_red(bgr: np.ndarray) -> np.ndarray:
    """Pen ink on a colour page, under red marks too: ink-pad red has a bright red
    channel, while blue-black ink (and ink under the ridges) stays dark in it."""
    b, r = bgr[..., 0].astype(np.int16), bgr[..., 2].astype(np.int16)
    return (r < _PAD_RED_MIN_R) & (b >= r - 10)
