"""Registry CSVs: absent files, strict validation naming file and line, hashes."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from zhanchi.errors import RegistryError
from zhanchi.registry import build_registry, load_registries, read_registry_file

AGENCIES = (
    "name,filing_no,province,valid_from,valid_to,aliases\n"
    "南昌市职业技能鉴定中心,赣备001,江西省,2019-01-01,,南昌鉴定中心|洪城鉴定中心\n"
    "九江市职业技能鉴定所,九备003,江西省,2019-09-01,2021-08-31,\n"
)
CERTIFICATES = (
    "certificate_number,holder_name,id_number,occupation,level,issue_date,agency\n"
    "s000036000001214000123 ,张 三,36010219900101123x,电工,4,2021-03-01,南昌市职业技能鉴定中心\n"
    "2036010001400123,李四,,保安员,5,2020-11-02,\n"
)
CLAIMS = (
    "certificate_number,id_number,occupation,level,paid_date\n"
    "S000036000001195000001,360102199202290044,焊工,5,2020-01-01\n"
    "2036010001400999,,,,\n"
)


def _dir(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_all_three_registries_load(tmp_path: Path) -> None:
    regs = load_registries(_dir(tmp_path, agencies=AGENCIES, certificates=CERTIFICATES,
                                claims=CLAIMS))
    assert regs.missing() == []
    assert regs.agencies is not None and regs.certificates is not None and regs.claims is not None
    first = regs.agencies.rows[0]
    assert first.aliases == ("南昌鉴定中心", "洪城鉴定中心") and first.valid_to is None
    assert regs.agencies.rows[1].valid_on(date(2021, 8, 31))
    assert not regs.agencies.rows[1].valid_on(date(2021, 9, 1))
    (row,) = regs.certificates.lookup("S000036000001214000123")
    assert (row.holder_name, row.id_number, row.level, row.line) == (
        "张三", "36010219900101123X", 4, 2)  # normal forms
    assert regs.certificates.lookup("2036010001400123")[0].id_number == ""
    assert regs.claims.by_id_number("360102199202290044")[0].occupation == "焊工"
    empty = regs.claims.by_number("2036010001400999")[0]
    assert empty.level is None and empty.paid_date is None
    assert regs.agency_names()[:3] == ["南昌市职业技能鉴定中心", "南昌鉴定中心", "洪城鉴定中心"]


def test_hash_is_of_the_file_bytes(tmp_path: Path) -> None:
    regs = load_registries(_dir(tmp_path, claims=CLAIMS))
    expected = hashlib.sha256((tmp_path / "claims.csv").read_bytes()).hexdigest()
    assert regs.sha256() == {"claims.csv": expected}


def test_absent_files_are_none_not_errors(tmp_path: Path) -> None:
    regs = load_registries(_dir(tmp_path, certificates=CERTIFICATES))
    assert regs.agencies is None and regs.claims is None
    assert regs.missing() == ["agencies.csv", "claims.csv"]
    assert load_registries(tmp_path / "nowhere").missing() == [
        "agencies.csv", "certificates.csv", "claims.csv"]
    assert load_registries(None).agency_names() == []


def test_bom_blank_lines_and_extra_columns_are_fine(tmp_path: Path) -> None:
    text = "\ufeff" + CLAIMS.replace("paid_date\n", "paid_date,note\n", 1)
    text = text.replace("2020-01-01\n", "2020-01-01,已发\n\n").replace(",,,,\n", ",,,,,\n")
    regs = load_registries(_dir(tmp_path, claims=text))
    assert regs.claims is not None and len(regs.claims.rows) == 2
    assert regs.claims.rows[1].line == 4


@pytest.mark.parametrize("kind, text, where", [
    ("agencies", AGENCIES.replace("aliases", "alias"), "agencies.csv: line 1: missing column"),
    ("certificates", CERTIFICATES.replace("2020-11-02", "2020/11/02"),
     "certificates.csv: line 3: column issue_date"),
    ("certificates", CERTIFICATES.replace("2020-11-02", "2020-02-30"),
     "certificates.csv: line 3: column issue_date: not a calendar date"),
    ("certificates", CERTIFICATES.replace(",4,", ",四级,"), "certificates.csv: line 2: column level"),
    ("certificates", CERTIFICATES.replace(",5,", ",6,"), "certificates.csv: line 3: column level"),
    ("claims", CLAIMS.replace(",5,2020-01-01", ",5"), "claims.csv: line 2: expected 5 fields, found 4"),
    ("claims", CLAIMS + "S1,1,2,3,4,5\n", "claims.csv: line 4: expected 5 fields, found 6"),
    ("agencies", AGENCIES.replace("2019-09-01,2021-08-31", "2021-09-01,2021-08-31"),
     "agencies.csv: line 3: column valid_to: earlier than valid_from"),
    ("agencies", AGENCIES.replace("2019-01-01", ""), "agencies.csv: line 2: column valid_from: empty"),
    ("claims", CLAIMS.replace("S000036000001195000001", ""),
     "claims.csv: line 2: column certificate_number: empty"),
    ("claims", "certificate_number,id_number,occupation,level,paid_date,level\n",
     "claims.csv: line 1: duplicate column"),
    ("claims", "", "claims.csv: line 1: header row is empty"),
])
def test_malformed_registry_names_file_and_line(tmp_path: Path, kind: str, text: str,
                                                where: str) -> None:
    with pytest.raises(RegistryError) as err:
        load_registries(_dir(tmp_path, **{kind: text}))
    assert where in err.value.message


def test_line_numbers_count_physical_lines_of_quoted_fields(tmp_path: Path) -> None:
    text = CLAIMS.replace("焊工", '"焊\n工"') + "bad,row\n"
    with pytest.raises(RegistryError, match="claims.csv: line 5:"):
        load_registries(_dir(tmp_path, claims=text))


def test_error_messages_carry_no_cell_values(tmp_path: Path) -> None:
    bad = CERTIFICATES.replace(",4,", ",四级,")
    with pytest.raises(RegistryError) as err:
        load_registries(_dir(tmp_path, certificates=bad))
    assert "张" not in err.value.message and "3601" not in err.value.message


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "agencies.csv").write_bytes(AGENCIES.encode("gbk"))
    with pytest.raises(RegistryError, match="agencies.csv: line 2: not valid UTF-8"):
        load_registries(tmp_path)


def test_stored_rows_are_held_to_the_same_rules(tmp_path: Path) -> None:
    path = _dir(tmp_path, claims=CLAIMS) / "claims.csv"
    registry, table = read_registry_file(path, "claims")
    rebuilt = build_registry("claims", table.file, table.sha256,
                             [(r.line, r.cells) for r in table.rows])
    assert rebuilt.rows == registry.rows and rebuilt.sha256 == registry.sha256
    with pytest.raises(RegistryError, match="claims.csv: line 7: column level"):
        build_registry("claims", "claims.csv", "x", [(7, {**table.rows[0].cells, "level": "x"})])
    with pytest.raises(RegistryError, match="line 9: missing column"):
        build_registry("claims", "claims.csv", "x", [(9, {"certificate_number": "S1"})])
    with pytest.raises(ValueError):
        build_registry("people", "people.csv", "x", [])
