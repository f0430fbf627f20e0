"""clean_page: the steps wired together, with fake engines and (slow) the real one."""

from __future__ import annotations

import numpy as np
import pytest

from zhanchi.errors import OcrEngineError, UnreadablePageError
from zhanchi.imaging import CleanedPage, clean_page
from zhanchi.imaging import synthetic as syn
from zhanchi.ocr import CrashingEngine, FakeEngine, NullEngine, OcrEngine, get_engine


@pytest.fixture(scope="module")
def letter() -> np.ndarray:
    return syn.text_page(font="uming", size=33)[0]


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    return get_engine("rapidocr")  # loaded once per process however many modules ask


def test_an_upright_scan_is_left_alone(letter: np.ndarray) -> None:
    out = clean_page(letter, engine=FakeEngine(upside_down=-1.0))
    assert isinstance(out, CleanedPage)
    assert (out.rotation, out.deskew_deg, out.flattened) == (0, 0.0, False)
    assert (out.image == letter).all() and out.image is not letter
    assert (out.width, out.height) == (1654, 2339)
    assert out.line_direction == "h" and out.upside_down_score == -1.0
    assert set(out.timings_ms) == {"flatten", "analyse", "rotate", "orientation"}


def test_engine_votes_decide_180(letter: np.ndarray) -> None:
    fake = FakeEngine(upside_down=0.8)
    out = clean_page(letter, engine=fake)
    assert out.rotation == 180
    assert (out.image == syn.turn(letter, 180)).all()
    assert fake.calls == ["upside_down_votes"]  # one classifier call, no OCR pass


def test_sideways_page_is_turned_and_engine_settles_90_or_270(letter: np.ndarray) -> None:
    sideways = syn.turn(letter, 90)
    assert clean_page(sideways, engine=FakeEngine(upside_down=-1.0)).rotation == 90
    out = clean_page(sideways, engine=FakeEngine(upside_down=1.0))
    assert out.rotation == 270
    assert out.image.shape[:2] == letter.shape[:2]


def test_without_engine_or_opinion_only_quarter_turns(letter: np.ndarray) -> None:
    assert clean_page(syn.turn(letter, 180)).rotation == 0
    assert clean_page(syn.turn(letter, 180), engine=NullEngine()).rotation == 0
    assert clean_page(syn.turn(letter, 270)).rotation == 90


def test_skewed_page_is_levelled(letter: np.ndarray) -> None:
    out = clean_page(syn.skew(letter, 4.0), engine=FakeEngine())
    assert out.deskew_deg == pytest.approx(4.0, abs=0.5)
    assert out.image.shape[0] > letter.shape[0]  # canvas grew instead of cropping


def test_phone_photo_is_flattened(letter: np.ndarray) -> None:
    photo = syn.phone_photo(letter, [(220, 180), (1400, 260), (1480, 1950), (150, 1880)])
    out = clean_page(photo, engine=FakeEngine())
    assert out.flattened and out.page_quad is not None and len(out.page_quad) == 4
    assert out.height / out.width == pytest.approx(np.sqrt(2), rel=0.02)
    assert clean_page(photo, flatten_photos=False).flattened is False


def test_engine_failure_propagates_as_engine_error(letter: np.ndarray) -> None:
    with pytest.raises(OcrEngineError):
        clean_page(letter, engine=CrashingEngine())


def test_blank_tiny_grey_and_16bit_pages() -> None:
    blank = clean_page(np.full((600, 400, 3), 255, np.uint8), engine=CrashingEngine())
    assert blank.rotation == 0 and blank.upside_down_score is None  # no lines: engine not asked
    assert clean_page(np.zeros((10, 10, 3), np.uint8)).image.shape == (10, 10, 3)
    assert clean_page(np.full((300, 200), 255, np.uint8)).image.shape == (300, 200, 3)
    assert clean_page(np.full((300, 200), 65535, np.uint16)).image.dtype == np.uint8
    with pytest.raises(UnreadablePageError):
        clean_page(np.zeros((0, 0), np.uint8))
    with pytest.raises(UnreadablePageError):
        clean_page(np.zeros((50, 50), np.float64))


def _typical_pages() -> dict[str, np.ndarray]:
    letter = syn.text_page(font="uming", size=33)[0]
    sealed = syn.add_qr_block(syn.add_seal(letter, (800, 480), 230), (150, 1950))
    photo_page = syn.add_photo(syn.text_page(syn.NOTICE_TEXT, font="ukai", size=33)[0],
                               (1250, 200, 1500, 520))
    return {
        "seal+qr": sealed,
        "fax": syn.fax(syn.text_page(syn.NOTICE_TEXT * 2, title="通知", font="zenhei", size=29)[0]),
        "photo": syn.phone_photo(photo_page, [(220, 180), (1400, 260), (1480, 1950), (150, 1880)]),
        "landscape": syn.text_page(syn.NOTICE_TEXT[:200], title="职业技能等级证书", landscape=True,
                                   size=40, font="ukai")[0],
    }


@pytest.mark.slow
def test_all_four_rotations_of_typical_pages(engine: OcrEngine) -> None:
    wrong = []
    for name, page in _typical_pages().items():
        for degrees in (0, 90, 180, 270):
            out = clean_page(syn.turn(page, degrees), engine=engine)
            if out.rotation != (360 - degrees) % 360:
                wrong.append((name, degrees, out.rotation, out.upside_down_score))
    assert wrong == []
