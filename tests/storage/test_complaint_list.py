"""The complaint list read in plain SQL says what the stored complaints say, in the list's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from kequ.domain.records import NewCustomer
from kequ.services import complaints as cs
from kequ.services.customers import add_customer
from kequ.storage.fast_reads.complaints import list_complaints
from kequ.storage.models import Complaint
from tests.conftest import DEMO_TODAY
from tests.helpers import orm_loaded_after


def test_open_first_then_newest_with_local_days_and_ages(db) -> None:
    a = add_customer(db, NewCustomer(name="周海涛", honorific="周总", tier="key"))
    b = add_customer(db, NewCustomer(name="李娜", tier="regular"))
    cs.set_summary(db, cs.open_or_resume(db, a, DEMO_TODAY).ref, "外箱破损")
    cs.set_summary(db, cs.open_or_resume(db, b, DEMO_TODAY).ref, "发票开错")
    with db.session() as session:
        rows = session.exec(select(Complaint).order_by(Complaint.id)).all()
        first, second = rows[0], rows[1]
        # Late in the UTC evening: the local day is the next one east of Greenwich.
        first.opened_at = datetime(2026, 11, 10, 23, 30, tzinfo=UTC)
        second.opened_at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        session.add_all([first, second])
    with db.session() as session:
        second = session.get(Complaint, rows[1].id)
        second.status = "closed"
        second.closed_at = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
        session.add(second)
    listed = list_complaints(db, DEMO_TODAY)
    assert [r.status for r in listed] == ["open", "closed"]
    with db.session() as session:
        stored = {c.id: c for c in session.exec(select(Complaint)).all()}
    for row in listed:
        kept = stored[row.id]
        opened = kept.opened_at.astimezone().date()
        closed_on = kept.closed_at.astimezone().date() if kept.closed_at else None
        assert (row.opened_on, row.closed_on) == (opened, closed_on)
        assert row.age_days == max(0, ((closed_on or DEMO_TODAY) - opened).days)
        assert (row.step, row.summary, row.cause, row.satisfaction) == (kept.step, kept.summary, kept.cause, None)
    assert listed[0].customer_name == "周总（周海涛）"
    assert listed[1].age_days == 2
    assert cs.list_complaints(db, DEMO_TODAY) == listed  # the service reads the same list


def test_several_open_ones_newest_first(db) -> None:
    ids = [add_customer(db, NewCustomer(name=f"客户{n}", tier="regular")) for n in range(3)]
    made = [cs.set_summary(db, cs.open_or_resume(db, cid, DEMO_TODAY).ref, f"问题{n}") for n, cid in enumerate(ids)]
    with db.session() as session:
        for n, complaint in enumerate(session.exec(select(Complaint).order_by(Complaint.id)).all()):
            complaint.opened_at = datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(days=(n * 5) % 7)
            session.add(complaint)
    listed = list_complaints(db, DEMO_TODAY)
    assert [r.opened_on for r in listed] == sorted((r.opened_on for r in listed), reverse=True)
    assert len(listed) == len(made) == 3


def test_the_list_loads_no_orm(db_path, demo_db) -> None:
    setup = "from kequ.storage.fast_reads.complaints import list_complaints"
    assert orm_loaded_after(db_path, setup, "list_complaints(db, date(2026, 11, 23))") == []
