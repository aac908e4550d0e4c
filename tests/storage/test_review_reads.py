"""The review's set-based reads (kequ.storage.fast_reads.review) against hand-counted books:
contacts counted per local day, the touches rhythms put due, the dates falling due."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_annual_date, add_customer
from kequ.services.lost import mark_lost
from kequ.services.rhythms import set_customer_rhythm
from kequ.storage.fast_reads import review as read
from kequ.storage.fast_reads.agenda import read_rules
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY  # Monday 2026-11-23
FIRST, LAST = date(2026, 8, 31), date(2026, 11, 29)  # the thirteen weeks the review reads


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run in another timezone (SQLite's localtime follows the process's)."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def _stored_at(db, interaction_id: int, utc_text: str) -> None:
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE interaction SET happened_at = ? WHERE id = ?", (utc_text, interaction_id))


@pytest.mark.parametrize(
    ("name", "before_midnight", "at_midnight"),
    [
        # 23:59 and 00:00 local time on the night of 2026-11-20/21, stored in UTC.
        ("Asia/Shanghai", "2026-11-20 15:59:00.000000", "2026-11-20 16:00:00.000000"),
        ("Asia/Kolkata", "2026-11-20 18:29:00.000000", "2026-11-20 18:30:00.000000"),
        ("America/New_York", "2026-11-21 04:59:00.000000", "2026-11-21 05:00:00.000000"),
    ],
)
def test_contacts_are_counted_on_their_local_day_around_midnight(db, zone, name, before_midnight, at_midnight) -> None:
    zone(name)
    cid = add_customer(db, NewCustomer(name="王建国", tier="key"))
    late = log_interaction(db, cid, "call", TODAY - timedelta(days=5))
    early = log_interaction(db, cid, "call", TODAY - timedelta(days=5))
    visit = log_interaction(db, cid, "visit", TODAY - timedelta(days=5))
    _stored_at(db, late, before_midnight)
    _stored_at(db, early, at_midnight)
    _stored_at(db, visit, at_midnight)
    with db.reader() as conn:
        counts = sorted(read.done_counts(conn, FIRST, LAST))
        # The period's edges hold: nothing counted before its first day.
        edge = read.done_counts(conn, date(2026, 11, 21), date(2026, 11, 21))
    assert counts == [
        (date(2026, 11, 20), "call", 1),
        (date(2026, 11, 21), "call", 1),
        (date(2026, 11, 21), "visit", 1),
    ]
    assert sorted(edge) == [(date(2026, 11, 21), "call", 1), (date(2026, 11, 21), "visit", 1)]


def test_rhythms_put_each_contact_due_a_rhythm_later_own_rhythms_first_lost_customers_never(db) -> None:
    key = add_customer(db, NewCustomer(name="王建国", tier="key"))  # call 30, visit 180
    regular = add_customer(db, NewCustomer(name="李娜", tier="regular"))  # call 90
    own = add_customer(db, NewCustomer(name="张伟", tier="key"))  # their own call 14
    off = add_customer(db, NewCustomer(name="赵敏", tier="key"))  # their calls switched off
    lost = add_customer(db, NewCustomer(name="刘洋", tier="key"))
    passing = add_customer(db, NewCustomer(name="陈晨", tier="temporary"))  # no rhythm
    set_customer_rhythm(db, own, {"call": 14})
    set_customer_rhythm(db, off, {"call": 0})
    mark_lost(db, lost, "price")
    day = TODAY - timedelta(days=20)  # 2026-11-03
    log_interaction(db, key, "call", day)
    log_interaction(db, key, "call", TODAY - timedelta(days=40))  # due 2026-11-13
    log_interaction(db, key, "call", TODAY - timedelta(days=130))  # due 2026-08-16, before the period
    log_interaction(db, key, "visit", TODAY - timedelta(days=185))
    log_interaction(db, regular, "call", TODAY - timedelta(days=95))
    log_interaction(db, regular, "call", TODAY - timedelta(days=80))  # due 2026-12-03, after the period
    log_interaction(db, own, "call", day)
    log_interaction(db, off, "call", day)
    log_interaction(db, lost, "call", day)
    log_interaction(db, passing, "call", day)
    log_interaction(db, key, "message", day)  # not a rhythm's kind
    with db.reader() as conn:
        planned = read.rhythm_planned(conn, read_rules(conn), FIRST, LAST)
    assert sorted(planned) == [
        (date(2026, 11, 13), "call", 1),  # the key customer's call 40 days ago
        (date(2026, 11, 17), "call", 1),  # their own 14 days
        (date(2026, 11, 18), "call", 1),  # 90 days after the regular customer's first call
        (date(2026, 11, 18), "visit", 1),  # 180 days after the key customer's visit
    ]


def test_dates_fall_due_by_their_lead_with_birth_years_lunar_dates_and_one_off_events(db) -> None:
    first, last = date(2026, 11, 23), date(2026, 12, 31)
    grown = add_customer(db, NewCustomer(name="王建国", tier="key"))
    baby = add_customer(db, NewCustomer(name="李娜", tier="key"))
    lost = add_customer(db, NewCustomer(name="刘洋", tier="key"))
    add_annual_date(db, grown, AnnualDate(12, 5, year=1970), lead_days=3)
    add_annual_date(db, baby, AnnualDate(12, 5))  # the same day, no year: counted together
    add_annual_date(db, baby, AnnualDate(12, 10, year=2027))  # born later: nothing yet
    add_annual_date(db, grown, AnnualDate(11, 1, lunar=True, year=1980))  # 冬月初一 = 2026-12-09
    add_annual_date(db, grown, AnnualDate(12, 20, year=2026), kind="wedding", lead_days=0)
    add_annual_date(db, grown, AnnualDate(12, 21, year=2025), kind="wedding", lead_days=0)  # a year ago
    add_annual_date(db, lost, AnnualDate(12, 5))
    mark_lost(db, lost, "price")
    with db.reader() as conn:
        planned = sorted(read.date_planned(conn, first, last))
    wedding_kind = {kind for day, kind, _n in planned if day == date(2026, 12, 20)}
    assert planned == sorted(
        [
            (date(2026, 12, 2), "gift", 1),  # three days ahead of 12-05
            (date(2026, 12, 5), "message", 1),
            (date(2026, 12, 9), "message", 1),
            (date(2026, 12, 20), *wedding_kind, 1),
        ]
    )
    assert len(wedding_kind) == 1
