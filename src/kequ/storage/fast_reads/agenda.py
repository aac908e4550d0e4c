"""Reading what the agenda rules need, in plain SQL on the standard sqlite3 driver.

Today is the screen a salesperson opens every morning; loading the ORM (SQLAlchemy and
pydantic, about half a second here) just to read a few columns would be most of its
wait. These queries read; every write still goes through the models. The SQL is
SQLite's (``date(x, 'localtime')``); `tests/services` runs it on every change.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from kequ.domain.agenda import DAYS_AHEAD, sources
from kequ.domain.agenda.first_touches import FirstTouchPlan
from kequ.domain.agenda.rules import (
    AgendaInput,
    CustomerFacts,
    DatedEvent,
    DealFact,
    DueItem,
    Handled,
    OpenComplaint,
    PlannedTouch,
    Rules,
    due_and_plan,
    due_by_today,
)
from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.collector import collector_paused
from kequ.domain.rhythms import RHYTHM_KINDS, setting_key
from kequ.domain.settings import resolve
from kequ.storage.database import Database, _identity, on_release, work_calendar_for
from kequ.storage.fast_reads.settings import stored

# Keys of the setting table (kequ.domain.settings).
FESTIVALS_SETTING = "festivals"
FESTIVAL_TIERS_SETTING = "festival_tiers"
FIRST_TOUCH_CAP_SETTING = "first_touch_cap"
# Handled occurrences older than this cannot come back into any window.
HANDLED_HORIZON_DAYS = 400

_CUSTOMERS = """
    SELECT id, name, tier, date(created_at, 'localtime'), honorific, disc, churned, company, gender, relation_type
    FROM customer
"""
# SQLite turns the newest timestamp into a local day itself: converting 30,000
# datetimes in Python costs more than the whole agenda. newest_contact (schema step
# *_newest_contact) holds the newest contact of each customer and kind, kept by triggers.
_LAST_CONTACT = "SELECT customer_id, kind, date(happened_at, 'localtime') FROM newest_contact"
# The newest contact of one kind, and whether the customer has a rhythm of it of their own.
_NEWEST = "(SELECT date(happened_at, 'localtime') FROM newest_contact WHERE customer_id = c.id AND kind = ?)"
_OWN_RHYTHM = """
    c.id IN (SELECT customer_id FROM cadence WHERE customer_id IS NOT NULL AND kind = ? AND interval_days > 0)
"""
_DATES = "SELECT id, customer_id, kind, month, day, lunar, leap, year, lead_days, label FROM important_date"
_DEALS = "SELECT id, customer_id, closed_on FROM deal WHERE closed_on >= ?"
_TOUCHES = """
    SELECT id, customer_id, kind, source_key, occurrence, due_date, status, reason, due_time FROM touchpoint
    WHERE (occurrence >= ? OR status IN ('snoozed', 'planned'))
"""
_COMPLAINTS = "SELECT id, customer_id, date(opened_at, 'localtime'), step, summary FROM complaint WHERE status = 'open'"


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


class _Days(dict[str, date]):
    """ISO day → date, each day parsed once: ``days["2026-12-07"]``."""

    __slots__ = ()

    def __missing__(self, text: str) -> date:
        found = self[text] = date.fromisoformat(text)
        return found


def _kinds_read(rules: Rules) -> dict[str, list[str]]:
    """{kind: the tiers whose rhythm has it}: the only last contacts the rules look at.

    A kind that only some customers' own rhythms have maps to no tier; those customers
    are found through their cadence rows in the SQL.
    """
    kinds: dict[str, list[str]] = {}
    for tier, rhythms in rules.cadences.items():
        for kind, days in rhythms.items():
            if days > 0:
                kinds.setdefault(kind, []).append(tier)
    for rhythms in rules.overrides.values():
        for kind, days in rhythms.items():
            if days > 0:
                kinds.setdefault(kind, [])
    return kinds


def _customers_sql(kinds: dict[str, list[str]]) -> tuple[str, list[object]]:
    """The customers, each with the local day of their last contact of every kind read.

    One lookup per customer and kind in newest_contact, the table the triggers keep (in
    interaction's (customer, kind, time) index each lookup went through a tree of
    2,000,000 contacts, a fifth of Today's read at 100,000 customers). Only customers whose
    tier (or own cadence) has the rhythm are looked up: visits are looked for at key
    customers only.
    """
    columns, params = [], []
    for kind, tiers in kinds.items():
        marks = ", ".join("?" * len(tiers))
        columns.append(f"CASE WHEN c.tier IN ({marks}) OR {_OWN_RHYTHM} THEN {_NEWEST} END")
        params += [*tiers, kind, kind]
    head = (
        "SELECT c.id, c.name, c.tier, date(c.created_at, 'localtime'), c.honorific, c.disc, c.churned, c.company,"
        " c.gender, c.relation_type"
    )
    return ", ".join([head, *columns]) + " FROM customer c", params


def read_input(
    conn: sqlite3.Connection, today: date, rules: Rules | None = None, customer_id: int | None = None
) -> AgendaInput:
    """What ``due`` needs; given the rules, only the last contacts that they read; given a
    customer, only what is about them (``rules`` is then needed)."""
    # Hundreds of thousands of tuples and dates: the collector's full passes (over the
    # app's widgets too) are not billed to every read.
    with collector_paused():
        return _read_input(conn, today, rules, customer_id)


def _read_input(conn: sqlite3.Connection, today: date, rules: Rules | None, customer_id: int | None) -> AgendaInput:
    # One customer's rows, read along the customer_id indexes, or the whole book's.
    one = "" if customer_id is None else " AND customer_id = ?"
    who: tuple[int, ...] = () if customer_id is None else (customer_id,)
    if rules is None:
        if customer_id is not None:
            raise ValueError("one customer's agenda is read with the rules")
        customers = [
            CustomerFacts(cid, name, tier, _day(added), honorific, disc, bool(churned), company, gender, relation)
            for cid, name, tier, added, honorific, disc, churned, company, gender, relation in conn.execute(_CUSTOMERS)
        ]
        last_contact = {(cid, kind): _day(day) for cid, kind, day in conn.execute(_LAST_CONTACT)}
    else:
        customers, last_contact = _read_customers(conn, rules, customer_id)
    # Many customers share a birthday: one AnnualDate per distinct date, not per row.
    annuals: dict[tuple[int, int, int, int, int | None], AnnualDate] = {}
    dates: list[DatedEvent] = []
    add_date = dates.append
    new = tuple.__new__  # DatedEvent(...) would go through a Python-level __new__
    for did, cid, kind, month, day, lunar, leap, year, lead, label in conn.execute(
        _DATES + (" WHERE customer_id = ?" if who else ""), who
    ):
        key = (month, day, lunar, leap, year)
        annual = annuals.get(key)
        if annual is None:
            annual = annuals[key] = AnnualDate(month, day, bool(lunar), bool(leap), year)
        add_date(new(DatedEvent, (did, cid, kind, annual, lead, label)))
    recent = (today - timedelta(days=60)).isoformat()
    deals = [DealFact(did, cid, _day(closed)) for did, cid, closed in conn.execute(_DEALS + one, (recent, *who))]
    horizon = (today - timedelta(days=HANDLED_HORIZON_DAYS)).isoformat()
    handled: list[Handled] = []
    planned: list[PlannedTouch] = []
    for tid, cid, kind, source, occurrence, due_on, status, reason, at in conn.execute(_TOUCHES + one, (horizon, *who)):
        if status == "planned" and source == sources.MANUAL:
            # A time of day is said with the reason: 16:00 明天下午4点电话.
            planned.append(PlannedTouch(tid, cid, kind, _day(due_on), f"{at} {reason}" if at else reason))
        else:
            handled.append(Handled(cid, source, _day(occurrence), status, _day(due_on)))
    complaints = [
        OpenComplaint(kid, cid, _day(opened), step, summary)
        for kid, cid, opened, step, summary in conn.execute(_COMPLAINTS + one, who)
    ]
    return AgendaInput(customers, last_contact, dates, deals, handled, planned, complaints)


def _read_customers(
    conn: sqlite3.Connection, rules: Rules, customer_id: int | None = None
) -> tuple[list[CustomerFacts], dict[tuple[int, str], date]]:
    kinds = _kinds_read(rules)
    sql, params = _customers_sql(kinds)
    if customer_id is not None:
        sql, params = f"{sql} WHERE c.id = ?", [*params, customer_id]
    customers: list[CustomerFacts] = []
    last_contact: dict[tuple[int, str], date] = {}
    add = customers.append
    new = tuple.__new__  # CustomerFacts(...) would go through a Python-level __new__
    names = tuple(kinds)
    if len(names) == 2:  # the playbook's rhythms, calls and visits: no inner loop
        # A hundred thousand customers were added and last called on a few thousand days:
        # one date per day, looked up, instead of one parsed per row (and held per row).
        days = _Days()
        first, second = names
        for cid, name, tier, added, honorific, disc, churned, company, gender, relation, one, two in conn.execute(
            sql, params
        ):
            facts = (cid, name, tier, days[added], honorific, disc, bool(churned), company, gender, relation)
            add(new(CustomerFacts, facts))
            if one is not None:
                last_contact[cid, first] = days[one]
            if two is not None:
                last_contact[cid, second] = days[two]
        return customers, last_contact
    day = date.fromisoformat
    for cid, name, tier, added, honorific, disc, churned, company, gender, relation, *newest in conn.execute(
        sql, params
    ):
        add(CustomerFacts(cid, name, tier, day(added), honorific, disc, bool(churned), company, gender, relation))
        for kind, found in zip(names, newest, strict=True):
            if found is not None:
                last_contact[cid, kind] = day(found)
    return customers, last_contact


def read_rules(conn: sqlite3.Connection) -> Rules:
    """The rules of this book: each tier's rhythms (the playbook's, then the user's settings
    for calls and visits), each customer's own on top, and the festival settings."""
    tiers: dict[str, dict[str, int]] = {}
    own: dict[int, dict[str, int]] = {}
    for customer_id, tier, kind, interval in conn.execute("SELECT customer_id, tier, kind, interval_days FROM cadence"):
        if customer_id is not None:
            own.setdefault(customer_id, {})[kind] = interval
        elif tier is not None:
            tiers.setdefault(tier, {})[kind] = interval
    base = Rules()
    written = stored(conn)
    settings = resolve(written)
    merged: dict[str, dict[str, int]] = {}
    for tier, kinds in base.cadences.items():
        rhythms = merged[tier] = {**kinds, **tiers.get(tier, {})}
        for kind in RHYTHM_KINDS:
            # What the user set for the tier wins over the playbook (and a tier row of cadence).
            key = setting_key(tier, kind)
            if key in written:
                rhythms[kind] = settings[key]  # type: ignore[assignment]
    return Rules(
        cadences=merged,
        overrides=own,
        festival_keys=frozenset(settings[FESTIVALS_SETTING]),  # type: ignore[arg-type]
        festival_tiers=frozenset(settings[FESTIVAL_TIERS_SETTING]),  # type: ignore[arg-type]
        first_touch_cap=settings[FIRST_TOUCH_CAP_SETTING],  # type: ignore[arg-type]
    )


def agenda(db: Database, today: date, until: date | None = None) -> list[DueItem]:
    """What is due, read without the ORM so the Today screen never waits for it."""
    return agenda_and_plan(db, today, until)[0]


def owed_today(db: Database, today: date) -> list[DueItem]:
    """``agenda(db, today)``, picked from Today's window (``DAYS_AHEAD`` more days): the
    agenda Today has just read, kept while the book is unchanged, answers it at once."""
    items = agenda(db, today, today + timedelta(days=DAYS_AHEAD))
    # The lead days of the dates that only a longer window could have found (see due_by_today).
    ids = {
        int(sources.reference(item.source_key))
        for item in items
        if item.due <= today < item.occurrence and sources.origin(item.source_key) == sources.DATE
    }
    leads: dict[int, int] = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        with db.reader() as conn:
            leads = dict(conn.execute(f"SELECT id, lead_days FROM important_date WHERE id IN ({marks})", list(ids)))
    return due_by_today(items, today, leads)


def customer_agenda(db: Database, customer_id: int, today: date, until: date | None = None) -> list[DueItem]:
    """What ``agenda`` holds for one customer, read from that customer's rows alone.

    Every rule but one looks at the customer alone. The exception is a first call or visit
    never made: the day it falls on depends on every other newcomer of the book
    (``first_touches`` spreads them under a daily cap), so a customer owed one is read with
    the whole agenda, as Today reads it.
    """
    with db.reader() as conn:
        rules = read_rules(conn)
        data = read_input(conn, today, rules, customer_id)
    items, plan = due_and_plan(replace(data, calendar=work_calendar_for(db.path)), rules, today, until)
    if customer_id in plan.days:
        return [item for item in agenda(db, today, until) if item.customer_id == customer_id]
    return items


def agenda_and_plan(db: Database, today: date, until: date | None = None) -> tuple[list[DueItem], FirstTouchPlan]:
    """``agenda``, and the plan of new customers' first touches that Today sums up in a line.

    The last answer is kept while the book is unchanged: Today, the marks of the customer
    list and Today's refresh every minute ask for the same week, and at 100,000 customers
    each read is a second of work and tens of MB held twice. Any commit to the book (this
    process's, another kequ's, a sync) changes SQLite's ``data_version`` and the next call
    reads afresh; so does another file at the path, another day or window, or changed
    holiday files.
    """
    # The user's own holiday files count as much as the packaged years.
    calendar = work_calendar_for(db.path)
    with _KEPT.lock:
        book = (str(db.path), _identity(db.path))  # another file at the path (a backup restored) is another book
        version = _KEPT.version(db, book)
        asked = (book, today, until or today, calendar, version)
        if version is not None and _KEPT.answer is not None and _KEPT.asked == asked:
            items, plan = _KEPT.answer
            return list(items), plan
        with db.reader() as conn:
            rules = read_rules(conn)
            data = read_input(conn, today, rules)
        items, plan = due_and_plan(replace(data, calendar=calendar), rules, today, until)
        del data  # a hundred thousand customers' facts: gone before the answer is kept
        _KEPT.asked, _KEPT.answer = (asked, (items, plan)) if version is not None else (None, None)
        return list(items), plan


class _Kept:
    """The last agenda read, what it answered, and a connection to the book that tells whether
    it has changed since (``PRAGMA data_version`` moves with every commit of another connection)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.asked: tuple[object, ...] | None = None
        self.answer: tuple[list[DueItem], FirstTouchPlan] | None = None
        self.book: tuple[str, tuple[int, int] | None] | None = None
        self.conn: sqlite3.Connection | None = None

    def version(self, db: Database, book: tuple[str, tuple[int, int] | None]) -> int | None:
        """The book's data_version as the kept connection sees it; None when it cannot tell."""
        if self.conn is not None and self.book != book:
            self.forget()  # another book, or another file at the path: its connection is of no use
        try:
            if self.conn is None:
                self.conn, self.book = db.kept_reader(), book
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except Exception:  # whatever stops the check (a book locked, gone, not decrypted) reads afresh
            self.forget()
            return None

    def forget(self) -> None:
        """Nothing kept: the next call reads the book."""
        if self.conn is not None:
            self.conn.close()
        self.conn, self.book, self.asked, self.answer = None, None, None, None


_KEPT = _Kept()


def forget_kept(path: Path | None = None) -> None:
    """Let go of the kept agenda and its connection (only if it is of ``path``, when given)."""
    with _KEPT.lock:
        if path is None or (_KEPT.book is not None and Path(_KEPT.book[0]).resolve() == path):
            _KEPT.forget()


on_release(forget_kept)
