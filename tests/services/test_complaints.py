"""The complaint wizard's use cases against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from sqlmodel import select

from kequ.domain.complaints import start
from kequ.domain.records import NewCustomer
from kequ.domain.validation import MAX_NOTE
from kequ.services import complaints as cs
from kequ.services.agenda import agenda, moment_on
from kequ.services.customers import add_customer
from kequ.services.profile import load_profile
from kequ.storage.database import Database
from kequ.storage.models import Complaint, Interaction, Touchpoint
from tests.conftest import DEMO_TODAY
from tests.helpers import refused

TODAY = DEMO_TODAY


def stored(db: Database, sql: str, *params: object) -> list[tuple]:
    """What is on disk now, read through a connection of its own: no session, no cache."""
    conn = sqlite3.connect(db.path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def step_row(db: Database, complaint_id: int, step: int) -> tuple[str, dict[str, str], str]:
    """(notes, data, updated_at) of one step as stored."""
    (row,) = stored(
        db, "SELECT notes, data, updated_at FROM complaint_step WHERE complaint_id = ? AND step = ?", complaint_id, step
    )
    return row[0], json.loads(row[1]), row[2]


@pytest.fixture
def cid(db: Database) -> int:
    return add_customer(db, NewCustomer(name="周海涛", honorific="周总", tier="key", disc="C"))


def begun(db: Database, cid: int, day: date | None = None, summary: str = "第二批货外箱破损") -> int:
    """A complaint stored as the wizard stores one: with the first thing written to it."""
    complaint = cs.set_summary(db, cs.open_or_resume(db, cid, day).ref, summary)
    assert complaint is not None
    return complaint


def test_open_or_resume_returns_the_demo_complaint_where_it_was_left(demo_db: Database) -> None:
    (row,) = [r for r in cs.list_complaints(demo_db, DEMO_TODAY) if r.status == "open"]
    view = cs.open_or_resume(demo_db, row.customer_id, DEMO_TODAY)
    assert (view.id, view.status, view.step, view.state.current) == (row.id, "open", 5, 5)
    assert sorted(view.state.notes) == [1, 2, 3, 4] and view.cause == "delivery"
    assert "外箱破损" in view.summary and view.opened_on == DEMO_TODAY - timedelta(days=2)
    assert view.customer_name == row.customer_name and view.customer_disc in {"D", "I", "S", "C", None}
    assert cs.open_or_resume(demo_db, row.customer_id, DEMO_TODAY).id == row.id
    assert len(cs.list_complaints(demo_db, DEMO_TODAY)) == 1


def test_a_customer_without_a_complaint_gets_a_new_one_at_step_one_that_is_not_stored(db: Database, cid: int) -> None:
    view = cs.open_or_resume(db, cid)
    assert (view.status, view.step, view.state.current, view.summary, view.cause) == ("open", 1, 1, "", None)
    assert (view.customer_name, view.customer_disc, view.opened_on) == ("周总（周海涛）", "C", TODAY)
    assert view.id is None and view.ref == cs.NewComplaint(cid, TODAY)
    assert cs.open_or_resume(db, cid).id is None
    assert stored(db, "SELECT count(*) FROM complaint") == [(0,)]


def test_every_note_is_on_disk_as_soon_as_it_is_saved(db: Database, cid: int) -> None:
    complaint = cs.save_notes(db, cs.open_or_resume(db, cid).ref, 1, "先肯定")
    assert complaint is not None
    assert step_row(db, complaint, 1)[:2] == ("先肯定", {})
    first_stamp = step_row(db, complaint, 1)[2]
    cs.save_notes(db, complaint, 1, "先肯定客户的感受")
    notes, _, second_stamp = step_row(db, complaint, 1)
    assert notes == "先肯定客户的感受" and second_stamp >= first_stamp
    cs.save_notes(db, complaint, 2, "客户说了 12 箱里 4 箱破损")
    assert stored(db, "SELECT step FROM complaint WHERE id = ?", complaint) == [(2,)]
    assert stored(db, "SELECT count(*) FROM complaint_step WHERE complaint_id = ?", complaint) == [(2,)]
    assert dict(cs.load(db, complaint).state.notes) == {1: "先肯定客户的感受", 2: "客户说了 12 箱里 4 箱破损"}
    refused("complaint.error.step_ahead", cs.save_notes, db, complaint, 5, "too early")


def test_structured_fields_are_saved_one_by_one(db: Database, cid: int) -> None:
    complaint = begun(db, cid)
    for step in range(2, 8):
        cs.move_to(db, complaint, step)
    cs.save_field(db, complaint, 6, "asks", "全部换货并赔偿")
    assert step_row(db, complaint, 6)[1] == {"asks": "全部换货并赔偿"}
    cs.save_field(db, complaint, 6, "cannot_do", "赔偿停工损失")
    cs.save_notes(db, complaint, 6, "核实了物流照片")
    assert step_row(db, complaint, 6)[:2] == (
        "核实了物流照片",
        {"asks": "全部换货并赔偿", "cannot_do": "赔偿停工损失"},
    )
    cs.save_field(db, complaint, 7, "deadline", "２０２６－１２－０１")
    assert step_row(db, complaint, 7)[1] == {"deadline": "2026-12-01"}
    cs.save_field(db, complaint, 6, "asks", "")
    assert step_row(db, complaint, 6)[1] == {"cannot_do": "赔偿停工损失"}
    state = cs.load(db, complaint).state
    assert state.field_at(6, "cannot_do") == "赔偿停工损失" and state.field_at(7, "deadline") == "2026-12-01"
    refused("complaint.error.bad_deadline", cs.save_field, db, complaint, 7, "deadline", "下周")
    refused("complaint.error.unknown_field", cs.save_field, db, complaint, 7, "asks", "x")
    refused("complaint.error.no_fields", cs.save_field, db, complaint, 2, "asks", "x")


def test_move_to_remembers_the_furthest_step_and_refuses_skipping(db: Database, cid: int) -> None:
    complaint = begun(db, cid)
    assert cs.move_to(db, complaint, 2).state.current == 2
    cs.move_to(db, complaint, 3)
    back = cs.move_to(db, complaint, 1)
    assert (back.state.current, back.step) == (1, 3)
    assert stored(db, "SELECT step FROM complaint WHERE id = ?", complaint) == [(3,)]
    assert cs.load(db, complaint).state.current == 3
    refused("complaint.error.step_ahead", cs.move_to, db, complaint, 5)
    refused("complaint.error.bad_step", cs.move_to, db, complaint, 10)


def test_close_plans_the_followups_and_logs_the_complaint(db: Database, cid: int) -> None:
    complaint = begun(db, cid, summary="第二批货外箱破损")
    done = cs.close(db, complaint, "补发 4 箱，运费我方承担", 4, "delivery", today=TODAY)
    assert [(f.due, f.kind) for f in done.followups] == [
        (TODAY + timedelta(days=3), "call"),
        (TODAY + timedelta(days=14), "visit"),
    ]
    assert done.followups[0].reason == "投诉回访（结案后第 3 天）：第二批货外箱破损"
    view = done.complaint
    assert (view.status, view.closed_on, view.cause, view.satisfaction) == ("closed", TODAY, "delivery", 4)
    assert view.resolution == "补发 4 箱，运费我方承担"
    assert stored(db, "SELECT status, cause, resolution, satisfaction FROM complaint") == [
        ("closed", "delivery", "补发 4 箱，运费我方承担", 4)
    ]
    due = [i for i in agenda(db, TODAY, TODAY + timedelta(days=20)) if i.source_key.startswith("manual:")]
    assert [(i.due, i.kind, i.reason_key, i.customer_id) for i in due] == [
        (TODAY + timedelta(days=3), "call", "reason.planned", cid),
        (TODAY + timedelta(days=14), "visit", "reason.planned", cid),
    ]
    assert {f"manual:{f.touchpoint_id}" for f in done.followups} == {i.source_key for i in due}
    with db.session() as session:
        logged = session.get(Interaction, done.interaction_id)
        assert logged is not None
        assert (logged.kind, logged.outcome, logged.notes) == (
            "complaint",
            "补发 4 箱，运费我方承担",
            "第二批货外箱破损",
        )
        touches = session.exec(select(Touchpoint).where(Touchpoint.customer_id == cid)).all()
        assert {(t.source_key, t.status, t.occurrence == t.due_date) for t in touches} == {("manual", "planned", True)}


def test_close_with_an_edited_plan_moves_past_a_day_already_planned(db: Database, cid: int) -> None:
    with db.session() as session:
        session.add(
            Touchpoint(
                customer_id=cid,
                kind="message",
                source_key="manual",
                occurrence=TODAY + timedelta(days=7),
                due_date=TODAY + timedelta(days=7),
                reason="发新品资料",
            )
        )
    # Notes but no summary: the follow-up's reason says what to check instead.
    complaint = cs.save_notes(db, cs.open_or_resume(db, cid).ref, 1, "客户来电")
    assert complaint is not None
    done = cs.close(db, complaint, "已解释清楚", 5, "misunderstanding", [(7, "call"), (2, "call")], today=TODAY)
    assert [(f.due - TODAY).days for f in done.followups] == [2, 8]
    assert "第 8 天" in done.followups[1].reason and "看看问题是否真正解决" in done.followups[1].reason
    assert stored(db, "SELECT count(*) FROM touchpoint WHERE customer_id = ?", cid) == [(3,)]


def test_a_second_complaint_closed_the_same_day_books_what_was_shown(db: Database, cid: int) -> None:
    first = begun(db, cid)
    cs.close(db, first, "补发", 4, "delivery", today=TODAY)
    second = begun(db, cid, summary="又一批破损")
    shown = cs.followup_booking(db, cid, TODAY).dates()
    done = cs.close(db, second, "换货", 4, "product", today=TODAY)
    assert [(f.due, f.kind) for f in done.followups] == shown
    # Days 3 and 14 hold the first complaint's follow-ups: the next working days, 4 and 15.
    assert [(f.due - TODAY).days for f in done.followups] == [4, 15]
    assert "第 4 天" in done.followups[0].reason


def test_followups_are_booked_on_working_days(db: Database, cid: int) -> None:
    sunday = TODAY + timedelta(days=13)  # Sunday 6 December: day 14 is Sunday the 20th
    complaint = begun(db, cid, sunday)
    assert cs.followup_booking(db, cid, sunday).dates() == [
        (sunday + timedelta(days=3), "call"),
        (sunday + timedelta(days=15), "visit"),
    ]
    done = cs.close(db, complaint, "补发", 4, "delivery", today=sunday)
    assert [f.due.isoformat() for f in done.followups] == ["2026-12-09", "2026-12-21"]


def test_a_refused_close_changes_nothing(db: Database, cid: int) -> None:
    complaint = begun(db, cid)
    refused("complaint.error.no_resolution", cs.close, db, complaint, " \x1b ", 4, "delivery")
    refused("complaint.error.bad_cause", cs.close, db, complaint, "ok", 4, "")
    refused("complaint.error.bad_satisfaction", cs.close, db, complaint, "ok", 9, "price")
    refused("complaint.error.bad_followup_kind", cs.close, db, complaint, "ok", 4, "price", [(3, "gift")])
    assert stored(db, "SELECT status, closed_at FROM complaint") == [("open", None)]
    assert stored(db, "SELECT count(*) FROM touchpoint") == [(0,)]
    assert stored(db, "SELECT count(*) FROM interaction") == [(0,)]


def test_a_closed_complaint_is_not_resumed_nor_changed(db: Database, cid: int) -> None:
    old = begun(db, cid)
    cs.save_notes(db, old, 1, "first")
    cs.close(db, old, "解决了", 5, "product", today=TODAY)
    refused("complaint.error.closed", cs.save_notes, db, old, 1, "later")
    refused("complaint.error.closed", cs.save_field, db, old, 1, "asks", "x")
    refused("complaint.error.closed", cs.set_summary, db, old, "x")
    refused("complaint.error.closed", cs.close, db, old, "again", 5, "product")
    fresh = cs.open_or_resume(db, cid)
    assert fresh.id is None and (fresh.status, fresh.step, dict(fresh.state.notes)) == ("open", 1, {})
    reopened = cs.load(db, old)
    assert reopened.status == "closed" and reopened.state.closure is not None
    assert reopened.state.closure.resolution == "解决了" and cs.move_to(db, old, 1).state.current == 1


def test_the_list_shows_open_complaints_first_then_the_newest(db: Database) -> None:
    people = [add_customer(db, NewCustomer(name=name, honorific=h)) for name, h in (("王建国", "王总"), ("李娜", ""))]
    opened = {}
    for offset, who in ((30, 0), (20, 1), (10, 0)):
        opened[offset] = begun(db, people[who], TODAY - timedelta(days=offset))
        if offset != 10:
            cs.close(db, opened[offset], "处理完毕", 3, "service", [], today=TODAY - timedelta(days=offset - 5))
    # Notes but no summary yet: the list says so rather than leaving the cell empty.
    late = cs.save_notes(db, cs.open_or_resume(db, people[1], TODAY - timedelta(days=2)).ref, 1, "客户来电")
    rows = cs.list_complaints(db, TODAY)
    assert [r.id for r in rows] == [late, opened[10], opened[20], opened[30]]
    assert [(r.status, r.age_days) for r in rows] == [("open", 2), ("open", 10), ("closed", 5), ("closed", 5)]
    assert [r.customer_name for r in rows] == ["李娜", "王总（王建国）", "李娜", "王总（王建国）"]
    assert rows[2].closed_on == TODAY - timedelta(days=15) and rows[2].satisfaction == 3
    assert (rows[0].step, rows[0].summary, rows[0].cause) == (1, "", None)


def test_what_people_type_survives_except_control_characters(db: Database, cid: int) -> None:
    complaint = begun(db, cid)
    typed = "客户很生气😡 [bold red]马上[/] <b>处理</b> {x}\n第二行\t缩进\x1b[31m\x00\x07"
    cs.save_notes(db, complaint, 1, typed)
    kept = "客户很生气😡 [bold red]马上[/] <b>处理</b> {x}\n第二行\t缩进[31m"
    assert step_row(db, complaint, 1)[0] == kept
    assert cs.load(db, complaint).state.notes_at(1) == kept
    cs.set_summary(db, complaint, "换货😡\n[red]急[/]\x1b")
    assert stored(db, "SELECT summary FROM complaint") == [("换货😡[red]急[/]",)]
    long = "很" * MAX_NOTE
    cs.save_notes(db, complaint, 1, long)
    assert len(step_row(db, complaint, 1)[0]) == MAX_NOTE
    refused("input.too_long", cs.save_notes, db, complaint, 1, long + "长")
    refused("input.too_long", cs.set_summary, db, complaint, "长" * 201)


def test_unknown_ids_are_refused_with_a_clear_message(db: Database, cid: int) -> None:
    refused("customer.no_id", cs.open_or_resume, db, 999)
    refused("complaint.error.not_found", cs.load, db, 999)
    refused("complaint.error.not_found", cs.save_notes, db, 999, 1, "x")
    refused("complaint.error.not_found", cs.save_field, db, 999, 6, "asks", "x")
    refused("complaint.error.not_found", cs.set_summary, db, 999, "x")
    refused("complaint.error.not_found", cs.move_to, db, 999, 1)
    refused("complaint.error.not_found", cs.close, db, 999, "ok", 4, "other")
    refused("complaint.error.not_found", cs.load, db, True)
    assert stored(db, "SELECT count(*) FROM complaint") == [(0,)]
    with db.session() as session:
        assert session.exec(select(Complaint)).all() == []


# ---------------------------------------------------------------- stored with the first thing written


def complaint_lines(db: Database, day: date = TODAY) -> list[tuple[int, str]]:
    """Today's complaint lines, as (customer, source key)."""
    return [(i.customer_id, i.source_key) for i in agenda(db, day) if i.source_key.startswith("complaint:")]


def test_writing_nothing_to_a_new_complaint_stores_nothing(db: Database, cid: int) -> None:
    new = cs.open_or_resume(db, cid).ref
    assert cs.set_summary(db, new, "") is None
    assert cs.save_notes(db, new, 1, "") is None
    moved = cs.move_to(db, new, 1)
    assert moved.id is None and moved.state == start()
    # Refused writes store nothing either, not even the blank row they would have gone to.
    refused("input.too_long", cs.set_summary, db, new, "长" * 201)
    refused("complaint.error.step_ahead", cs.save_notes, db, new, 3, "太早")
    refused("complaint.error.step_ahead", cs.save_field, db, new, 6, "asks", "换货")
    refused("complaint.error.no_resolution", cs.close, db, new, " ", 4, "delivery")
    refused("customer.no_id", cs.set_summary, db, cs.NewComplaint(999, TODAY), "x")
    assert stored(db, "SELECT count(*) FROM complaint") == [(0,)]
    assert stored(db, "SELECT count(*) FROM complaint_step") == [(0,)]
    assert complaint_lines(db) == []


@pytest.mark.parametrize(
    ("write", "step", "summary", "notes"),
    [
        (lambda db, ref: cs.set_summary(db, ref, "外箱破损"), 1, "外箱破损", {}),
        (lambda db, ref: cs.save_notes(db, ref, 1, "客户来电"), 1, "", {1: "客户来电"}),
        (lambda db, ref: cs.save_notes(db, ref, 2, ""), 2, "", {}),  # writing at step two reaches it
        (lambda db, ref: cs.move_to(db, ref, 2).id, 2, "", {}),
    ],
    ids=["summary", "notes", "next-step-notes", "move"],
)
def test_the_first_thing_written_stores_the_complaint(
    db: Database, cid: int, write: object, step: int, summary: str, notes: dict[int, str]
) -> None:
    day = TODAY - timedelta(days=1)  # opened yesterday, first written today: it says yesterday
    new = cs.open_or_resume(db, cid, day).ref
    complaint = write(db, new)  # type: ignore[operator]
    assert isinstance(complaint, int)
    assert stored(db, "SELECT id, customer_id, status, step, summary FROM complaint") == [
        (complaint, cid, "open", step, summary)
    ]
    view = cs.open_or_resume(db, cid)
    assert (view.id, view.opened_on, dict(view.state.notes)) == (complaint, day, notes)
    assert complaint_lines(db) == [(cid, f"complaint:{complaint}")]
    # The writes after it go to the stored one: still one complaint.
    assert cs.save_notes(db, complaint, 1, "再记一句") == complaint
    assert stored(db, "SELECT count(*) FROM complaint") == [(1,)]


def test_closing_a_complaint_never_written_stores_it_closed(db: Database, cid: int) -> None:
    done = cs.close(db, cs.open_or_resume(db, cid).ref, "电话里解释清楚了", 5, "misunderstanding", today=TODAY)
    assert done.complaint.id is not None and len(done.followups) == 2
    assert stored(db, "SELECT id, status, resolution FROM complaint") == [
        (done.complaint.id, "closed", "电话里解释清楚了")
    ]


def test_a_complaint_written_and_wiped_again_is_discarded_with_its_today_line(db: Database, cid: int) -> None:
    complaint = cs.save_notes(db, cs.open_or_resume(db, cid).ref, 1, "打错了")
    assert complaint is not None
    with db.session() as session:  # its line on Today snoozed meanwhile
        session.add(
            Touchpoint(
                customer_id=cid,
                kind="complaint",
                source_key=f"complaint:{complaint}",
                occurrence=TODAY,
                due_date=TODAY + timedelta(days=1),
                status="snoozed",
            )
        )
    assert not cs.discard_if_blank(db, complaint)  # still holds the notes
    cs.save_notes(db, complaint, 1, "")
    assert cs.discard_if_blank(db, complaint)
    assert stored(db, "SELECT count(*) FROM complaint") == [(0,)]
    assert stored(db, "SELECT count(*) FROM complaint_step") == [(0,)]
    assert stored(db, "SELECT count(*) FROM touchpoint") == [(0,)]
    assert not cs.discard_if_blank(db, complaint)  # gone already: nothing to do
    assert not cs.discard_if_blank(db, True)  # type: ignore[arg-type]


def test_only_a_complaint_holding_nothing_is_discarded(db: Database, cid: int) -> None:
    other = add_customer(db, NewCustomer(name="李娜"))
    third = add_customer(db, NewCustomer(name="张伟"))
    summary = begun(db, cid)
    moved = cs.move_to(db, cs.open_or_resume(db, other).ref, 2).id
    closed = cs.close(db, cs.open_or_resume(db, third).ref, "解决了", 4, "service", []).complaint.id
    assert moved is not None and closed is not None
    for complaint in (summary, moved, closed):
        assert not cs.discard_if_blank(db, complaint)
    assert stored(db, "SELECT count(*) FROM complaint") == [(3,)]


# ---------------------------------------------------------------- withdrawing


def test_a_withdrawn_complaint_leaves_today_and_is_not_handled(db: Database, cid: int) -> None:
    complaint = begun(db, cid, TODAY - timedelta(days=3))
    cs.save_notes(db, complaint, 1, "客户说是误会")
    cs.move_to(db, complaint, 2)
    assert complaint_lines(db) == [(cid, f"complaint:{complaint}")]

    view = cs.withdraw(db, complaint, today=TODAY)
    assert (view.id, view.status, view.is_open, view.closed_on, view.step) == (complaint, "withdrawn", False, TODAY, 2)
    assert (view.resolution, view.satisfaction, view.cause, view.state.closure) == ("", None, None, None)
    assert stored(db, "SELECT status, step, summary, resolution, satisfaction, cause FROM complaint") == [
        ("withdrawn", 2, "第二批货外箱破损", "", None, None)
    ]
    # Off Today and off the open ones; nothing booked, nothing on the timeline.
    assert complaint_lines(db) == []
    assert [i for i in agenda(db, TODAY, TODAY + timedelta(days=30)) if i.source_key.startswith("manual")] == []
    assert stored(db, "SELECT count(*) FROM touchpoint") == [(0,)]
    assert stored(db, "SELECT count(*) FROM interaction") == [(0,)]
    # What was written stays readable.
    again = cs.load(db, complaint)
    assert (again.status, again.closed_on, again.state.notes_at(1)) == ("withdrawn", TODAY, "客户说是误会")
    # The profile and the list still show it, as withdrawn, with how long it was open.
    profile = load_profile(db, cid, TODAY)
    assert [(c.id, c.status) for c in profile.complaints] == [(complaint, "withdrawn")]
    assert profile.interaction_count == 0 and profile.timeline == ()
    (row,) = cs.list_complaints(db, TODAY)
    assert (row.id, row.status, row.closed_on, row.age_days) == (complaint, "withdrawn", TODAY, 3)
    assert (row.satisfaction, row.cause) == (None, None)
    # A new complaint of the customer starts afresh, not in the withdrawn one.
    assert cs.open_or_resume(db, cid).id is None


def test_a_withdrawn_complaint_cannot_be_changed_closed_or_withdrawn_again(db: Database, cid: int) -> None:
    complaint = begun(db, cid)
    cs.withdraw(db, complaint)
    refused("complaint.error.withdrawn", cs.save_notes, db, complaint, 1, "later")
    refused("complaint.error.withdrawn", cs.set_summary, db, complaint, "x")
    refused("complaint.error.withdrawn", cs.close, db, complaint, "补发", 5, "delivery")
    refused("complaint.error.withdrawn", cs.withdraw, db, complaint)
    assert not cs.discard_if_blank(db, complaint)
    assert stored(db, "SELECT count(*), status FROM complaint") == [(1, "withdrawn")]
    assert stored(db, "SELECT count(*) FROM touchpoint") == [(0,)]


def test_a_handled_complaint_cannot_be_withdrawn(db: Database, cid: int) -> None:
    complaint = begun(db, cid)
    cs.close(db, complaint, "补发", 4, "delivery", today=TODAY)
    refused("complaint.error.closed", cs.withdraw, db, complaint)
    refused("complaint.error.not_found", cs.withdraw, db, 999)
    assert stored(db, "SELECT status, satisfaction FROM complaint") == [("closed", 4)]


def test_withdraw_open_takes_the_customers_newest_open_complaint(db: Database, cid: int) -> None:
    refused("complaint.error.nothing_to_withdraw", cs.withdraw_open, db, cid)
    refused("customer.no_id", cs.withdraw_open, db, 999)
    older = begun(db, cid, TODAY - timedelta(days=5), "旧的")
    with db.session() as session:  # a second open one, as an import or an older kequ could leave
        session.add(Complaint(customer_id=cid, summary="新的", opened_at=moment_on(TODAY - timedelta(days=1))))
    newer = cs.withdraw_open(db, cid, TODAY)
    assert newer.summary == "新的" and newer.status == "withdrawn"
    assert cs.withdraw_open(db, cid, TODAY).id == older
    error = refused("complaint.error.nothing_to_withdraw", cs.withdraw_open, db, cid)
    assert error.params["who"] == "周总（周海涛）"
    assert stored(db, "SELECT status FROM complaint ORDER BY id") == [("withdrawn",), ("withdrawn",)]
