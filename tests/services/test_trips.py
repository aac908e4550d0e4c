"""Field trips against a real SQLite file: ranking on the demo, visits, write-ups, exports."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from kequ.domain.records import NewCustomer
from kequ.exchange.trip_sheets import export_day_sheet, export_report
from kequ.services.agenda import agenda
from kequ.services.customers import add_customer, update_field
from kequ.services.gifts import add_gift
from kequ.services.trips import (
    add_expense,
    add_visit,
    book_cities,
    cancel_visit,
    candidates,
    delete_trip,
    get_trip,
    move_visit,
    plan_trip,
    restore_visit,
    trip_summary,
    trip_visits,
    visit_plan,
    write_up,
)
from kequ.storage.fast_reads.trips import visits_on
from tests.conftest import DEMO_TODAY
from tests.helpers import refused

TODAY = DEMO_TODAY


def _fresh(db, sql: str, *args: object) -> list[tuple]:
    """Read with a new connection: what another program would see, not the session's cache."""
    conn = sqlite3.connect(db.path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


@pytest.fixture
def suzhou(demo_db) -> int:
    return plan_trip(demo_db, "", ["苏州"], TODAY, TODAY + timedelta(days=2))


# ------------------------------------------------------------------ ranking on the demo


def test_the_complaint_customer_heads_the_shanghai_trip_and_key_customers_are_flagged(demo_db) -> None:
    trip = plan_trip(demo_db, "上海一周", ["上海"], TODAY + timedelta(days=1), TODAY + timedelta(days=3))
    ranked = candidates(demo_db, trip, TODAY)
    in_shanghai = {cid for (cid,) in _fresh(demo_db, "SELECT id FROM customer WHERE city = '上海'")}
    assert {c.id for c in ranked} == in_shanghai
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    (complainer,) = _fresh(demo_db, "SELECT customer_id FROM complaint WHERE status = 'open'")
    assert ranked[0].id == complainer[0]
    assert ranked[0].flags[0] == "complaint"
    # The playbook's two visits a year: every key customer without a visit in 180 days is flagged.
    last_visit = dict(
        _fresh(
            demo_db,
            "SELECT customer_id, max(date(happened_at, 'localtime')) FROM interaction"
            " WHERE kind = 'visit' GROUP BY customer_id",
        )
    )
    start = TODAY + timedelta(days=1)
    for candidate in ranked:
        if candidate.customer.tier != "key":
            continue
        last = last_visit.get(candidate.id)
        overdue = last is None or (start - date.fromisoformat(last)).days >= 180
        assert ("key_unvisited" in candidate.flags) == overdue, candidate.customer.name
    assert any("key_unvisited" in c.flags for c in ranked)


def test_the_suzhou_trip_flags_the_birthday_and_the_customer_going_cold(demo_db, suzhou) -> None:
    ranked = candidates(demo_db, suzhou, TODAY)
    assert {c.customer.city for c in ranked} == {"苏州"}
    top = ranked[0]
    assert set(top.flags) >= {"at_risk", "birthday"}
    assert top.score > ranked[1].score
    assert all(c.reasons for c in ranked)


def test_after_a_loss_in_the_family_the_birthday_on_the_trip_is_a_visit_of_care(demo_db, suzhou) -> None:
    from kequ.domain.calendar.lunar import AnnualDate
    from kequ.domain.trips import why_text
    from kequ.services.customers import add_annual_date

    top = next(c for c in candidates(demo_db, suzhou, TODAY) if "birthday" in c.flags)
    loss = TODAY - timedelta(days=40)
    add_annual_date(demo_db, top.id, AnnualDate(loss.month, loss.day, year=loss.year), kind="bereavement")
    now = next(c for c in candidates(demo_db, suzhou, TODAY) if c.id == top.id)
    assert "birthday" not in now.flags and "occasion" in now.flags
    assert any("守孝" in why_text(why, "zh") for why in now.reasons)


def test_cities_come_from_the_book_biggest_first(demo_db) -> None:
    cities = book_cities(demo_db)
    assert {"北京", "上海", "苏州", "杭州", "广州", "深圳", "成都", "南京", "武汉"} == {c for c, _ in cities}
    counts = [n for _, n in cities]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 60


# ------------------------------------------------------------------ planning


def test_a_trip_needs_a_city_days_in_order_and_a_sensible_length(db) -> None:
    with refused("trip.no_city"):
        plan_trip(db, "x", ["  "], TODAY, TODAY)
    with refused("trip.bad_range"):
        plan_trip(db, "x", ["苏州"], TODAY, TODAY - timedelta(days=1))
    with refused("trip.too_long"):
        plan_trip(db, "x", ["苏州"], TODAY, TODAY + timedelta(days=90))
    trip = get_trip(db, plan_trip(db, "", ["苏州", "苏州", "无锡"], TODAY, TODAY + timedelta(days=2)))
    assert trip.name == "苏州、无锡 11-23 起 3 天"
    assert trip.cities == ("苏州", "无锡")


def test_visits_stay_on_the_trip_days_and_take_the_customer_address(db) -> None:
    cid = add_customer(db, NewCustomer(name="王建国", honorific="王总", company="恒瑞", city="苏州"))
    update_field(db, cid, "district", "工业园区")
    update_field(db, cid, "address", "星湖街 328 号")
    trip = plan_trip(db, "", ["苏州"], TODAY, TODAY + timedelta(days=2))
    with refused("trip.day_outside"):
        add_visit(db, trip, cid, TODAY + timedelta(days=3))
    with refused("trip.bad_time"):
        add_visit(db, trip, cid, TODAY, "25:00")
    visit = add_visit(db, trip, cid, TODAY, "9点半", purpose="谈二期")
    with refused("trip.already_planned"):
        add_visit(db, trip, cid, TODAY)
    assert _fresh(db, "SELECT time, place, purpose, status FROM trip_visit WHERE id = ?", visit) == [
        ("09:30", "苏州 工业园区 星湖街 328 号", "谈二期", "planned")
    ]
    move_visit(db, visit, TODAY + timedelta(days=1), "14:00")
    assert _fresh(db, "SELECT day, time FROM trip_visit WHERE id = ?", visit) == [
        ((TODAY + timedelta(days=1)).isoformat(), "14:00")
    ]


def test_visits_on_a_day_come_in_time_order_without_the_cancelled(db) -> None:
    ids = [add_customer(db, NewCustomer(name=n, city="苏州")) for n in ("甲", "乙", "丙", "丁")]
    trip = plan_trip(db, "苏州", ["苏州"], TODAY, TODAY + timedelta(days=1))
    add_visit(db, trip, ids[0], TODAY)
    add_visit(db, trip, ids[1], TODAY, "15:00")
    add_visit(db, trip, ids[2], TODAY, "09:00")
    dropped = add_visit(db, trip, ids[3], TODAY, "08:00")
    cancel_visit(db, dropped)
    assert [v.customer_name for v in visits_on(db, TODAY)] == ["丙", "乙", "甲"]
    assert visits_on(db, TODAY)[0].trip_name == "苏州"
    restore_visit(db, dropped)
    assert visits_on(db, TODAY)[0].customer_name == "丁"


def test_the_visit_plan_shows_the_people_there_and_the_gifts_already_given(demo_db, suzhou) -> None:
    top = candidates(demo_db, suzhou, TODAY)[0]
    add_gift(demo_db, top.id, TODAY - timedelta(days=40), "西湖龙井 250g", 36000)
    plan = visit_plan(demo_db, add_visit(demo_db, suzhou, top.id, TODAY, "10:00"), "zh")
    (company,) = _fresh(demo_db, "SELECT company FROM customer WHERE id = ?", top.id)
    others = _fresh(demo_db, "SELECT count(*) FROM customer WHERE company = ? AND id != ?", company[0], top.id)
    assert len(plan.people) == others[0][0] > 1
    assert all(p.role for p in plan.people)  # 决策者, 采购者 ... from the demo's roles
    assert [g.item for g in plan.gifts_given] == ["西湖龙井 250g"]
    assert all("龙井" not in idea for idea in plan.gift_ideas)
    assert plan.approach and plan.phones


# ------------------------------------------------------------------ after the visit


def _visit_for(db, day: date = TODAY) -> tuple[int, int, int]:
    cid = add_customer(db, NewCustomer(name="李娜", honorific="李经理", company="云杉", city="上海"))
    trip = plan_trip(db, "上海", ["上海"], TODAY - timedelta(days=1), TODAY + timedelta(days=1))
    return cid, trip, add_visit(db, trip, cid, day, "10:00")


def test_a_write_up_logs_the_visit_and_plans_the_next_step(db) -> None:
    cid, _trip, visit = _visit_for(db)
    result = write_up(
        db, visit, "准备扩产", "要更快的交期", "某厂报价低 5%", "周五前发报价", TODAY + timedelta(days=4), "call",
        today=TODAY,
    )  # fmt: skip
    logged = _fresh(db, "SELECT id, customer_id, kind, notes, outcome FROM interaction")
    assert len(logged) == 1
    iid, who, kind, notes, outcome = logged[0]
    assert (iid, who, kind, outcome) == (result.interaction_id, cid, "visit", "周五前发报价")
    assert notes == "了解到：准备扩产\n需求：要更快的交期\n竞争对手：某厂报价低 5%\n下一步：周五前发报价"
    assert _fresh(db, "SELECT status, interaction_id, next_on, next_kind FROM trip_visit") == [
        ("done", iid, (TODAY + timedelta(days=4)).isoformat(), "call")
    ]
    assert _fresh(db, "SELECT customer_id, kind, source_key, status, occurrence, due_date, reason FROM touchpoint") == [
        (cid, "call", "manual", "planned", "2026-11-27", "2026-11-27", "周五前发报价")
    ]
    # The next step is on the agenda for its day.
    planned = [i for i in agenda(db, TODAY, TODAY + timedelta(days=4)) if i.reason_key == "reason.planned"]
    assert [(i.customer_id, i.due, i.kind) for i in planned] == [(cid, TODAY + timedelta(days=4), "call")]


def test_a_taken_day_moves_the_next_step_to_the_next_free_one(db) -> None:
    cid, trip, visit = _visit_for(db)
    other = add_visit(db, trip, cid, TODAY - timedelta(days=1))
    wanted = TODAY + timedelta(days=2)
    write_up(db, other, "", "", "", "寄样品", wanted, "message", today=TODAY)
    result = write_up(db, visit, "见到了新采购", "", "", "约技术交流", wanted, "visit", today=TODAY)
    assert result.next_on == wanted + timedelta(days=1)
    rows = _fresh(db, "SELECT occurrence, kind FROM touchpoint ORDER BY occurrence")
    assert rows == [(wanted.isoformat(), "message"), ((wanted + timedelta(days=1)).isoformat(), "visit")]


def test_writing_up_again_corrects_the_entry_instead_of_doubling_it(db) -> None:
    _cid, _trip, visit = _visit_for(db)
    first = write_up(db, visit, "初稿", "", "", "发资料", TODAY + timedelta(days=3), today=TODAY)
    second = write_up(db, visit, "改过的记录", "", "", "发报价", TODAY + timedelta(days=5), today=TODAY)
    assert second.interaction_id == first.interaction_id
    assert _fresh(db, "SELECT count(*), max(notes) FROM interaction") == [(1, "了解到：改过的记录\n下一步：发报价")]
    assert _fresh(db, "SELECT occurrence, reason FROM touchpoint") == [("2026-11-28", "发报价")]


@pytest.mark.parametrize(
    ("case", "key"),
    [("future", "trip.visit_in_future"), ("cancelled", "trip.visit_cancelled"), ("empty", "trip.empty_write_up"),
     ("past_next", "trip.next_in_past")],
)  # fmt: skip
def test_write_ups_that_cannot_be_right_are_refused(db, case: str, key: str) -> None:
    _cid, _trip, visit = _visit_for(db, TODAY + timedelta(days=1) if case == "future" else TODAY)
    if case == "cancelled":
        cancel_visit(db, visit)
    learned = "" if case == "empty" else "聊得不错"
    next_on = TODAY - timedelta(days=1) if case == "past_next" else None
    with refused(key):
        write_up(db, visit, learned, "", "", "", next_on, today=TODAY)
    assert _fresh(db, "SELECT count(*) FROM interaction") == [(0,)]


def test_a_visit_written_up_cannot_be_cancelled(db) -> None:
    _cid, _trip, visit = _visit_for(db)
    write_up(db, visit, "见到了", "", "", "", today=TODAY)
    with refused("trip.visit_done"):
        cancel_visit(db, visit)


# ------------------------------------------------------------------ money and the summary


def test_the_summary_counts_visits_gifts_in_the_trip_and_expenses_by_category(db) -> None:
    cid, trip, visit = _visit_for(db)
    add_gift(db, cid, TODAY, "精装茶具", 42000)
    add_gift(db, cid, TODAY - timedelta(days=30), "公司台历", 3000)  # before the trip
    write_up(db, visit, "见到了", "", "", "发报价", TODAY + timedelta(days=2), today=TODAY)
    add_expense(db, trip, TODAY, 12850, "transport", "高铁")
    add_expense(db, trip, TODAY, 45000, "hotel")
    add_expense(db, trip, TODAY + timedelta(days=1), 2150, "transport")
    with refused("input.bad_amount"):
        add_expense(db, trip, TODAY, -1, "meals")
    with refused("input.bad_choice"):
        add_expense(db, trip, TODAY, 100, "spa")
    summary = trip_summary(db, trip)
    assert [v.id for v in summary.done] == [visit]
    assert [(v.customer_name, v.next_step) for v in summary.next_steps] == [("李经理（李娜）", "发报价")]
    assert [(g.item, g.cost_cents) for g in summary.gifts] == [("精装茶具", 42000)]
    assert summary.by_category == {"transport": 15000, "hotel": 45000}
    assert summary.total_cents == 60000
    assert get_trip(db, trip).expense_cents == 60000
    report = export_report(db, trip)
    assert "# 出差总结：上海" in report and "| **合计** | **¥600.00** |" in report


def test_deleting_a_trip_keeps_the_visits_on_the_timeline(db) -> None:
    _cid, trip, visit = _visit_for(db)
    write_up(db, visit, "见到了", "", "", "", today=TODAY)
    add_expense(db, trip, TODAY, 100, "meals")
    delete_trip(db, trip)
    assert _fresh(db, "SELECT (SELECT count(*) FROM trip_visit), (SELECT count(*) FROM trip_expense)") == [(0, 0)]
    assert _fresh(db, "SELECT count(*) FROM interaction WHERE kind = 'visit'") == [(1,)]
    with refused("trip.no_id"):
        trip_visits(db, trip)


# ------------------------------------------------------------------ the day sheet out


def test_the_day_sheet_exports_as_markdown_and_as_a_calendar_with_stable_uids(demo_db, suzhou) -> None:
    ranked = candidates(demo_db, suzhou, TODAY)
    first = add_visit(demo_db, suzhou, ranked[0].id, TODAY, "14:00", purpose="生日当面祝福", bring="生日蛋糕")
    second = add_visit(demo_db, suzhou, ranked[1].id, TODAY, "9:30")
    untimed = add_visit(demo_db, suzhou, ranked[2].id, TODAY)
    dropped = add_visit(demo_db, suzhou, ranked[3].id, TODAY, "11:00")
    cancel_visit(demo_db, dropped)
    add_visit(demo_db, suzhou, ranked[4].id, TODAY + timedelta(days=1), "10:00")

    text = export_day_sheet(demo_db, suzhou, TODAY, "md")
    names = {c.id: c.customer.display_name for c in ranked}
    assert text.startswith("# 出差日程单：苏州 11-23 起 3 天 · 11-23 周一")
    order = [text.index(f"## {n}. ") for n in (1, 2, 3)]
    assert order == sorted(order)
    assert f"## 1. 09:30 {names[ranked[1].id]}" in text
    assert f"## 2. 14:00 {names[ranked[0].id]}" in text
    assert f"## 3. 时间待定 {names[ranked[2].id]}" in text
    # The cancelled visit and the next day's are not on this day's sheet (their names may
    # still appear among the colleagues of someone visited).
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == 3
    assert not [h for h in headings if names[ranked[3].id] in h or names[ranked[4].id] in h]
    assert "- **带上**：生日蛋糕" in text and "- **怎么聊**：" in text and "- **公司里的人**：" in text

    exports = [Calendar.from_ical(export_day_sheet(demo_db, suzhou, TODAY, "ics")) for _ in range(2)]
    uids = [[str(e["UID"]) for e in cal.walk("VEVENT")] for cal in exports]
    assert uids[0] == uids[1]
    expected = {f"kequ-visit-{v}@kequ.local" for v in (first, second, untimed, dropped)}
    assert set(uids[0]) == expected
    events = {str(e["UID"]): e for e in exports[0].walk("VEVENT")}
    timed = events[f"kequ-visit-{first}@kequ.local"]
    assert timed.decoded("DTSTART") == timed.decoded("DTEND") - timedelta(hours=1)
    assert (timed.decoded("DTSTART").hour, timed.decoded("DTSTART").minute) == (14, 0)
    assert str(timed["LOCATION"]) == "苏州 工业园区"
    assert "生日蛋糕" in str(timed["DESCRIPTION"])
    assert events[f"kequ-visit-{untimed}@kequ.local"].decoded("DTSTART") == TODAY
    # A cancelled visit goes out as cancelled, so a calendar that has it drops it.
    assert str(events[f"kequ-visit-{dropped}@kequ.local"]["STATUS"]) == "CANCELLED"
    with refused("trip.day_outside"):
        export_day_sheet(demo_db, suzhou, TODAY + timedelta(days=5), "md")


# ------------------------------------------------------------------ the schema step


def test_a_version_1_database_upgrades_to_trips_with_its_data_and_a_backup(tmp_path: Path) -> None:
    from kequ.storage.backups import list_backups
    from kequ.storage.database import MIGRATIONS_DIR, SCHEMA_VERSION, migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((MIGRATIONS_DIR / "0001_initial.sql").read_text(encoding="utf-8"))
    conn.execute(
        "INSERT INTO customer (name, honorific, company, title, phones, wechat, email, city, district, address, tier,"
        " stage, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags, source, churned,"
        " churn_reason, notes, search_keys, created_at, updated_at) VALUES ('王建国', '王总', '恒瑞', '', '[]', '', '',"
        " '苏州', '', '', 'key', 'existing', '', '', '', '', '', '[]', '', 0, '', '', '', '2026-01-01 00:00:00',"
        " '2026-01-01 00:00:00')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    assert SCHEMA_VERSION >= 2
    assert migrate(path) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT name, honorific, city FROM customer").fetchall() == [("王建国", "王总", "苏州")]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"trip", "trip_visit", "trip_expense"} <= tables
    conn.close()
    backups = [p for p in list_backups(path) if f"before-v{SCHEMA_VERSION}" in p.name]
    assert len(backups) == 1
    kept = sqlite3.connect(backups[0])
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 1
    assert kept.execute("SELECT name FROM customer").fetchall() == [("王建国",)]
    kept.close()

    from kequ.storage.database import Database

    db = Database(path)
    trip = plan_trip(db, "", ["苏州"], TODAY, TODAY)
    assert [c.customer.name for c in candidates(db, trip, TODAY)] == ["王建国"]


def test_a_visit_soon_after_an_illness_is_a_visit_of_care_on_the_sheet_and_the_calendar(db) -> None:
    from kequ.domain.calendar.lunar import AnnualDate
    from kequ.domain.disc import approach
    from kequ.domain.gifts import CARE_IDEAS
    from kequ.services.customers import add_annual_date

    cid = add_customer(db, NewCustomer(name="彭国强", honorific="彭总", company="远航", city="杭州", disc="I"))
    update_field(db, cid, "interests", "钓鱼、茶")
    hurt = TODAY - timedelta(days=6)
    add_annual_date(db, cid, AnnualDate(hurt.month, hurt.day, year=hurt.year), kind="illness", label="腰伤住院")
    trip = plan_trip(db, "杭州", ["杭州"], TODAY, TODAY + timedelta(days=1))
    plan = visit_plan(db, add_visit(db, trip, cid, TODAY, "10:00"), "zh")
    assert plan.approach == approach("I", "visit", "zh", full=True, care=True)
    assert plan.approach != approach("I", "visit", "zh", full=True)
    assert list(plan.gift_ideas) == list(CARE_IDEAS)
    sheet = export_day_sheet(db, trip, TODAY, "md", "zh")
    [event] = Calendar.from_ical(export_day_sheet(db, trip, TODAY, "ics", "zh")).walk("VEVENT")
    for text in (sheet, str(event.get("DESCRIPTION"))):
        assert "钓鱼" not in text
        assert plan.approach[:12] in text
    assert CARE_IDEAS[0] in sheet


def test_an_illness_long_past_leaves_the_visit_a_business_one(db) -> None:
    from kequ.domain.calendar.lunar import AnnualDate
    from kequ.domain.disc import approach
    from kequ.services.customers import add_annual_date

    cid = add_customer(db, NewCustomer(name="彭国强", company="远航", city="杭州", disc="I"))
    update_field(db, cid, "interests", "钓鱼")
    long_ago = TODAY - timedelta(days=200)
    add_annual_date(db, cid, AnnualDate(long_ago.month, long_ago.day, year=long_ago.year), kind="illness")
    trip = plan_trip(db, "杭州", ["杭州"], TODAY, TODAY + timedelta(days=1))
    plan = visit_plan(db, add_visit(db, trip, cid, TODAY, "10:00"), "zh")
    assert plan.approach == approach("I", "visit", "zh", full=True)
    assert any("钓" in idea for idea in plan.gift_ideas)
