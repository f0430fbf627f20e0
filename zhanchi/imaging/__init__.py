"""Page cleaning with OpenCV: upright, level, flat pages, and a seal-free copy for OCR.

``clean_page`` does it all; the helpers are public for callers that need one step.
Nothing here loads a model: orientation asks the engine it is given.
"""

from zhanchi.imaging.cleaning import CleanedPage, clean_page
from zhanchi.imaging.deskew import deskew, rotate_cw, skew_angle
from zhanchi.imaging.orientation import detect_orientation, turn
from zhanchi.imaging.perspective import even_lighting, find_page_quad, flatten, flatten_photo
from zhanchi.imaging.seals import for_ocr, red_mask, seal_regions

__all__ = [
    "CleanedPage",
    "clean_page",
    "deskew",
    "detect_orientation",
    "even_lighting",
    "find_page_quad",
    "flatten",
    "flatten_photo",
    "for_ocr",
    "red_mask",
    "rotate_cw",
    "seal_regions",
    "skew_angle",
    "turn",
]
