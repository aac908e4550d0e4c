"""Quick capture: one line read (kequ.domain.capture) and saved in one transaction.

What happened is logged as a contact, the next step planned as a touch (on the first free
day from the one asked, as every hand-planned touch), and a line with neither is added to
the customer's notes. The line itself is the note of each, whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time

from sqlmodel import select

from kequ.domain.calendar.workdays import WorkCalendar
from kequ.domain.capture.intent import Book, Person, read_capture
from kequ.domain.capture.result import Capture
from kequ.domain.validation import MAX_NOTE, clean_text
from kequ.domain.vocab import TouchKind
from kequ.errors import KequError
from kequ.services.agenda import moment_on
from kequ.services.planning import plan_touch
from kequ.storage import clock
from kequ.storage.database import Database, work_calendar_for
from kequ.storage.models import Customer, Interaction
from kequ.storage.rows import add_and_number


@dataclass(frozen=True, slots=True)
class Reader:
    """What reading a line needs from the book, read once (a capture line reads many lines)."""

    book: Book
    calendar: WorkCalendar
    names: dict[int, str]  # 王总（王建国）, for the preview and the questions

    def read(
        self, text: str, said_on: date, customer_id: int | None = None, now: time | None = None, implied: bool = False
    ) -> Capture:
        """``now``: the time of day, when ``said_on`` is today (a step at a time gone is not
        planned then); ``implied``: the customer is the profile's, not said (see read_capture)."""
        return read_capture(text, said_on, self.book, self.calendar, customer_id, now, implied)


@dataclass(frozen=True, slots=True)
class Saved:
    capture: Capture  # as saved: its next day is the day the touch landed on
    interaction_id: int | None
    touch_id: int | None
    added_to_notes: bool


def line_reader(db: Database) -> Reader:
    from kequ.domain.values import display_name

    with db.session() as session:
        rows = session.exec(select(Customer.id, Customer.name, Customer.honorific, Customer.search_keys)).all()
    people = [Person(cid, name, honorific, keys) for cid, name, honorific, keys in rows]
    names = {person.id: display_name(person.name, person.honorific) for person in people}
    return Reader(Book(people), work_calendar_for(db.path), names)


def save_capture(db: Database, capture: Capture) -> Saved:
    """Log, plan or note what the line says, all or nothing. Every question must be answered."""
    customer_id = capture.customer_id
    if customer_id is None:
        raise KequError("capture.no_customer" if not capture.customers else "capture.which_customer")
    if capture.open_questions:
        raise KequError("capture.unanswered")
    if capture.logged_on is not None and capture.logged_on > clock.today():
        raise KequError("log.future")
    note = clean_text(capture.note, MAX_NOTE, "note")
    interaction_id = touch_id = None
    saved = capture
    with db.session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise KequError("customer.no_id", ref=customer_id)
        if capture.logged_kind is not None and capture.logged_on is not None:
            row = Interaction(
                customer_id=customer_id,
                kind=TouchKind(capture.logged_kind).value,
                happened_at=moment_on(capture.logged_on),
                notes=note,
            )
            interaction_id = add_and_number(session, row)
        day = capture.next_day
        if capture.next_kind is not None and day is not None:
            kind = TouchKind(capture.next_kind).value
            touch = plan_touch(session, customer_id, day, kind, note, note, at=capture.next_time)
            touch_id = touch.id
            if touch.occurrence != day:
                saved = replace(capture, next_days=(touch.occurrence,))
        noted = interaction_id is None and touch_id is None
        if noted:
            entry = f"{capture.said_on.isoformat()} {note}"
            customer.notes = f"{customer.notes}\n{entry}" if customer.notes.strip() else entry
            customer.updated_at = clock.now()
            session.add(customer)
    return Saved(saved, interaction_id, touch_id, noted)
