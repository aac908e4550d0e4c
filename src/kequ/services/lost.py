"""Lost customers (流失): marked with a reason and a note, won back in one step.

A lost customer stays in the book: search finds them, the Customers list and the profile
mark them, and the counts include them. What asks for work leaves them out (Today and
its reminders, festival greetings, trip candidates): the agenda, the greeting list and
the trip planner all skip ``churned`` rows.
"""

from __future__ import annotations

from datetime import date

from kequ.domain.records import CustomerRecord
from kequ.domain.validation import MAX_NOTE, clean_text
from kequ.domain.vocab import ChurnReason
from kequ.errors import KequError
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.models import Customer


def reason_of(text: str) -> str:
    """The stored reason for what a person typed (价格, price, 嫌贵 …); a KequError if none."""
    from kequ.domain.choices import choice_options, read_choice

    value = read_choice("churn_reason", text)
    if value is None:
        raise KequError("lost.bad_reason", value=text, options=choice_options("churn_reason"))
    return value


def mark_lost(db: Database, customer_id: int, reason: str, note: str = "", day: date | None = None) -> CustomerRecord:
    """Mark a customer lost on ``day`` (today); marking again corrects the reason and note
    and keeps the day it first happened."""
    from kequ.services.customers import to_record

    value = ChurnReason(reason).value
    note = clean_text(note, MAX_NOTE, "note")
    with db.session() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise KequError("customer.no_id", ref=customer_id)
        if not row.churned or row.churned_on is None:
            row.churned_on = day or clock.today()
        row.churned = True
        row.churn_reason = value
        row.churn_note = note
        row.updated_at = clock.now()
        session.add(row)
        session.flush()
        return to_record(row)


def win_back(db: Database, customer_id: int) -> CustomerRecord:
    """The customer is back: on Today, in greetings and trips again, the lost mark gone."""
    from kequ.services.customers import to_record

    with db.session() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise KequError("customer.no_id", ref=customer_id)
        row.churned = False
        row.churn_reason = ""
        row.churn_note = ""
        row.churned_on = None
        row.updated_at = clock.now()
        session.add(row)
        session.flush()
        return to_record(row)
