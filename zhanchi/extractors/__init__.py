"""Field extractors: page classification, template and label readers, normalisers.

Entry point: :func:`extract` (pages of one submission → documents with SPEC §5 fields).
"""

from zhanchi.extractors.classify import PageClass, classify_page
from zhanchi.extractors.documents import ExtractionResult, extract
from zhanchi.extractors.gazetteer import Gazetteer, SnapResult, get_gazetteer
from zhanchi.extractors.parse_errors import ParseError

__all__ = [
    "ExtractionResult", "Gazetteer", "PageClass", "ParseError", "SnapResult", "classify_page",
    "extract", "get_gazetteer",
]
