"""The profile read in plain SQL (storage/fast_reads/profile.py) gives the rows the ORM gives:
the same values, of the same types, in the same order, for every customer of the demo book."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from kequ.services.gifts import add_gift
from kequ.services.lost import mark_lost
from kequ.services.profile import load_profile
from kequ.storage.fast_reads.profile import _CUSTOMER, TIMELINE_LIMIT, profile_rows
from kequ.storage.models import Complaint, Customer, Gift, ImportantDate, Interaction
from tests.conftest import DEMO_TODAY
from tests.helpers import orm_loaded_after


def _same(plain: object, model: object, names: list[str]) -> None:
    for name in names:
        mine, theirs = getattr(plain, name), getattr(model, name)
        assert (mine, type(mine)) == (theirs, type(theirs)), name


def _check_customer(db, cid: int) -> None:
    rows = profile_rows(db, cid, DEMO_TODAY.year)
    assert rows is not None
    with db.session() as session:
        customer = session.get(Customer, cid)
        _same(rows.customer, customer, [name.strip() for name in _CUSTOMER.split(",")])
        timeline = session.exec(
            select(Interaction)
            .where(Interaction.customer_id == cid)
            .order_by(col(Interaction.happened_at).desc(), col(Interaction.id).desc())
            .limit(TIMELINE_LIMIT)
        ).all()
        assert len(rows.timeline) == len(timeline)
        for mine, theirs in zip(rows.timeline, timeline, strict=True):
            _same(mine, theirs, ["id", "customer_id", "kind", "happened_at", "notes", "outcome"])
        assert rows.interaction_count == len(
            session.exec(select(Interaction.id).where(Interaction.customer_id == cid)).all()
        )
        dates = {d.id: d for d in session.exec(select(ImportantDate).where(ImportantDate.customer_id == cid)).all()}
        assert sorted(d.id for d in rows.dates) == sorted(dates)
        for mine in rows.dates:
            _same(mine, dates[mine.id], ["kind", "label", "month", "day", "lunar", "leap", "year", "lead_days"])
        gifts = session.exec(select(Gift).where(Gift.customer_id == cid).order_by(col(Gift.given_on).desc())).all()
        assert [g.id for g in rows.gifts] == [g.id for g in gifts]
        for mine, theirs in zip(rows.gifts, gifts, strict=True):
            _same(mine, theirs, ["given_on", "item", "cost_cents", "occasion", "reaction", "note"])
        complaints = session.exec(
            select(Complaint).where(Complaint.customer_id == cid).order_by(col(Complaint.opened_at).desc())
        ).all()
        assert [c.id for c in rows.complaints] == [c.id for c in complaints]
        for mine, theirs in zip(rows.complaints, complaints, strict=True):
            _same(mine, theirs, ["opened_at", "status", "step", "summary", "cause"])
        colleagues = (
            session.exec(
                select(Customer).where(Customer.company == customer.company, Customer.id != cid).order_by(Customer.id)
            ).all()
            if customer.company.strip()
            else []
        )
        assert [c.id for c in rows.colleagues] == [c.id for c in colleagues]
        for mine, theirs in zip(rows.colleagues, colleagues, strict=True):
            _same(mine, theirs, ["name", "honorific", "title", "company_role"])
        year = DEMO_TODAY.year
        spent = sum(
            g.cost_cents or 0
            for g in session.exec(select(Gift)).all()
            if date(year, 1, 1) <= g.given_on <= date(year, 12, 31)
        )
        assert rows.book_gift_cents == spent


def test_every_demo_customer_reads_as_the_orm_reads_them(demo_db) -> None:
    with demo_db.session() as session:
        ids = list(session.exec(select(Customer.id)).all())
        some = session.exec(select(Customer.id).where(Customer.company != "")).first()
    assert len(ids) > 10 and some is not None
    # A lost customer (churned, with a day and a reason) and a gift without a cost.
    mark_lost(demo_db, ids[0], "price", "", DEMO_TODAY)
    add_gift(demo_db, ids[1], DEMO_TODAY, "茶叶", None)
    for cid in ids:
        _check_customer(demo_db, cid)
    assert profile_rows(demo_db, max(ids) + 1, DEMO_TODAY.year) is None


def test_the_profile_loads_no_orm(db_path, demo_db) -> None:
    view = load_profile(demo_db, 1, DEMO_TODAY)
    assert view.timeline and view.detail.base.id == 1
    setup = "from kequ.services.profile import load_profile"
    assert orm_loaded_after(db_path, setup, "load_profile(db, 1, date(2026, 11, 23)).timeline") == []
