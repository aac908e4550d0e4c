"""One customer's profile, read in plain SQL on the standard sqlite3 driver.

The profile is the screen opened most after Today; reading it through the ORM made the
first profile of a session wait for SQLAlchemy, SQLModel and pydantic to load (about half
a second of CPU). The rows come back with the attribute names and the value types the
models give (lists for the JSON columns, aware UTC datetimes, dates, booleans), so that
``kequ.services.profile`` builds the same ``ProfileView`` from them. Reads, never writes.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from kequ.storage.database import Database

TIMELINE_LIMIT = 500

_CUSTOMER = (
    "id, name, honorific, company, title, city, tier, disc, relation_type, ladder, phones, wechat, email, tags,"
    " notes, churned, created_at, gender, updated_at, company_role, stage, district, address, ford_family,"
    " ford_occupation, ford_recreation, ford_dreams, interests, source, churn_reason, churn_note, churned_on"
)
_TIMELINE = (
    "SELECT id, customer_id, kind, happened_at, notes, outcome FROM interaction WHERE customer_id = ?"
    " ORDER BY happened_at DESC, id DESC LIMIT ?"
)
_DATES = "SELECT id, kind, label, month, day, lunar, leap, year, lead_days FROM important_date WHERE customer_id = ?"
_GIFTS = (
    "SELECT id, given_on, item, cost_cents, occasion, reaction, note FROM gift WHERE customer_id = ?"
    " ORDER BY given_on DESC"
)
_COMPLAINTS = (
    "SELECT id, opened_at, status, step, summary, cause FROM complaint WHERE customer_id = ? ORDER BY opened_at DESC"
)
_COLLEAGUES = "SELECT id, name, honorific, title, company_role FROM customer WHERE company = ? AND id != ? ORDER BY id"
_BOOK_GIFTS = "SELECT coalesce(sum(cost_cents), 0) FROM gift WHERE given_on >= ? AND given_on <= ?"


def moment(text: str | None) -> datetime | None:
    """A stored UTC time as the models read it: aware, in UTC."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text[:10])


@dataclass(frozen=True, slots=True)
class ProfileRows:
    """What a profile shows, as rows with the models' attribute names."""

    customer: Any
    timeline: list[Any]
    interaction_count: int
    dates: list[Any]
    gifts: list[Any]
    complaints: list[Any]
    colleagues: list[Any]
    book_gift_cents: int


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> list[SimpleNamespace]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [SimpleNamespace(**dict(zip(names, values, strict=True))) for values in cursor.fetchall()]


def profile_rows(db: Database, customer_id: int, year: int) -> ProfileRows | None:
    """The customer, their last ``TIMELINE_LIMIT`` contacts and how many there are, their
    dates, gifts, complaints and colleagues, and the book's gift spend in ``year``; None if
    there is no such customer."""
    with db.reader() as conn:
        found = _rows(conn, f"SELECT {_CUSTOMER} FROM customer WHERE id = ?", (customer_id,))
        if not found:
            return None
        customer = found[0]
        customer.phones, customer.tags = json.loads(customer.phones), json.loads(customer.tags)
        customer.churned = bool(customer.churned)
        customer.created_at, customer.updated_at = moment(customer.created_at), moment(customer.updated_at)
        customer.churned_on = day(customer.churned_on)
        timeline = _rows(conn, _TIMELINE, (customer_id, TIMELINE_LIMIT))
        for row in timeline:
            row.happened_at = moment(row.happened_at)
        (count,) = conn.execute("SELECT count(*) FROM interaction WHERE customer_id = ?", (customer_id,)).fetchone()
        dates = _rows(conn, _DATES, (customer_id,))
        for row in dates:
            row.lunar, row.leap = bool(row.lunar), bool(row.leap)
        gifts = _rows(conn, _GIFTS, (customer_id,))
        for row in gifts:
            row.given_on = day(row.given_on)
        complaints = _rows(conn, _COMPLAINTS, (customer_id,))
        for row in complaints:
            row.opened_at = moment(row.opened_at)
        colleagues = _rows(conn, _COLLEAGUES, (customer.company, customer_id)) if customer.company.strip() else []
        (spent,) = conn.execute(_BOOK_GIFTS, (date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat())).fetchone()
    return ProfileRows(customer, timeline, int(count), dates, gifts, complaints, colleagues, int(spent))
