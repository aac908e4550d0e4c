"""preview_import: what the app's import screen shows before anything is written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.errors import KequError
from kequ.exchange.imports.mapping import parse_mapping
from kequ.exchange.imports.run import import_file, preview_import
from tests.exchange.conftest import count, excel_csv, xlsx_file

DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_preview_has_the_columns_their_fields_samples_and_the_dry_run(db) -> None:
    preview = preview_import(db, DATA / "customers-gbk.csv")
    assert (preview.format, preview.encoding, preview.editable) == ("csv", "gb18030", True)
    assert preview.columns[:3] == ("姓名", "称呼", "公司")
    assert preview.targets[:5] == ("name", "honorific", "company", "title", "phones")
    assert [row[0] for row in preview.samples] == ["王建国", "李娜", "张伟"]
    assert preview.report is not None and preview.problem is None
    report = preview.report
    assert (report.added, len(report.duplicates), report.rejected_rows, report.warned_rows) == (7, 1, 0, 1)
    assert [(w.line, w.column, w.value) for w in report.warnings] == [(5, "生日", "1990-02-30")]
    assert count(db.path) == 0


def test_the_head_comes_first_and_the_dry_run_holds_no_rows_as_read(db, tmp_path: Path) -> None:
    """preview_head reads the columns and first rows only; dry_run adds the counts and the
    problems, but not the refused and warned rows as read (only an import writes their file)."""
    from kequ.exchange.imports.run import dry_run, preview_head

    rows = [["姓名", "手机", "生日"], ["王建国", "13912345678", "1990-02-30"], ["", "", ""], ["李娜", "", ""]]
    rows.append(["", "", "1980-01-01"])  # says nothing about who: refused
    source = excel_csv(tmp_path / "名单.csv", rows)
    head = preview_head(source)
    assert head.columns == ("姓名", "手机", "生日") and head.samples[0][0] == "王建国"
    assert head.report is None and head.problem is None  # not checked yet
    checked = dry_run(db, source, head)
    assert checked.columns == head.columns and checked.samples == head.samples
    report = checked.report
    assert report is not None and (report.added, report.rejected_rows, report.warned_rows) == (2, 1, 1)
    assert [e.line for e in report.errors] == [5] and [w.line for w in report.warnings] == [2]
    assert report.rejected == [] and report.warned == []
    # The import itself still has them, for the file of rows to fix.
    written = import_file(db, source, dry_run=True)
    assert [r.line for r in written.rejected] == [5] and [r.line for r in written.warned] == [2]


def test_a_title_row_above_the_header_is_not_a_column(db, tmp_path: Path) -> None:
    book = xlsx_file(tmp_path / "名单.xlsx", [["姓名", "手机"], ["王建国", 13912345678]], title="2024 客户名单")
    preview = preview_import(db, book)
    assert preview.columns == ("姓名", "手机")
    assert preview.samples == (("王建国", "13912345678"),)


def test_without_a_name_column_the_columns_still_come_to_be_corrected(db, tmp_path: Path) -> None:
    source = excel_csv(tmp_path / "名单.csv", [["联系人名", "电话"], ["王建国", "13912345678"]])
    preview = preview_import(db, source)
    assert preview.report is None and preview.problem is not None and "姓名" in preview.problem
    assert preview.columns == ("联系人名", "电话") and preview.targets == (None, "phones")
    fixed = preview_import(db, source, mapping={"联系人名": "name"})
    assert fixed.report is not None and fixed.report.added == 1 and fixed.targets == ("name", "phones")


def test_a_column_can_be_kept_in_the_notes_or_skipped(db, tmp_path: Path) -> None:
    source = excel_csv(tmp_path / "名单.csv", [["姓名", "城市", "QQ"], ["王建国", "苏州", "12345"]])
    preview = preview_import(db, source, mapping={"城市": None, "QQ": "-"})
    assert preview.targets == ("name", None, "-")
    assert preview.report is not None and preview.report.to_notes == ["城市"]


def test_a_chosen_field_beats_a_guessed_one(db, tmp_path: Path) -> None:
    """--mapping 称呼=name: the 姓名 column then goes to the notes instead of winning."""
    source = excel_csv(tmp_path / "名单.csv", [["姓名", "称呼"], ["王建国", "王总"]])
    report = import_file(db, source, mapping=parse_mapping("称呼=name"))
    assert report.mapping == {"称呼": "name"} and report.to_notes == ["姓名"]
    row = sqlite3.connect(db.path).execute("SELECT name, notes FROM customer").fetchone()
    assert row == ("王总", "姓名：王建国")


def test_contact_cards_preview_their_own_fields(db) -> None:
    preview = preview_import(db, DATA / "contacts.vcf")
    assert preview.editable is False
    # Named as kequ names its fields (姓名, 电话), not as the card's properties (FN, TEL).
    assert preview.columns[0] == "姓名" and preview.targets[0] == "name"
    assert "FN" not in preview.columns and "TEL" not in preview.columns
    assert preview.samples[0][0] == "孙丽华"


def test_a_file_that_is_no_table_is_refused(db, tmp_path: Path) -> None:
    picture = tmp_path / "客户.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(KequError) as refused:
        preview_import(db, picture)
    assert refused.value.key == "io.file.binary"
