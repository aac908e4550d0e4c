"""The day's trip visits, read in plain SQL on the standard sqlite3 driver.

The Today screen shows them above the agenda. Reading them through the ORM cost that
screen the import of SQLAlchemy, SQLModel and pydantic (most of a second, and some
25 MB) for a handful of rows; like ``agenda_read``, this reads and never writes.
"""

from __future__ import annotations

from datetime import date

from kequ.domain.trips import VisitStatus, VisitView, day_sheet
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
