"""Reading what the agenda rules need, in plain SQL on the standard sqlite3 driver.

Today is the screen a salesperson opens every morning; loading the ORM (SQLAlchemy and
pydantic, about half a second here) just to read a few columns would be most of its
wait. These queries read; every write still goes through the models. The SQL is
SQLite's (``date(x, 'localtime')``); `tests/services` runs it on every change.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

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

FESTIVALS_SETTING = "festivals.greet"
FESTIVAL_TIERS_SETTING = "festivals.tiers"
# Handled occurrences older than this cannot come back into any window.
HANDLED_HORIZON_DAYS = 400

_CUSTOMERS = """
    SELECT id, name, tier, date(created_at, 'localtime'), honorific, disc, churned, company FROM customer
"""
# SQLite turns the newest timestamp into a local day itself: converting 30,000
# datetimes in Python costs more than the whole agenda.
_LAST_CONTACT = """
    SELECT customer_id, kind, date(max(happened_at), 'localtime') FROM interaction GROUP BY customer_id, kind
"""
_DATES = "SELECT id, customer_id, kind, month, day, lunar, leap, year, lead_days, label FROM important_date"
_DEALS = "SELECT id, customer_id, closed_on FROM deal WHERE closed_on >= ?"
_TOUCHES = """
    SELECT id, customer_id, kind, source_key, occurrence, due_date, status, reason FROM touchpoint
    WHERE occurrence >= ? OR status IN ('snoozed', 'planned')
"""
_COMPLAINTS = "SELECT id, customer_id, date(opened_at, 'localtime'), step, summary FROM complaint WHERE status = 'open'"


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def read_input(conn: sqlite3.Connection, today: date) -> AgendaInput:
    customers = [
        CustomerFacts(cid, name, tier, _day(added), honorific, disc, bool(churned), company)
        for cid, name, tier, added, honorific, disc, churned, company in conn.execute(_CUSTOMERS)
    ]
    last_contact = {(cid, kind): _day(day) for cid, kind, day in conn.execute(_LAST_CONTACT)}
    dates = [
        DatedEvent(did, cid, kind, AnnualDate(month, day, bool(lunar), bool(leap), year), lead, label)
        for did, cid, kind, month, day, lunar, leap, year, lead, label in conn.execute(_DATES)
    ]
    recent = (today - timedelta(days=60)).isoformat()
    deals = [DealFact(did, cid, _day(closed)) for did, cid, closed in conn.execute(_DEALS, (recent,))]
    horizon = (today - timedelta(days=HANDLED_HORIZON_DAYS)).isoformat()
    handled: list[Handled] = []
    planned: list[PlannedTouch] = []
    for tid, cid, kind, source, occurrence, due_on, status, reason in conn.execute(_TOUCHES, (horizon,)):
        if status == "planned" and source == "manual":
            planned.append(PlannedTouch(tid, cid, kind, _day(due_on), reason))
        else:
            handled.append(Handled(cid, source, _day(occurrence), status, _day(due_on)))
    complaints = [
        OpenComplaint(kid, cid, _day(opened), step, summary)
        for kid, cid, opened, step, summary in conn.execute(_COMPLAINTS)
    ]
    return AgendaInput(customers, last_contact, dates, deals, handled, planned, complaints)


def _setting(conn: sqlite3.Connection, key: str) -> object:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row and row[0] is not None else None


def read_rules(conn: sqlite3.Connection) -> Rules:
    tiers: dict[str, dict[str, int]] = {}
    own: dict[int, dict[str, int]] = {}
    for customer_id, tier, kind, interval in conn.execute("SELECT customer_id, tier, kind, interval_days FROM cadence"):
        if customer_id is not None:
            own.setdefault(customer_id, {})[kind] = interval
        elif tier is not None:
            tiers.setdefault(tier, {})[kind] = interval
    base = Rules()
    merged = {tier: {**kinds, **tiers.get(tier, {})} for tier, kinds in base.cadences.items()}
    greet = _setting(conn, FESTIVALS_SETTING)
    greet_tiers = _setting(conn, FESTIVAL_TIERS_SETTING)
    return Rules(
        cadences=merged,
        overrides=own,
        festival_keys=frozenset(greet) if isinstance(greet, list) else base.festival_keys,
        festival_tiers=frozenset(greet_tiers) if isinstance(greet_tiers, list) else base.festival_tiers,
    )


def agenda(db: Database, today: date, until: date | None = None) -> list[DueItem]:
    """What is due, read without the ORM so the Today screen never waits for it."""
    with db.reader() as conn:
        data = read_input(conn, today)
        rules = read_rules(conn)
    return due(data, rules, today, until)
