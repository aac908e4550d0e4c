"""What the Festivals screen and a greeting run read is read without the ORM."""

from __future__ import annotations

from kequ.services.greetings import greet_rows, mark_greeted, skip_greeting, upcoming_festivals
from tests.conftest import DEMO_TODAY
from tests.helpers import orm_loaded_after

SPRING = "2027-02-06"


def test_the_festival_list_and_a_run_load_no_orm(db_path, demo_db) -> None:
    from kequ.services.customer_list import find_ids

    # The run takes the customer list's stored order; rows a write left stale are filled in
    # through the ORM by the first reader (here, as the app's first screens would have).
    find_ids(demo_db)
    read = (
        "g.upcoming_festivals(db, date(2026, 11, 23)) and g.greet_rows(db, 'spring_festival', date(2027, 2, 6))"
        " and g.greeted_tiers(db) and g.user_templates(db, 'spring_festival') is not None"
    )
    assert orm_loaded_after(db_path, "from kequ.services import greetings as g", read) == []


def test_what_was_sent_and_skipped_is_read_back_in_the_list_and_the_run(demo_db) -> None:
    from datetime import date

    spring = date.fromisoformat(SPRING)
    first, second, third, *_ = greet_rows(demo_db, "spring_festival", spring)
    mark_greeted(demo_db, first.customer_id, "spring_festival", spring, "新年好", DEMO_TODAY)
    skip_greeting(demo_db, second.customer_id, "spring_festival", spring)
    skip_greeting(demo_db, third.customer_id, "spring_festival", spring, not_this_year=True)

    statuses = {
        row.customer_id: (row.status, row.not_this_year) for row in greet_rows(demo_db, "spring_festival", spring)
    }
    assert statuses[first.customer_id] == ("sent", False)
    assert statuses[second.customer_id] == ("skipped", False)
    assert statuses[third.customer_id] == ("skipped", True)
    assert sum(1 for status, _ in statuses.values() if status == "to_greet") == len(statuses) - 3

    spring_row = next(row for row in upcoming_festivals(demo_db, DEMO_TODAY) if row.key == "spring_festival")
    assert (spring_row.date, spring_row.done, spring_row.skipped) == (spring, 1, 2)
    assert spring_row.total == len(statuses)
