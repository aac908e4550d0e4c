"""The customer list's marks come from Today's window cut at today, and the last agenda is
kept only while the book is unchanged.

``owed_today`` must give exactly what the agenda of today alone gives (``agenda(db, day)``,
the read the marks made before), on the demo book and on a book with the edge cases that a
longer window finds and a shorter one does not: coming dates, festivals and steps after a
deal snoozed to a day before they fall.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from kequ.domain.agenda import DAYS_AHEAD, sources
from kequ.domain.records import NewCustomer
from kequ.services import agenda as service
from kequ.services.contacts import log_interaction, record_deal
from kequ.services.customer_list import customer_flags
from kequ.services.customers import add_customer, add_date
from kequ.storage.fast_reads import agenda as reads
from kequ.storage.fast_reads.agenda import agenda, agenda_and_plan, owed_today
from tests.conftest import DEMO_TODAY


@pytest.fixture(autouse=True)
def _nothing_kept():
    """Each test starts and ends without a kept agenda (the cache outlives a test's book)."""
    reads.forget_kept()
    yield
    reads.forget_kept()


def _today_alone(db, day: date) -> list:
    """The agenda of the day alone, read afresh (not through what is kept)."""
    reads.forget_kept()
    return agenda(db, day)


@pytest.mark.parametrize("ahead", [0, 1, 3, 6, 10, 30, 45, 120, 200])
def test_the_demo_book_owes_the_same_on_many_days(demo_db, ahead: int) -> None:
    day = DEMO_TODAY + timedelta(days=ahead)
    expected = _today_alone(demo_db, day)
    reads.forget_kept()
    agenda(demo_db, day, day + timedelta(days=DAYS_AHEAD))  # what Today reads first
    assert owed_today(demo_db, day) == expected
    flags = customer_flags(demo_db, day)
    assert flags.owed == {item.customer_id for item in expected}
    assert flags.risky == {item.customer_id for item in expected if item.at_risk}


def _book_with_snoozed_coming_items(db) -> date:
    """Key customers, each with something coming in the next days, all snoozed to tomorrow."""
    day = date(2026, 9, 20)  # 中秋 2026-09-25, 国庆 10-01: festivals within the week
    people = [add_customer(db, NewCustomer(name=f"客户{n}", tier="key", gender="female")) for n in range(6)]
    for cid in people:
        log_interaction(db, cid, "call", day - timedelta(days=3))
        log_interaction(db, cid, "visit", day - timedelta(days=3))
    add_date(db, people[0], "9月24日", lunar=False)  # a birthday in four days, no lead
    add_date(db, people[1], "9月26日", lunar=False, lead_days=3)  # reminded three days ahead: the 23rd
    add_date(db, people[2], "9月22日", lunar=False, lead_days=1)  # reminded the 21st
    record_deal(db, people[3], day - timedelta(days=8), None)  # its day-10 call on the 22nd
    coming = agenda(db, day, day + timedelta(days=DAYS_AHEAD))
    tomorrow = day + timedelta(days=1)
    snoozed = set()
    for item in coming:
        if item.due > tomorrow and sources.origin(item.source_key) in (sources.DATE, sources.FESTIVAL, sources.DEAL):
            service.snooze(db, item, tomorrow)
            snoozed.add(sources.origin(item.source_key))
    assert snoozed == {sources.DATE, sources.FESTIVAL, sources.DEAL}  # every kind of edge is there
    return tomorrow


@pytest.mark.parametrize("after", [0, 1, 2, 3, 5, 8])
def test_items_snoozed_to_before_they_fall_are_owed_as_the_day_alone_says(db, after: int) -> None:
    day = _book_with_snoozed_coming_items(db) + timedelta(days=after)
    expected = _today_alone(db, day)
    reads.forget_kept()
    week = agenda(db, day, day + timedelta(days=DAYS_AHEAD))
    got = owed_today(db, day)
    assert got == expected
    if after == 0:
        # The longer window does hold snoozed items due today that the day alone leaves out:
        # the cut is what keeps them out, not a coincidence of the data.
        assert len([i for i in week if i.due <= day]) > len(expected)


def test_a_date_snoozed_within_its_own_lead_stays_owed(db) -> None:
    day = date(2026, 9, 20)
    cid = add_customer(db, NewCustomer(name="周敏", tier="regular"))
    log_interaction(db, cid, "call", day)
    add_date(db, cid, "9月27日", lunar=False, lead_days=7)  # reminded today, falls in a week
    (item,) = [i for i in agenda(db, day, day + timedelta(days=DAYS_AHEAD)) if i.customer_id == cid]
    service.snooze(db, item, day + timedelta(days=2))
    later = day + timedelta(days=2)
    expected = _today_alone(db, later)
    assert [i.customer_id for i in expected] == [cid]
    assert owed_today(db, later) == expected


def test_the_kept_agenda_is_given_again_while_the_book_is_unchanged(demo_db, monkeypatch) -> None:
    until = DEMO_TODAY + timedelta(days=DAYS_AHEAD)
    first, plan = agenda_and_plan(demo_db, DEMO_TODAY, until)
    reads_made = []
    real = reads.read_input
    monkeypatch.setattr(reads, "read_input", lambda *a, **k: reads_made.append(1) or real(*a, **k))
    again, plan_again = agenda_and_plan(demo_db, DEMO_TODAY, until)
    assert again == first and plan_again == plan
    assert again is not first  # a list of its own: a caller changing it changes nothing kept
    assert reads_made == []
    customer_flags(demo_db, DEMO_TODAY)  # the marks come from the same read
    assert reads_made == []
    agenda(demo_db, DEMO_TODAY)  # another window is read
    assert reads_made == [1]


def test_a_change_by_this_process_is_read(demo_db) -> None:
    until = DEMO_TODAY + timedelta(days=DAYS_AHEAD)
    before = agenda(demo_db, DEMO_TODAY, until)
    owed = next(item for item in before if item.kind == "call" and item.source_key == "cadence:call")
    log_interaction(demo_db, owed.customer_id, "call", DEMO_TODAY)
    after = agenda(demo_db, DEMO_TODAY, until)
    assert owed in before and owed not in after


def test_a_change_by_another_program_is_read(demo_db) -> None:
    until = DEMO_TODAY + timedelta(days=DAYS_AHEAD)
    before = agenda(demo_db, DEMO_TODAY, until)
    assert before
    other = sqlite3.connect(demo_db.path)  # another kequ, a sync, a script
    with other:
        other.execute("UPDATE customer SET churned = 1")
    other.close()
    assert agenda(demo_db, DEMO_TODAY, until) == []


def test_another_day_is_read_afresh(demo_db) -> None:
    tomorrow = DEMO_TODAY + timedelta(days=1)
    agenda(demo_db, DEMO_TODAY, DEMO_TODAY + timedelta(days=DAYS_AHEAD))
    got = agenda(demo_db, tomorrow, tomorrow + timedelta(days=DAYS_AHEAD))
    reads.forget_kept()
    assert got == agenda(demo_db, tomorrow, tomorrow + timedelta(days=DAYS_AHEAD))
    assert {i.overdue_days for i in got} != {0}  # not a trivially empty or all-today answer


def test_replacing_the_book_s_file_lets_go_of_the_kept_connection(demo_db) -> None:
    """Windows refuses to rename over an open file: a restore or an encryption in this process
    (``release_engine``) must close the kept agenda's connection first."""
    from kequ.storage.database import release_engine

    agenda(demo_db, DEMO_TODAY)
    assert reads._KEPT.conn is not None
    release_engine(demo_db.path.parent / "another.db")  # another book's file: kept
    assert reads._KEPT.conn is not None
    release_engine(demo_db.path)
    assert reads._KEPT.conn is None and reads._KEPT.answer is None
