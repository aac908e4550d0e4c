"""Saving a captured line: all of it in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

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
