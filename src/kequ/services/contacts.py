"""Logging contacts and deals from the command line or a screen."""

from __future__ import annotations

from datetime import date

from kequ.db import Database
from kequ.models import Deal, Interaction
from kequ.services.agenda import moment_on
from kequ.validation import MAX_NOTE, clean_text
from kequ.vocab import TouchKind


def log_interaction(db: Database, customer_id: int, kind: str, day: date, note: str = "", outcome: str = "") -> int:
    row = Interaction(
        customer_id=customer_id,
        kind=TouchKind(kind).value,
        happened_at=moment_on(day),
        notes=clean_text(note, MAX_NOTE, "note"),
        outcome=clean_text(outcome, MAX_NOTE, "outcome"),
    )
    with db.session() as session:
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def record_deal(db: Database, customer_id: int, closed_on: date, amount_cents: int | None, note: str = "") -> int:
    """A closed deal; the 0-3-10-20 follow-ups are derived from it by the agenda."""
    row = Deal(
        customer_id=customer_id,
        closed_on=closed_on,
        amount_cents=amount_cents,
        note=clean_text(note, MAX_NOTE, "note"),
    )
    with db.session() as session:
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id
