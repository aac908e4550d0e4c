"""``kequ import``, ``export``, ``restore`` and ``backup -o`` as a script or a hurried user runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.exchange.conftest import Result, count, excel_csv

HEADER = ["姓名", "称呼", "公司", "手机", "生日", "等级"]
ROWS = [
    HEADER,
    ["王建国", "王总", "苏州恒瑞", "13912345678", "1968/3/8", "关键"],
    ["李娜", "李姐", "上海云杉", "13800138000", "1985/6/12", "潜力"],
]


def _seed(db_path: Path, *names: str) -> None:
    """Customers put in directly: a kequ process per row would only slow the tests down."""
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer, add_date
    from kequ.storage.database import open_database

    db = open_database(str(db_path))
    for i, name in enumerate(names):
        cid = add_customer(db, NewCustomer(name=name, phones=(f"1391234{i:04d}",), tier="key"))
        add_date(db, cid, "八月十五", lunar=True)


def assert_one_line_error(result: Result) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""


def test_import_json_output_is_only_json(kequ, db_path: Path, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "客户.csv", ROWS)
    result = kequ("import", str(path), "--json")
    assert result.code == 0, result.err
    assert result.err == ""
    report = result.json()
    assert isinstance(report, dict)
    assert (report["format"], report["encoding"], report["added"], report["errors"]) == ("csv", "gb18030", 2, [])
    assert count(db_path) == 2


def test_row_errors_exit_1_and_are_listed(kequ, db_path: Path, tmp_path: Path) -> None:
    # Nothing says who this is (no name, nickname, company, phone or e-mail): refused.
    path = excel_csv(tmp_path / "c.csv", [*ROWS, ["", "", "", "", "1990-02-30", "关键"]])
    report_file = tmp_path / "错误.csv"
    result = kequ("import", str(path), "--report", str(report_file), "--json")
    assert result.code == 1 and result.err == ""
    data = result.json()
    assert data["added"] == 2 and data["rejected_rows"] == 1
    assert [(e["line"], e["column"], e["key"]) for e in data["errors"]] == [
        (4, "生日", "date.solar_no_such_day"),
        (4, "姓名", "input.empty_name"),
    ]
    assert data["report_file"] == str(report_file)
    assert "1990-02-30" in report_file.read_text(encoding="utf-8-sig")


def test_a_row_with_an_unreadable_field_is_imported_with_a_warning(kequ, db_path: Path, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "c.csv", [*ROWS, ["陈静", "", "", "", "1990-02-30", ""]])
    result = kequ("import", str(path))
    assert result.code == 0, result.err
    assert "出错 0 行" in result.out
    assert "1 行有看不懂的内容，照常导入" in result.out and "第 4 行 · 生日 1990-02-30：2月没有30号" in result.out
    note = sqlite3.connect(db_path).execute("SELECT notes FROM customer WHERE name = '陈静'").fetchone()
    assert note == ("导入时未能识别：生日 1990-02-30",)


def test_dry_run_prints_a_summary_and_writes_nothing(kequ, db_path: Path, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "c.csv", [*ROWS, ["", "", "", "", "", "VIP"]])
    result = kequ("import", str(path), "--dry-run")
    assert result.code == 1
    assert "试导入（未写入）" in result.out and "将新增 2 位" in result.out
    assert "第 4 行 · 姓名" in result.out and "--report" in result.out
    assert count(db_path) == 0


def test_a_dry_run_speaks_of_what_will_happen(kequ, db_path: Path, tmp_path: Path) -> None:
    _seed(db_path, "王建国")
    rows = [["姓名", "手机", "生日", "QQ"], ["王建国", "13912340000", "", ""], ["陈静", "", "1990-02-30", "12345"]]
    result = kequ("import", str(excel_csv(tmp_path / "c.csv", rows)), "--dry-run")
    assert result.code == 0, result.err
    out = result.out
    assert "1 行有看不懂的内容，将照常导入，原文将写进备注：" in out and "原文已写进备注" not in out
    assert "不认识的列将写进备注：QQ" in out and "相同，将跳过（要合并" in out
    assert "已跳过" not in out and "已写进" not in out
    assert count(db_path) == 1


def test_duplicates_and_merge_from_the_command_line(kequ, db_path: Path, tmp_path: Path) -> None:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer
    from kequ.storage.database import open_database

    add_customer(open_database(str(db_path)), NewCustomer(name="王建国", phones=("139-1234-5678",)))
    path = excel_csv(tmp_path / "c.csv", ROWS)
    skipped = kequ("import", str(path))
    assert skipped.code == 0 and "已跳过" in skipped.out and count(db_path) == 2
    merged = kequ("import", str(path), "--on-duplicate", "merge", "--json")
    assert merged.code == 0 and merged.json()["merged"] == 2
    row = sqlite3.connect(db_path).execute("SELECT company, tier FROM customer WHERE name = '王建国'").fetchone()
    assert row == ("苏州恒瑞", "regular")  # an empty company filled in, the tier kept


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), "二进制"),
        (lambda p: p.write_bytes(b""), "是空的"),
        (lambda p: p.write_bytes("甲,乙\r\n1,2\r\n".encode("gbk")), "找不到“姓名”列"),
    ],
)
def test_bad_files_give_one_line_and_no_database_change(kequ, db_path: Path, tmp_path: Path, make, needle) -> None:
    path = tmp_path / "客户.csv"
    make(path)
    result = kequ("import", str(path))
    assert_one_line_error(result)
    assert needle in result.err


def test_a_missing_file_does_not_create_the_database(kequ, db_path: Path, tmp_path: Path) -> None:
    result = kequ("import", str(tmp_path / "nope.csv"))
    assert_one_line_error(result)
    assert not db_path.exists()
    english = kequ("--lang", "en", "import", str(tmp_path / "nope.csv"))
    assert_one_line_error(english)
    assert english.err.startswith("Error: File not found")


def test_bad_mapping_is_one_line(kequ, tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "c.csv", ROWS)
    assert_one_line_error(kequ("import", str(path), "--mapping", "姓名=年龄"))
    assert_one_line_error(kequ("import", str(path), "--mapping", "姓名"))


def test_export_csv_to_stdout_and_xlsx_needs_a_file(kequ, db_path: Path) -> None:
    _seed(db_path, "王建国")
    result = kequ("export", "--format", "csv")
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("\ufeff编号,姓名,称呼")
    assert "王建国" in result.out and "八月十五" in result.out
    assert_one_line_error(kequ("export", "--format", "xlsx"))
    assert_one_line_error(kequ("export", "--format", "vcf", "--json"))


def test_export_files_with_json_summary(kequ, db_path: Path, tmp_path: Path) -> None:
    _seed(db_path, "王建国", "李娜")
    for fmt in ("ics", "xlsx"):
        target = tmp_path / f"out.{fmt}"
        result = kequ("export", "--format", fmt, "-o", str(target), "--date", "2026-11-23", "--json")
        assert result.code == 0, result.err
        summary = result.json()
        assert summary["format"] == fmt and summary["path"] == str(target) and summary["count"] > 0
        assert target.stat().st_mode & 0o777 == 0o600
    human = kequ("export", "--format", "ics", "-o", str(tmp_path / "x.ics"))
    assert human.code == 0 and "个日程" in human.out


def test_json_export_on_stdout_imports_into_an_empty_database(kequ, db_path: Path, tmp_path: Path) -> None:
    _seed(db_path, "王建国", "李娜")
    dumped = kequ("export", "--format", "json")
    assert dumped.code == 0
    doc = json.loads(dumped.out)
    path = tmp_path / "all.json"
    path.write_text(dumped.out, encoding="utf-8")
    other = tmp_path / "other" / "kequ.db"
    other.parent.mkdir()
    result = kequ("import", str(path), "--json", db=other)
    assert result.code == 0, result.err
    assert result.json()["tables"]["customer"] == len(doc["tables"]["customer"])
    again = kequ("import", str(path), db=other)
    assert_one_line_error(again)
    assert "空数据库" in again.err


def test_restore_refuses_garbage_and_restores_latest(kequ, db_path: Path, tmp_path: Path) -> None:
    from kequ.storage.backups import make_backup

    _seed(db_path, "王建国")
    make_backup(db_path, "manual")
    _seed(db_path, "李娜")

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    refused = kequ("restore", str(garbage))
    assert_one_line_error(refused)
    assert "已拒绝" in refused.err and count(db_path) == 2

    assert_one_line_error(kequ("restore"))
    restored = kequ("restore", "--latest", "--json")
    assert restored.code == 0, restored.err
    data = restored.json()
    assert data["customers"] == 1 and "before-restore" in data["safety_copy"]
    assert count(db_path) == 1
    human = kequ("restore", data["safety_copy"])
    assert human.code == 0 and "已从" in human.out and count(db_path) == 2


def test_backup_to_a_chosen_file(kequ, db_path: Path, tmp_path: Path) -> None:
    if "--output" not in kequ("backup", "--help").out:
        pytest.skip("kequ backup -o is wired in cli.py by its owner")
    _seed(db_path, "王建国")
    target = tmp_path / "copy.db"
    result = kequ("backup", "-o", str(target), "--json")
    assert result.code == 0, result.err
    assert result.json() == {"backup": str(target)}
    assert count(target) == 1 and target.stat().st_mode & 0o777 == 0o600
