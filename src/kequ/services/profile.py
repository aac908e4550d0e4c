"""Everything about one customer, in one read, as plain values for the Profile screen.

The profile is read in plain SQL (kequ.storage.fast_reads.profile): the first one opened
does not wait for the ORM to load. A form starting again from the stored fields
(``customer_detail``) reads through the ORM, which the form's save needs anyway.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kequ.domain.agenda.rules import DueItem
from kequ.domain.calendar.lunar import AnnualDate, next_occurrence
from kequ.domain.life_events import is_one_off, one_off_day
from kequ.domain.records import (
    Colleague,
    ComplaintSummary,
    CustomerDetail,
    DateView,
    GiftRecord,
    InteractionRecord,
    ProfileView,
)
from kequ.errors import KequError
from kequ.services.customer_record import to_record
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.fast_reads.profile import profile_rows


def local_day(moment: Any) -> date:
    """The user's calendar day of a stored (aware) time, as ``kequ.services.agenda.local_day``."""
    return moment.astimezone().date()


def detail_of(row: Any) -> CustomerDetail:
    return CustomerDetail(
        base=to_record(row),
        company_role=row.company_role,
        stage=row.stage,
        district=row.district,
        address=row.address,
        ford_family=row.ford_family,
        ford_occupation=row.ford_occupation,
        ford_recreation=row.ford_recreation,
        ford_dreams=row.ford_dreams,
        interests=row.interests,
        source=row.source,
        churn_reason=row.churn_reason,
        churn_note=row.churn_note,
        churned_on=row.churned_on,
    )


def customer_detail(db: Database, customer_id: int) -> CustomerDetail:
    """The editable fields as they are now, for a form to start again from."""
    from kequ.storage.models import Customer

    with db.session() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise KequError("customer.no_id", ref=customer_id)
        return detail_of(row)


def date_view(row: Any, today: date) -> DateView:
    annual = AnnualDate(row.month, row.day, row.lunar, row.leap, row.year)
    upcoming: date | None
    if is_one_off(row.kind):  # a life event's own day, even when it is past
        upcoming = one_off_day(annual)
    else:
        try:
            upcoming = next_occurrence(annual, today)
        except ValueError:  # outside the calendar's 1901-2099 range: show the date, no countdown
            upcoming = None
    assert row.id is not None
    return DateView(
        row.id, row.kind, row.label, row.month, row.day, row.lunar, row.leap, row.year, row.lead_days, upcoming
    )


def contacts_per_month(days: list[date], today: date) -> tuple[int, ...]:
    """Counts for the last 12 calendar months, oldest first, this month last."""
    counts = [0] * 12
    for day in days:
        back = (today.year - day.year) * 12 + (today.month - day.month)
        if 0 <= back < 12:
            counts[11 - back] += 1
    return tuple(counts)


def load_profile(db: Database, customer_id: int, today: date | None = None) -> ProfileView:
    today = today or clock.today()
    rows = profile_rows(db, customer_id, today.year)
    if rows is None:
        raise KequError("customer.no_id", ref=customer_id)
    timeline = [
        InteractionRecord(r.id or 0, r.customer_id, r.kind, r.happened_at, r.notes, r.outcome) for r in rows.timeline
    ]
    return ProfileView(
        detail=detail_of(rows.customer),
        timeline=tuple(timeline),
        contacts_per_month=contacts_per_month([local_day(r.happened_at) for r in timeline], today),
        dates=tuple(sorted((date_view(d, today) for d in rows.dates), key=lambda v: (v.next_on or date.max, v.id))),
        gifts=tuple(
            GiftRecord(g.id or 0, g.given_on, g.item, g.cost_cents, g.occasion, g.reaction, g.note) for g in rows.gifts
        ),
        complaints=tuple(
            ComplaintSummary(c.id or 0, local_day(c.opened_at), c.status, c.step, c.summary, c.cause)
            for c in rows.complaints
        ),
        colleagues=tuple(Colleague(c.id or 0, c.name, c.honorific, c.title, c.company_role) for c in rows.colleagues),
        interaction_count=rows.interaction_count,
        book_gift_cents_this_year=rows.book_gift_cents,
    )


OWED_DAYS = 30  # how far ahead the profile looks for what this customer is owed


def owed(db: Database, customer_id: int, today: date | None = None, days: int = OWED_DAYS) -> list[DueItem]:
    """What this customer is owed, from overdue to ``days`` ahead: an open complaint first,
    then by the day it falls due. Read from this customer's rows (the whole agenda only for
    a first touch, whose day depends on the other newcomers), as Today would list them."""
    from kequ.domain.agenda import sources
    from kequ.storage.fast_reads.agenda import customer_agenda

    today = today or clock.today()
    items = customer_agenda(db, customer_id, today, today + timedelta(days=days))
    return sorted(items, key=lambda item: (sources.origin(item.source_key) != sources.COMPLAINT, item.due))
