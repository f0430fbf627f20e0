"""Recorded OCR: replays of real rapidocr output, and the record/replay machinery.

The replays run in milliseconds; ``test_recordings_match_the_real_engine`` (slow) checks
that the real engine still says what was recorded, and re-records everything when run
with ``ZHANCHI_RECORD=1``. See tests/recordings/README.md for the sample's provenance.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from zhanchi.errors import OcrEngineError
from zhanchi.imaging import clean_page, for_ocr, turn
from zhanchi.imaging import synthetic as syn
from zhanchi.ocr import FakeEngine, OcrEngine, RecordedEngine, RecordingEngine, get_engine
from zhanchi.ocr.fakes import line

RECORDINGS = Path(__file__).parent / "recordings"
SAMPLE = RECORDINGS / "letter_sealed_crop.png"
REGIONS = [(60, 150, 960, 200), (60, 210, 960, 260)]


def write_sample(path: Path) -> None:
    """The recorded sample: the top of a synthetic 承诺书 with a red seal over two lines,
    as a 16-colour PNG (small in git; the replay key is the decoded pixels)."""
    page, _ = syn.text_page(font="uming", size=33)
    page = syn.add_seal(page, (560, 330), radius=150)
    crop = cv2.cvtColor(page[90:620, 100:1100], cv2.COLOR_BGR2RGB)
    Image.fromarray(crop).quantize(colors=16, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def scenario(engine: OcrEngine, sample: np.ndarray) -> dict[str, object]:
    """Every call the replay tests make; run against the real engine to record them."""
    page = engine.read(for_ocr(sample))
    rotations = {r: clean_page(turn(sample, r), engine=engine).rotation for r in (0, 90, 180, 270)}
    regions = engine.read_regions(for_ocr(sample), REGIONS)
    return {"lines": [ln.text for ln in page.lines], "rotations": rotations,
            "regions": [ln.text for ln in regions]}


@pytest.fixture(scope="module")
def sample() -> np.ndarray:
    img = cv2.imread(str(SAMPLE), cv2.IMREAD_COLOR)
    assert img is not None, f"missing {SAMPLE}: run the slow tests with ZHANCHI_RECORD=1"
    return img


def test_replay_reads_the_sealed_letter(sample: np.ndarray) -> None:
    engine = RecordedEngine(RECORDINGS)
    assert engine.name.startswith("rapidocr-")
    got = scenario(engine, sample)
    text = "".join(got["lines"])  # type: ignore[arg-type]
    assert "承诺书" in text
    assert "江西省" in text and "青山湖区" in text  # under the seal: faded away by for_ocr
    assert got["rotations"] == {0: 0, 90: 270, 180: 180, 270: 90}
    assert all(t for t in got["regions"])  # type: ignore[union-attr]


def test_replay_polygons_lie_inside_the_image(sample: np.ndarray) -> None:
    page = RecordedEngine(RECORDINGS).read(for_ocr(sample))
    h, w = sample.shape[:2]
    assert (page.width, page.height) == (w, h)
    for ln in page.lines:
        assert len(ln.polygon) == 4
        assert all(-1 <= x <= w + 1 and -1 <= y <= h + 1 for x, y in ln.polygon)
        assert 0.5 <= ln.confidence <= 1.0


def test_replay_of_an_unrecorded_image_says_how_to_record(sample: np.ndarray) -> None:
    with pytest.raises(OcrEngineError, match="RecordingEngine"):
        RecordedEngine(RECORDINGS).read(np.full((50, 50, 3), 255, np.uint8))


def test_record_then_replay_round_trips(tmp_path: Path) -> None:
    fake = FakeEngine([line("证书编号", (1, 2, 30, 12), 0.875)], region_text="电工",
                      upside_down=0.25, name="fake-1")
    rec = RecordingEngine(fake, tmp_path)
    img = np.zeros((40, 60, 3), np.uint8)
    crops = [np.full((10, 30, 3), 200, np.uint8)]
    page = rec.read(img)
    regions = rec.recognize(crops)
    votes = rec.upside_down_votes(crops)
    assert len(list(tmp_path.glob("*.json"))) == 3
    replay = RecordedEngine(tmp_path)
    assert replay.name == "fake-1"
    assert replay.read(img) == page
    assert replay.recognize(crops) == regions
    assert replay.upside_down_votes(crops) == votes
    with pytest.raises(OcrEngineError):
        replay.read(np.zeros((40, 61, 3), np.uint8))  # same bytes would differ by shape


def test_corrupt_recording_is_an_engine_error(tmp_path: Path) -> None:
    rec = RecordingEngine(FakeEngine(), tmp_path)
    img = np.zeros((8, 8, 3), np.uint8)
    rec.read(img)
    path = next(tmp_path.glob("read-*.json"))
    path.write_text(json.dumps({"format": 1, "result": {"lines": "nonsense"}}))
    with pytest.raises(OcrEngineError, match="valid page"):
        RecordedEngine(tmp_path, name="x").read(img)
    path.write_text("{not json")
    with pytest.raises(OcrEngineError, match="cannot be read"):
        RecordedEngine(tmp_path, name="x").read(img)


def test_missing_recordings_folder(tmp_path: Path) -> None:
    with pytest.raises(OcrEngineError):
        RecordedEngine(tmp_path / "nope")


@pytest.mark.slow
def test_recordings_match_the_real_engine() -> None:
    engine = get_engine("rapidocr")
    if os.environ.get("ZHANCHI_RECORD") == "1":
        for old in RECORDINGS.glob("*.json"):
            old.unlink()
        write_sample(SAMPLE)
        scenario(RecordingEngine(engine, RECORDINGS), cv2.imread(str(SAMPLE)))
    sample = cv2.imread(str(SAMPLE), cv2.IMREAD_COLOR)
    assert scenario(engine, sample) == scenario(RecordedEngine(RECORDINGS), sample)
