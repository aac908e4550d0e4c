"""Acting on a due item: done, snoozed, skipped; and the festival greeting setting.

Reading the agenda lives in ``agenda_read`` (plain SQL, no ORM); ``agenda`` is re-exported
here for callers that already hold this module.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time

from sqlalchemy import func
from sqlmodel import Session, select

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import (
    DueItem,
    Rules,
)
from kequ.domain.vocab import TouchKind, TouchStatus
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.fast_reads.agenda import FESTIVAL_TIERS_SETTING, FESTIVALS_SETTING, agenda, read_rules
from kequ.storage.models import Interaction, Touchpoint
from kequ.storage.rows import add_and_number

__all__ = ["agenda"]


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def local_date_sql(column: object) -> object:
    """SQL for the user's local calendar day of a UTC timestamp column, as 'YYYY-MM-DD'."""
    return func.date(column, "localtime")


def moment_on(day: date, today: date | None = None) -> datetime:
    """An aware timestamp for something done on ``day``: now if today, else local noon."""
    if day == (today or clock.today()):
        return clock.now()
    return datetime.combine(day, time(12, 0)).astimezone()


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, for the plain-SQL reads in agenda_read."""
    return session.connection().connection.driver_connection  # type: ignore[return-value]


def load_rules(session: Session) -> Rules:
    return read_rules(raw_connection(session))


def set_festival_greetings(db: Database, keys: list[str] | None = None, tiers: list[str] | None = None) -> None:
    """Which festivals to greet and for which tiers; None leaves a choice as it is."""
    from kequ.services.settings import save_settings

    changes = {FESTIVALS_SETTING: keys, FESTIVAL_TIERS_SETTING: tiers}
    save_settings(db, {name: value for name, value in changes.items() if value is not None})


def _touchpoint_for(session: Session, item: DueItem) -> Touchpoint:
    if sources.origin(item.source_key) == sources.MANUAL:
        row = session.get(Touchpoint, int(sources.reference(item.source_key)))
        if row is not None:
            return row
    row = session.exec(
        select(Touchpoint).where(
            Touchpoint.customer_id == item.customer_id,
            Touchpoint.source_key == item.source_key,
            Touchpoint.occurrence == item.occurrence,
        )
    ).first()
    if row is None:
        row = Touchpoint(
            customer_id=item.customer_id,
            kind=item.kind,
            source_key=item.source_key,
            occurrence=item.occurrence,
            due_date=item.due,
        )
        session.add(row)
    return row


def complete(db: Database, item: DueItem, outcome: str = "", today: date | None = None) -> int:
    """Mark the item done and log the contact; a cadence thereby moves to its next date."""
    from kequ.domain.validation import MAX_SHORT, clean_text

    outcome = clean_text(outcome, MAX_SHORT, "outcome")
    with db.session() as session:
        touch = _touchpoint_for(session, item)
        touch.status = TouchStatus.DONE.value
        touch.handled_at = clock.now()
        session.flush()
        interaction = Interaction(
            customer_id=item.customer_id,
            kind=item.kind,
            happened_at=moment_on(today or clock.today()),
            outcome=outcome,
            touchpoint_id=touch.id,
        )
        logged = add_and_number(session, interaction)
    if item.kind == TouchKind.GIFT.value and outcome:
        _record_gift(db, item, outcome, today or clock.today())
    return logged


def _record_gift(db: Database, item: DueItem, outcome: str, day: date) -> None:
    """A gift touch done is a gift given: into the ledger, so the repeat warning and the
    year's spend see it. Given is given: a repeat is recorded, not refused."""
    from kequ.domain.agenda.reasons import occasion_of
    from kequ.domain.gifts import gift_from_outcome
    from kequ.services.gifts import add_gift

    what, cost = gift_from_outcome(outcome)
    add_gift(db, item.customer_id, day, what, cost, occasion_of(item), allow_repeat=True)


def snooze(db: Database, item: DueItem, until: date) -> None:
    with db.session() as session:
        touch = _touchpoint_for(session, item)
        touch.status = (
            TouchStatus.SNOOZED.value
            if sources.origin(item.source_key) != sources.MANUAL
            else TouchStatus.PLANNED.value
        )
        touch.due_date = until
        touch.handled_at = clock.now()


def skip(db: Database, item: DueItem) -> None:
    with db.session() as session:
        touch = _touchpoint_for(session, item)
        touch.status = TouchStatus.SKIPPED.value
        touch.handled_at = clock.now()
