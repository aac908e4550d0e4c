"""Adding, finding and listing customers."""

from __future__ import annotations

from sqlmodel import or_, select

from kequ.db import Database
from kequ.errors import KequError
from kequ.models import Customer
from kequ.records import CustomerRecord, NewCustomer
from kequ.validation import check_new_customer


def to_record(row: Customer) -> CustomerRecord:
    assert row.id is not None
    return CustomerRecord(
        id=row.id,
        name=row.name,
        honorific=row.honorific,
        company=row.company,
        title=row.title,
        city=row.city,
        tier=row.tier,
        disc=row.disc,
        relation_type=row.relation_type,
        ladder=row.ladder,
        phones=tuple(row.phones),
        wechat=row.wechat,
        email=row.email,
        tags=tuple(row.tags),
        notes=row.notes,
        churned=row.churned,
        added_on=row.created_at.astimezone().date(),
    )


def new_customer_row(data: NewCustomer, **extra: object) -> Customer:
    """A validated, unsaved row; raises KequError for anything a person must fix."""
    clean = check_new_customer(data)
    return Customer(
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
        **extra,
    )


def add_customer(db: Database, data: NewCustomer) -> int:
    row = new_customer_row(data)
    with db.session() as session:
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def resolve_customer(db: Database, ref: str) -> CustomerRecord:
    """An id, or a name / 称呼 that matches exactly one customer."""
    ref = ref.strip()
    with db.session() as session:
        if ref.isdigit():
            row = session.get(Customer, int(ref))
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


def list_customers(db: Database) -> list[CustomerRecord]:
    with db.session() as session:
        return [to_record(row) for row in session.exec(select(Customer).order_by(Customer.id))]


def add_customer_with_dates(
    db: Database, data: NewCustomer, birthday: str | None = None, lunar_birthday: str | None = None
) -> int:
    """A new customer and their birthday, both saved or neither."""
    from kequ.calendar_cn import parse_lunar_date, parse_solar_date
    from kequ.models import ImportantDate
    from kequ.vocab import DateKind

    row = new_customer_row(data)
    # Parse before opening the session: a wrong date must refuse the whole entry.
    dates = []
    if birthday:
        dates.append(parse_solar_date(birthday))
    if lunar_birthday:
        dates.append(parse_lunar_date(lunar_birthday))
    with db.session() as session:
        session.add(row)
        session.flush()
        assert row.id is not None
        for annual in dates:
            session.add(
                ImportantDate(
                    customer_id=row.id,
                    kind=DateKind.BIRTHDAY.value,
                    month=annual.month,
                    day=annual.day,
                    lunar=annual.lunar,
                    leap=annual.leap,
                    year=annual.year,
                )
            )
        return row.id
