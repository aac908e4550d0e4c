"""Logging contacts and deals from the command line or a screen, and correcting the log."""

from __future__ import annotations

from datetime import date

from kequ.domain.validation import MAX_NOTE, clean_text
from kequ.domain.vocab import TouchKind
from kequ.errors import KequError
from kequ.services.agenda import local_day, moment_on
from kequ.storage.database import Database
from kequ.storage.models import Deal, Interaction
from kequ.storage.rows import add_and_number


def log_interaction(db: Database, customer_id: int, kind: str, day: date, note: str = "", outcome: str = "") -> int:
    row = Interaction(
        customer_id=customer_id,
        kind=TouchKind(kind).value,
        happened_at=moment_on(day),
        notes=clean_text(note, MAX_NOTE, "note"),
        outcome=clean_text(outcome, MAX_NOTE, "outcome"),
    )
    with db.session() as session:
        return add_and_number(session, row)


def update_interaction(
    db: Database, interaction_id: int, kind: str, day: date, note: str = "", outcome: str = ""
) -> None:
    """Correct a logged contact. Its time of day is kept unless it moves to another day."""
    with db.session() as session:
        row = session.get(Interaction, interaction_id)
        if row is None:
            raise KequError("log.gone", ref=interaction_id)
        row.kind = TouchKind(kind).value
        if local_day(row.happened_at) != day:
            row.happened_at = moment_on(day)
        row.notes = clean_text(note, MAX_NOTE, "note")
        row.outcome = clean_text(outcome, MAX_NOTE, "outcome")
        session.add(row)


def delete_interaction(db: Database, interaction_id: int) -> None:
    """Remove a contact logged by mistake; the rhythms then count from the one before."""
    with db.session() as session:
        row = session.get(Interaction, interaction_id)
        if row is None:
            raise KequError("log.gone", ref=interaction_id)
        session.delete(row)


def record_deal(db: Database, customer_id: int, closed_on: date, amount_cents: int | None, note: str = "") -> int:
    """A closed deal; the 0-3-10-20 follow-ups are derived from it by the agenda."""
    row = Deal(
        customer_id=customer_id,
        closed_on=closed_on,
        amount_cents=amount_cents,
        note=clean_text(note, MAX_NOTE, "note"),
    )
    with db.session() as session:
        return add_and_number(session, row)
