"""Everything about one customer, in one read, as plain values for the Profile screen."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from kequ.domain.agenda.rules import DueItem
from kequ.domain.calendar.lunar import next_occurrence
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
from kequ.services.agenda import local_day
from kequ.services.customers import to_record
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.models import Complaint, Customer, Gift, ImportantDate, Interaction

TIMELINE_LIMIT = 500


def detail_of(row: Customer) -> CustomerDetail:
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
    with db.session() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise KequError("customer.no_id", ref=customer_id)
        return detail_of(row)


def date_view(row: ImportantDate, today: date) -> DateView:
    annual = row.annual
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


def _timeline(session: Session, customer_id: int) -> tuple[list[InteractionRecord], int]:
    rows = session.exec(
        select(Interaction)
        .where(Interaction.customer_id == customer_id)
        .order_by(col(Interaction.happened_at).desc(), col(Interaction.id).desc())
        .limit(TIMELINE_LIMIT)
    ).all()
    total = session.exec(select(func.count()).where(Interaction.customer_id == customer_id)).one()
    records = [InteractionRecord(r.id or 0, r.customer_id, r.kind, r.happened_at, r.notes, r.outcome) for r in rows]
    return records, int(total)


def load_profile(db: Database, customer_id: int, today: date | None = None) -> ProfileView:
    today = today or clock.today()
    with db.session() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise KequError("customer.no_id", ref=customer_id)
        timeline, total = _timeline(session, customer_id)
        dates = session.exec(select(ImportantDate).where(ImportantDate.customer_id == customer_id)).all()
        gifts = session.exec(
            select(Gift).where(Gift.customer_id == customer_id).order_by(col(Gift.given_on).desc())
        ).all()
        complaints = session.exec(
            select(Complaint).where(Complaint.customer_id == customer_id).order_by(col(Complaint.opened_at).desc())
        ).all()
        year = today.year
        book_gifts = session.exec(
            select(func.coalesce(func.sum(Gift.cost_cents), 0)).where(
                Gift.given_on >= date(year, 1, 1), Gift.given_on <= date(year, 12, 31)
            )
        ).one()
        colleagues: list[Customer] = []
        if row.company.strip():
            colleagues = list(
                session.exec(
                    select(Customer)
                    .where(Customer.company == row.company, Customer.id != customer_id)
                    .order_by(Customer.id)
                )
            )
        return ProfileView(
            detail=detail_of(row),
            timeline=tuple(timeline),
            contacts_per_month=contacts_per_month([local_day(r.happened_at) for r in timeline], today),
            dates=tuple(sorted((date_view(d, today) for d in dates), key=lambda v: (v.next_on or date.max, v.id))),
            gifts=tuple(
                GiftRecord(g.id or 0, g.given_on, g.item, g.cost_cents, g.occasion, g.reaction, g.note) for g in gifts
            ),
            complaints=tuple(
                ComplaintSummary(c.id or 0, local_day(c.opened_at), c.status, c.step, c.summary, c.cause)
                for c in complaints
            ),
            colleagues=tuple(Colleague(c.id or 0, c.name, c.honorific, c.title, c.company_role) for c in colleagues),
            interaction_count=total,
            book_gift_cents_this_year=int(book_gifts),
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
