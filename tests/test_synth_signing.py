"""Family A's signing phenomena: a hurried hand, prints reaching into the name, and
where the name is written (drawn apart from the page's own draws)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from zhanchi.synth.content import make_claim
from zhanchi.synth.letter import render_letter
from zhanchi.synth.refdata import load_reference
from zhanchi.synth.signing import HURRIED_SHARE, Signing, draw_signing, hurried_signature


def test_the_signing_is_drawn_per_letter_and_reproducibly() -> None:
    draws = [draw_signing(f"k{i}") for i in range(600)]
    assert draws == [draw_signing(f"k{i}") for i in range(600)]
    hurried = sum(d.hurried for d in draws) / len(draws)
    assert abs(hurried - HURRIED_SHARE) < 0.06
    assert set(Counter(d.placement for d in draws)) == {"gap", "over_hint", "raised"}


def test_a_hurried_signature_is_ink_of_about_the_names_width() -> None:
    img, base = hurried_signature("邵超霞", 200, random.Random(1))
    alpha = img.getchannel("A")
    box = alpha.getbbox()
    assert box is not None and 0 < base < img.size[1]
    height = box[3] - box[1]
    assert 1.5 * height < box[2] - box[0] < 5 * height  # three characters, not one, not a scrawl


def _letter(signing: Signing, over_name: bool = True) -> list[str]:
    rng = random.Random(7)
    claim = make_claim(rng, load_reference(), date(2024, 6, 30))
    assert claim.letter is not None
    return render_letter(claim.letter, 100, rng, over_name=over_name, signing=signing).phenomena


def test_the_page_records_what_was_drawn() -> None:
    assert _letter(Signing(hurried=False, deep_print=False)) == ["fingerprint_over_name"]
    got = _letter(Signing(hurried=True, deep_print=True, placement="over_hint"))
    assert set(got) == {"hurried_signature", "signature_over_hint", "fingerprint_over_name"}
    assert "signature_raised" in _letter(Signing(hurried=False, deep_print=False, placement="raised"), False)


def test_values_are_written_in_the_hurried_hand_in_a_share_of_letters() -> None:
    from zhanchi.synth.signing import HURRIED_VALUES_SHARE

    draws = [draw_signing(f"k{i}") for i in range(600)]
    share = sum(d.hurried_values for d in draws) / len(draws)
    assert abs(share - HURRIED_VALUES_SHARE) < 0.06
    got = _letter(Signing(hurried=False, deep_print=False, hurried_values=True))
    assert "hurried_values" in got
    assert "hurried_values" not in _letter(Signing(hurried=False, deep_print=False))


def test_the_hurried_hand_changes_only_the_letter_and_writes_every_character() -> None:
    from zhanchi.synth.canvas import rasterise
    from zhanchi.synth.signing import hurried_hand

    img, base = hurried_hand("江西省2024年", 15.5, 200, random.Random(3))
    box = img.getchannel("A").getbbox()
    assert box is not None and 0 < base < img.size[1]
    height = box[3] - box[1]
    assert 5 * height < box[2] - box[0] < 14 * height  # eight characters spaced as written

    def pages(values: bool) -> tuple[object, float]:
        rng = random.Random(7)
        claim = make_claim(rng, load_reference(), date(2024, 6, 30))
        assert claim.letter is not None
        spec = render_letter(claim.letter, 100, rng, signing=Signing(
            hurried=False, deep_print=False, hurried_values=values))
        return rasterise(spec, 100).tobytes(), rng.random()  # the next page's first draw

    plain, after_plain = pages(False)
    hurried, after_hurried = pages(True)
    assert plain != hurried
    assert after_plain == after_hurried  # the packet's other pages are drawn as before
