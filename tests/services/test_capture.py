"""Saving a captured line: all of it in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services import capture as capture_service
from kequ.services.capture import line_reader, save_capture
from kequ.services.customers import add_customer
from tests.conftest import DEMO_TODAY
from tests.helpers import stored


def test_a_failure_while_planning_leaves_the_contact_unlogged(db, monkeypatch) -> None:
    add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    line = line_reader(db).read("今天电话王总，下周三上门", DEMO_TODAY)

    def broken(*args: object, **kwargs: object) -> None:
        raise KequError("capture.unanswered")

    monkeypatch.setattr(capture_service, "plan_touch", broken)
    with pytest.raises(KequError):
        save_capture(db, line)
    assert stored(db.path, "SELECT count(*) FROM interaction") == [(0,)]


def test_a_question_left_open_or_no_customer_is_refused_before_anything_is_written(db) -> None:
    add_customer(db, NewCustomer(name="陈明", honorific="陈总"))
    add_customer(db, NewCustomer(name="陈刚", honorific="陈总"))
    reader = line_reader(db)
    with pytest.raises(KequError) as which:
        save_capture(db, reader.read("陈总打了电话", DEMO_TODAY))
    assert which.value.key == "capture.which_customer"
    with pytest.raises(KequError) as nobody:
        save_capture(db, reader.read("明天上门", DEMO_TODAY))
    assert nobody.value.key == "capture.no_customer"
    wednesday = date(2026, 11, 25)
    one = reader.read("#1 周三上门", wednesday, customer_id=1)
    assert one.open_questions == ["day"]
    with pytest.raises(KequError) as day:
        save_capture(db, one)
    assert day.value.key == "capture.unanswered"
    assert stored(db.path, "SELECT count(*) FROM interaction") == [(0,)]
    assert stored(db.path, "SELECT count(*) FROM touchpoint") == [(0,)]


def test_a_contact_said_for_tomorrow_is_not_logged(db) -> None:
    cid = add_customer(db, NewCustomer(name="王建国", honorific="王总"))
    line = replace(line_reader(db).read("王总打了电话", DEMO_TODAY), logged_on=date(2026, 11, 24))
    with pytest.raises(KequError) as future:
        save_capture(db, line)
    assert future.value.key == "log.future"
    assert stored(db.path, "SELECT count(*) FROM interaction WHERE customer_id = ?", cid) == [(0,)]


def test_a_next_step_with_a_time_is_stored_with_its_time_and_alerted_as_a_timed_visit(db) -> None:
    from kequ.services import reminders

    cid = add_customer(db, NewCustomer(name="曾志军", honorific="曾经理"))
    saved = save_capture(db, line_reader(db).read("曾经理明天下午4点电话", DEMO_TODAY))
    tomorrow = date(2026, 11, 24)
    assert (saved.capture.next_day, saved.capture.next_time) == (tomorrow, "16:00")
    # The time in its own column; the reason is the line, with no time put before it.
    assert stored(db.path, "SELECT customer_id, kind, due_date, due_time, reason FROM touchpoint") == [
        (cid, "call", "2026-11-24", "16:00", "曾经理明天下午4点电话")
    ]
    plan = reminders.day_reminders(db, tomorrow, lang="zh")
    assert [(a.title, a.at) for a in plan.visits] == [
        ("16:00 电话 曾经理（曾志军）（提前 30 分钟提醒）", datetime(2026, 11, 24, 15, 30))
    ]
    # Listed once in the summary, by its time, not again as an untimed call (the other
    # call is the new customer's first call of their rhythm, overdue since today).
    from kequ.storage.fast_reads.agenda import agenda

    items = agenda(db, tomorrow)
    assert [i.source_key for i in items] == ["cadence:call", "manual:1"]
    assert plan.labels == ("16:00 电话 曾经理（曾志军）", "曾经理 电话")
    # Today's list says the time with the reason.
    assert items[1].reason_params["note"] == "16:00 曾经理明天下午4点电话"


def test_a_step_without_a_time_has_no_alert_of_its_own(db) -> None:
    from kequ.services import reminders

    add_customer(db, NewCustomer(name="曾志军", honorific="曾经理"))
    save_capture(db, line_reader(db).read("曾经理明天电话", DEMO_TODAY))
    assert stored(db.path, "SELECT due_time, reason FROM touchpoint") == [(None, "曾经理明天电话")]
    plan = reminders.day_reminders(db, date(2026, 11, 24), lang="zh")
    assert plan.visits == () and plan.labels == ("曾经理 电话", "曾经理 电话")  # its rhythm's call, and this one
