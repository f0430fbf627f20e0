"""Accuracy of detect_marks on generated 承诺人 lines, per scan kind.

Each variant draws the end of a 承诺书 with random resolution (150–300 dpi), font size,
line positions, signing gap, OCR line splits and fuzzy OCR text, pen ink (black,
blue-black, blue, faded), ink-pad red (incl. light pink), noise, blur and JPEG; a fifth
of them carry a red official seal (some right beside the date line). The same page is
then judged as a colour, grayscale and Otsu-binarised scan, and as a fax (ordered dither
of the gray page: red ink turns into dot patterns).

    python benchmarks/bench_marks.py [--n 60] [--seed 1000] [--show-errors]

With ``--synth CORPUS`` (a folder written by ``python -m zhanchi.synth``) it instead
reads every 承诺书 page of the corpus the way the pipeline does (ingest, clean_page,
the real OCR engine, the stored-JPEG round trip), compares has_signature and
has_fingerprint with the expected JSON, and tries decode_qr on certificate pages
(their QR holds the certificate number). Slow: seconds of OCR per page.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_marks_render import MODES, LetterCase, as_page, render_letter  # noqa: E402

from zhanchi.extractors.marks import detect_marks  # noqa: E402


def synth(corpus: Path, limit: int, show: bool) -> None:
    """Judge the generator's letters (and certificate QR codes) through the real read path."""
    import json

    from zhanchi.extractors.marks import decode_qr
    from zhanchi.imaging import clean_page, for_ocr
    from zhanchi.ingest.loader import load_pages
    from zhanchi.models.pages import PageRef, ReadPage
    from zhanchi.ocr.registry import get_engine
    from zhanchi.pipeline.read import decode_page_image, encode_page_image

    engine = get_engine("rapidocr")
    inbox = corpus / "inbox"
    hits: dict[str, list[bool]] = defaultdict(list)
    qr: list[bool] = []
    wanted: list[tuple[str, str, int, dict[str, object], list[str]]] = []
    for exp_file in sorted((corpus / "expected").glob("*.json"))[:limit]:
        exp = json.loads(exp_file.read_text(encoding="utf-8"))
        for doc in exp["documents"]:
            for pg in doc["pages"]:
                if pg.get("source") == "image" and doc["type"] != "unknown":
                    wanted.append((doc["type"], pg["file"], pg["page"], doc["fields"], pg["degradations"]))
    for kind, rel, page_no, fields, degr in wanted:
        path = inbox / rel
        if not path.exists():
            continue
        raw = next((p for p in load_pages(path, rel) if p.page == page_no), None)
        if raw is None:
            continue
        if kind != "commitment_letter":
            if kind == "skill_level_certificate":
                text = decode_qr(raw.image)
                ok = text == fields.get("certificate_number")
                qr.append(ok)
                if show and not ok:
                    print(f"QR  {rel}#{page_no} {degr}: got {text!r}")
            continue
        cleaned = clean_page(raw.image, engine=engine)
        ocr = engine.read(for_ocr(cleaned.image))
        image = decode_page_image(encode_page_image(cleaned.image))  # as stored and reloaded
        h, w = image.shape[:2]
        t0 = time.perf_counter()
        marks = detect_marks(ReadPage(PageRef(file=rel, page=page_no, width=w, height=h), ocr, image))
        dt = time.perf_counter() - t0
        tag = "+".join(degr)
        sig_ok = marks.has_signature == fields["has_signature"]
        fp_ok = marks.has_fingerprint == fields["has_fingerprint"]
        for key in ("all", tag):
            hits[key + ":signature"].append(sig_ok)
            hits[key + ":fingerprint"].append(fp_ok)
        if show or not (sig_ok and fp_ok):
            print(f"{'ok ' if sig_ok and fp_ok else 'BAD'} {rel}#{page_no} [{tag}] kind={marks.scan_kind} "
                  f"anchor={marks.anchor_found} sig {fields['has_signature']}->{marks.has_signature} "
                  f"({marks.signature_confidence}) fp {fields['has_fingerprint']}->{marks.has_fingerprint} "
                  f"({marks.fingerprint_confidence}) {dt * 1000:.0f} ms")
    print(f"\n{corpus}: letters by degradation")
    for key in sorted({k.rsplit(":", 1)[0] for k in hits}):
        s, f = hits[key + ":signature"], hits[key + ":fingerprint"]
        print(f"{key:16s} n={len(s):3d} has_signature {sum(s) / len(s):6.1%}  has_fingerprint {sum(f) / len(f):6.1%}")
    if qr:
        print(f"QR on skill-level certificates: {sum(qr)}/{len(qr)} decoded to the certificate number")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=60, help="variants (each judged in 3 scan kinds)")
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--synth", type=Path, help="a corpus from python -m zhanchi.synth")
    ap.add_argument("--limit", type=int, default=1000, help="packets to read with --synth")
    args = ap.parse_args()
    if args.synth:
        synth(args.synth, args.limit, args.show_errors)
        return

    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    false_present: dict[str, int] = defaultdict(int)
    missed: dict[str, int] = defaultdict(int)
    low: dict[str, int] = defaultdict(int)
    errors: list[str] = []
    elapsed: list[float] = []
    for k in range(args.n):
        seed = args.seed + k
        sig, fp = bool(k % 2), bool((k // 2) % 2)
        case = LetterCase(signature=sig, fingerprint=fp, seal=k % 5 == 4, seal_near=k % 10 == 9, jitter=True, seed=seed)
        rendered = render_letter(case)
        for mode in (*MODES, "fax"):
            t0 = time.perf_counter()
            marks = detect_marks(as_page(rendered, mode))
            elapsed.append(time.perf_counter() - t0)
            hits[(mode, "signature")].append(marks.has_signature == sig)
            hits[(mode, "fingerprint")].append(marks.has_fingerprint == fp)
            # a false "present" lets a packet pass unchecked; a miss only sends it to review
            false_present[mode] += (marks.has_signature and not sig) + (marks.has_fingerprint and not fp)
            missed[mode] += (sig and not marks.has_signature) + (fp and not marks.has_fingerprint)
            low[mode] += (marks.signature_confidence < 0.8) + (marks.fingerprint_confidence < 0.8)
            for what, truth, got in (("sig", sig, marks.has_signature), ("fp", fp, marks.has_fingerprint)):
                if truth != got:
                    errors.append(f"seed={seed} {mode:6s} {what} truth={truth} got={got} notes={rendered.notes} seal={case.seal}")

    print(f"{args.n} variants x {len(MODES) + 1} scan kinds, seeds {args.seed}..{args.seed + args.n - 1}")
    print(f"{'scan':8s} {'has_signature':>14s} {'has_fingerprint':>16s} {'false present':>14s} {'missed':>7s} {'conf<0.8':>9s}")
    for mode in (*MODES, "fax"):
        s, f = hits[(mode, "signature")], hits[(mode, "fingerprint")]
        print(f"{mode:8s} {sum(s) / len(s):14.1%} {sum(f) / len(f):16.1%} "
              f"{false_present[mode]:14d} {missed[mode]:7d} {low[mode]:9d}")
    el = sorted(elapsed)
    print(f"time per page: median {el[len(el) // 2] * 1000:.0f} ms, max {el[-1] * 1000:.0f} ms")
    if args.show_errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
