"""Which reader reads a layout: labels and values, or an anchored form.

A label–value layout is read by :class:`~.certificates.LabelReader` whatever its type.
An anchored form is read by its group's form reader: the letter's blanks
(:class:`~.commitment_letter.LetterReader`) or the filing proof's sentence with labels
as fallback (:class:`~.filing_proof.FilingProofReader`); both take their anchors and
labels from the layout.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhanchi.extractors.certificates import LabelReader
from zhanchi.extractors.commitment_letter import LetterReader
from zhanchi.extractors.fields import Context
from zhanchi.extractors.filing_proof import FilingProofReader
from zhanchi.extractors.specs import DocSpec
from zhanchi.models import ExtractedField, OcrLine

Reader = LabelReader | LetterReader | FilingProofReader
FORM_READERS: dict[str, type[LetterReader] | type[FilingProofReader]] = {
    "letter": LetterReader,
    "proof": FilingProofReader,
}


def make_reader(spec: DocSpec, lines: Sequence[OcrLine], ctx: Context) -> Reader | None:
    """The reader of ``spec``'s layout over some lines (``None``: nothing to read)."""
    if spec.reader == "label_value":
        return LabelReader(lines, spec, ctx)
    if spec.reader == "anchored_form" and spec.group in FORM_READERS:
        return FORM_READERS[spec.group](lines, ctx, spec=spec)
    return None


def read_layout(spec: DocSpec, lines: Sequence[OcrLine], ctx: Context
                ) -> tuple[dict[str, ExtractedField], Reader | None]:
    """The fields ``spec``'s reader finds in ``lines`` (no image, no engine), and the
    reader, which knows what it could not read."""
    reader = make_reader(spec, lines, ctx)
    return (reader.read() if reader is not None else {}), reader
