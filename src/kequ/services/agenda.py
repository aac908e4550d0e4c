"""Loading what the agenda rules read, and acting on a due item."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from kequ.agenda import (
    AgendaInput,
    CustomerFacts,
    DatedEvent,
    DealFact,
    DueItem,
    Handled,
    OpenComplaint,
    PlannedTouch,
    Rules,
    due,
)
from kequ.calendar_cn import AnnualDate
from kequ.db import Database
from kequ.models import Cadence, Complaint, Customer, Deal, ImportantDate, Interaction, Setting, Touchpoint, utcnow
from kequ.vocab import ComplaintStatus, TouchStatus

FESTIVALS_SETTING = "festivals.greet"
FESTIVAL_TIERS_SETTING = "festivals.tiers"
# Handled occurrences older than this cannot come back into any window.
HANDLED_HORIZON_DAYS = 400


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def local_date_sql(column: object) -> object:
    """SQL for the user's local calendar day of a UTC timestamp column, as 'YYYY-MM-DD'."""
    return func.date(column, "localtime")


def moment_on(day: date, today: date | None = None) -> datetime:
    """An aware timestamp for something done on ``day``: now if today, else local noon."""
    if day == (today or date.today()):
        return utcnow()
    return datetime.combine(day, time(12, 0)).astimezone()


def load_input(session: Session, today: date) -> AgendaInput:
    # Only the columns the rules read: whole rows would drag notes and JSON along.
    columns = select(
        Customer.id,
        Customer.name,
        Customer.tier,
        local_date_sql(Customer.created_at),
        Customer.honorific,
        Customer.disc,
        Customer.churned,
        Customer.company,
    )
    customers = [
        CustomerFacts(
            id=cid,
            name=name,
            tier=tier,
            added_on=date.fromisoformat(created),
            honorific=honorific,
            disc=disc,
            churned=churned,
            company=company,
        )
        for cid, name, tier, created, honorific, disc, churned, company in session.exec(columns)
    ]
    # SQLite turns the newest timestamp into a local day itself: converting 30,000
    # datetimes in Python costs more than the whole agenda.
    last = session.exec(
        select(Interaction.customer_id, Interaction.kind, local_date_sql(func.max(Interaction.happened_at))).group_by(
            Interaction.customer_id, Interaction.kind
        )
    )
    last_contact = {(cid, kind): date.fromisoformat(day) for cid, kind, day in last}
    dates = [
        DatedEvent(
            id=row.id,
            customer_id=row.customer_id,
            kind=row.kind,
            annual=AnnualDate(month=row.month, day=row.day, lunar=row.lunar, leap=row.leap, year=row.year),
            lead_days=row.lead_days,
            label=row.label,
        )
        for row in session.exec(select(ImportantDate))
    ]
    recent = today - timedelta(days=60)
    deals = [
        DealFact(id=row.id, customer_id=row.customer_id, closed_on=row.closed_on)
        for row in session.exec(select(Deal).where(Deal.closed_on >= recent))
    ]
    horizon = today - timedelta(days=HANDLED_HORIZON_DAYS)
    handled: list[Handled] = []
    planned: list[PlannedTouch] = []
    for row in session.exec(
        select(Touchpoint).where(
            (Touchpoint.occurrence >= horizon) | (Touchpoint.status.in_([TouchStatus.SNOOZED, TouchStatus.PLANNED]))
        )
    ):
        if row.status == TouchStatus.PLANNED and row.source_key == "manual":
            planned.append(PlannedTouch(row.id, row.customer_id, row.kind, row.due_date, row.reason))
        else:
            handled.append(Handled(row.customer_id, row.source_key, row.occurrence, row.status, row.due_date))
    complaints = [
        OpenComplaint(row.id, row.customer_id, local_day(row.opened_at), row.step, row.summary)
        for row in session.exec(select(Complaint).where(Complaint.status == ComplaintStatus.OPEN))
    ]
    return AgendaInput(customers, last_contact, dates, deals, handled, planned, complaints)


def load_rules(session: Session) -> Rules:
    tiers: dict[str, dict[str, int]] = {}
    own: dict[int, dict[str, int]] = {}
    for row in session.exec(select(Cadence)):
        if row.customer_id is not None:
            own.setdefault(row.customer_id, {})[row.kind] = row.interval_days
        elif row.tier is not None:
            tiers.setdefault(row.tier, {})[row.kind] = row.interval_days
    base = Rules()
    merged = {tier: {**kinds, **tiers.get(tier, {})} for tier, kinds in base.cadences.items()}
    greet = session.get(Setting, FESTIVALS_SETTING)
    greet_tiers = session.get(Setting, FESTIVAL_TIERS_SETTING)
    return Rules(
        cadences=merged,
        overrides=own,
        festival_keys=frozenset(greet.value) if greet and isinstance(greet.value, list) else base.festival_keys,
        festival_tiers=(
            frozenset(greet_tiers.value) if greet_tiers and isinstance(greet_tiers.value, list) else base.festival_tiers
        ),
    )


def set_festival_greetings(db: Database, keys: list[str] | None = None, tiers: list[str] | None = None) -> None:
    """Which festivals to greet and for which tiers; None leaves a choice as it is."""
    from kequ.calendar_cn import FESTIVAL_KEYS
    from kequ.errors import KequError
    from kequ.vocab import Tier

    for key in keys or []:
        if key not in FESTIVAL_KEYS:
            raise KequError("input.bad_choice", field="festival", value=key, options="/".join(FESTIVAL_KEYS))
    for tier in tiers or []:
        if tier not in {t.value for t in Tier}:
            raise KequError("input.bad_choice", field="tier", value=tier, options="/".join(t.value for t in Tier))
    with db.session() as session:
        for name, value in ((FESTIVALS_SETTING, keys), (FESTIVAL_TIERS_SETTING, tiers)):
            if value is not None:
                row = session.get(Setting, name) or Setting(key=name)
                row.value = sorted(set(value))
                session.add(row)


def agenda(db: Database, today: date, until: date | None = None) -> list[DueItem]:
    with db.session() as session:
        data = load_input(session, today)
        rules = load_rules(session)
    return due(data, rules, today, until)


def _touchpoint_for(session: Session, item: DueItem) -> Touchpoint:
    if item.source_key.startswith("manual:"):
        row = session.get(Touchpoint, int(item.source_key.split(":", 1)[1]))
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
    from kequ.validation import MAX_SHORT, clean_text

    outcome = clean_text(outcome, MAX_SHORT, "outcome")
    with db.session() as session:
        touch = _touchpoint_for(session, item)
        touch.status = TouchStatus.DONE.value
        touch.handled_at = utcnow()
        session.flush()
        interaction = Interaction(
            customer_id=item.customer_id,
            kind=item.kind,
            happened_at=moment_on(today or date.today()),
            outcome=outcome,
            touchpoint_id=touch.id,
        )
        session.add(interaction)
        session.flush()
        assert interaction.id is not None
        return interaction.id


def snooze(db: Database, item: DueItem, until: date) -> None:
    with db.session() as session:
        touch = _touchpoint_for(session, item)
        touch.status = (
            TouchStatus.SNOOZED.value if not item.source_key.startswith("manual:") else TouchStatus.PLANNED.value
        )
        touch.due_date = until
        touch.handled_at = utcnow()


def skip(db: Database, item: DueItem) -> None:
    with db.session() as session:
        touch = _touchpoint_for(session, item)
        touch.status = TouchStatus.SKIPPED.value
        touch.handled_at = utcnow()
