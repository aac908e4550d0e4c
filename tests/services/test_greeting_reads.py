"""What the Festivals screen and a greeting run read is read without the ORM."""

from __future__ import annotations

import subprocess
import sys

from kequ.services.greetings import greet_rows, mark_greeted, skip_greeting, upcoming_festivals
from tests.conftest import DEMO_TODAY

SPRING = "2027-02-06"


def test_the_festival_list_and_a_run_load_no_orm(db_path, demo_db) -> None:
    from kequ.services.customer_list import find_ids

    # The run takes the customer list's stored order; rows a write left stale are filled in
    # through the ORM by the first reader (here, as the app's first screens would have).
    find_ids(demo_db)
    code = (
        "import sys; from datetime import date; from pathlib import Path; from kequ.storage.database import Database; "
        "from kequ.services import greetings as g; "
        f"db = Database(Path({str(db_path)!r})); "
        "rows = g.upcoming_festivals(db, date(2026, 11, 23)); "
        f"run = g.greet_rows(db, 'spring_festival', date.fromisoformat({SPRING!r})); "
        "g.user_templates(db, 'spring_festival'); g.greeted_tiers(db); "
        "assert rows and run; print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


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
