"""Exports read back by the programs that consume them: Excel, phones, calendars, kequ itself."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from kequ.domain.names import split_name
from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.exchange.calendar_feed import event_uid
from kequ.exchange.export import export, export_to_file
from kequ.exchange.imports.run import import_file
from kequ.exchange.json_book import JSON_FORMAT, dump_tables, load_tables
from kequ.exchange.spreadsheet import neutralise
from kequ.services.customers import add_customer, add_date
from kequ.storage.database import open_database
from tests.conftest import DEMO_TODAY
from tests.exchange.conftest import note_texts, table_dump


def _bytes(db, fmt: str, today: date = DEMO_TODAY) -> bytes:
    out = io.BytesIO()
    export(db, fmt, out, today)
    return out.getvalue()


@pytest.fixture
def tricky(db):
    """Customers whose fields a spreadsheet would run, and both kinds of birthday."""
    first = add_customer(
        db,
        NewCustomer(
            name='=HYPERLINK("http://evil.example","点我")',
            company="@SUM(A1:A9)",
            phones=("+86 138 0013 8000",),
            notes="-2+3+cmd|' /C calc'!A0",
            tags=("VIP",),
        ),
    )
    second = add_customer(db, NewCustomer(name="欧阳娜娜", honorific="欧阳总", company="星河投资", notes="+1 明年续约"))
    add_date(db, second, "1982年闰四月初五", lunar=True)
    add_date(db, first, "1985-06-12", lunar=False)
    return db


# ----------------------------------------------------------------------------- CSV


def test_csv_opens_in_excel_and_neutralises_formulas(tricky) -> None:
    raw = _bytes(tricky, "csv")
    assert raw.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, first, second = rows
    assert header[:5] == ["编号", "姓名", "称呼", "公司", "职位"]
    cell = dict(zip(header, first, strict=True))
    assert cell["姓名"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert cell["公司"] == "'@SUM(A1:A9)"
    assert cell["电话"] == "'+86 138 0013 8000"
    assert cell["备注"].startswith("'-2+3")
    assert cell["生日"] == "1985-06-12"
    assert dict(zip(header, second, strict=True))["农历生日"] == "1982年闰四月初五"
    assert dict(zip(header, second, strict=True))["备注"] == "'+1 明年续约"
    for values in rows:
        for value in values:
            assert not value or value[0] not in "=+-@\t\r"


def test_neutralise() -> None:
    assert [neutralise(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "王", "", "1=1")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "王",
        "",
        "1=1",
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_export_imports_back_into_an_empty_database(tricky, tmp_path: Path, lang: str) -> None:
    from kequ.i18n import set_language

    set_language(lang)  # the headers and tier names follow the language; both read back
    path = tmp_path / "out.csv"
    export_to_file(tricky, "csv", path)
    other = open_database(str(tmp_path / "other.db"))
    report = import_file(other, path)
    assert (report.added, report.errors, report.to_notes) == (2, [], [])
    assert _bytes(other, "csv").split(b"\r\n")[1:] == _bytes(tricky, "csv").split(b"\r\n")[1:]


# ---------------------------------------------------------------------------- XLSX


def test_xlsx_keeps_formula_text_as_text(tricky, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    result = export_to_file(tricky, "xlsx", path)
    assert result.count == 2
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert first["姓名"].value == '=HYPERLINK("http://evil.example","点我")'
    assert first["姓名"].data_type == "s"  # a string cell: Excel shows it, never runs it
    assert first["电话"].value == "+86 138 0013 8000"
    assert header[0] == "编号" and first["编号"].value == 1


# --------------------------------------------------------------------------- vCard


def test_vcard_parses_back_with_chinese_names_phones_and_birthdays(tricky) -> None:
    text = _bytes(tricky, "vcf", today=date(2026, 5, 1)).decode("utf-8")
    assert "\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded by octets
    cards = list(vobject.readComponents(text))
    assert len(cards) == 2
    first, second = cards
    assert first.version.value == "3.0" and first.bday.value == "1985-06-12"
    assert [tel.value for tel in first.tel_list] == ["+86 138 0013 8000"]
    assert first.tel.params["TYPE"] == ["CELL"]
    assert first.categories.value == ["VIP"]
    assert second.fn.value == "欧阳娜娜"
    assert (second.n.value.family, second.n.value.given) == ("欧阳", "娜娜")
    assert second.nickname.value == "欧阳总" and second.org.value == ["星河投资"]
    assert "bday" not in second.contents  # no phone understands a lunar birthday
    # 闰四月 did not recur in 2026: the date falls in the regular fourth month, 2026-05-21.
    assert second.note.value.startswith("农历生日 闰四月初五（1982年生，下一次：2026-05-21）")
    assert second.note.value.endswith("\n+1 明年续约")
    assert first.uid.value != second.uid.value


def test_year_less_solar_birthdays_use_apples_marker(db) -> None:
    cid = add_customer(db, NewCustomer(name="周建华"))
    add_date(db, cid, "09-18", lunar=False)
    (card,) = vobject.readComponents(_bytes(db, "vcf").decode())
    assert card.bday.value == "1604-09-18" and card.bday.params["X-APPLE-OMIT-YEAR"] == ["1604"]


def test_vcard_export_imports_back(tricky, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    export_to_file(tricky, "vcf", path)
    other = open_database(str(tmp_path / "other.db"))
    report = import_file(other, path)
    assert (report.added, report.errors) == (2, [])


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("王建国", ("王", "建国")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("慕容复", ("慕容", "复")),
        ("王", ("王", "")),
        ("张 三", ("张", "三")),  # written apart: the space says where the surname ends
        ("John Smith", ("Smith", "John")),
        ("Mary Ann Lee", ("Lee", "Mary Ann")),  # "Given Family": split at the last space
        ("Tony", ("", "Tony")),  # one Latin word is a given name, never T / ony
        ("迪丽热巴·迪力木拉提", ("迪力木拉提", "迪丽热巴")),
    ],
)
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


# ------------------------------------------------------------------------ calendar


def test_ics_parses_back_as_all_day_events_with_stable_uids(demo_db) -> None:
    first = Calendar.from_ical(_bytes(demo_db, "ics"))
    second = Calendar.from_ical(_bytes(demo_db, "ics"))
    events = list(first.walk("VEVENT"))
    assert len(events) > 20
    assert first["PRODID"] and str(first["VERSION"]) == "2.0"
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.startswith("kequ-") and uid.endswith("@kequ.local") for uid in uids)
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]  # the same events, the same UIDs
    end = DEMO_TODAY + timedelta(days=60)
    # Birthdays and other dates for the coming three years (a lunar one moves each year).
    years_on = date(DEMO_TODAY.year + 3, DEMO_TODAY.month, DEMO_TODAY.day)
    for event in events:
        start = event.decoded("DTSTART")
        last = years_on if str(event["CATEGORIES"].cats[0]) == "生日纪念日" else end
        assert type(start) is date and DEMO_TODAY <= start <= last  # all-day, inside the window
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert str(event["SUMMARY"]).strip()
    assert max(e.decoded("DTSTART") for e in events) > end  # next year's birthdays are there
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "圣诞节" in summaries  # a festival nobody is greeted for (not in the default set)
    assert any(s.startswith("元旦：问候 ") for s in summaries)  # one event per festival, greetings listed
    assert not any(s.startswith("节日·") for s in summaries)
    assert any("生日" in s for s in summaries)
    assert any(s.startswith("电话·") for s in summaries)


def test_ics_uid_follows_the_occurrence_not_the_export(demo_db) -> None:
    """A later export (a day on) keeps the UID of every event that is still coming."""
    earlier = {str(e["UID"]): e for e in Calendar.from_ical(_bytes(demo_db, "ics")).walk("VEVENT")}
    later = Calendar.from_ical(_bytes(demo_db, "ics", today=DEMO_TODAY + timedelta(days=1)))
    kept = [e for e in later.walk("VEVENT") if e.decoded("DTSTART") > DEMO_TODAY + timedelta(days=2)]
    assert kept
    shared = [e for e in kept if str(e["UID"]) in earlier]
    assert len(shared) >= len(kept) * 0.9


def test_event_uid_is_stable_and_distinct() -> None:
    a = event_uid("festival:mid_autumn", date(2026, 9, 25), 0)
    assert a == event_uid("festival:mid_autumn", date(2026, 9, 25), 0)
    assert a != event_uid("festival:mid_autumn", date(2026, 9, 25), 7)
    assert a != event_uid("festival:mid_autumn", date(2027, 9, 15), 0)


# ---------------------------------------------------------------------------- JSON


def test_json_round_trip_into_an_empty_database_gives_back_every_table(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    export_to_file(demo_db, "json", path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["format"], doc["format_version"]) == (JSON_FORMAT, 1)
    source_tables = table_dump(demo_db.path)
    assert set(doc["tables"]) == set(source_tables)  # no table forgotten

    copy = open_database(str(tmp_path / "copy.db"))
    report = import_file(copy, path)

    assert report.format == "json" and report.added == len(doc["tables"]["customer"])
    assert table_dump(copy.path) == source_tables  # byte for byte, every row of every table
    assert dump_tables(copy)["tables"] == doc["tables"]
    assert note_texts(copy.path) == note_texts(demo_db.path) != set()  # the notes search too
    from kequ.services.customer_list import find_ids

    for query in ("", "wang", "王", "zjl"):  # and the customer search, rebuilt from the rows
        assert find_ids(copy, query) == find_ids(demo_db, query)


def test_json_goes_only_into_an_empty_database(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    export_to_file(demo_db, "json", path)
    before = table_dump(demo_db.path)
    with pytest.raises(KequError) as refused:
        import_file(demo_db, path)
    assert refused.value.key == "io.json.not_empty"
    assert table_dump(demo_db.path) == before


def test_bad_json_is_refused_whole(db, tmp_path: Path) -> None:
    doc = dump_tables(db)
    doc["tables"]["customer"] = [{"id": 1, "name": "王"}]  # columns missing: this row only
    loaded = load_tables(db, doc)
    assert loaded.counts["customer"] == 0 and loaded.read == 1
    assert [(e.table, e.line, e.key) for e in loaded.errors] == [("customer", 1, "io.json.detail.missing")]
    doc["schema_version"] = 999
    with pytest.raises(KequError) as newer:
        load_tables(db, doc)
    assert newer.value.key == "io.json.too_new"
    path = tmp_path / "cut.json"
    path.write_text('{"format": "kequ-export", "tables": {', encoding="utf-8")
    with pytest.raises(KequError) as cut:
        import_file(db, path)
    assert cut.value.key == "io.json.broken"
    other = tmp_path / "other.json"
    other.write_text('{"name": "王"}', encoding="utf-8")
    with pytest.raises(KequError) as foreign:
        import_file(db, other)
    assert foreign.value.key == "io.json.not_kequ"


def test_a_json_row_the_schema_refuses_rolls_everything_back(demo_db, tmp_path: Path) -> None:
    doc = dump_tables(demo_db)
    doc["tables"]["interaction"][-1]["kind"] = "telepathy"
    copy = open_database(str(tmp_path / "copy.db"))
    with pytest.raises(KequError) as refused:
        load_tables(copy, doc)
    assert refused.value.key == "io.import.rolled_back"
    assert all(not rows for rows in table_dump(copy.path).values())


# ------------------------------------------------------------------------- files


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "vcf", "ics", "json"])
def test_export_files_are_private_and_replace_atomically(tricky, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    export_to_file(tricky, fmt, path, DEMO_TODAY)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_bytes() != b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


def test_a_failed_export_leaves_the_previous_file(tricky, tmp_path: Path, monkeypatch) -> None:
    import kequ.exchange.export as exporting

    path = tmp_path / "out.csv"
    path.write_text("previous good export", encoding="utf-8")

    def boom(db, out):
        out.write(b"half")
        raise RuntimeError("disk went away")

    monkeypatch.setattr(exporting, "_export_csv", boom)
    with pytest.raises(RuntimeError):
        export_to_file(tricky, "csv", path)
    assert path.read_text(encoding="utf-8") == "previous good export"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["out.csv"]  # no temporary file left


def test_export_into_a_missing_folder_is_refused(db, tmp_path: Path) -> None:
    with pytest.raises(KequError) as refused:
        export_to_file(db, "json", tmp_path / "nope" / "out.json")
    assert refused.value.key == "io.export.no_folder"


def test_a_json_file_keeps_each_rows_uid_unless_it_is_malformed_or_taken_twice(tmp_path: Path) -> None:
    """The uid is a row's identity on a team's server: kept across a JSON export and import;
    a file edited by hand with a uid twice or a broken one still loads, those rows get new ones."""
    source = open_database(str(tmp_path / "source.db"))
    add_customer(source, NewCustomer(name="王建国"))
    doc = dump_tables(source)
    first = doc["tables"]["customer"][0]
    kept = first["uid"]
    doc["tables"]["customer"] = [
        first,
        {**first, "id": 2, "name": "李明"},  # the same uid again
        {**first, "id": 3, "name": "张伟", "uid": "not-a-uid"},
        {**first, "id": 4, "name": "赵六", "uid": kept.upper()},  # not as a book writes it
    ]
    target = open_database(str(tmp_path / "target.db"))
    loaded = load_tables(target, doc)
    assert loaded.counts["customer"] == 4 and loaded.errors == []
    with target.reader() as conn:
        uids = dict(conn.execute("SELECT name, uid FROM customer").fetchall())
    assert uids["王建国"] == kept
    assert len(set(uids.values())) == 4 and all(len(uid) == 36 for uid in uids.values())
