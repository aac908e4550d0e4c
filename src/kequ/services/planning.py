"""Touches planned by hand: the follow-ups after a complaint, the next step after a visit.

Only one hand-planned touch per customer per day can be stored (the occurrence is part
of its key), so a new one lands on the first free day on or after the day asked for,
and both are kept.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from kequ.domain.agenda import sources
from kequ.domain.trips import free_day
from kequ.domain.vocab import TouchStatus
from kequ.storage.models import Touchpoint


def taken_days(session: Session, customer_id: int, since: date) -> frozenset[date]:
    """The days from ``since`` on that already hold a hand-planned touch of the customer."""
    return frozenset(
        session.exec(
            select(Touchpoint.occurrence).where(
                Touchpoint.customer_id == customer_id,
                Touchpoint.source_key == sources.MANUAL,
                Touchpoint.occurrence >= since,
            )
        ).all()
    )


def plan_touch(
    session: Session, customer_id: int, day: date, kind: str, reason: str, note: str = "", at: str | None = None
) -> Touchpoint:
    """``at``: its time of day ("HH:MM"), for kequ remind's alert before it."""
    landed = free_day(day, taken_days(session, customer_id, day))
    touch = Touchpoint(
        customer_id=customer_id,
        kind=kind,
        source_key=sources.MANUAL,
        occurrence=landed,
        due_date=landed,
        due_time=at,
        status=TouchStatus.PLANNED.value,
        reason=reason,
        note=note,
    )
    session.add(touch)
    session.flush()
    return touch
