"""Complaint handling on the database: open or resume, save every change, close with
follow-ups, or withdraw.

The rules live in ``kequ.domain.complaints``; each use case here reads the stored complaint into a
``WizardState``, applies one transition and writes the result back, in one session. A
refused move arrives as a KequError like every other refusal the user can fix.

A complaint is stored with the first thing written to it, not when the wizard opens: a
customer without an open complaint gets a ``NewComplaint`` (a view whose ``id`` is None),
and the first write that leaves something in it (a summary, notes, a field, a move past
step one, a close) stores the row in the same transaction. Opening the wizard and leaving
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from kequ.domain import complaints as wizard
from kequ.domain.agenda import sources
from kequ.domain.calendar.workdays import WorkCalendar
from kequ.domain.complaints import DEFAULT_FOLLOWUPS, ComplaintError, ComplaintRow, WizardState
from kequ.domain.gender import known_gender
from kequ.domain.validation import MAX_NOTE, MAX_SHORT, clean_text
from kequ.domain.values import display_name
from kequ.domain.vocab import ComplaintStatus, TouchKind
from kequ.errors import KequError
from kequ.i18n import t
from kequ.services.agenda import local_day, moment_on
from kequ.services.planning import plan_touch, taken_days
from kequ.storage import clock
from kequ.storage.database import Database, work_calendar_for
from kequ.storage.models import Complaint, ComplaintStep, Customer, Interaction, Touchpoint

# The follow-up's reason shows on the Today list: long summaries are cut to fit one row.
REASON_SUMMARY_CHARS = 40


@dataclass(frozen=True, slots=True)
class NewComplaint:
    """A complaint shown but not stored yet: the first write that puts something in it stores it."""

    customer_id: int
    opened_on: date


# What the write use cases take: a stored complaint's id, or a complaint still to be stored.
ComplaintRef = int | NewComplaint


@dataclass(frozen=True, slots=True)
class ComplaintView:
    """One complaint as the wizard shows it. ``state.current`` is where to resume.

    ``id`` is None for a complaint not stored yet (nothing written); ``ref`` names it either way.
    """

    id: int | None
    customer_id: int
    customer_name: str  # as the salesperson says it: 王总（王建国）
    customer_disc: str | None  # picks the DISC tips shown beside each step
    opened_on: date
    summary: str
    cause: str | None
    resolution: str
    satisfaction: int | None
    closed_on: date | None
    state: WizardState
    customer_gender: str | None = None  # known or guessed: the guide says 他/她, TA when unknown

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    @property
    def step(self) -> int:
        """The furthest step reached."""
        return self.state.reached

    @property
    def ref(self) -> ComplaintRef:
        return self.id if self.id is not None else NewComplaint(self.customer_id, self.opened_on)


@dataclass(frozen=True, slots=True)
class FollowupRecord:
    touchpoint_id: int
    due: date
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class FollowupBooking:
    """Where follow-ups planned on closing day ``closed_on`` land: on working days the
    customer has nothing else planned. The close dialog shows them, closing books them."""

    closed_on: date
    calendar: WorkCalendar
    taken: frozenset[date]

    def dates(self, plan: Iterable[tuple[int, str]] = DEFAULT_FOLLOWUPS) -> list[tuple[date, str]]:
        """The (day, kind) pairs, earliest first; a bad plan raises ComplaintError."""
        return wizard.followup_dates(self.closed_on, plan, self.calendar, self.taken)


@dataclass(frozen=True, slots=True)
class ClosedComplaint:
    complaint: ComplaintView
    followups: tuple[FollowupRecord, ...]
    interaction_id: int


@contextmanager
def _refusals() -> Iterator[None]:
    # Callers catch one exception type for anything the user must fix.
    try:
        yield
    except ComplaintError as error:
        raise KequError(error.key, **error.params) from error


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _customer(session: Session, customer_id: int) -> Customer:
    row = session.get(Customer, customer_id) if _is_id(customer_id) else None
    if row is None:
        raise KequError("customer.no_id", ref=customer_id)
    return row


def _complaint(session: Session, complaint_id: int) -> Complaint:
    row = session.get(Complaint, complaint_id) if _is_id(complaint_id) else None
    if row is None:
        raise KequError("complaint.error.not_found", ref=complaint_id)
    return row


def _steps(session: Session, complaint_id: int) -> dict[int, ComplaintStep]:
    rows = session.exec(select(ComplaintStep).where(ComplaintStep.complaint_id == complaint_id))
    return {row.step: row for row in rows}


def _state(row: Complaint, steps: dict[int, ComplaintStep], current: int | None = None) -> WizardState:
    with _refusals():
        return wizard.resume(
            row.status,
            row.step,
            {number: step.notes for number, step in steps.items()},
            {number: dict(step.data) for number, step in steps.items()},
            current=current,
            resolution=row.resolution,
            satisfaction=row.satisfaction,
            cause=row.cause,
        )


def _view(session: Session, row: Complaint, state: WizardState) -> ComplaintView:
    customer = _customer(session, row.customer_id)
    return ComplaintView(
        id=row.id,
        customer_id=row.customer_id,
        customer_name=display_name(customer.name, customer.honorific),
        customer_disc=customer.disc,
        customer_gender=known_gender(customer.gender, customer.honorific).gender,
        opened_on=local_day(row.opened_at),
        summary=row.summary,
        cause=row.cause,
        resolution=row.resolution,
        satisfaction=row.satisfaction,
        closed_on=local_day(row.closed_at) if row.closed_at else None,
        state=state,
    )


def _step_row(session: Session, steps: dict[int, ComplaintStep], complaint_id: int, step: int) -> ComplaintStep:
    row = steps.get(step)
    if row is None:
        row = ComplaintStep(complaint_id=complaint_id, step=step)
        session.add(row)
    row.updated_at = clock.now()
    return row


def _read(session: Session, ref: ComplaintRef) -> tuple[Complaint, dict[int, ComplaintStep], WizardState]:
    """The complaint ``ref`` names, its steps and its state. For a NewComplaint: a row not
    added to the session (its id is None) and a blank state; ``_keep`` stores it."""
    if isinstance(ref, NewComplaint):
        _customer(session, ref.customer_id)
        row = Complaint(customer_id=ref.customer_id, opened_at=moment_on(ref.opened_on))
        return row, {}, wizard.start()
    row = _complaint(session, ref)
    steps = _steps(session, ref)
    return row, steps, _state(row, steps)


def _keep(session: Session, row: Complaint, state: WizardState, summary: str = "") -> int | None:
    """The id to write to: a complaint not stored yet is stored once ``state`` and
    ``summary`` hold something; None while they still hold nothing."""
    if row.id is None:
        if state.is_blank and not summary:
            return None
        session.add(row)
        session.flush()
    assert row.id is not None
    return row.id


def _open_row(session: Session, customer_id: int) -> Complaint | None:
    """The customer's open complaint, the newest if there are several."""
    return session.exec(
        select(Complaint)
        .where(Complaint.customer_id == customer_id, Complaint.status == ComplaintStatus.OPEN.value)
        .order_by(col(Complaint.opened_at).desc(), col(Complaint.id).desc())
    ).first()


def open_or_resume(db: Database, customer_id: int, today: date | None = None) -> ComplaintView:
    """The customer's open complaint where it was left, or a new one at step one.

    Reads only: a new complaint is not stored (its ``id`` is None) until something is
    written to it through ``view.ref``.
    """
    with db.session() as session:
        _customer(session, customer_id)
        row = _open_row(session, customer_id)
        if row is None:
            fresh = Complaint(customer_id=customer_id, opened_at=moment_on(today) if today else clock.now())
            return _view(session, fresh, wizard.start())
        assert row.id is not None
        return _view(session, row, _state(row, _steps(session, row.id)))


def load(db: Database, complaint_id: int) -> ComplaintView:
    with db.session() as session:
        row = _complaint(session, complaint_id)
        return _view(session, row, _state(row, _steps(session, complaint_id)))


def save_notes(db: Database, ref: ComplaintRef, step: int, notes: str) -> int | None:
    """Store the notes of one step at once; writing at the next step counts as reaching it.

    Returns the complaint's id, or None when a new complaint still holds nothing."""
    text = clean_text(notes, MAX_NOTE, t("complaint.label.notes"))
    with db.session() as session:
        row, steps, state = _read(session, ref)
        with _refusals():
            state = wizard.edit_notes(state, step, text)
        complaint_id = _keep(session, row, state, row.summary)
        if complaint_id is not None:
            _step_row(session, steps, complaint_id, step).notes = text
            row.step = state.reached
        return complaint_id


def save_field(db: Database, ref: ComplaintRef, step: int, field: str, value: str) -> int | None:
    """Store one structured answer (steps 6-8) at once; an empty value clears it.

    Returns the complaint's id, or None when a new complaint still holds nothing."""
    limit = MAX_SHORT if (step, field) in wizard.DATE_FIELDS else MAX_NOTE
    text = clean_text(value, limit, t(wizard.field_key(field)))
    with db.session() as session:
        row, steps, state = _read(session, ref)
        with _refusals():
            state = wizard.set_field(state, step, field, text)
        complaint_id = _keep(session, row, state, row.summary)
        if complaint_id is None:
            return None
        stored = state.field_at(step, field)
        target = _step_row(session, steps, complaint_id, step)
        data = {name: value for name, value in target.data.items() if name != field}
        if stored:
            data[field] = stored
        # A new dict, not an edit in place: SQLAlchemy only notices a JSON column replaced.
        target.data = data
        row.step = state.reached
        return complaint_id


def set_summary(db: Database, ref: ComplaintRef, summary: str) -> int | None:
    """Store the one-line summary. Returns the complaint's id, or None when a new
    complaint still holds nothing."""
    text = clean_text(summary, MAX_SHORT, t("complaint.label.summary"))
    with db.session() as session:
        row, _, state = _read(session, ref)
        with _refusals():
            wizard.check_open(state)
        complaint_id = _keep(session, row, state, text)
        if complaint_id is not None:
            row.summary = text
        return complaint_id


def move_to(db: Database, ref: ComplaintRef, step: int) -> ComplaintView:
    """Open ``step`` (any step reached, or the next one) and remember how far the complaint got."""
    with db.session() as session:
        row, _, state = _read(session, ref)
        with _refusals():
            state = wizard.goto(state, step)
        if _keep(session, row, state, row.summary) is not None and state.reached != row.step:
            row.step = state.reached
        return _view(session, row, state)


def _withdraw(session: Session, row: Complaint, day: date) -> ComplaintView:
    assert row.id is not None
    with _refusals():
        state = wizard.withdraw(_state(row, _steps(session, row.id)))
    row.status = state.status
    row.closed_at = moment_on(day)
    return _view(session, row, state)


def withdraw(db: Database, complaint_id: int, today: date | None = None) -> ComplaintView:
    """Withdraw an open complaint (撤销): it leaves Today and the open ones, stays in the
    lists as withdrawn, and is not handled: no resolution, no satisfaction, no cause, no
    follow-ups booked and nothing logged on the timeline."""
    with db.session() as session:
        return _withdraw(session, _complaint(session, complaint_id), today or clock.today())


def withdraw_open(db: Database, customer_id: int, today: date | None = None) -> ComplaintView:
    """Withdraw the customer's open complaint (the newest if there are several)."""
    with db.session() as session:
        customer = _customer(session, customer_id)
        row = _open_row(session, customer_id)
        if row is None:
            raise KequError("complaint.error.nothing_to_withdraw", who=display_name(customer.name, customer.honorific))
        return _withdraw(session, row, today or clock.today())


def discard_if_blank(db: Database, complaint_id: int) -> bool:
    """Remove an open complaint that holds nothing (no summary, no notes, no answers, still
    at step one): one typed and then wiped, or one an older kequ stored when the wizard
    opened. True if it was removed."""
    with db.session() as session:
        row = session.get(Complaint, complaint_id) if _is_id(complaint_id) else None
        if row is None or row.summary:
            return False
        steps = _steps(session, complaint_id)
        if not _state(row, steps).is_blank:
            return False
        for step in steps.values():
            session.delete(step)
        # A snooze or a done on Today's line for it would otherwise wait for the next
        # complaint that gets the same id.
        for touch in session.exec(
            select(Touchpoint).where(
                Touchpoint.customer_id == row.customer_id,
                Touchpoint.source_key == sources.key(sources.COMPLAINT, complaint_id),
            )
        ):
            session.delete(touch)
        session.delete(row)
        return True


def followup_booking(db: Database, customer_id: int, today: date | None = None) -> FollowupBooking:
    """What closing a complaint of this customer today would book, for the dialog to show."""
    day = today or clock.today()
    with db.session() as session:
        return FollowupBooking(day, work_calendar_for(db.path), taken_days(session, customer_id, day))


def _reason(summary: str, days: int) -> str:
    short = summary if len(summary) <= REASON_SUMMARY_CHARS else summary[: REASON_SUMMARY_CHARS - 1] + "…"
    return t("complaint.followup.reason", days=days, summary=short or t("complaint.followup.untitled"))


def close(
    db: Database,
    ref: ComplaintRef,
    resolution: str,
    satisfaction: int,
    cause: str,
    followups: Iterable[tuple[int, str]] = DEFAULT_FOLLOWUPS,
    today: date | None = None,
) -> ClosedComplaint:
    """Close the complaint, plan the follow-ups and log it on the timeline, all or nothing.

    A complaint not stored yet is stored closed: the resolution is something written."""
    text = clean_text(resolution, MAX_NOTE, t("complaint.label.resolution"))
    day = today or clock.today()
    with db.session() as session:
        row, _, state = _read(session, ref)
        with _refusals():
            state = wizard.close(state, text, satisfaction, cause, followups)
        _keep(session, row, state)
        assert state.closure is not None
        booking = FollowupBooking(day, work_calendar_for(db.path), taken_days(session, row.customer_id, day))
        planned = booking.dates(state.closure.followups)
        row.status = ComplaintStatus.CLOSED.value
        row.closed_at = moment_on(day)
        row.resolution = state.closure.resolution
        row.satisfaction = state.closure.satisfaction
        row.cause = state.closure.cause
        touches: list[Touchpoint] = []
        for due, kind in planned:
            touch = plan_touch(session, row.customer_id, due, kind, "")
            # Said in days after closing, counted to where it actually landed.
            touch.reason = _reason(row.summary, (touch.due_date - day).days)
            touches.append(touch)
        interaction = Interaction(
            customer_id=row.customer_id,
            kind=TouchKind.COMPLAINT.value,
            happened_at=moment_on(day),
            notes=row.summary,
            outcome=state.closure.resolution,
        )
        session.add(interaction)
        session.flush()
        assert interaction.id is not None
        records = tuple(
            FollowupRecord(touch.id or 0, touch.due_date, touch.kind, touch.reason)
            for touch in sorted(touches, key=lambda touch: touch.due_date)
        )
        return ClosedComplaint(_view(session, row, state), records, interaction.id)


def list_complaints(db: Database, today: date | None = None) -> list[ComplaintRow]:
    """Every complaint, open ones first, newest first within each group (plain SQL:
    ``kequ.storage.fast_reads.complaints``)."""
    from kequ.storage.fast_reads.complaints import list_complaints as read

    return read(db, today or clock.today())
