"""``zhanchi recheck``: new checks from stored fields, recorded beside the old, no OCR.

The stored packets are the sample set's expected documents decided by the real checks
against a registry in which one agency had not yet reported its certificate holders;
the recheck then sees the complete registry.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhanchi.checks import CheckContext
from zhanchi.models import Document, Submission
from zhanchi.pipeline.decide import Extracted, decide, provenance_for
from zhanchi.pipeline.recheck import other_claims_lookup
from zhanchi.policy import load_policy
from zhanchi.registry import load_registries
from zhanchi.store import Store, default_url

SAMPLE = Path(__file__).resolve().parents[1] / "sample_docs"
AS_OF = date(2024, 6, 30)
PACKET = "S01-clean-jpegs"


def documents(expected: dict) -> list[Document]:
    docs = []
    for d in expected["documents"]:
        fields = {k: {"value": v, "confidence": 0.99, "page": 1, "bbox": [10, 10, 50, 30]}
                  for k, v in d["fields"].items()}
        pages = [{"file": p["file"], "page": p["page"], "width": 1000, "height": 1400}
                 for p in d["pages"]]
        docs.append(Document.model_validate({"type": d["type"], "pages": pages,
                                             "fields": fields}))
    return docs


def late_registry(tmp_path: Path, holder_number: str) -> Path:
    """The sample registry without one certificate-holder row (reported late)."""
    reg = tmp_path / "registry_late"
    shutil.copytree(SAMPLE / "registry", reg)
    path = reg / "certificates.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    kept = [r for r in rows if r[0] != holder_number]
    assert len(kept) == len(rows) - 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)
    return reg


def store_decision(store: Store, packet: str, registry: Path,
                   unreadable: list[str] | None = None) -> tuple[int, str]:
    """Decide a sample packet's expected documents with the real checks; store it."""
    expected = json.loads((SAMPLE / "expected" / f"{packet}.json").read_text(encoding="utf-8"))
    sub = Submission(submission_id=packet, files=[], received_at=datetime(2024, 6, 20, tzinfo=UTC),
                     content_sha256=hashlib.sha256(packet.encode()).hexdigest())
    regs = load_registries(registry)
    policy = load_policy(AS_OF)
    ex = Extracted(submission=sub, documents=documents(expected), unreadable=unreadable or [],
                   timings_ms={}, pages=2, cache_hits=0)
    ctx = CheckContext(as_of=AS_OF, policy=policy, registries=regs, unreadable=ex.unreadable,
                       other_claims=other_claims_lookup(store, packet))
    batch = store.start_batch("inbox", as_of=AS_OF.isoformat())
    claim = store.claim_submission(sub, batch)
    assert claim is not None
    result = decide(ex, revision=claim.revision, as_of=AS_OF, check_context=ctx,
                    provenance=provenance_for("test", policy.version, regs.sha256()), read_ms=0)
    line = store.save_result(result, claim=claim)
    store.finish_batch(batch)
    return claim.pk, line


@pytest.fixture
def decided(tmp_path: Path) -> tuple[Store, int, str]:
    number = json.loads((SAMPLE / "expected" / f"{PACKET}.json").read_text(encoding="utf-8"))[
        "documents"][1]["fields"]["certificate_number"]
    store = Store.open(default_url(tmp_path))
    pk, line = store_decision(store, PACKET, late_registry(tmp_path, number))
    yield store, pk, line
    store.close()


def test_late_registry_row_clears_the_check_but_the_held_packet_stays_held(
        decided: tuple[Store, int, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from zhanchi.flows.recheck import recheck_store

    store, pk, line = decided
    run1, checks1 = store.checks(pk)
    assert run1 == 1
    assert [c.code for c in checks1 if c.status == "fail"] == ["certificate_not_in_registry"]

    def no_ocr(*_a: object, **_k: object) -> None:
        raise AssertionError("recheck must not load an OCR engine")

    monkeypatch.setattr("zhanchi.ocr.registry.get_engine", no_ocr)
    summary = recheck_store(store, load_registries(SAMPLE / "registry"), actor="test")
    assert (summary.checked, summary.unchanged) == (1, 0)
    # every check passes now, yet no recheck passes a held packet: a reviewer decides it
    assert summary.changed == [(PACKET, "review", "review")]
    run2, checks2 = store.checks(pk)
    assert run2 == 2 and not [c for c in checks2 if c.status == "fail"]
    assert store.checks(pk, run=1)[1] == checks1  # the old decision stays beside the new
    assert store.result_line(pk) == line  # the pipeline's results line is never rewritten
    sub = store.get_submission(pk)
    assert sub is not None and sub.route == "review" and sub.status == "done"
    assert not store.find_recorded_claims(certificate_number=json.loads(line)["documents"][1][
        "fields"]["certificate_number"]["value"])  # not a claim until a reviewer approves it
    assert [e.kind for e in store.history(pk)][-1] == "pipeline.recheck"
    again = recheck_store(store, load_registries(SAMPLE / "registry"), actor="test")
    assert (again.checked, again.unchanged, again.changed) == (1, 1, [])
    assert store.checks(pk)[0] == 2


def test_unreadable_pages_stay_unreadable(tmp_path: Path) -> None:
    from zhanchi.flows.recheck import recheck_store

    with Store.open(default_url(tmp_path)) as store:
        pk, _ = store_decision(store, PACKET, SAMPLE / "registry",
                               unreadable=["S01-clean-jpegs/extra.png：无法打开"])
        _, before = store.checks(pk)
        old = next(c for c in before if c.code == "unreadable_page")
        assert old.status == "fail"
        summary = recheck_store(store, load_registries(SAMPLE / "registry"), force=True)
        assert summary.changed == [(PACKET, "review", "review")]
        _, after = store.checks(pk)
        assert next(c for c in after if c.code == "unreadable_page") == old


def test_recheck_command_reports_route_changes(decided: tuple[Store, int, str],
                                               tmp_path: Path) -> None:
    from zhanchi.cli import app

    store, pk, _ = decided
    result = CliRunner().invoke(app, ["recheck", "--out", str(tmp_path), "--registry",
                                      str(SAMPLE / "registry")])
    assert result.exit_code == 0, result.output
    assert store.checks(pk)[0] == 2
    missing = CliRunner().invoke(app, ["recheck", "--out", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
