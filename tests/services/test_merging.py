"""Merging two customers who are one person: every row of both stays, conflicts are chosen."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services.customers import add_customer, resolve_customer
from kequ.services.merging import find_conflicts, merge, merge_customers, merge_preview, read_take
from kequ.storage.backups import backup_dir
from kequ.storage.fast_reads.agenda import agenda
from kequ.storage.models import (
    Cadence,
    Complaint,
    ComplaintStep,
    Customer,
    Deal,
    Gift,
    ImportantDate,
    Interaction,
    Touchpoint,
    Trip,
    TripExpense,
    TripVisit,
)
from tests.conftest import DEMO_TODAY
from tests.helpers import refused

TODAY = DEMO_TODAY


def every_table_count(path: Path) -> dict[str, int]:
    """Rows of every table of the models, walked from their metadata (a table added later counts too)."""
    conn = sqlite3.connect(path)
    try:
        return {
            table.name: conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
            for table in SQLModel.metadata.sorted_tables
        }
    finally:
        conn.close()


def owned_rows(path: Path, customer_id: int) -> dict[tuple[str, str], int]:
    """Rows that refer to the customer, per (table, column) of every foreign key to customer.id."""
    conn = sqlite3.connect(path)
    found = {}
    try:
        for table in SQLModel.metadata.sorted_tables:
            for key in table.foreign_keys:
                if key.column.table.name == "customer":
                    query = f"SELECT count(*) FROM {table.name} WHERE {key.parent.name} = ?"
                    found[(table.name, key.parent.name)] = conn.execute(query, (customer_id,)).fetchone()[0]
    finally:
        conn.close()
    return found


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def fill(db, customer_id: int, *, seed: int, trip_id: int) -> None:
    """A customer with a row in every table that refers to customers, none alike another's."""
    day = TODAY - timedelta(days=20 + seed)
    with db.session() as session:
        for i in range(3):
            session.add(Interaction(customer_id=customer_id, kind="call", happened_at=at(day - timedelta(days=i))))
        session.add(ImportantDate(customer_id=customer_id, kind="anniversary", month=seed, day=seed + 1))
        session.add(Deal(customer_id=customer_id, closed_on=day, amount_cents=100_000 * seed))
        session.add(Gift(customer_id=customer_id, given_on=day, item=f"礼品{seed}"))
        complaint = Complaint(customer_id=customer_id, summary=f"投诉{seed}", step=2)
        session.add(complaint)
        session.flush()
        session.add(ComplaintStep(complaint_id=complaint.id, step=1, notes=f"倾听{seed}"))
        planned = TODAY + timedelta(days=seed)
        session.add(
            Touchpoint(
                customer_id=customer_id,
                kind="call",
                source_key="manual",
                occurrence=planned,
                due_date=planned,
                reason=f"回访{seed}",
            )
        )
        session.add(Cadence(customer_id=customer_id, kind="visit" if seed == 1 else "call", interval_days=30 + seed))
        session.add(TripVisit(trip_id=trip_id, customer_id=customer_id, day=TODAY, purpose=f"拜访{seed}"))


@pytest.fixture
def pair(db) -> tuple[int, int, int]:
    """(keep, drop, referred): one person twice, and a customer the second one referred."""
    keep = add_customer(
        db,
        NewCustomer(
            name="王建国",
            honorific="王总",
            company="恒瑞",
            phones=("13800138000",),
            wechat="wjg",
            tier="key",
            disc="D",
            tags=("老客户",),
            notes="爱喝茶",
        ),
    )
    drop = add_customer(
        db,
        NewCustomer(
            name="王建国",
            honorific="王总",
            company="恒瑞集团",
            phones=("+86 138-0013-8000", "0512-66889900"),
            email="w@hr.example",
            tier="regular",
            disc="I",
            tags=("老客户", "华东"),
            notes="不抽烟",
            gender="male",
        ),
    )
    referred = add_customer(db, NewCustomer(name="李娜"))
    with db.session() as session:
        trip = Trip(name="苏州", cities=["苏州"], start_on=TODAY, end_on=TODAY + timedelta(days=1))
        session.add(trip)
        session.flush()
        session.add(TripExpense(trip_id=trip.id, day=TODAY, amount_cents=5000))
        session.get(Customer, referred).referrer_id = drop
        trip_id = trip.id
    fill(db, keep, seed=1, trip_id=trip_id)
    fill(db, drop, seed=2, trip_id=trip_id)
    return keep, drop, referred


def test_every_row_of_every_table_is_still_there_and_belongs_to_the_kept_customer(db, pair) -> None:
    keep, drop, referred = pair
    before = every_table_count(db.path)
    owned = {cid: owned_rows(db.path, cid) for cid in (keep, drop)}
    assert all(owned[drop][ref] >= 1 for ref in owned[drop]), owned[drop]  # the test covers every table

    report = merge(db, keep, drop)

    after = every_table_count(db.path)
    assert after == {**before, "customer": before["customer"] - 1}
    assert report.folded == {}
    now_owned = owned_rows(db.path, keep)
    assert now_owned == {ref: owned[keep][ref] + owned[drop][ref] for ref in now_owned}
    assert set(owned_rows(db.path, drop).values()) == {0}
    with db.session() as session:
        assert session.get(Customer, drop) is None
        assert session.get(Customer, referred).referrer_id == keep
        steps = session.exec(select(ComplaintStep)).all()
        assert {s.notes for s in steps} == {"倾听1", "倾听2"}  # below the complaints, through them
    assert report.moved["interaction"] == 3 and report.moved["trip_visit"] == 1


def test_the_same_thing_said_twice_is_made_one_and_counted(db, pair) -> None:
    keep, drop, _ = pair
    festival = date(2026, 9, 25)
    with db.session() as session:
        for cid, year in ((keep, None), (drop, 1968)):
            session.add(ImportantDate(customer_id=cid, kind="birthday", month=3, day=8, year=year))
            session.add(Cadence(customer_id=cid, kind="message", interval_days=45))
        done = Touchpoint(
            customer_id=drop,
            kind="festival",
            source_key="festival:mid_autumn",
            occurrence=festival,
            due_date=festival,
            status="done",
        )
        session.add(done)
        session.add(
            Touchpoint(
                customer_id=keep,
                kind="festival",
                source_key="festival:mid_autumn",
                occurrence=festival,
                due_date=festival + timedelta(days=2),
                status="snoozed",
            )
        )
        session.flush()
        greeting = Interaction(customer_id=drop, kind="festival", happened_at=at(festival), touchpoint_id=done.id)
        session.add(greeting)
        session.flush()
        greeting_id = greeting.id
    before = every_table_count(db.path)

    report = merge(db, keep, drop)

    after = every_table_count(db.path)
    assert report.folded == {"important_date": 1, "cadence": 1, "touchpoint": 1}
    for table in before:
        assert before[table] - after[table] == report.folded.get(table, 0) + (table == "customer"), table
    with db.session() as session:
        birthday = session.exec(select(ImportantDate).where(ImportantDate.kind == "birthday")).one()
        assert (birthday.customer_id, birthday.year) == (keep, 1968)  # the year one of them knew is kept
        handled = session.exec(select(Touchpoint).where(Touchpoint.source_key == "festival:mid_autumn")).one()
        assert handled.status == "done"  # greeted is greeted, though the other copy was only snoozed
        assert session.get(Interaction, greeting_id).touchpoint_id == handled.id


def test_conflicts_are_listed_and_the_chosen_side_wins(db, pair) -> None:
    keep, drop, _ = pair
    with db.session() as session:
        session.add(ImportantDate(customer_id=keep, kind="birthday", month=3, day=8))
        session.add(ImportantDate(customer_id=drop, kind="birthday", month=4, day=9, year=1970))
        session.add(ImportantDate(customer_id=drop, kind="birthday", month=8, day=15, lunar=True))
        session.add(Cadence(customer_id=drop, kind="visit", interval_days=90))
    with db.session() as session:
        conflicts = {c.field: (c.keep, c.drop) for c in find_conflicts(session, keep, drop)}
    assert conflicts["company"] == ("恒瑞", "恒瑞集团")
    assert conflicts["tier"] == ("key", "regular") and conflicts["disc"] == ("D", "I")
    assert conflicts["rhythm.visit"] == (31, 90)
    assert "birthday" in conflicts and "lunar_birthday" not in conflicts  # a lunar one beside is no conflict
    assert "honorific" not in conflicts and "name" not in conflicts  # the same on both sides
    assert "email" not in conflicts and "gender" not in conflicts  # only one side has it: filled, not chosen

    report = merge(db, keep, drop, take=read_take(["company,生日（公历）", "visit rhythm"]))

    assert set(report.taken) == {"company", "birthday", "rhythm.visit"}
    kept = resolve_customer(db, str(keep))
    assert kept.company == "恒瑞集团"  # taken from the right
    assert (kept.tier, kept.disc) == ("key", "D")  # not taken: the kept customer's
    assert (kept.email, kept.gender) == ("w@hr.example", "male")  # empty on the left: filled
    with db.session() as session:
        birthdays = session.exec(select(ImportantDate).where(ImportantDate.kind == "birthday")).all()
        assert sorted((b.month, b.day, b.lunar) for b in birthdays) == [(4, 9, False), (8, 15, True)]
        rhythms = session.exec(select(Cadence).where(Cadence.customer_id == keep)).all()
        assert {(r.kind, r.interval_days) for r in rhythms} == {("visit", 90), ("call", 32)}  # call: only theirs
        assert report.folded == {"important_date": 1, "cadence": 1}


def test_an_unknown_field_to_take_is_refused_with_the_choices() -> None:
    error = refused("merge.unknown_field", read_take, ["公司,鞋码"])
    assert error.params["field"] == "鞋码" and "honorific" in error.params["options"]


def test_fields_to_take_are_split_as_any_typed_list_is() -> None:
    """公司、称呼 as a Chinese user types a list, like a setting's tiers or a box of tags."""
    assert read_take(["公司、称呼"]) == read_take(["company，honorific"]) == {"company", "honorific"}
    assert read_take([" company ; title "]) == {"company", "title"}


def test_phones_tags_and_notes_are_united(db, pair) -> None:
    keep, drop, _ = pair
    preview = merge_preview(db, keep, drop)
    assert preview.phones == ("13800138000", "0512-66889900")  # +86 138-0013-8000 is the same number
    merge(db, keep, drop)
    kept = resolve_customer(db, str(keep))
    assert kept.phones == preview.phones
    assert kept.tags == ("老客户", "华东") == preview.tags
    assert kept.notes == "爱喝茶\n不抽烟"
    with db.session() as session:
        keys = session.get(Customer, keep).search_keys
    assert "05126688" in keys.replace("-", "") and "w@hr.example" in keys  # search finds what came over


def test_an_open_complaint_and_planned_touches_follow_and_the_agenda_has_no_duplicates(db) -> None:
    keep = add_customer(db, NewCustomer(name="陈静", company="远航", tier="key"))
    drop = add_customer(db, NewCustomer(name="陈静", company="远航贸易", tier="key"))
    soon = TODAY + timedelta(days=2)
    with db.session() as session:
        for cid in (keep, drop):
            session.add(ImportantDate(customer_id=cid, kind="birthday", month=soon.month, day=soon.day))
            session.add(Interaction(customer_id=cid, kind="call", happened_at=at(TODAY - timedelta(days=40))))
        session.add(Complaint(customer_id=drop, summary="交货晚了", step=3))
        for cid, reason in ((keep, "送样品"), (drop, "确认报价")):
            session.add(
                Touchpoint(
                    customer_id=cid, kind="call", source_key="manual", occurrence=soon, due_date=soon, reason=reason
                )
            )
    merge(db, keep, drop)

    items = [item for item in agenda(db, TODAY, TODAY + timedelta(days=7)) if item.customer_id == keep]
    assert {item.customer_id for item in agenda(db, TODAY, TODAY + timedelta(days=7))} == {keep}
    assert len({item.key for item in items}) == len(items)
    shown = [(item.kind, item.reason_key, tuple(sorted(map(str, item.reason_params.items())))) for item in items]
    assert len(set(shown)) == len(shown)  # no row twice, even under another key
    assert sum(item.source_key.startswith("date:") for item in items) == 1  # one birthday, not two
    assert sum(item.source_key.startswith("cadence:call") for item in items) == 1
    complaint = [item for item in items if item.source_key.startswith("complaint:")]
    assert len(complaint) == 1 and complaint[0].reason_params["summary"] == "交货晚了"
    planned = sorted((item.due, item.reason_params["note"]) for item in items if item.reason_key == "reason.planned")
    # Both planned touches kept; one customer holds one hand-planned touch a day, so the second moved on a day.
    assert planned == [(soon, "送样品"), (soon + timedelta(days=1), "确认报价")]


def test_merge_takes_a_backup_first_and_says_where(db, pair) -> None:
    keep, drop, _ = pair
    report = merge(db, keep, drop)
    backup = Path(report.backup)
    assert backup.parent == backup_dir(db.path) and "before-merge" in backup.name
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT count(*) FROM customer WHERE id = ?", (drop,)).fetchone()[0] == 1  # taken before


def test_refusals_change_nothing_and_take_no_backup(db, pair) -> None:
    keep, drop, _ = pair
    before = every_table_count(db.path)
    refused("merge.same", merge, db, keep, keep)
    refused("customer.no_id", merge, db, keep, 999)
    assert not backup_dir(db.path).exists() or not list(backup_dir(db.path).glob("*before-merge*"))
    seen = merge_preview(db, keep, drop)
    from kequ.services.customers import update_field

    update_field(db, drop, "city", "苏州")  # another window, meanwhile
    versions = (seen.keep.customer.version, seen.drop.customer.version)
    refused("customer.changed_elsewhere", merge, db, keep, drop, versions=versions)
    assert every_table_count(db.path) == before


def test_the_import_still_merges_through_the_same_function(db, pair) -> None:
    keep, drop, _ = pair
    with db.session() as session:
        assert merge_customers(session, keep, keep) == {}  # nothing to do, nothing done
        merge_customers(session, keep, drop)
    assert owned_rows(db.path, keep)[("trip_visit", "customer_id")] == 2  # trip visits move too


def test_a_customer_who_referred_the_other_does_not_end_up_referring_themselves(db) -> None:
    keep = add_customer(db, NewCustomer(name="周华"))
    drop = add_customer(db, NewCustomer(name="周华 2"))
    with db.session() as session:
        session.get(Customer, drop).referrer_id = keep
    merge(db, keep, drop)
    with db.session() as session:
        assert session.get(Customer, keep).referrer_id is None


def test_merging_with_a_missing_customer_is_refused(db) -> None:
    keep = add_customer(db, NewCustomer(name="周华"))
    with pytest.raises(KequError):
        merge_preview(db, keep, keep + 5)
