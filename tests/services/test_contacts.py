"""Correcting the timeline: an entry edited keeps its time unless its day moves; a deleted one is gone."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from kequ.domain.records import NewCustomer
from kequ.domain.validation import MAX_NOTE
from kequ.errors import KequError
from kequ.services.agenda import local_day
from kequ.services.contacts import delete_interaction, log_interaction, update_interaction
from kequ.services.customers import add_customer
from kequ.storage.fast_reads.agenda import agenda

TODAY = date(2026, 11, 23)


def happened(db, interaction_id: int) -> str:
    return (
        sqlite3.connect(db.path)
        .execute("SELECT happened_at FROM interaction WHERE id = ?", (interaction_id,))
        .fetchone()[0]
    )


def test_an_edit_keeps_the_time_of_day_unless_the_day_changes(db) -> None:
    cid = add_customer(db, NewCustomer(name="韩雪", tier="regular"))
    entry = log_interaction(db, cid, "call", TODAY - timedelta(days=3), "初次通话")
    before = happened(db, entry)
    update_interaction(db, entry, "visit", TODAY - timedelta(days=3), "其实是上门拜访", "约了演示")
    assert happened(db, entry) == before
    row = sqlite3.connect(db.path).execute("SELECT kind, notes, outcome FROM interaction WHERE id = ?", (entry,))
    assert row.fetchone() == ("visit", "其实是上门拜访", "约了演示")
    update_interaction(db, entry, "visit", TODAY - timedelta(days=4), "其实是上门拜访")
    assert happened(db, entry) != before


def test_moving_or_deleting_the_last_call_moves_the_next_one(db) -> None:
    cid = add_customer(db, NewCustomer(name="韩雪", tier="regular"))  # a call every 90 days
    old = log_interaction(db, cid, "call", TODAY - timedelta(days=100), "老客户")
    recent = log_interaction(db, cid, "call", TODAY - timedelta(days=10), "刚聊过")

    def call_due() -> bool:
        return any(i.kind == "call" and i.customer_id == cid for i in agenda(db, TODAY, TODAY))

    assert not call_due()
    delete_interaction(db, recent)
    assert call_due()  # the rhythm counts from the call 100 days ago again
    update_interaction(db, old, "call", TODAY - timedelta(days=1), "老客户")
    assert not call_due()
    assert local_day(datetime.fromisoformat(happened(db, old))) == TODAY - timedelta(days=1)


def test_a_missing_entry_is_a_clear_error_and_bad_text_is_refused(db) -> None:
    cid = add_customer(db, NewCustomer(name="韩雪", tier="regular"))
    entry = log_interaction(db, cid, "call", TODAY, "好")
    with pytest.raises(KequError) as missing:
        update_interaction(db, entry + 99, "call", TODAY, "x")
    assert str(entry + 99) in missing.value.message()
    with pytest.raises(KequError):
        delete_interaction(db, entry + 99)
    with pytest.raises(KequError):
        update_interaction(db, entry, "call", TODAY, "长" * (MAX_NOTE + 1))
    row = sqlite3.connect(db.path).execute("SELECT notes FROM interaction WHERE id = ?", (entry,))
    assert row.fetchone() == ("好",)
    update_interaction(db, entry, "call", TODAY, "按\x1b[31m时\x00回访 🎉")
    row = sqlite3.connect(db.path).execute("SELECT notes FROM interaction WHERE id = ?", (entry,))
    assert row.fetchone() == ("按[31m时回访 🎉",)
