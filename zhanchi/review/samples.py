"""Synthetic review cases without OCR: for the review app's tests, benchmark and demos.

One applicant (fictional, with a valid-format ID number), a commitment letter, a
skill-level certificate and an ID-card copy page, each a small rendered page image
with the field boxes where the text was drawn, plus a registry that knows the
certificate and the agency. With ``mismatch=True`` the letter's certificate number
differs from the certificate's in its last digit: ``certificate_number_mismatch`` fails
until a reviewer corrects the letter.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from zhanchi.checks import CheckContext, run_checks
from zhanchi.models import (
    Document,
    ExtractedField,
    PageRef,
    Provenance,
    SourceFile,
    SubmissionResult,
)
from zhanchi.policy import load_policy
from zhanchi.registry import load_registries
from zhanchi.store import Store

AS_OF = date(2024, 6, 30)
AGENCY = "南昌市红谷职业技能培训学校"
PERSON = {"name": "王小明", "id_number": "36010219900101123X"}


def cert_number(index: int) -> str:
    """The certificate number of sample packet ``index`` (each claims its own)."""
    return f"S000036010203244{100000 + index:06d}"


def wrong_number(index: int) -> str:
    """A well-formed number that differs from :func:`cert_number` (a misread letter)."""
    return f"S000036010203244{900000 + index:06d}"


CERT_NUMBER, WRONG_NUMBER = cert_number(0), wrong_number(0)
FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PAGE = (620, 877)  # A4 at 75 dpi: small, quick to render and to send
SIGNATURE_BOX = (420, 690, 570, 740)
FINGERPRINT_BOX = (480, 745, 545, 815)

# (field, label, value) in print order; the value's box is recorded as the bbox
LETTER = [("exam_date", "考试日期", "2023-11-07"), ("exam_province", "考试省份", "江西省"),
          ("exam_city", "设区市", "南昌市"), ("exam_county", "县（市、区）", "东湖区"),
          ("agency", "鉴定机构", AGENCY), ("occupation", "职业（工种）", "电工"),
          ("certificate_title", "所获证书", "电工四级"), ("level", "等级", 4),
          ("certificate_number", "证书编号", CERT_NUMBER),
          ("signer_name", "承诺人", PERSON["name"]), ("sign_date", "日期", "2024-03-01")]
CERTIFICATE = [("holder_name", "姓名", PERSON["name"]),
               ("id_number", "证件号码", PERSON["id_number"]), ("occupation", "职业名称", "电工"),
               ("level", "职业技能等级", 4), ("certificate_number", "证书编号", CERT_NUMBER),
               ("issuer", "评价机构", AGENCY), ("issue_date", "发证日期", "2024-01-15")]


def write_registry(folder: Path, count: int = 100) -> Path:
    """Write registry CSVs knowing the agency and sample certificates 0..count-1."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agencies.csv").write_text(
        "name,filing_no,province,valid_from,valid_to,aliases\n"
        f"{AGENCY},洪人社备〔2020〕001号,江西省,2019-01-01,,\n", encoding="utf-8")
    rows = "".join(f"{cert_number(i)},{PERSON['name']},{PERSON['id_number']},电工,4,2024-01-15,"
                   f"{AGENCY}\n" for i in range(count))
    (folder / "certificates.csv").write_text(
        "certificate_number,holder_name,id_number,occupation,level,issue_date,agency\n" + rows,
        encoding="utf-8")
    (folder / "claims.csv").write_text(
        "certificate_number,id_number,occupation,level,paid_date\n", encoding="utf-8")
    return folder


def _shown(value: object) -> str:
    return {True: "有", False: "无"}.get(value, str(value)) if isinstance(value, bool) else str(value)


@lru_cache(maxsize=8)
def render_page(title: str, rows: tuple[tuple[str, str], ...], marks: bool = False,
                ) -> tuple[bytes, tuple[tuple[int, int, int, int], ...]]:
    """A PNG page with a title and ``label：value`` lines; returns it and each value's box.

    ``marks`` adds a handwritten-looking signature and a red fingerprint at
    :data:`SIGNATURE_BOX` and :data:`FINGERPRINT_BOX`.
    """
    from PIL import Image, ImageDraw, ImageFont

    font_path = next((p for p in FONT_PATHS if Path(p).exists()), None)

    def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default()

    image = Image.new("RGB", PAGE, (252, 251, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, PAGE[0] - 20, PAGE[1] - 20), outline=(170, 150, 120), width=2)
    draw.text((PAGE[0] // 2, 70), title, fill=(20, 20, 20), font=font(30), anchor="mm")
    boxes = []
    y = 130
    for label, value in rows:
        draw.text((50, y), f"{label}：", fill=(60, 60, 60), font=font(17))
        x0 = 190
        box = draw.textbbox((x0, y), value, font=font(18))
        draw.text((x0, y), value, fill=(25, 40, 120), font=font(18))
        draw.line((x0, box[3] + 4, PAGE[0] - 50, box[3] + 4), fill=(150, 150, 150), width=1)
        boxes.append((int(box[0]) - 4, int(box[1]) - 4, int(box[2]) + 4, int(box[3]) + 4))
        y += 52
    if marks:
        draw.text((50, 705), "承诺人（签字、手印）：", fill=(60, 60, 60), font=font(17))
        x0, y0, x1, y1 = SIGNATURE_BOX
        wave = [(x0 + 8 + i * 9, y0 + 25 + (12 if i % 2 else -10) - i) for i in range(15)]
        draw.line(wave, fill=(30, 30, 90), width=3, joint="curve")
        draw.ellipse(FINGERPRINT_BOX, fill=(225, 80, 80), outline=(190, 40, 40))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue(), tuple(boxes)


def _document(doc_type: str, title: str, spec: list[tuple[str, str, object]],
              file: str, overrides: dict[str, object], confidence: float = 0.97,
              marks: bool = False) -> tuple[Document, bytes]:
    values = {name: overrides.get(name, value) for name, _, value in spec}
    png, boxes = render_page(title, tuple((label, _shown(values[name])) for name, label, _ in spec),
                             marks)
    ref = PageRef(file=file, page=1, width=PAGE[0], height=PAGE[1],
                  page_sha256=hashlib.sha256(png).hexdigest())
    fields = {name: ExtractedField(value=values[name], confidence=confidence, page=1,  # type: ignore[arg-type]
                                   bbox=list(box), raw=_shown(values[name]))
              for (name, _, _), box in zip(spec, boxes, strict=True)}
    return Document(type=doc_type, pages=[ref], fields=fields), png  # type: ignore[arg-type]


def sample_documents(submission_id: str, *, index: int = 0, mismatch: bool = True,
                     letter_overrides: dict[str, object] | None = None,
                     certificate_overrides: dict[str, object] | None = None,
                     ) -> tuple[list[Document], list[tuple[bytes, str]]]:
    """The three documents of sample packet ``index`` and their page images (PNG)."""
    overrides = {"certificate_number": wrong_number(index) if mismatch else cert_number(index),
                 **(letter_overrides or {})}
    letter, p1 = _document("commitment_letter", "承诺书", LETTER, f"{submission_id}/letter.png",
                           overrides, marks=True)
    letter.fields["has_signature"] = ExtractedField(value=True, confidence=0.93, page=1,
                                                    bbox=list(SIGNATURE_BOX))
    letter.fields["has_fingerprint"] = ExtractedField(value=True, confidence=0.91, page=1,
                                                      bbox=list(FINGERPRINT_BOX))
    cert, p2 = _document("skill_level_certificate", "职业技能等级证书", CERTIFICATE,
                         f"{submission_id}/cert.png",
                         {"certificate_number": cert_number(index), **(certificate_overrides or {})})
    idcard, p3 = _document("unknown", "身份证复印件", [("holder_name", "姓名", PERSON["name"])],
                           f"{submission_id}/id.png", {})
    idcard.fields.clear()
    return [letter, cert, idcard], [(p1, "image/png"), (p2, "image/png"), (p3, "image/png")]


def sample_result(submission_id: str, registry_dir: Path | None, *, index: int = 0,
                  mismatch: bool = True, received_at: datetime | None = None,
                  revision: int = 1, letter_overrides: dict[str, object] | None = None,
                  certificate_overrides: dict[str, object] | None = None,
                  ) -> tuple[SubmissionResult, list[tuple[bytes, str]]]:
    """A finished result (checks run against ``registry_dir``) and its page images."""
    documents, images = sample_documents(submission_id, index=index, mismatch=mismatch,
                                         letter_overrides=letter_overrides,
                                         certificate_overrides=certificate_overrides)
    policy = load_policy(AS_OF)
    ctx = CheckContext(as_of=AS_OF, policy=policy, registries=load_registries(registry_dir))
    content = hashlib.sha256(repr((submission_id, revision, index, mismatch, letter_overrides,
                                   certificate_overrides)).encode()).hexdigest()
    received = received_at or datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    result = SubmissionResult(
        submission_id=submission_id, revision=revision, content_sha256=content,
        received_at=received.isoformat(), source=[r.file for d in documents for r in d.pages],
        route="review", documents=documents, checks=run_checks(documents, ctx),
        provenance=Provenance(zhanchi="sample", ocr_engine="none", policy=policy.version),
        as_of=AS_OF.isoformat())
    return result.finalise(), images


def add_sample_cases(store: Store, count: int, registry_dir: Path | None, *,
                     mismatch: bool = True, prefix: str = "T", start: datetime | None = None,
                     batch_id: str | None = None) -> list[int]:
    """Save ``count`` sample packets, one minute apart (each claims its own certificate)."""
    batch = batch_id or store.start_batch(inbox="samples", as_of=AS_OF.isoformat())
    first = start or datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    pks = []
    for i in range(count):
        sid = f"{prefix}{i:05d}"
        result, images = sample_result(sid, registry_dir, index=i, mismatch=mismatch,
                                       received_at=first + timedelta(minutes=i))
        files = [SourceFile(path=p, sha256=hashlib.sha256(p.encode()).hexdigest(), size=1)
                 for p in result.source]
        store.save_result(result, batch_id=batch, images=images, files=files)
        found = store.find_submission(sid, result.content_sha256)
        assert found is not None
        pks.append(found.pk)
    return pks
