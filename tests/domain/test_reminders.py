"""kequ.domain.reminders: the day's summary text, the visit alerts and when each is due."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from kequ.domain.agenda.rules import DueItem
from kequ.domain.reminders import (
    LATE_GRACE,
    TimedVisit,
    item_label,
    parse_clock,
    plan_day,
    summary_text,
    to_say,
)

DAY = date(2026, 11, 23)


def _item(name: str, honorific: str, kind: str, source: str, reason: str = "reason.cadence_call") -> DueItem:
    return DueItem(1, source, DAY, DAY, kind, reason, {}, 0, "key", name, honorific)


ITEMS = [
    _item("彭建国", "彭总", "visit", "date:3", "reason.date_illness"),
    _item("朱丽", "朱总", "gift", "date:4", "reason.date_wedding"),
    _item("王强", "", "call", "cadence:call"),
]


def test_the_summary_names_who_and_what_for_an_occasion_and_trails_off() -> None:
    assert [item_label(i, "zh") for i in ITEMS] == ["彭总 生病住院拜访", "朱总 婚礼礼品", "王强 电话"]
    assert [item_label(i, "en") for i in ITEMS] == ["彭总: Visit (Illness)", "朱总: Gift (Wedding)", "王强: Call"]
    six = ["彭总 住院探望", "朱总 婚礼礼品", "a", "b", "c", "d"]
    assert summary_text(six, "zh") == "今天 6 项：彭总 住院探望、朱总 婚礼礼品、a、b、c……"
    assert summary_text(six[:5], "zh") == "今天 5 项：彭总 住院探望、朱总 婚礼礼品、a、b、c"  # all shown: no ……
    assert summary_text(six[:2], "en") == "Today, 2 to do: 彭总 住院探望; 朱总 婚礼礼品"
    assert summary_text([], "zh") == "今天没有要办的事。"


def test_visits_come_first_by_time_and_each_timed_one_has_an_alert_ahead() -> None:
    visits = [
        TimedVisit(8, "刘总（刘伟）", DAY, None),
        TimedVisit(7, "彭总（彭建国）", DAY, time(14, 0), place="人民医院", purpose="探望"),
        TimedVisit(9, "陈总", DAY, time(10, 0)),
        TimedVisit(10, "明天的", DAY + timedelta(days=1), time(9, 0)),  # another day: not today's
    ]
    plan = plan_day(ITEMS, visits, DAY, lead_minutes=30, lang="zh")
    assert plan.labels[:3] == ("10:00 拜访 陈总", "14:00 拜访 彭总（彭建国）", "拜访 刘总（刘伟）")
    assert len(plan.labels) == 6
    assert plan.summary is not None and plan.summary.title == "客情 · 今天 6 项"
    assert plan.summary.body.startswith("今天 6 项：10:00 拜访 陈总、")
    assert [(a.key, a.at, a.until) for a in plan.visits] == [
        ("visit:9:2026-11-23T10:00", datetime(2026, 11, 23, 9, 30), datetime(2026, 11, 23, 10, 0) + LATE_GRACE),
        ("visit:7:2026-11-23T14:00", datetime(2026, 11, 23, 13, 30), datetime(2026, 11, 23, 14, 0) + LATE_GRACE),
    ]
    hospital = plan.visits[1]
    assert hospital.title == "14:00 拜访 彭总（彭建国）（提前 30 分钟提醒）"
    assert hospital.body == "人民医院、探望"


def test_what_is_due_follows_the_clock_and_what_was_said() -> None:
    visits = [TimedVisit(7, "彭总", DAY, time(14, 0))]
    plan = plan_day(ITEMS, visits, DAY, lead_minutes=30, summary_from=time(8, 30), lang="zh")
    at = lambda hh, mm: datetime(2026, 11, 23, hh, mm)  # noqa: E731
    assert to_say(plan, at(7, 0), []) == []  # before the morning time: nothing yet
    assert [a.kind for a in to_say(plan, at(8, 30), [])] == ["summary"]
    assert to_say(plan, at(8, 35), ["summary:2026-11-23"]) == []  # said: not again
    assert to_say(plan, at(13, 29), ["summary:2026-11-23"]) == []
    assert [a.kind for a in to_say(plan, at(13, 30), ["summary:2026-11-23"])] == ["visit"]
    assert [a.kind for a in to_say(plan, at(14, 9), ["summary:2026-11-23"])] == ["visit"]  # a little late still helps
    assert to_say(plan, at(14, 10), ["summary:2026-11-23"]) == []  # the visit is under way: too late
    # A run missed all morning says both at once.
    assert [a.kind for a in to_say(plan, at(13, 45), [])] == ["summary", "visit"]


def test_a_moved_visit_is_announced_again_and_lead_zero_rings_at_the_time() -> None:
    first = plan_day([], [TimedVisit(7, "彭总", DAY, time(14, 0))], DAY, 0, lang="zh")
    moved = plan_day([], [TimedVisit(7, "彭总", DAY, time(15, 0))], DAY, 0, lang="zh")
    assert first.visits[0].key != moved.visits[0].key
    assert moved.visits[0].at == datetime(2026, 11, 23, 15, 0)
    said = [a.key for a in first.alerts]
    assert [a.key for a in to_say(moved, datetime(2026, 11, 23, 15, 0), said)] == [moved.visits[0].key]


def test_a_day_with_nothing_says_nothing() -> None:
    plan = plan_day([], [], DAY, 30, lang="zh")
    assert plan.summary is None and plan.alerts == () and plan.labels == ()
    assert to_say(plan, datetime(2026, 11, 23, 9, 0), []) == []


@pytest.mark.parametrize(("text", "expected"), [("08:30", time(8, 30)), ("8点半", time(8, 30)), ("7:05", time(7, 5))])
def test_clock_times_as_people_type_them(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "8:61", "早上"])
def test_a_clock_time_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_clock(text)
