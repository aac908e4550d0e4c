"""One customer's agenda, read from their rows alone, is exactly what the whole agenda holds for them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kequ.domain.records import NewCustomer
from kequ.services.customers import add_customer
from kequ.services.profile import owed
from kequ.storage.fast_reads.agenda import agenda, customer_agenda
from tests.conftest import DEMO_TODAY


def _whole(db, customer_id: int, today, until) -> list:
    return [item for item in agenda(db, today, until) if item.customer_id == customer_id]


@pytest.mark.parametrize("ahead", [0, 7, 30, 90])
def test_every_demo_customer_is_owed_what_the_whole_agenda_says(demo_db, ahead: int) -> None:
    # The demo book has open complaints, deals, birthdays, planned touches and festivals.
    until = DEMO_TODAY + timedelta(days=ahead)
    everyone = agenda(demo_db, DEMO_TODAY, until)
    with demo_db.reader() as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM customer ORDER BY id")]
    kinds = set()
    for cid in ids:
        mine = customer_agenda(demo_db, cid, DEMO_TODAY, until)
        assert mine == [item for item in everyone if item.customer_id == cid], cid
        kinds.update(item.kind for item in mine)
    assert len(kinds) >= 3  # the comparison saw more than one kind of item


def test_a_newcomer_s_first_call_falls_where_the_other_newcomers_put_it(db) -> None:
    # 40 key customers added today, none called: 15 a day (the default cap), so the last
    # ones' first calls fall on later working days, which only the whole book can tell.
    ids = [add_customer(db, NewCustomer(name=f"新客户{n:02d}", tier="key")) for n in range(40)]
    until = DEMO_TODAY + timedelta(days=30)
    days = set()
    for cid in (ids[0], ids[20], ids[-1]):
        mine = customer_agenda(db, cid, DEMO_TODAY, until)
        assert mine and mine == _whole(db, cid, DEMO_TODAY, until)
        days.update(item.due for item in mine if item.kind == "call")
    assert len(days) >= 2  # not everyone on the same day: the spread was kept


def test_a_customer_with_nothing_due_is_owed_nothing(db) -> None:
    cid = add_customer(db, NewCustomer(name="王建国", tier="temporary"))
    from kequ.services.contacts import log_interaction

    log_interaction(db, cid, "call", DEMO_TODAY, "")
    assert customer_agenda(db, cid, DEMO_TODAY, DEMO_TODAY + timedelta(days=7)) == []
    assert owed(db, cid, DEMO_TODAY) == []


def test_an_unknown_customer_is_owed_nothing(demo_db) -> None:
    assert customer_agenda(demo_db, 999_999, DEMO_TODAY, DEMO_TODAY + timedelta(days=30)) == []
