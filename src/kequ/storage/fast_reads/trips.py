"""The day's trip visits and the list of trips, read in plain SQL on the standard sqlite3 driver.

The Today screen shows the visits above the agenda, the Trips screen the list. Reading them
through the ORM cost those screens the import of SQLAlchemy, SQLModel and pydantic (most of
a second, and some 25 MB) for a handful of rows; like ``agenda_read``, this reads and never
writes.
"""

from __future__ import annotations

import json
from datetime import date

from kequ.domain.trips import TripView, VisitStatus, VisitView, day_sheet
from kequ.domain.values import display_name
from kequ.storage.database import Database

_VISITS_ON = """
    SELECT v.id, v.trip_id, v.customer_id, c.name, c.honorific, c.company, v.day, v.time, v.place, v.purpose,
           v.bring, v.status, v.learned, v.needs, v.competitors, v.next_step, v.next_on, v.next_kind,
           v.interaction_id, c.disc, c.tier, t.name
    FROM trip_visit v JOIN customer c ON c.id = v.customer_id JOIN trip t ON t.id = v.trip_id
    WHERE v.day = ? AND v.status != ?
"""


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text[:10])


def visits_on(db: Database, day: date) -> list[VisitView]:
    """The day's visits on any trip, by time (untimed last): what Today shows above the agenda."""
    with db.reader() as conn:
        rows = conn.execute(_VISITS_ON, (day.isoformat(), VisitStatus.CANCELLED.value)).fetchall()
    return day_sheet(
        VisitView(
            id=vid,
            trip_id=trip_id,
            customer_id=customer_id,
            customer_name=display_name(name, honorific),
            company=company,
            day=_day(on) or day,
            time=at,
            place=place,
            purpose=purpose,
            bring=bring,
            status=status,
            learned=learned,
            needs=needs,
            competitors=competitors,
            next_step=next_step,
            next_on=_day(next_on),
            next_kind=next_kind,
            interaction_id=interaction_id,
            disc=disc,
            tier=tier,
            trip_name=trip_name,
        )
        for (vid, trip_id, customer_id, name, honorific, company, on, at, place, purpose, bring, status, learned,
             needs, competitors, next_step, next_on, next_kind, interaction_id, disc, tier, trip_name) in rows
    )  # fmt: skip


# Newest first, as ``kequ.services.trips.list_trips`` lists them; each trip's visits counted
# by status and its expenses summed.
_TRIPS = """
    SELECT t.id, t.name, t.cities, t.start_on, t.end_on, t.notes,
           (SELECT count(*) FROM trip_visit v WHERE v.trip_id = t.id AND v.status = ?),
           (SELECT count(*) FROM trip_visit v WHERE v.trip_id = t.id AND v.status = ?),
           (SELECT count(*) FROM trip_visit v WHERE v.trip_id = t.id AND v.status = ?),
           (SELECT coalesce(sum(e.amount_cents), 0) FROM trip_expense e WHERE e.trip_id = t.id)
    FROM trip t ORDER BY t.start_on DESC, t.id DESC
"""


def trip_list(db: Database) -> list[TripView]:
    """Every trip, newest first, with its visits planned, done and cancelled and what it cost."""
    statuses = (VisitStatus.PLANNED.value, VisitStatus.DONE.value, VisitStatus.CANCELLED.value)
    with db.reader() as conn:
        rows = conn.execute(_TRIPS, statuses).fetchall()
    return [
        TripView(
            id=tid,
            name=name,
            cities=tuple(json.loads(cities)),
            start_on=date.fromisoformat(start_on[:10]),
            end_on=date.fromisoformat(end_on[:10]),
            notes=notes,
            planned=planned,
            done=done,
            cancelled=cancelled,
            expense_cents=spent,
        )
        for tid, name, cities, start_on, end_on, notes, planned, done, cancelled, spent in rows
    ]
