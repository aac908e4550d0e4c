"""The Trips screen's list in plain SQL (storage/fast_reads/trips.py, trip_list): the same
trips, counts and sums as the service's list, and no ORM loaded to read it."""

from __future__ import annotations

from datetime import timedelta

from kequ.services.trips import add_expense, add_visit, cancel_visit, candidates, list_trips, plan_trip, write_up
from kequ.storage.fast_reads.trips import trip_list
from tests.conftest import DEMO_TODAY
from tests.helpers import orm_loaded_after


def test_the_list_matches_the_services_list_newest_first_with_counts_and_spend(demo_db) -> None:
    assert trip_list(demo_db) == list_trips(demo_db)
    past = plan_trip(
        demo_db, "上月苏州", ["苏州", "无锡"], DEMO_TODAY - timedelta(days=30), DEMO_TODAY - timedelta(days=28)
    )
    coming = plan_trip(demo_db, "上海一周", ["上海"], DEMO_TODAY + timedelta(days=1), DEMO_TODAY + timedelta(days=3))
    same_day = plan_trip(demo_db, "", ["上海"], DEMO_TODAY + timedelta(days=1), DEMO_TODAY + timedelta(days=1))
    people = [c.customer.id for c in candidates(demo_db, coming, DEMO_TODAY)][:3]
    visits = [add_visit(demo_db, coming, cid, DEMO_TODAY + timedelta(days=1)) for cid in people]
    cancel_visit(demo_db, visits[1])
    write_up(demo_db, visits[2], "谈了新品", "", "", "", today=DEMO_TODAY + timedelta(days=1))
    add_expense(demo_db, coming, DEMO_TODAY + timedelta(days=1), 12_345, "hotel")
    add_expense(demo_db, coming, DEMO_TODAY + timedelta(days=2), 655, "meals")

    listed = trip_list(demo_db)
    assert listed == list_trips(demo_db)
    assert [trip.id for trip in listed] == [same_day, coming, past]  # newest first, the later id first on a tie
    shanghai = listed[1]
    assert (shanghai.planned, shanghai.done, shanghai.cancelled, shanghai.expense_cents) == (1, 1, 1, 13_000)
    assert listed[2].cities == ("苏州", "无锡")
    assert (listed[0].planned, listed[0].expense_cents) == (0, 0)


def test_the_list_loads_no_orm(db_path, demo_db) -> None:
    plan_trip(demo_db, "上海一周", ["上海"], DEMO_TODAY, DEMO_TODAY + timedelta(days=2))
    assert orm_loaded_after(db_path, "from kequ.storage.fast_reads.trips import trip_list", "trip_list(db)") == []
