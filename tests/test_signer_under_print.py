"""A fingerprint pressed over the end of the signature: never a silently shortened name.

The fast tests give the mark detector's boxes directly; the slow one renders family-A
letters whose fingerprint is pressed over the name's last character
(``fingerprint_over_name``) and runs the real pipeline (RapidOCR) on them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from zhanchi.extractors.marks import Marks
from zhanchi.extractors.second_look.signer import UNDER_PRINT_CAP, room_under_print

H = 60  # pen box height in pixels: handwritten characters are about this wide


def _marks(pen_chars: float, fp: list[int] | None) -> Marks:
    pen = [1000, 1500, 1000 + int(pen_chars * H), 1500 + H]
    return Marks(has_signature=True, signature_confidence=0.99, signature_bbox=pen,
                 has_fingerprint=fp is not None, fingerprint_confidence=0.99, fingerprint_bbox=fp)


OVER_END = [1140, 1460, 1255, 1590]  # centred on the third character of a 3-wide pen


def test_a_name_a_character_short_under_the_print_is_doubtful() -> None:
    assert room_under_print(_marks(3.0, OVER_END), "邵超")
    assert UNDER_PRINT_CAP < 0.8  # the default low_confidence threshold


def test_a_name_as_long_as_the_pen_is_not() -> None:
    assert not room_under_print(_marks(3.0, OVER_END), "邵超霞")
    assert not room_under_print(_marks(2.0, [1080, 1460, 1195, 1590]), "黄芳")


def test_a_print_beside_the_name_or_none_leaves_it_alone() -> None:
    assert not room_under_print(_marks(3.0, [1230, 1460, 1345, 1590]), "邵超")  # right of the pen
    assert not room_under_print(_marks(3.0, [1140, 1300, 1255, 1420]), "邵超")  # above its row
    assert not room_under_print(_marks(3.0, None), "邵超")


@pytest.mark.slow
def test_family_a_letters_with_the_print_over_the_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zhanchi.synth.letter as letter
    from zhanchi.pipeline import stages
    from zhanchi.pipeline.batch import BatchRun, settings_from_args
    from zhanchi.synth.corpus import build_corpus
    from zhanchi.synth.packet import PacketPlan

    monkeypatch.setattr(letter, "OVER_NAME_SHARE", 1.0)
    plans = [PacketPlan(f"F{i}", fmt="jpeg_folder", style=s) for i, s in enumerate(("scan", "fax"))]
    build_corpus(tmp_path / "c", plans, seed=4242, as_of=date(2024, 6, 30), dpi=200)
    settings = settings_from_args(tmp_path / "c" / "inbox", tmp_path / "c" / "registry", tmp_path / "o",
                                  "2024-06-30", None, "rapidocr")
    run = BatchRun(settings, ort_threads=1)
    try:
        for p in stages.ingest(run):
            exp = json.loads((tmp_path / "c" / "expected" / f"{p.entry.submission.submission_id}.json")
                             .read_text("utf-8"))
            want = next(d for d in exp["documents"] if d["type"] == "commitment_letter")
            assert "fingerprint_over_name" in want["pages"][0]["degradations"]
            got = next(d for d in stages.read_and_extract(run, p).documents if d.type == "commitment_letter")
            f = got.fields["signer_name"]
            # read right, or doubtful: never a confident shortened name
            assert f.value == want["fields"]["signer_name"] or f.confidence < 0.8, p.entry.submission.submission_id
    finally:
        run.close()
