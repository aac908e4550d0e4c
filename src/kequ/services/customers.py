"""Adding, finding and listing customers."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlmodel import or_, select

from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.records import CustomerRecord, NewCustomer
from kequ.domain.validation import check_new_customer
from kequ.domain.values import address_as
from kequ.errors import KequError
from kequ.services.customer_record import to_record
from kequ.storage import clock
from kequ.storage.database import Database
from kequ.storage.models import Customer, ImportantDate
from kequ.storage.rows import add_and_number, delete_by_id


def new_customer_row(data: NewCustomer, **extra: object) -> Customer:
    """A validated, unsaved row; raises KequError for anything a person must fix."""
    clean = check_new_customer(data)
    row = Customer(
        name=clean.name,
        honorific=clean.honorific,
        company=clean.company,
        title=clean.title,
        phones=list(clean.phones),
        wechat=clean.wechat,
        email=clean.email,
        city=clean.city,
        tier=clean.tier,
        disc=clean.disc,
        tags=list(clean.tags),
        notes=clean.notes,
        gender=clean.gender,
        **({"stage": clean.stage} | extra),
    )
    refresh_search_keys(row)
    return row


def add_customer(db: Database, data: NewCustomer) -> int:
    row = new_customer_row(data)
    with db.session() as session:
        return add_and_number(session, row)


def resolve_customer(db: Database, ref: str) -> CustomerRecord:
    """An id (67, #67, ＃６７), or a name / 称呼 that matches exactly one customer."""
    ref = ref.strip()
    number = unicodedata.normalize("NFKC", ref).removeprefix("#").strip()
    with db.session() as session:
        if number.isdigit():
            row = session.get(Customer, int(number))
            if row is None:
                raise KequError("customer.no_id", ref=ref)
            return to_record(row)
        rows = session.exec(select(Customer).where(or_(Customer.name == ref, Customer.honorific == ref))).all()
        if not rows:
            raise KequError("customer.not_found", ref=ref)
        if len(rows) > 1:
            choices = "；".join(f"#{r.id} {r.name} {r.honorific} {r.company}".strip() for r in rows)
            raise KequError("customer.ambiguous", ref=ref, count=len(rows), choices=choices)
        return to_record(rows[0])


def same_customer(db: Database, data: NewCustomer) -> tuple[CustomerRecord, str] | None:
    """A customer already in the book who is ``data`` by the import's rules (the same phone,
    WeChat or e-mail, or the same name at the same company), with what matched; else None."""
    from kequ.domain.duplicates import duplicate_keys

    wanted = set(duplicate_keys(data.name, data.company, data.phones, data.wechat, data.email))
    if not wanted:
        return None
    columns = select(Customer.id, Customer.name, Customer.company, Customer.phones, Customer.wechat, Customer.email)
    with db.session() as session:
        for cid, name, company, phones, wechat, email in session.exec(columns.order_by(Customer.id)):
            for by, key in duplicate_keys(name, company, phones or [], wechat, email):
                if (by, key) in wanted:
                    row = session.get(Customer, cid)
                    assert row is not None
                    return to_record(row), by
    return None


def list_customers(db: Database) -> list[CustomerRecord]:
    with db.session() as session:
        return [to_record(row) for row in session.exec(select(Customer).order_by(Customer.id))]


def add_customer_with_dates(
    db: Database, data: NewCustomer, birthday: str | None = None, lunar_birthday: str | None = None
) -> int:
    """A new customer and their birthday, both saved or neither."""
    from kequ.domain.calendar.lunar import parse_lunar_date, parse_solar_date, says_lunar

    row = new_customer_row(data)
    # Parse before opening the session: a wrong date must refuse the whole entry. An
    # empty one is refused too ("" is no birthday); 农历 before a birthday makes it lunar.
    dates = []
    if birthday is not None:
        dates.append(parse_lunar_date(birthday) if says_lunar(birthday) else parse_solar_date(birthday))
    if lunar_birthday is not None:
        dates.append(parse_lunar_date(lunar_birthday))
    with db.session() as session:
        session.add(row)
        session.flush()
        assert row.id is not None
        for annual in dates:
            session.add(_date_row(row.id, annual))
        return row.id


def _date_row(
    customer_id: int, annual: AnnualDate, kind: str = "birthday", label: str = "", lead_days: int = 0
) -> ImportantDate:
    from kequ.domain.validation import MAX_SHORT, clean_text
    from kequ.domain.vocab import DateKind

    return ImportantDate(
        customer_id=customer_id,
        kind=DateKind(kind).value,
        label=clean_text(label, MAX_SHORT, "label"),
        month=annual.month,
        day=annual.day,
        lunar=annual.lunar,
        leap=annual.leap,
        year=annual.year,
        lead_days=lead_days,
    )


SEARCHED_FIELDS = {"name", "honorific", "company", "phones", "wechat", "email", "city", "tags"}


def refresh_search_keys(row: Customer) -> None:
    from kequ.domain.search import search_keys

    row.search_keys = search_keys(
        row.name, row.honorific, row.company, row.phones, row.wechat, row.email, row.city, row.tags
    )


def update_field(
    db: Database, customer_id: int, field: str, raw: str, version: datetime | None = None
) -> CustomerRecord:
    """Save one edited field at once (the profile has no "save" button to forget).

    ``version`` is the one the edit started from: if the customer was changed since, in
    another window, the write is refused rather than silently undoing that change.
    """

    from kequ.domain.validation import check_field

    value = check_field(field, raw)
    with db.session() as session:
        row = session.get(Customer, customer_id)
        if row is None:
            raise KequError("customer.no_id", ref=customer_id)
        if version is not None and row.updated_at != version:
            raise KequError("customer.changed_elsewhere", name=address_as(row.name, row.honorific))
        setattr(row, field, value)
        if field in SEARCHED_FIELDS:
            refresh_search_keys(row)
        row.updated_at = clock.now()
        session.add(row)
        session.flush()
        return to_record(row)


def add_date(
    db: Database,
    customer_id: int,
    text: str,
    *,
    lunar: bool,
    kind: str = "birthday",
    label: str = "",
    lead_days: int | None = None,
) -> int:
    """A date typed by a person; impossible dates are refused, never moved."""
    from kequ.domain.calendar.lunar import parse_lunar_date, parse_solar_date

    annual = parse_lunar_date(text) if lunar else parse_solar_date(text)
    return add_annual_date(db, customer_id, annual, kind=kind, label=label, lead_days=lead_days)


def add_annual_date(
    db: Database,
    customer_id: int,
    annual: AnnualDate,
    *,
    kind: str = "birthday",
    label: str = "",
    lead_days: int | None = None,
) -> int:
    """A parsed, valid date. A life event needs its year (it happens once); ``lead_days``
    None means the kind's usual lead (``life_events.LIFE_EVENTS``; 0 for yearly dates)."""
    from kequ.domain.calendar.lunar import DateInputError
    from kequ.domain.life_events import default_lead, is_one_off
    from kequ.domain.vocab import MAX_LEAD_DAYS

    if annual.year is None and is_one_off(kind):
        raise DateInputError("date.event_needs_year")
    if lead_days is None:
        lead_days = default_lead(kind)
    if not 0 <= lead_days <= MAX_LEAD_DAYS:
        raise KequError("input.bad_days", value=lead_days)
    row = _date_row(customer_id, annual, kind, label, lead_days)
    with db.session() as session:
        if session.get(Customer, customer_id) is None:
            raise KequError("customer.no_id", ref=customer_id)
        return add_and_number(session, row)


def remove_date(db: Database, date_id: int) -> None:
    from kequ.storage.models import ImportantDate

    delete_by_id(db, ImportantDate, date_id)
