"""The review's dates falling due read only the dates whose month and day fall in its window:
the same counts as grouping every date of the book, for every month and day there is."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer
from kequ.services.lost import mark_lost
from kequ.storage.fast_reads import review as read


@pytest.fixture
def every_day(db, db_path) -> object:
    """A book with a yearly date (and a one-off life event) on every solar month and day,
    every lunar one and every leap lunar one, two of them for a customer who is lost."""
    kept = add_customer(db, NewCustomer(name="王建国", tier="key"))
    lost = add_customer(db, NewCustomer(name="李卫东", tier="key"))
    mark_lost(db, lost, "closed")
    rows = []
    for lunar, leap, last_day in ((0, 0, 31), (1, 0, 30), (1, 1, 30)):
        for month in range(1, 13):
            for day in range(1, last_day + 1):
                rows.append((kept, "birthday", month, day, lunar, leap, 1980 + day, day % 4))
                rows.append((kept, "wedding", month, day, lunar, leap, 2026 + month % 4, 0))
    rows.append((lost, "birthday", 2, 29, 0, 0, None, 0))
    rows.append((lost, "birthday", 8, 15, 1, 0, None, 3))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO important_date (customer_id, kind, label, month, day, lunar, leap, year, lead_days)"
            " VALUES (?, ?, '', ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()
    return db


def _every_date(conn: sqlite3.Connection, first: date, last: date, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(read, "_MAX_DAY_CODES", -1)  # no window: every date of the book grouped
        return sorted(read.date_planned(conn, first, last))


def test_the_window_counts_what_every_date_counts(every_day, monkeypatch) -> None:
    windows = 0
    with every_day.reader() as conn:
        # Thirteen-week windows (and a month's) starting every eleven days over four years: the
        # 29 Februaries of 2028, the lunar leap months, the lunar new years on either side.
        start = date(2025, 12, 1)
        while start < date(2030, 1, 1):
            for length in (90, 35):
                first, last = start, start + timedelta(days=length)
                expected = _every_date(conn, first, last, monkeypatch)
                assert sorted(read.date_planned(conn, first, last)) == expected, (first, last)
                windows += 1
            start += timedelta(days=11)
        assert windows > 200
        # The windows are not empty: a quarter's dates fall due, and the lost customer's do not.
        autumn = read.date_planned(conn, date(2026, 8, 31), date(2026, 11, 29))
        assert sum(c.n for c in autumn) > 150


def test_the_window_reads_a_part_of_the_book() -> None:
    codes = read._day_codes_within(date(2026, 8, 31), date(2026, 11, 29))
    assert 1001 in codes and 1129 in codes and 831 in codes  # solar 1 Oct, 29 Nov, 31 Aug
    assert 101 not in codes and 830 not in codes and 1130 not in codes
    assert 10815 in codes  # 中秋, lunar 15th of the eighth month: 25 Sep 2026
    assert 10101 not in codes  # lunar new year
    assert len(codes) < 400  # of 1,116 codes there are
