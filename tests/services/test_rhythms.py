"""Rhythms on a real book: a tier's setting and a customer's own rhythm move the agenda at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services.agenda import agenda
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.services.rhythms import customer_rhythm, reset_customer_rhythm, set_customer_rhythm
from kequ.services.settings import set_setting
from kequ.storage.models import Cadence
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY


def _calls_due(db, cid: int, days_ahead: int = 0) -> list:
    until = TODAY + timedelta(days=days_ahead)
    return [i.due for i in agenda(db, TODAY, until) if i.customer_id == cid and i.kind == "call"]


def _visits_due(db, cid: int, days_ahead: int) -> list:
    until = TODAY + timedelta(days=days_ahead)
    return [i.due for i in agenda(db, TODAY, until) if i.customer_id == cid and i.kind == "visit"]


def test_a_tier_rhythm_from_the_settings_moves_the_agenda(db) -> None:
    cid = add_customer(db, NewCustomer(name="罗欣怡", tier="regular"))
    other = add_customer(db, NewCustomer(name="何振华", tier="key"))
    log_interaction(db, cid, "call", TODAY - timedelta(days=70))
    log_interaction(db, other, "call", TODAY - timedelta(days=10))
    assert _calls_due(db, cid) == []  # the playbook: a regular customer every 90 days
    set_setting(db, "rhythm.regular.call", "60")
    assert _calls_due(db, cid) == [TODAY - timedelta(days=10)]
    assert _calls_due(db, other, 30) == [TODAY + timedelta(days=20)]  # key customers untouched
    set_setting(db, "rhythm.regular.call", 0)
    assert _calls_due(db, cid, 400) == []  # no rhythm at all


def test_a_visit_rhythm_for_a_tier_the_playbook_never_visits(db) -> None:
    cid = add_customer(db, NewCustomer(name="黄丽娟", tier="regular"))
    log_interaction(db, cid, "visit", TODAY - timedelta(days=100))
    assert _visits_due(db, cid, 400) == []
    set_setting(db, "rhythm.regular.visit", "365")
    assert _visits_due(db, cid, 400) == [TODAY + timedelta(days=265)]


def test_the_customers_own_rhythm_wins_over_the_tier_setting_and_reset_gives_it_back(db) -> None:
    cid = add_customer(db, NewCustomer(name="陈志强", tier="regular"))
    log_interaction(db, cid, "call", TODAY - timedelta(days=20))
    set_setting(db, "rhythm.regular.call", "60")
    assert _calls_due(db, cid, 60) == [TODAY + timedelta(days=40)]
    rhythm = set_customer_rhythm(db, cid, {"call": "14", "visit": 90})
    assert (rhythm.days("call"), rhythm.days("visit"), rhythm.is_own("call")) == (14, 90, True)
    assert _calls_due(db, cid) == [TODAY - timedelta(days=6)]
    # Only the kinds given change; setting again updates the one row, never adds one.
    set_customer_rhythm(db, cid, {"call": 21})
    with db.session() as session:
        rows = session.exec(select(Cadence).where(Cadence.customer_id == cid)).all()
        assert sorted((r.kind, r.interval_days) for r in rows) == [("call", 21), ("visit", 90)]
    # None takes one kind back to the tier's.
    assert set_customer_rhythm(db, cid, {"visit": None}).own == {"call": 21}
    back = reset_customer_rhythm(db, cid)
    assert back.own == {} and back.days("call") == 60
    assert _calls_due(db, cid, 60) == [TODAY + timedelta(days=40)]


def test_zero_switches_a_customers_rhythm_off_while_the_tier_keeps_it(db) -> None:
    cid = add_customer(db, NewCustomer(name="宋佳琪", tier="key"))
    log_interaction(db, cid, "call", TODAY - timedelta(days=45))
    assert _calls_due(db, cid) == [TODAY - timedelta(days=15)]
    set_customer_rhythm(db, cid, {"call": 0})
    assert _calls_due(db, cid, 400) == []
    assert customer_rhythm(db, cid).describe() == "电话不定期（自定） · 拜访每 180 天（按关键客户）"


def test_a_bad_interval_or_customer_changes_nothing(db) -> None:
    cid = add_customer(db, NewCustomer(name="曹雪", tier="regular"))
    with pytest.raises(KequError, match="0 到 3660"):
        set_customer_rhythm(db, cid, {"call": 30, "visit": "-3"})
    assert customer_rhythm(db, cid).own == {}  # the good value was not stored either
    with pytest.raises(KequError):
        set_customer_rhythm(db, 9999, {"call": 30})
    with pytest.raises(KequError):
        customer_rhythm(db, 9999)
