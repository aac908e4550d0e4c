"""Field trips on the database: plan, rank whom to see, visit, write up, count the cost.

The decisions live in ``kequ.domain.trips``; here rows are read into its plain values and the
results written back, one session per use case. Refusals are KequErrors with a catalogue
key, like everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func
from sqlmodel import Session, col, select

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import DueItem
from kequ.domain.gender import known_gender
from kequ.domain.life_events import days_between, in_mourning, losses
from kequ.domain.records import GiftRecord
from kequ.domain.trips import (
    MAX_TRIP_DAYS,
    NEXT_KINDS,
    ExpenseCategory,
    ExpenseView,
    GiftGiven,
    Person,
    TripCandidate,
    TripCustomer,
    TripDate,
    TripSummary,
    TripView,
    VisitPlan,
    VisitStatus,
    VisitView,
    day_label,
    day_sheet,
    parse_time,
    rank_for_trip,
    trip_days,
)
from kequ.domain.validation import MAX_NOTE, MAX_SHORT, clean_text
from kequ.domain.values import address_as, display_name
from kequ.domain.vocab import TouchKind, TouchStatus
from kequ.errors import KequError
from kequ.i18n import language, t
from kequ.services.agenda import agenda, local_date_sql, local_day, moment_on
from kequ.services.planning import plan_touch
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.models import (
    Customer,
    Gift,
    ImportantDate,
    Interaction,
    Touchpoint,
    Trip,
    TripExpense,
    TripVisit,
)
from kequ.storage.rows import add_and_number, delete_by_id

LAST_CONTACTS = 3


@dataclass(frozen=True, slots=True)
class WriteUpResult:
    interaction_id: int
    touchpoint_id: int | None  # the next step, if one was scheduled
    next_on: date | None  # where it landed: the asked day, or the next free one


@dataclass(frozen=True, slots=True)
class TripBoard:
    """One read of everything the trip screen shows."""

    trip: TripView
    candidates: tuple[TripCandidate, ...]
    visits: tuple[VisitView, ...]  # cancelled ones too, in day-sheet order
    plans: dict[int, VisitPlan]  # by visit id, for visits not cancelled
    summary: TripSummary


# ------------------------------------------------------------------ reading rows


def _trip_row(session: Session, trip_id: int) -> Trip:
    row = session.get(Trip, trip_id)
    if row is None:
        raise KequError("trip.no_id", ref=trip_id)
    return row


def _visit_row(session: Session, visit_id: int) -> TripVisit:
    row = session.get(TripVisit, visit_id)
    if row is None:
        raise KequError("trip.no_visit", ref=visit_id)
    return row


def _trip_view(session: Session, row: Trip) -> TripView:
    assert row.id is not None
    counts = dict(
        session.exec(
            select(TripVisit.status, func.count()).where(TripVisit.trip_id == row.id).group_by(TripVisit.status)
        ).all()
    )
    spent = session.exec(
        select(func.coalesce(func.sum(TripExpense.amount_cents), 0)).where(TripExpense.trip_id == row.id)
    ).one()
    return TripView(
        id=row.id,
        name=row.name,
        cities=tuple(row.cities),
        start_on=row.start_on,
        end_on=row.end_on,
        notes=row.notes,
        planned=int(counts.get(VisitStatus.PLANNED.value, 0)),
        done=int(counts.get(VisitStatus.DONE.value, 0)),
        cancelled=int(counts.get(VisitStatus.CANCELLED.value, 0)),
        expense_cents=int(spent),
    )


def _visit_view(row: TripVisit, customer: Customer, trip_name: str = "") -> VisitView:
    assert row.id is not None
    return VisitView(
        id=row.id,
        trip_id=row.trip_id,
        customer_id=row.customer_id,
        customer_name=display_name(customer.name, customer.honorific),
        company=customer.company,
        day=row.day,
        time=row.time,
        place=row.place,
        purpose=row.purpose,
        bring=row.bring,
        status=row.status,
        learned=row.learned,
        needs=row.needs,
        competitors=row.competitors,
        next_step=row.next_step,
        next_on=row.next_on,
        next_kind=row.next_kind,
        interaction_id=row.interaction_id,
        disc=customer.disc,
        tier=customer.tier,
        trip_name=trip_name,
    )


def _visits(session: Session, trip_id: int, trip_name: str = "") -> list[VisitView]:
    rows = session.exec(
        select(TripVisit, Customer)
        .join(Customer, col(Customer.id) == TripVisit.customer_id)
        # The trip's visits only; the join brings the name along in the same read.
        .where(TripVisit.trip_id == trip_id)
    ).all()
    return day_sheet((_visit_view(v, c, trip_name) for v, c in rows), include_cancelled=True)


def _place_of(customer: Customer) -> str:
    """Where the customer is, as far as the book knows: the address, else the company."""
    address = " ".join(p for p in (customer.city, customer.district, customer.address) if p.strip())
    return address or customer.company


def _check_day(trip: Trip, day: date) -> None:
    if not trip.start_on <= day <= trip.end_on:
        raise KequError("trip.day_outside", day=day.isoformat(), start=trip.start_on, end=trip.end_on)


def _check_time(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return parse_time(raw)
    except ValueError:
        raise KequError("trip.bad_time", value=raw) from None


# ------------------------------------------------------------------ trips


def book_cities(db: Database) -> list[tuple[str, int]]:
    """The cities in the book with how many (active) customers each has, biggest first."""
    with db.session() as session:
        rows = session.exec(
            select(Customer.city, func.count())
            .where(func.trim(Customer.city) != "", col(Customer.churned).is_(False))
            .group_by(Customer.city)
        ).all()
    return sorted(((city, int(n)) for city, n in rows), key=lambda r: (-r[1], r[0]))


def plan_trip(db: Database, name: str, cities: Sequence[str], start: date, end: date, notes: str = "") -> int:
    """A new trip; a blank name becomes "苏州 11-24 起 3 天"."""
    chosen = list(dict.fromkeys(c for c in (clean_text(c, MAX_SHORT, "city") for c in cities) if c))
    if not chosen:
        raise KequError("trip.no_city")
    if end < start:
        raise KequError("trip.bad_range", start=start, end=end)
    days = (end - start).days + 1
    if days > MAX_TRIP_DAYS:
        raise KequError("trip.too_long", days=days, limit=MAX_TRIP_DAYS)
    name = clean_text(name, MAX_SHORT, "name") or t(
        "trip.default_name", cities="、".join(chosen), start=f"{start:%m-%d}", days=days
    )
    row = Trip(name=name, cities=chosen, start_on=start, end_on=end, notes=clean_text(notes, MAX_NOTE, "notes"))
    with db.session() as session:
        return add_and_number(session, row)


def list_trips(db: Database) -> list[TripView]:
    """Newest first: the coming trip is what one opens the list for."""
    with db.session() as session:
        rows = session.exec(select(Trip).order_by(col(Trip.start_on).desc(), col(Trip.id).desc())).all()
        return [_trip_view(session, row) for row in rows]


def get_trip(db: Database, trip_id: int) -> TripView:
    with db.session() as session:
        return _trip_view(session, _trip_row(session, trip_id))


def delete_trip(db: Database, trip_id: int) -> None:
    """The trip, its plan and its expenses; the logged visits stay on the customers' timelines."""
    with db.session() as session:
        session.delete(_trip_row(session, trip_id))


# ------------------------------------------------------------------ whom to see


def _candidates(session: Session, trip: Trip, today: date, items: Sequence[DueItem]) -> list[TripCandidate]:
    rows = session.exec(
        select(Customer).where(col(Customer.city).in_(trip.cities), col(Customer.churned).is_(False))
    ).all()
    customers = [
        TripCustomer(
            id=row.id or 0,
            name=row.name,
            tier=row.tier,
            city=row.city,
            honorific=row.honorific,
            company=row.company,
            title=row.title,
            disc=row.disc,
            added_on=local_day(row.created_at),
            gender=row.gender,
        )
        for row in rows
    ]
    ids = [c.id for c in customers]
    last_visit = {
        cid: date.fromisoformat(day)
        for cid, day in session.exec(
            select(Interaction.customer_id, local_date_sql(func.max(Interaction.happened_at)))
            .where(Interaction.kind == TouchKind.VISIT.value, col(Interaction.customer_id).in_(ids))
            .group_by(Interaction.customer_id)
        )
    }
    rows = [
        (event, event.annual)
        for event in session.exec(select(ImportantDate).where(col(ImportantDate.customer_id).in_(ids)))
    ]
    bereaved = losses((event.customer_id, event.kind, annual) for event, annual in rows)
    dates: list[TripDate] = []
    for event, annual in rows:
        try:
            found = days_between(event.kind, annual, trip.start_on, trip.end_on)  # a life event only in its year
        except ValueError:  # outside the calendar's range: no date to flag
            continue
        their_losses = bereaved.get(event.customer_id, [])
        dates += [
            TripDate(event.customer_id, event.kind, day, event.label, in_mourning(their_losses, day)) for day in found
        ]
    return rank_for_trip(customers, items, last_visit, dates, trip.start_on, trip.end_on, today)


def candidates(db: Database, trip_id: int, today: date) -> list[TripCandidate]:
    """The customers in the trip's cities, ranked by what is due by the trip's end and by tier."""
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        until = max(trip.end_on, today)
    items = agenda(db, today, until)
    with db.session() as session:
        return _candidates(session, _trip_row(session, trip_id), today, items)


# ------------------------------------------------------------------ visits


def add_visit(
    db: Database,
    trip_id: int,
    customer_id: int,
    day: date,
    time_text: str | None = None,
    place: str | None = None,
    purpose: str = "",
    bring: str = "",
) -> int:
    """Plan a visit on one of the trip's days; ``place`` None takes the customer's address."""
    at = _check_time(time_text)
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        _check_day(trip, day)
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise KequError("customer.no_id", ref=customer_id)
        twice = session.exec(
            select(TripVisit.id).where(
                TripVisit.trip_id == trip_id,
                TripVisit.customer_id == customer_id,
                TripVisit.day == day,
                TripVisit.status != VisitStatus.CANCELLED.value,
            )
        ).first()
        if twice is not None:
            raise KequError(
                "trip.already_planned", who=address_as(customer.name, customer.honorific), day=day.isoformat()
            )
        row = TripVisit(
            trip_id=trip_id,
            customer_id=customer_id,
            day=day,
            time=at,
            place=clean_text(_place_of(customer) if place is None else place, MAX_SHORT, "place"),
            purpose=clean_text(purpose, MAX_NOTE, "purpose"),
            bring=clean_text(bring, MAX_NOTE, "bring"),
        )
        return add_and_number(session, row)


def update_visit(
    db: Database,
    visit_id: int,
    day: date,
    time_text: str | None = None,
    place: str | None = None,
    purpose: str | None = None,
    bring: str | None = None,
) -> None:
    """Change the plan of a visit; None leaves a text as it is."""
    at = _check_time(time_text)
    with db.session() as session:
        row = _visit_row(session, visit_id)
        _check_day(_trip_row(session, row.trip_id), day)
        row.day = day
        row.time = at
        for name, value, limit in (
            ("place", place, MAX_SHORT),
            ("purpose", purpose, MAX_NOTE),
            ("bring", bring, MAX_NOTE),
        ):
            if value is not None:
                setattr(row, name, clean_text(value, limit, name))
        session.add(row)


def move_visit(db: Database, visit_id: int, day: date, time_text: str | None = None) -> None:
    update_visit(db, visit_id, day, time_text)


def cancel_visit(db: Database, visit_id: int) -> None:
    """A planned visit called off; one already written up stays (it happened)."""
    with db.session() as session:
        row = _visit_row(session, visit_id)
        if row.status == VisitStatus.DONE:
            raise KequError("trip.visit_done")
        row.status = VisitStatus.CANCELLED.value
        session.add(row)


def restore_visit(db: Database, visit_id: int) -> None:
    """Undo a cancel: the visit is planned again."""
    with db.session() as session:
        row = _visit_row(session, visit_id)
        if row.status == VisitStatus.CANCELLED:
            row.status = VisitStatus.PLANNED.value
            session.add(row)


def trip_visits(db: Database, trip_id: int) -> list[VisitView]:
    """All visits of the trip in day-sheet order, cancelled ones included."""
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        return _visits(session, trip_id, trip.name)


def _plan(session: Session, visit: VisitView, customer: Customer, lang: str) -> VisitPlan:
    from kequ.domain.disc import approach
    from kequ.domain.gifts import suggestions
    from kequ.domain.life_events import needs_care

    people: list[Person] = []
    if customer.company.strip():
        people = [
            Person(c.id or 0, display_name(c.name, c.honorific), c.title, c.company_role)
            for c in session.exec(
                select(Customer)
                .where(
                    Customer.company == customer.company, Customer.id != customer.id, col(Customer.churned).is_(False)
                )
                .order_by(Customer.id)
            )
        ]
    gifts = tuple(
        GiftRecord(g.id or 0, g.given_on, g.item, g.cost_cents, g.occasion, g.reaction, g.note)
        for g in session.exec(select(Gift).where(Gift.customer_id == customer.id).order_by(col(Gift.given_on).desc()))
    )
    texts = [customer.interests, customer.ford_recreation, customer.ford_family, customer.notes]
    dates = session.exec(select(ImportantDate).where(ImportantDate.customer_id == customer.id)).all()
    # The same care rule as Today's: around an illness or a loss, a visit is a visit of care.
    care = needs_care(((d.kind, d.annual) for d in dates), visit.day)
    contacts = session.exec(
        select(Interaction)
        # The visit's own write-up is shown as such, not as "the last contact".
        .where(Interaction.customer_id == customer.id, col(Interaction.id) != (visit.interaction_id or 0))
        .order_by(col(Interaction.happened_at).desc(), col(Interaction.id).desc())
        .limit(LAST_CONTACTS)
    ).all()
    return VisitPlan(
        visit=visit,
        title=customer.title,
        role=customer.company_role,
        phones=tuple(customer.phones),
        wechat=customer.wechat,
        people=tuple(people),
        gifts_given=gifts,
        gift_ideas=tuple(suggestions(texts, gifts, care=care)),
        approach=approach(
            customer.disc,
            TouchKind.VISIT,
            lang,
            full=True,
            care=care,
            gender=known_gender(customer.gender, customer.honorific).gender,
        ),
        last_contacts=tuple((local_day(i.happened_at), i.kind, i.notes) for i in contacts),
    )


def visit_plan(db: Database, visit_id: int, lang: str | None = None) -> VisitPlan:
    """What to know and bring for one visit: the people there, gifts given, how to approach."""
    with db.session() as session:
        row = _visit_row(session, visit_id)
        customer = session.get(Customer, row.customer_id)
        assert customer is not None  # the foreign key cascades
        trip = _trip_row(session, row.trip_id)
        return _plan(session, _visit_view(row, customer, trip.name), customer, lang or language())


def _plans(session: Session, visits: Sequence[VisitView], lang: str) -> dict[int, VisitPlan]:
    wanted = [v for v in visits if v.status != VisitStatus.CANCELLED]
    customers = {
        c.id: c for c in session.exec(select(Customer).where(col(Customer.id).in_({v.customer_id for v in wanted})))
    }
    return {v.id: _plan(session, v, customers[v.customer_id], lang) for v in wanted}


# ------------------------------------------------------------------ after the visit


def _write_up_notes(learned: str, needs: str, competitors: str, next_step: str) -> str:
    parts = (
        ("trip.write_up.learned", learned),
        ("trip.write_up.needs", needs),
        ("trip.write_up.competitors", competitors),
        ("trip.write_up.next_step", next_step),
    )
    return "\n".join(f"{t(key)}：{value}" for key, value in parts if value)


def _visit_moment(row: TripVisit, today: date) -> datetime:
    if row.time:
        hour, minute = (int(x) for x in row.time.split(":"))
        return datetime.combine(row.day, time(hour, minute)).astimezone()
    return moment_on(row.day, today)


def write_up(
    db: Database,
    visit_id: int,
    learned: str,
    needs: str,
    competitors: str,
    next_step: str,
    next_on: date | None = None,
    next_kind: str = TouchKind.CALL.value,
    *,
    today: date | None = None,
) -> WriteUpResult:
    """Log the visit on the customer's timeline and, with ``next_on``, plan the next step.

    Writing up again corrects the same timeline entry, and moves the next step planned
    the first time instead of adding a second one.
    """
    today = today or clock.today()
    learned = clean_text(learned, MAX_NOTE, "learned")
    needs = clean_text(needs, MAX_NOTE, "needs")
    competitors = clean_text(competitors, MAX_NOTE, "competitors")
    next_step = clean_text(next_step, MAX_SHORT, "next_step")
    if not (learned or needs or competitors or next_step):
        raise KequError("trip.empty_write_up")
    if next_kind not in NEXT_KINDS:
        raise KequError("input.bad_choice", field="next_kind", value=next_kind, options="/".join(NEXT_KINDS))
    if next_on is not None and next_on < today:
        raise KequError("trip.next_in_past", day=next_on.isoformat())
    notes = _write_up_notes(learned, needs, competitors, next_step)
    with db.session() as session:
        row = _visit_row(session, visit_id)
        if row.status == VisitStatus.CANCELLED:
            raise KequError("trip.visit_cancelled")
        if row.day > today:
            raise KequError("trip.visit_in_future", day=row.day.isoformat())
        trip = _trip_row(session, row.trip_id)
        interaction = session.get(Interaction, row.interaction_id) if row.interaction_id else None
        if interaction is None:
            interaction = Interaction(
                customer_id=row.customer_id, kind=TouchKind.VISIT.value, happened_at=_visit_moment(row, today)
            )
        interaction.notes = notes
        interaction.outcome = next_step
        session.add(interaction)
        session.flush()
        _drop_earlier_next_step(session, row)
        touch: Touchpoint | None = None
        if next_on is not None:
            reason = next_step or t("trip.next_default", name=trip.name)
            touch = plan_touch(
                session, row.customer_id, next_on, next_kind, reason, t("trip.next_note", name=trip.name)
            )
        row.status = VisitStatus.DONE.value
        row.learned, row.needs, row.competitors, row.next_step = learned, needs, competitors, next_step
        row.next_on = touch.occurrence if touch else None
        row.next_kind = next_kind if touch else None
        row.interaction_id = interaction.id
        session.add(row)
        assert interaction.id is not None
        return WriteUpResult(interaction.id, touch.id if touch else None, row.next_on)


def _drop_earlier_next_step(session: Session, row: TripVisit) -> None:
    """A second write-up replaces the next step the first one planned, if still untouched."""
    if row.next_on is None:
        return
    earlier = session.exec(
        select(Touchpoint).where(
            Touchpoint.customer_id == row.customer_id,
            Touchpoint.source_key == sources.MANUAL,
            Touchpoint.occurrence == row.next_on,
            Touchpoint.kind == (row.next_kind or ""),
            Touchpoint.status == TouchStatus.PLANNED.value,
            Touchpoint.handled_at == None,  # noqa: E711 - SQL IS NULL
        )
    ).first()
    if earlier is not None:
        session.delete(earlier)
        session.flush()


# ------------------------------------------------------------------ money


def add_expense(db: Database, trip_id: int, day: date, amount_cents: int, category: str, note: str = "") -> int:
    if amount_cents < 0:
        raise KequError("input.bad_amount", value=f"{amount_cents / 100:.2f}")
    options = [c.value for c in ExpenseCategory]
    if category not in options:
        raise KequError("input.bad_choice", field="category", value=category, options="/".join(options))
    with db.session() as session:
        _trip_row(session, trip_id)
        row = TripExpense(
            trip_id=trip_id,
            day=day,
            amount_cents=amount_cents,
            category=category,
            note=clean_text(note, MAX_SHORT, "note"),
        )
        return add_and_number(session, row)


def remove_expense(db: Database, expense_id: int) -> None:
    delete_by_id(db, TripExpense, expense_id)


def _expenses(session: Session, trip_id: int) -> list[ExpenseView]:
    rows = session.exec(
        select(TripExpense).where(TripExpense.trip_id == trip_id).order_by(TripExpense.day, col(TripExpense.id))
    ).all()
    return [ExpenseView(e.id or 0, e.trip_id, e.day, e.amount_cents, e.category, e.note) for e in rows]


# ------------------------------------------------------------------ the whole trip


def _summary(session: Session, trip: Trip, visits: Sequence[VisitView]) -> TripSummary:
    assert trip.id is not None
    people = {v.customer_id for v in visits if v.status != VisitStatus.CANCELLED}
    gifts = session.exec(
        select(Gift, Customer)
        .join(Customer, col(Customer.id) == Gift.customer_id)
        .where(col(Gift.customer_id).in_(people), Gift.given_on >= trip.start_on, Gift.given_on <= trip.end_on)
        .order_by(Gift.given_on, col(Gift.id))
    ).all()
    return TripSummary(
        trip=_trip_view(session, trip),
        visits=tuple(visits),
        gifts=tuple(GiftGiven(display_name(c.name, c.honorific), g.given_on, g.item, g.cost_cents) for g, c in gifts),
        expenses=tuple(_expenses(session, trip.id)),
    )


def trip_summary(db: Database, trip_id: int) -> TripSummary:
    """Visits done and their notes, next steps, gifts given during the trip, expenses."""
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        return _summary(session, trip, _visits(session, trip_id, trip.name))


def trip_board(db: Database, trip_id: int, today: date, lang: str | None = None) -> TripBoard:
    lang = lang or language()
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        until = max(trip.end_on, today)
    items = agenda(db, today, until)
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        visits = _visits(session, trip_id, trip.name)
        return TripBoard(
            trip=_trip_view(session, trip),
            candidates=tuple(_candidates(session, trip, today, items)),
            visits=tuple(visits),
            plans=_plans(session, visits, lang),
            summary=_summary(session, trip, visits),
        )


def day_plan(
    db: Database, trip_id: int, day: date, lang: str
) -> tuple[TripView, list[VisitView], dict[int, VisitPlan]]:
    """One day of a trip as its sheet shows it: the trip, the day's visits, each visit's plan."""
    with db.session() as session:
        trip = _trip_row(session, trip_id)
        _check_day(trip, day)
        view = _trip_view(session, trip)
        visits = [v for v in _visits(session, trip_id, trip.name) if v.day == day]
        return view, visits, _plans(session, visits, lang)


def trip_day_choices(trip: TripView, lang: str | None = None) -> list[tuple[str, date]]:
    """The trip's days as (label, day) for a picker: 11-24 周二."""
    return [(day_label(day, lang), day) for day in trip_days(trip.start_on, trip.end_on)]
