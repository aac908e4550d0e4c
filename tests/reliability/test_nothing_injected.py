"""Nothing injected: text from a file or an old database never reaches a terminal or an
exported file as a command (issue 17, item 4).

A JSON export, crafted by hand, carries names with OSC 52 (writes the clipboard), a
window title, a clear-screen, C1 and bidi / zero-width characters, and fields of the
wrong type. It goes in through the real ``kequ import``, and out through ``kequ search``,
every export and the Customers screen. A dirty name written straight into SQLite, as an
earlier version may have left it, must come out just as clean.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from kequ.domain.records import NewCustomer
from kequ.exchange.imports.run import import_file
from kequ.exchange.json_book import dump_tables
from kequ.inert import INVISIBLE
from kequ.services.customers import add_customer
from kequ.storage.database import open_database
from kequ.ui.app import KequApp
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle

CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
TITLE = "\x1b]0;HACKED\x07"
WIPE = "\x1b[2J\x1b[H"
HOSTILE_NAME = f"王{CLIPBOARD}{TITLE}{WIPE}总\u202e\u2066\u200b\u200d\u2060\ufeff\x9b31m"
HOSTILE_COMPANY = "\u202e司公甲\u202c\x1b[31m红\x85"
HOSTILE_NOTE = "第一行\r\n第二行\x1b[8m藏起来\x07"
# What must never be written out: ESC, BEL, every other C0 but line breaks, DEL, C1,
# and the invisible bidi / zero-width characters.
MARKERS = ("\x1b]52", "\x1b]0;", "\x1b[2J", "\x9b", "\u202e")


def bad_characters(text: str, allowed: str = "\r\n\t") -> list[str]:
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if (unicodedata.category(ch) == "Cc" and ch not in allowed) or ord(ch) in INVISIBLE
    ]


def customer(template: dict[str, Any], **values: object) -> dict[str, Any]:
    return {**template, "search_keys": "", **values}


def crafted_json(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A kequ JSON export as a tool (or an attacker) could write it by hand."""
    source = open_database(str(tmp_path / "source.db"))
    add_customer(source, NewCustomer(name="模板"))
    doc = dump_tables(source)
    template = doc["tables"]["customer"][0]
    doc["tables"]["customer"] = [
        customer(template, id=1, name=HOSTILE_NAME, honorific="", company=HOSTILE_COMPANY, notes=HOSTILE_NOTE),
        customer(template, id=2, name="李四", phones=13912345678),
        customer(template, id=3, name="张三", tags={"a": 1}),
        customer(template, id=4, name="赵六", phones=["13800000000"], tags=["老客户"], churned="no"),
        customer(template, id=5, name="钱七", phones=["13700000000"], tags=["老客户\u200b"]),
    ]
    # A birthday soon, so the calendar export holds the hostile name too.
    doc["tables"]["important_date"] = [
        {"id": 1, "customer_id": 1, "kind": "birthday", "label": "", "month": 12, "day": 1}
        | {"lunar": False, "leap": False, "year": None, "lead_days": 0},
        {"id": 2, "customer_id": 2, "kind": "birthday", "label": "", "month": 12, "day": 2}
        | {"lunar": False, "leap": False, "year": None, "lead_days": 0},
    ]
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path, doc


def export_everything(kequ, tmp_path: Path) -> dict[str, str]:
    texts = {}
    for fmt in ("csv", "vcf", "ics", "json"):
        target = tmp_path / f"out.{fmt}"
        result = kequ("export", "--format", fmt, "-o", str(target))
        assert result.code == 0, result.err
        texts[fmt] = target.read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook

    target = tmp_path / "out.xlsx"
    assert kequ("export", "--format", "xlsx", "-o", str(target)).code == 0
    sheet = load_workbook(target).active
    texts["xlsx"] = "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    return texts


def assert_clean(text: str, where: str) -> None:
    assert not bad_characters(text), f"{where}: {bad_characters(text)}"
    for marker in MARKERS:
        assert marker not in text, f"{where} holds {marker!r}"


async def customers_screen_output(db_path: Path) -> tuple[str, list[str]]:
    """What the Customers screen sends to the terminal, and its name cells."""
    app = KequApp(db_path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#customers", DataTable)
        cells = [str(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]
        screen = app.screen._compositor.render_full_update().render_segments(app.console)
    return screen, cells


# ------------------------------------------------------------------- JSON import


def test_a_crafted_json_import_shows_and_exports_no_control_character(kequ, tmp_path: Path) -> None:
    path, _ = crafted_json(tmp_path)
    result = kequ("import", str(path))
    assert result.code == 1, result.err  # some rows were refused, see the next test
    assert_clean(result.out, "import report")

    found = kequ("search", "王")
    assert found.code == 0, found.err
    assert "王" in found.out and "]52;c;" in found.out  # shown, as harmless letters
    assert_clean(found.out, "kequ search")
    as_json = kequ("search", "王", "--json")
    assert_clean(as_json.out, "kequ search --json")
    assert as_json.json()[0]["name"] == "王]52;c;ZWNobyBwd25lZA==]0;HACKED[2J[H总31m"

    for fmt, text in export_everything(kequ, tmp_path).items():
        assert "王" in text, fmt
        assert_clean(text, f"{fmt} export")
    # The note keeps its line break, nothing else.
    stored = sqlite3.connect(tmp_path / "data" / "kequ.db").execute("SELECT notes FROM customer").fetchone()[0]
    assert stored == "第一行\n第二行[8m藏起来"


async def test_the_customers_screen_shows_a_crafted_json_import_inert(db, tmp_path: Path) -> None:
    path, _ = crafted_json(tmp_path)
    import_file(db, path)
    screen, cells = await customers_screen_output(Path(db.path))
    assert any(cell.startswith("王") for cell in cells)
    for cell in cells:
        assert_clean(cell, "a cell of the Customers screen")
    for marker in MARKERS:
        assert marker not in screen


def test_json_rows_of_the_wrong_type_are_refused_and_nothing_crashes_afterwards(kequ, tmp_path: Path) -> None:
    path, _ = crafted_json(tmp_path)
    report_file = tmp_path / "refused.csv"
    result = kequ("import", str(path), "--report", str(report_file))
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("导入完成：读取 5 行，新增 2 位")
    refusals = [line for line in lines if line.startswith("customer 第")]
    assert [line.split(" · ")[0] for line in refusals] == ["customer 第 2 条", "customer 第 3 条", "customer 第 4 条"]
    assert "电话（phones）" in refusals[0] and "13912345678" in refusals[0]
    assert "标签（tags）" in refusals[1] and '{"a": 1}' in refusals[1]
    assert "已流失（churned）" in refusals[2] and "true 或 false" in refusals[2]
    # The refused customer's birthday stays out with it, and says why.
    assert any(line.startswith("important_date 第 2 条") and "customer #2" in line for line in lines)
    assert report_file.exists()

    listed = kequ("search", "", "--json")
    assert listed.code == 0, listed.err
    assert sorted(row["name"] for row in listed.json()) == ["王]52;c;ZWNobyBwd25lZA==]0;HACKED[2J[H总31m", "钱七"]
    assert [row["phones"] for row in listed.json() if row["name"] == "钱七"] == [["13700000000"]]
    assert kequ("search", "钱").code == 0
    assert kequ("search", "老客户").out.count("钱七") == 1  # the zero-width space is gone from the tag
    assert kequ("today").code == 0
    export_everything(kequ, tmp_path)


async def test_the_customers_screen_opens_after_a_json_file_with_wrong_types(db, tmp_path: Path) -> None:
    path, _ = crafted_json(tmp_path)
    report = import_file(db, path)
    assert report.added == 2 and report.rejected_rows == 4
    _, cells = await customers_screen_output(Path(db.path))
    assert any(cell == "钱七" for cell in cells)


def test_a_lone_surrogate_in_json_is_one_line_and_exit_2(kequ, tmp_path: Path, db_path: Path) -> None:
    _, doc = crafted_json(tmp_path)
    # Only rows of the right types: the broken character is the file's one problem.
    doc["tables"]["customer"] = [row for row in doc["tables"]["customer"] if row["id"] in (1, 5)]
    doc["tables"]["important_date"] = doc["tables"]["important_date"][:1]
    path = tmp_path / "surrogate.json"
    text = json.dumps(doc, ensure_ascii=True).replace(json.dumps("钱七")[1:-1], "\\ud800")
    assert "\\ud800" in text
    path.write_text(text, encoding="utf-8")
    result = kequ("import", str(path))
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and "customer[2]" in result.err, result.err
    assert result.out == ""
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM customer").fetchone()[0] == 0


# ---------------------------------------------------------- an old, dirty database


@pytest.fixture
def dirty_db(db, db_path: Path):
    """Escapes written straight into SQLite, as an earlier version may have stored them."""
    first = add_customer(db, NewCustomer(name="王总", company="甲公司", phones=("13912345678",)))
    add_customer(db, NewCustomer(name="李四"))
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "UPDATE customer SET name = ?, company = ?, notes = ?, tags = ? WHERE id = ?",
            (HOSTILE_NAME, HOSTILE_COMPANY, HOSTILE_NOTE, json.dumps(["\x1b[5m闪"]), first),
        )
        raw.execute(
            "INSERT INTO important_date (customer_id, kind, label, month, day, lunar, leap, lead_days)"
            " VALUES (?, 'birthday', '', 12, 1, 0, 0, 0)",
            (first,),
        )
    return db


def test_a_dirty_name_in_an_old_database_is_shown_and_exported_clean(dirty_db, kequ, tmp_path: Path) -> None:
    found = kequ("search", "王")
    assert found.code == 0, found.err
    assert "王" in found.out
    assert_clean(found.out, "kequ search")
    assert_clean(kequ("search", "王", "--json").out, "kequ search --json")
    today = kequ("today", "--days", "30")
    assert today.code == 0 and "王" in today.out
    assert_clean(today.out, "kequ today")
    for fmt, text in export_everything(kequ, tmp_path).items():
        assert "王" in text, fmt
        assert_clean(text, f"{fmt} export")


async def test_a_dirty_name_in_an_old_database_is_inert_on_the_customers_screen(dirty_db) -> None:
    screen, cells = await customers_screen_output(Path(dirty_db.path))
    assert any(cell.startswith("王") for cell in cells)
    for cell in cells:
        assert_clean(cell, "a cell of the Customers screen")
    for marker in MARKERS:
        assert marker not in screen


def test_a_dirty_database_exported_to_json_imports_clean(dirty_db, tmp_path: Path) -> None:
    from kequ.exchange.export import export_to_file

    path = tmp_path / "all.json"
    export_to_file(dirty_db, "json", path, date(2026, 11, 23))
    copy = open_database(str(tmp_path / "copy.db"))
    report = import_file(copy, path)
    assert report.added == 2 and not report.errors
    with sqlite3.connect(copy.path) as raw:
        for name, company, notes, tags in raw.execute("SELECT name, company, notes, tags FROM customer"):
            for text in (name, company, tags):
                assert_clean(text, "stored after import")
            assert_clean(notes, "stored note")
