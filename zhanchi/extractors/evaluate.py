"""Measure the extractors on a generated corpus: per-field exact match.

``python -m zhanchi.extractors.evaluate CORPUS [--engine] [--verbose]`` where CORPUS is
the output of ``python -m zhanchi.synth`` (``inbox/``, ``expected/``, ``registry/``).
Pages are read the way the pipeline reads them (``ingest.load_pages`` →
``imaging.clean_page`` → ``imaging.for_ocr`` → the engine; text layers as they are)
and the reads are cached under ``CORPUS/ocr/`` so a re-run only re-extracts. Prints
exact-match accuracy per field, per document type, per degradation and overall.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhanchi.extractors.documents import extract
from zhanchi.models import OcrPage, PageRef, ReadPage

if TYPE_CHECKING:
    from zhanchi.ocr import OcrEngine

MARK_FIELDS = ("has_signature", "has_fingerprint")


def registry_agencies(root: Path) -> list[str]:
    """Agency names and aliases of the corpus registry (what the pipeline passes)."""
    path = root / "registry" / "agencies.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [n for r in csv.DictReader(fh) for n in (r["name"], *r["aliases"].split("|")) if n]


def read_submission(entry: Path, inbox: Path, cache: Path, engine: OcrEngine) -> list[ReadPage]:
    """Read one submission's pages like the pipeline, cached as JSON + JPEG per page."""
    import cv2

    from zhanchi.errors import UnreadablePageError
    from zhanchi.imaging import clean_page, for_ocr
    from zhanchi.ingest.loader import is_supported, iter_pages

    sid = entry.stem if entry.is_file() else entry.name
    index = cache / f"{sid}.json"
    if not index.exists():
        files = [entry] if entry.is_file() else sorted(p for p in entry.rglob("*") if p.is_file())
        records = []
        for f in (f for f in files if is_supported(f.name)):
            rel = f.relative_to(inbox).as_posix()
            for raw in iter_pages(f, rel):
                if isinstance(raw, UnreadablePageError):
                    continue  # an unreadable file is the pipeline's outcome, not a field
                if raw.kind == "text_layer":
                    h, w = raw.image.shape[:2]
                    ocr = OcrPage(engine="pdf-text-layer", lines=list(raw.lines or []), width=w, height=h)
                    image = raw.image
                else:
                    cleaned = clean_page(raw.image, engine=engine)
                    image = cleaned.image
                    ocr = engine.read(for_ocr(image))
                name = f"{sid}__{rel.replace('/', '_')}_{raw.page}.jpg"
                cv2.imwrite(str(cache / name), image, [cv2.IMWRITE_JPEG_QUALITY, 90])
                records.append({"file": rel, "page": raw.page, "image": name,
                                "ocr": ocr.model_dump(mode="json")})
        index.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    pages = []
    for r in json.loads(index.read_text(encoding="utf-8")):
        ocr = OcrPage.model_validate(r["ocr"])
        ref = PageRef(file=r["file"], page=r["page"], width=ocr.width, height=ocr.height)
        pages.append(ReadPage(ref, ocr, cv2.imread(str(cache / r["image"]))))
    return pages


class Score:
    """Exact-match counts by field, type and degradation."""

    def __init__(self) -> None:
        self.total: Counter[str] = Counter()
        self.right: Counter[str] = Counter()
        self.misses: list[str] = []

    def add(self, keys: list[str], good: bool) -> None:
        for k in keys:
            self.total[k] += 1
            self.right[k] += good

    def table(self) -> str:
        rows = [f"{k:60s} {self.right[k]:5d}/{self.total[k]:5d} {self.right[k] / self.total[k]:.3f}"
                for k in sorted(self.total)]
        return "\n".join(rows)


def score_submission(pages: list[ReadPage], expected: dict[str, Any], agencies: list[str],
                     engine: OcrEngine | None, score: Score, *, marks: bool) -> None:
    """Extract one submission and count its fields against the expected documents."""
    result = extract(pages, agencies=agencies, engine=engine)
    truth = {(p["file"], p["page"]): d["type"] for d in expected["documents"] for p in d["pages"]}
    for page, cls in zip(pages, result.pages, strict=True):
        score.add(["classification"], cls.type == truth.get((page.ref.file, page.ref.page), "unknown"))
    for d in expected["documents"]:
        if d["type"] == "unknown":
            continue
        wanted = {(p["file"], p["page"]) for p in d["pages"]}
        degradations = sorted({g for p in d["pages"] for g in p.get("degradations", [])}) or ["clean"]
        found = [doc for doc in result.documents
                 if doc.type == d["type"] and {(r.file, r.page) for r in doc.pages} & wanted]
        fields = found[0].fields if found else {}
        for name, value in d["fields"].items():
            if name in MARK_FIELDS and not marks:
                continue
            got = fields.get(name)
            good = got is not None and got.value == value
            keys = [f"field {d['type']}.{name}", f"type {d['type']}", "overall",
                    *(f"degradation {g}" for g in degradations)]
            score.add(keys, good)
            if not good:
                score.misses.append(f"{expected['submission_id']} {d['type']}.{name} {degradations}: "
                                    f"expected {value!r}, got {got.value if got else None!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhanchi.extractors.evaluate")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--engine", action="store_true", help="give extract() the engine (second look)")
    parser.add_argument("--marks", action="store_true", help="count has_signature / has_fingerprint too")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    from zhanchi.ocr import get_engine

    engine = get_engine()
    root: Path = args.corpus
    cache = root / "ocr"
    cache.mkdir(exist_ok=True)
    agencies = registry_agencies(root)
    score = Score()
    seconds = 0.0
    pages_seen = 0
    for entry in sorted((root / "inbox").iterdir()):
        sid = entry.stem if entry.is_file() else entry.name
        expected = json.loads((root / "expected" / f"{sid}.json").read_text(encoding="utf-8"))
        pages = read_submission(entry, root / "inbox", cache, engine)
        t = time.perf_counter()
        score_submission(pages, expected, agencies, engine if args.engine else None, score,
                         marks=args.marks)
        seconds += time.perf_counter() - t
        pages_seen += len(pages)
    print(score.table())
    print(f"extraction: {1000 * seconds / max(1, pages_seen):.1f} ms per page over {pages_seen} pages")
    if args.verbose:
        print("\n".join(score.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
