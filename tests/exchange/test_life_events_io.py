"""Life events through export and import: JSON keeps them whole, the calendar shows them once."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.exchange.export import export, export_to_file
from kequ.exchange.imports.run import import_file
from kequ.exchange.json_book import dump_tables, load_tables
from kequ.services.customers import add_customer, add_date
from kequ.services.merging import merge_customers
from kequ.storage.database import open_database
from tests.exchange.conftest import table_dump

TODAY = date(2026, 11, 23)


@pytest.fixture
def book(db):
    cid = add_customer(db, NewCustomer(name="曾志强", honorific="曾经理", tier="key"))
    add_date(db, cid, "2026-12-05", lunar=False, kind="wedding", label="女儿出嫁")
    add_date(db, cid, "2025-12-10", lunar=False, kind="promotion")  # last year's: never again
    add_date(db, cid, "2026年冬月十六", lunar=True, kind="relocation", lead_days=0)
    add_date(db, cid, "1980-12-20", lunar=False)  # a birthday, every year
    return db


def summaries(db, today: date = TODAY) -> list[tuple[date, str]]:
    """Every event about 曾经理: the dates themselves and the touches they ask for."""
    out = io.BytesIO()
    export(db, "ics", out, today)
    events = Calendar.from_ical(out.getvalue()).walk("VEVENT")
    return sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events if "曾经理" in str(e["SUMMARY"]))


def test_the_calendar_shows_a_life_event_once_in_its_own_year(book) -> None:
    found = summaries(book)
    # The gift the agenda asks for (five days ahead of the wedding, on the day of the move) is
    # said on the date's own event: one occasion, one event.
    assert (date(2026, 12, 5), "礼品·曾经理：婚礼 · 女儿出嫁（12月5日）") in found
    assert (date(2026, 12, 24), "礼品·曾经理：乔迁（农历冬月十六）") in found
    assert len([s for _, s in found if "婚礼" in s]) == 1 and len([s for _, s in found if "乔迁" in s]) == 1
    assert not [s for _, s in found if "升职" in s]  # last year's promotion is not repeated
    # A year on, the wedding and the move are gone while the birthday comes round again.
    later = [s for _, s in summaries(book, date(2027, 11, 23))]
    assert "曾经理生日（12月20日）" in later
    assert not [s for s in later if "婚礼" in s or "乔迁" in s or "升职" in s]
    out = io.BytesIO()
    export(book, "ics", out, TODAY)
    assert b"RRULE" not in out.getvalue()


def test_json_round_trip_keeps_the_life_events_exactly(book, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    export_to_file(book, "json", path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    kinds = sorted(row["kind"] for row in doc["tables"]["important_date"])
    assert kinds == ["birthday", "promotion", "relocation", "wedding"]
    copy = open_database(str(tmp_path / "copy.db"))
    import_file(copy, path)
    assert table_dump(copy.path)["important_date"] == table_dump(book.path)["important_date"]


def test_a_json_life_event_without_its_year_is_refused_whole(book, tmp_path: Path) -> None:
    doc = dump_tables(book)
    for row in doc["tables"]["important_date"]:
        if row["kind"] == "wedding":
            row["year"] = None
    copy = open_database(str(tmp_path / "copy.db"))
    with pytest.raises(KequError) as refused:
        load_tables(copy, doc)
    assert refused.value.key == "io.import.rolled_back"
    assert table_dump(copy.path)["customer"] == []


def test_merging_duplicates_keeps_the_same_life_event_of_two_years(db) -> None:
    """Two 住院 on 3月2日 of different years are two events; two equal birthdays are one, and
    the year only one of them knew is kept."""
    keep = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    drop = add_customer(db, NewCustomer(name="王建国"))
    add_date(db, keep, "2025-03-02", lunar=False, kind="illness")
    add_date(db, drop, "2026-03-02", lunar=False, kind="illness")
    add_date(db, drop, "2025-03-02", lunar=False, kind="illness")  # the very same event
    add_date(db, keep, "05-03", lunar=False)
    add_date(db, drop, "1970-05-03", lunar=False)  # the same birthday, with its year
    with db.session() as session:
        merge_customers(session, keep, drop)
    rows = sqlite3.connect(db.path).execute("SELECT customer_id, kind, year FROM important_date ORDER BY kind, year")
    assert rows.fetchall() == [(keep, "birthday", 1970), (keep, "illness", 2025), (keep, "illness", 2026)]
