"""Trip rules on plain values: who is worth the detour, the order of a day, the texts."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from kequ.domain.agenda.rules import DueItem
from kequ.domain.records import GiftRecord
from kequ.domain.trips import (
    KEY_VISIT_GAP_DAYS,
    ExpenseView,
    GiftGiven,
    Person,
    TripCustomer,
    TripDate,
    TripSummary,
    TripView,
    VisitPlan,
    VisitView,
    day_sheet,
    day_sheet_markdown,
    free_day,
    parse_time,
    rank_for_trip,
    report_markdown,
    trip_days,
    why_text,
)

TODAY = date(2026, 11, 23)
START, END = TODAY + timedelta(days=1), TODAY + timedelta(days=3)


def _due(cid: int, kind: str, *, overdue: int = 0, at_risk: bool = False, source: str = "", **params) -> DueItem:
    day = TODAY - timedelta(days=overdue)
    return DueItem(
        cid, source or f"cadence:{kind}", day, day, kind, f"reason.{kind}", params, overdue, "regular", "x",
        at_risk=at_risk,
    )  # fmt: skip


def _customer(cid: int, tier: str = "regular", **fields) -> TripCustomer:
    fields.setdefault("added_on", date(2024, 1, 1))
    return TripCustomer(id=cid, name=f"客户{cid}", tier=tier, city="苏州", **fields)


def _rank(customers, due=(), last=None, dates=()):
    return rank_for_trip(customers, list(due), last or {}, list(dates), START, END, TODAY)


def test_the_module_imports_no_ui_and_no_database() -> None:
    code = (
        "import sys, kequ.domain.trips; "
        "print(','.join(m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'sqlite3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("9:30", "09:30"), ("09:30", "09:30"), ("9：30", "09:30"), ("14点", "14:00"), ("9点半", "09:30"),
     ("14点15", "14:15"), ("8.05", "08:05"), ("", None), ("  ", None)],
)  # fmt: skip
def test_visit_times_are_read_the_way_people_write_them(typed: str, stored: str | None) -> None:
    assert parse_time(typed) == stored


@pytest.mark.parametrize("typed", ["25:00", "9:75", "noon", "9:3", "930"])
def test_impossible_times_are_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_time(typed)


def test_a_complaint_outranks_a_due_visit_which_outranks_a_bigger_tier_with_nothing_due() -> None:
    people = [_customer(1, "key"), _customer(2, "regular"), _customer(3, "regular")]
    due = [_due(2, "visit", overdue=10), _due(3, "complaint", step=4, days=2, summary="")]
    # The key customer was seen last month: nothing pressing.
    ranked = _rank(people, due, last={1: TODAY - timedelta(days=30), 2: TODAY - timedelta(days=200)})
    assert [c.id for c in ranked] == [3, 2, 1]
    assert ranked[0].flags == ("complaint",)
    assert ranked[1].flags == ("visit_due",)
    assert "第 4 步" in why_text(ranked[0].reasons[0], "zh")


def test_key_customers_unvisited_for_half_a_year_are_flagged_from_the_first_trip_day() -> None:
    people = [_customer(1, "key"), _customer(2, "key"), _customer(3, "key", added_on=None)]
    # From the trip's first day customer 1 is at exactly 180 days, customer 2 at 179.
    last = {1: START - timedelta(days=KEY_VISIT_GAP_DAYS), 2: START - timedelta(days=KEY_VISIT_GAP_DAYS - 1)}
    by_id = {c.id: c for c in _rank(people, last=last)}
    assert "key_unvisited" in by_id[1].flags
    assert "key_unvisited" not in by_id[2].flags
    assert "key_unvisited" in by_id[3].flags  # never visited, and no date to count from
    assert why_text(by_id[1].reasons[0], "en").startswith("Key customer, not visited for 180 days")


def test_a_due_visit_of_a_key_customer_is_said_once() -> None:
    ranked = _rank([_customer(1, "key")], [_due(1, "visit", overdue=30)], last={1: TODAY - timedelta(days=400)})
    assert ranked[0].flags == ("key_unvisited",)


def test_going_cold_birthday_and_festival_during_the_trip_are_flagged() -> None:
    people = [_customer(1), _customer(2), _customer(3)]
    festival_day = START + timedelta(days=1)
    due = [
        _due(1, "call", overdue=40, at_risk=True),
        _due(3, "festival", source="festival:mid_autumn", festival="mid_autumn"),
    ]
    due[1] = due[1]._replace(occurrence=festival_day, due=festival_day)
    dates = [
        TripDate(2, "birthday", END),
        TripDate(2, "anniversary", START, "公司成立"),
        TripDate(1, "birthday", END + timedelta(days=1)),
    ]
    by_id = {c.id: c for c in _rank(people, due, dates=dates)}
    assert by_id[1].flags == ("at_risk",)  # the birthday after the trip does not count
    assert by_id[2].flags == ("birthday", "occasion")
    assert by_id[3].flags == ("festival",)
    assert "中秋节" in why_text(by_id[3].reasons[0], "zh")
    assert "公司成立" in why_text(by_id[2].reasons[1], "zh")


def test_a_visit_owed_to_an_illness_is_a_visit_of_care_not_a_rhythm() -> None:
    sick = _due(1, "visit", overdue=6, source="date:9", label="腰伤住院")._replace(reason_key="reason.date_illness")
    unlabelled = _due(2, "visit", source="date:10", label="")._replace(reason_key="reason.date_illness")
    by_id = {c.id: c for c in _rank([_customer(1), _customer(2)], [sick, unlabelled], last={1: TODAY})}
    assert by_id[1].flags == by_id[2].flags == ("occasion",)
    assert why_text(by_id[1].reasons[0], "zh") == "「腰伤住院」（11-17 周二）：当面探望"
    assert why_text(by_id[2].reasons[0], "en").startswith("Illness")  # named by its kind
    assert "按节奏" not in why_text(by_id[1].reasons[0], "zh")


def test_a_birthday_in_the_year_of_mourning_is_a_visit_of_care_not_of_wishes() -> None:
    dates = [TripDate(1, "birthday", END, mourning=True), TripDate(2, "birthday", END)]
    by_id = {c.id: c for c in _rank([_customer(1), _customer(2)], dates=dates)}
    assert by_id[1].flags == ("occasion",) and by_id[2].flags == ("birthday",)
    quiet = why_text(by_id[1].reasons[0], "zh")
    assert "守孝" in quiet and "不道喜" in quiet
    assert "mourning" in why_text(by_id[1].reasons[0], "en")


def test_a_festival_outside_the_trip_is_not_a_reason() -> None:
    item = _due(1, "festival", source="festival:new_year", festival="new_year")
    item = item._replace(occurrence=END + timedelta(days=5), due=END + timedelta(days=5))
    assert _rank([_customer(1)], [item])[0].flags == ()


def test_churned_customers_and_strangers_stay_out() -> None:
    people = [_customer(1), _customer(2, churned=True)]
    ranked = _rank(people, [_due(9, "complaint", step=1, days=1, summary="")])
    assert [c.id for c in ranked] == [1]
    assert ranked[0].due == ()


def test_equal_reasons_are_broken_by_tier_then_name() -> None:
    people = [_customer(3, "regular"), _customer(1, "potential"), _customer(2, "regular")]
    assert [c.id for c in _rank(people)] == [1, 2, 3]


def test_every_candidate_gets_at_least_one_reason() -> None:
    ranked = _rank([_customer(1), _customer(2)], last={2: TODAY - timedelta(days=12)})
    texts = {c.id: why_text(c.reasons[0], "zh") for c in ranked}
    assert texts == {1: "还没拜访过", 2: "上次拜访是 13 天前"}


def test_a_trip_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        rank_for_trip([], [], {}, [], END, START, TODAY)
    assert trip_days(END, START) == []
    assert trip_days(START, END) == [START, START + timedelta(days=1), END]


def _visit(vid: int, day: date, at: str | None, status: str = "planned", **fields) -> VisitView:
    return VisitView(vid, 1, vid, f"王总{vid}", "恒瑞", day, at, status=status, **fields)


def test_the_day_sheet_runs_by_day_then_time_with_untimed_visits_last() -> None:
    visits = [
        _visit(1, END, "09:00"),
        _visit(2, START, None),
        _visit(3, START, "14:00"),
        _visit(4, START, "08:30"),
        _visit(5, START, "07:00", status="cancelled"),
    ]
    assert [v.id for v in day_sheet(visits)] == [4, 3, 2, 1]
    assert [v.id for v in day_sheet(visits, include_cancelled=True)] == [5, 4, 3, 2, 1]


def test_the_next_free_day_skips_taken_days() -> None:
    assert free_day(START, []) == START
    assert free_day(START, [START, START + timedelta(days=1), START + timedelta(days=3)]) == START + timedelta(days=2)


def _trip() -> TripView:
    return TripView(1, "苏州三日", ("苏州",), START, END)


def test_day_sheet_markdown_holds_what_to_know_and_bring() -> None:
    plan = VisitPlan(
        visit=_visit(1, START, "09:30", place="苏州 工业园区", purpose="谈二期\n# 项目", bring="样品"),
        title="总经理",
        phones=("13800001111",),
        people=(Person(2, "李经理（李娜）", "采购经理", "buyer"),),
        gifts_given=(GiftRecord(1, date(2026, 3, 1), "定制保温杯", 8800, "中秋", "liked"),),
        gift_ideas=("湖笔一支",),
        approach="先讲结论。",
    )
    later = VisitPlan(visit=_visit(2, START, None))
    other_day = VisitPlan(visit=_visit(3, END, "10:00"))
    text = day_sheet_markdown(_trip(), START, [later, plan, other_day], "zh")
    assert text.startswith("# 出差日程单：苏州三日 · 11-24 周二\n")
    assert text.index("## 1. 09:30 王总1") < text.index("## 2. 时间待定 王总2")
    assert "王总3" not in text
    # A line break in user text must not start a new Markdown block.
    assert "- **目的**：谈二期 # 项目" in text
    assert "- **公司里的人**：李经理（李娜）：采购经理，采购者" in text
    assert "- **已送过的礼**：定制保温杯（2026-03）" in text
    assert "- **可以带（没送过的）**：湖笔一支" in text
    english = day_sheet_markdown(_trip(), START, [plan], "en")
    assert "Day sheet: 苏州三日 · 11-24 Tue" in english and "**Bring**: 样品" in english


def test_the_report_lists_visits_next_steps_gifts_and_expenses_by_category() -> None:
    done = _visit(
        1, START, "09:30", status="done", learned="要扩产", needs="交期", competitors="某厂降价",
        next_step="发报价", next_on=END + timedelta(days=2), next_kind="call",
    )  # fmt: skip
    summary = TripSummary(
        trip=_trip(),
        visits=(done, _visit(2, END, None), _visit(3, END, None, status="cancelled")),
        gifts=(GiftGiven("王总1", START, "西湖龙井", 36000),),
        expenses=(
            ExpenseView(1, 1, START, 12850, "transport", "高铁"),
            ExpenseView(2, 1, START, 45000, "hotel"),
            ExpenseView(3, 1, END, 2150, "transport"),
        ),
    )
    assert summary.by_category == {"transport": 15000, "hotel": 45000}
    assert summary.total_cents == 60000
    text = report_markdown(summary, "zh")
    assert "拜访：完成 1 · 待拜访 1 · 取消 1" in text
    assert "- **了解到**：要扩产" in text
    assert "- 王总1：发报价（2026-11-28 电话）" in text
    assert "- 2026-11-24 王总1：西湖龙井 ¥360.00" in text
    assert "| 交通 | ¥150.00 |" in text and "| **合计** | **¥600.00** |" in text
    assert "| Transport | ¥150.00 |" in report_markdown(summary, "en")
