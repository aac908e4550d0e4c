"""The agenda rules on plain values: no database, no clock, no terminal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain.agenda.reasons import reason_text
from kequ.domain.agenda.rules import (
    AgendaInput,
    CustomerFacts,
    DatedEvent,
    DealFact,
    Handled,
    PlannedTouch,
    Rules,
    due,
    last_contacts,
)
from kequ.domain.calendar.lunar import AnnualDate
from kequ.domain.calendar.workdays import PLAIN_WEEKENDS

TODAY = date(2026, 11, 23)


def customer(cid: int = 1, tier: str = "key", added: date = date(2025, 1, 1), **kw: object) -> CustomerFacts:
    return CustomerFacts(id=cid, name=kw.pop("name", f"客户{cid}"), tier=tier, added_on=added, **kw)  # type: ignore[arg-type]


def keys(items: list) -> list[tuple[str, date]]:
    return [(i.source_key, i.due) for i in items]


class TestCadences:
    def test_call_is_due_interval_days_after_the_last_call(self) -> None:
        data = AgendaInput([customer(tier="potential")], {(1, "call"): TODAY - timedelta(days=30)})
        assert keys(due(data, Rules(), TODAY)) == [("cadence:call", TODAY)]

    def test_logging_a_call_moves_the_next_one(self) -> None:
        before = AgendaInput([customer(tier="potential")], {(1, "call"): TODAY - timedelta(days=42)})
        item = due(before, Rules(), TODAY)[0]
        assert item.overdue_days == 12
        assert reason_text(item, "zh") == "上次通话 42 天前（每 30 天）"
        assert reason_text(item, "en") == "Last call 42 days ago (every 30 days)"
        after = AgendaInput([customer(tier="potential")], {(1, "call"): TODAY})
        assert due(after, Rules(), TODAY) == []
        assert keys(due(after, Rules(), TODAY, TODAY + timedelta(days=30))) == [
            ("cadence:call", TODAY + timedelta(days=30))
        ]

    def test_defaults_by_tier(self) -> None:
        long_ago = TODAY - timedelta(days=400)
        people = [customer(1, "key"), customer(2, "potential"), customer(3, "regular"), customer(4, "temporary")]
        history = {(c.id, k): long_ago for c in people for k in ("call", "visit")}
        found = {
            (i.customer_id, i.kind, i.reason_params["interval"])
            for i in due(AgendaInput(people, history), Rules(), TODAY)
        }
        assert found == {(1, "call", 30), (1, "visit", 180), (2, "call", 30), (3, "call", 90)}

    def test_never_contacted_is_due_on_its_first_touch_day_and_kept_under_the_day_added(self) -> None:
        # One newcomer, well within the daily cap: their first call is today (a Monday);
        # the occurrence, what done/skip/snooze are kept under, stays the day they were added.
        added = TODAY - timedelta(days=5)
        items = due(AgendaInput([customer(tier="regular", added=added)]), Rules(), TODAY)
        assert keys(items) == [("cadence:call", TODAY)]
        assert items[0].occurrence == added
        assert items[0].overdue_days == 0
        assert reason_text(items[0], "zh") == "还没通过电话（每 90 天一次）"

    def test_per_customer_override_and_switch_off(self) -> None:
        people = [customer(1, "regular"), customer(2, "key")]
        history = {(1, "call"): TODAY - timedelta(days=10), (2, "call"): TODAY - timedelta(days=100)}
        rules = Rules(overrides={1: {"call": 10}, 2: {"call": 0, "visit": 0}})
        assert keys(due(AgendaInput(people, history), rules, TODAY)) == [("cadence:call", TODAY)]

    def test_churned_customers_are_left_alone(self) -> None:
        assert due(AgendaInput([customer(churned=True)]), Rules(), TODAY) == []

    def test_at_risk_past_one_and_a_half_intervals(self) -> None:
        people = [customer(1, "potential"), customer(2, "potential")]
        history = {(1, "call"): TODAY - timedelta(days=46), (2, "call"): TODAY - timedelta(days=45)}
        risky = {i.customer_id: i.at_risk for i in due(AgendaInput(people, history), Rules(), TODAY)}
        assert risky == {1: True, 2: False}

    def test_last_contacts_reduces_history(self) -> None:
        rows = [(1, "call", date(2026, 1, 1)), (1, "call", date(2026, 3, 1)), (1, "visit", date(2026, 2, 1))]
        assert last_contacts(rows) == {(1, "call"): date(2026, 3, 1), (1, "visit"): date(2026, 2, 1)}


class TestDates:
    def quiet(self, *people: CustomerFacts) -> dict:
        return {(c.id, k): TODAY for c in people for k in ("call", "visit")}

    def test_lunar_birthday_reason_and_gift_lead_time(self) -> None:
        # 2026-11-26 is 农历十月十八.
        person = customer(tier="temporary")
        event = DatedEvent(1, 1, "birthday", AnnualDate(10, 18, lunar=True), lead_days=3)
        items = due(AgendaInput([person], self.quiet(person), dates=[event]), Rules(), TODAY)
        assert [(i.kind, i.due, i.occurrence) for i in items] == [("gift", TODAY, date(2026, 11, 26))]
        assert reason_text(items[0], "zh") == "农历生日 十月十八（还有 3 天）"
        assert reason_text(items[0], "en") == "Birthday lunar 10/18 (in 3 days)"

    def test_message_on_the_day_for_no_lead_time(self) -> None:
        person = customer(tier="temporary")
        event = DatedEvent(1, 1, "birthday", AnnualDate(11, 30))
        data = AgendaInput([person], self.quiet(person), dates=[event])
        assert due(data, Rules(), TODAY) == []
        items = due(data, Rules(), TODAY, TODAY + timedelta(days=7))
        assert [(i.kind, i.due) for i in items] == [("message", date(2026, 11, 30))]

    def test_lunar_december_birthday_lands_in_the_next_gregorian_year(self) -> None:
        person = customer(tier="temporary")
        event = DatedEvent(1, 1, "birthday", AnnualDate(12, 20, lunar=True))
        start = date(2027, 12, 20)
        items = due(
            AgendaInput([person], self.quiet(person), dates=[event]), Rules(), start, start + timedelta(days=60)
        )
        assert [i.occurrence.year for i in items] == [2028]


class TestFestivals:
    def test_key_and_potential_customers_are_greeted_by_default(self) -> None:
        people = [customer(1, "key"), customer(2, "potential"), customer(3, "regular")]
        history = {(c.id, k): date(2027, 9, 10) for c in people for k in ("call", "visit")}
        day = date(2027, 9, 14)  # 教师节 (9/10) is past the three days a late greeting is offered
        items = due(AgendaInput(people, history), Rules(), day, day + timedelta(days=7))
        festival = [(i.customer_id, i.occurrence) for i in items if i.kind == "festival"]
        assert festival == [(1, date(2027, 9, 15)), (2, date(2027, 9, 15))]
        assert reason_text(next(i for i in items if i.kind == "festival"), "zh") == "中秋节祝福（还有 1 天）"

    def test_which_festivals_to_greet_is_a_setting(self) -> None:
        people = [customer(1, "key")]
        day = date(2027, 9, 12)
        rules = Rules(festival_keys=frozenset({"national_day"}))
        items = due(AgendaInput(people, {(1, "call"): day, (1, "visit"): day}), rules, day, day + timedelta(days=7))
        assert items == []


class TestDeals:
    def test_the_0_3_10_20_sequence(self) -> None:
        closed = date(2026, 11, 3)  # a Tuesday: days 3, 10 and 20 are weekdays too
        person = customer(tier="temporary")
        data = AgendaInput([person], deals=[DealFact(7, 1, closed)])
        items = due(data, Rules(), closed, closed + timedelta(days=30))
        assert [(i.due - closed).days for i in items] == [0, 3, 10, 20]
        assert [i.kind for i in items] == ["thanks", "call", "call", "call"]
        assert reason_text(items[1], "zh") == "成交后第 3 天回访：简短问候，让客户放心"
        assert "referral" in reason_text(items[3], "en")

    def test_the_calls_after_a_deal_land_on_working_days(self) -> None:
        person = customer(tier="temporary")
        # Closed on Sunday 1 November: day 20 is Saturday the 21st, so that call is on Monday.
        sunday = date(2026, 11, 1)
        items = due(AgendaInput([person], deals=[DealFact(7, 1, sunday)]), Rules(), sunday, sunday + timedelta(days=30))
        assert [(i.source_key, i.occurrence, i.due) for i in items] == [
            ("deal:7:0", sunday, sunday),  # the thanks stays on the deal's own day
            ("deal:7:3", date(2026, 11, 4), date(2026, 11, 4)),
            ("deal:7:10", date(2026, 11, 11), date(2026, 11, 11)),
            ("deal:7:20", date(2026, 11, 21), date(2026, 11, 23)),
        ]
        # Closed on 28 September: day 3 is 国庆 (1 October), moved past the break to Thursday
        # the 8th, where day 10 falls anyway; day 20 (18 October) is a Sunday, moved to Monday.
        monday = date(2026, 9, 28)
        items = due(AgendaInput([person], deals=[DealFact(8, 1, monday)]), Rules(), monday, monday + timedelta(days=30))
        assert {i.source_key: (i.occurrence, i.due) for i in items} == {
            "deal:8:0": (monday, monday),
            "deal:8:3": (date(2026, 10, 1), date(2026, 10, 8)),
            "deal:8:10": (date(2026, 10, 8), date(2026, 10, 8)),
            "deal:8:20": (date(2026, 10, 18), date(2026, 10, 19)),
        }
        # A 调休 Saturday is a working day: a call due on it stays there.
        items = due(AgendaInput([person], deals=[DealFact(9, 1, date(2026, 9, 30))]), Rules(), date(2026, 10, 10))
        assert [i.due for i in items if i.source_key == "deal:9:10"] == [date(2026, 10, 10)]
        # Without the year's holiday data only weekends move: the same 调休 Saturday goes to Monday.
        plain = AgendaInput([person], deals=[DealFact(9, 1, date(2026, 9, 30))], calendar=PLAIN_WEEKENDS)
        later = due(plain, Rules(), date(2026, 10, 10), date(2026, 10, 12))
        assert [i.due for i in later if i.source_key == "deal:9:10"] == [date(2026, 10, 12)]


class TestHandling:
    def test_done_and_skipped_never_come_back_and_snoozed_moves(self) -> None:
        closed = TODAY - timedelta(days=3)
        person = customer(tier="temporary")
        handled = [
            Handled(1, "deal:7:0", closed, "done", closed),
            Handled(1, "deal:7:3", TODAY, "snoozed", TODAY + timedelta(days=2)),
        ]
        data = AgendaInput([person], deals=[DealFact(7, 1, closed)], handled=handled)
        assert due(data, Rules(), TODAY) == []
        later = due(data, Rules(), TODAY, TODAY + timedelta(days=30))
        assert keys(later) == [
            ("deal:7:3", TODAY + timedelta(days=2)),
            ("deal:7:10", closed + timedelta(days=10)),
            ("deal:7:20", closed + timedelta(days=20)),
        ]
        skipped = AgendaInput(
            [person], deals=[DealFact(7, 1, closed)], handled=[Handled(1, "deal:7:3", TODAY, "skipped", TODAY)]
        )
        assert "deal:7:3" not in {i.source_key for i in due(skipped, Rules(), TODAY, TODAY + timedelta(days=30))}

    def test_planned_touches_show_on_their_day(self) -> None:
        person = customer(tier="temporary")
        data = AgendaInput([person], planned=[PlannedTouch(5, 1, "visit", TODAY, "送样品")])
        items = due(data, Rules(), TODAY)
        assert reason_text(items[0], "zh") == "计划中：送样品"


class TestRanking:
    def test_overdue_first_by_lateness_times_tier_then_by_day_then_name(self) -> None:
        people = [
            customer(1, "regular", name="甲"),  # 20 days late x 2 = 40
            customer(2, "key", name="乙"),  # 15 days late x 4 = 60
            customer(3, "potential", name="丙"),  # due today
            customer(4, "potential", name="丁"),  # due today, same weight
        ]
        history = {
            (1, "call"): TODAY - timedelta(days=110),
            (2, "call"): TODAY - timedelta(days=45),
            (2, "visit"): TODAY,
            (3, "call"): TODAY - timedelta(days=30),
            (4, "call"): TODAY - timedelta(days=30),
        }
        order = [i.name for i in due(AgendaInput(people, history), Rules(), TODAY)]
        assert order[:2] == ["乙", "甲"]
        assert sorted(order[2:]) == order[2:] or order[2:] == ["丁", "丙"]
        assert set(order[2:]) == {"丙", "丁"}

    def test_a_late_occasion_comes_before_a_later_rhythm_call(self) -> None:
        """The birthday two days gone outranks a call a month late: its moment is passing."""
        people = [customer(1, "key", name="甲"), customer(2, "temporary", name="乙")]
        history = {(1, "call"): TODAY - timedelta(days=75), (1, "visit"): TODAY, (2, "call"): TODAY}
        two_days_ago = TODAY - timedelta(days=2)
        birthday = DatedEvent(1, 2, "birthday", AnnualDate(two_days_ago.month, two_days_ago.day), lead_days=0)
        items = due(AgendaInput(people, history, dates=[birthday]), Rules(), TODAY)
        assert [(i.name, i.source_key.split(":")[0], i.overdue_days) for i in items] == [
            ("乙", "date", 2),  # 2 days late x the lightest tier
            ("甲", "cadence", 45),  # 45 days late x the heaviest tier
        ]

    def test_window_before_today_is_refused(self) -> None:
        with pytest.raises(ValueError):
            due(AgendaInput([]), Rules(), TODAY, TODAY - timedelta(days=1))


# --- properties -------------------------------------------------------------------------

annual_dates = st.builds(
    lambda lunar, month, day, leap: AnnualDate(month, min(day, 29 if lunar else 28), lunar=lunar, leap=lunar and leap),
    st.booleans(),
    st.integers(1, 12),
    st.integers(1, 30),
    st.booleans(),
)


@st.composite
def agenda_inputs(draw: st.DrawFn) -> tuple[AgendaInput, date, date]:
    today = draw(st.dates(date(1950, 1, 1), date(2090, 12, 31)))
    days = draw(st.integers(0, 60))
    count = draw(st.integers(1, 6))
    people = [
        customer(
            i,
            draw(st.sampled_from(["key", "potential", "regular", "temporary"])),
            today - timedelta(days=draw(st.integers(0, 900))),
        )
        for i in range(1, count + 1)
    ]
    history = {
        (c.id, kind): today - timedelta(days=draw(st.integers(0, 400)))
        for c in people
        for kind in ("call", "visit")
        if draw(st.booleans())
    }
    dates = [
        DatedEvent(n, c.id, "birthday", draw(annual_dates), draw(st.sampled_from([0, 3]))) for n, c in enumerate(people)
    ]
    deals = [
        DealFact(n, c.id, today - timedelta(days=draw(st.integers(0, 40))))
        for n, c in enumerate(people)
        if draw(st.booleans())
    ]
    return AgendaInput(people, history, dates, deals), today, today + timedelta(days=days)


@settings(max_examples=150, deadline=None)
@given(agenda_inputs())
def test_every_item_is_due_within_the_window_and_nothing_twice(case: tuple[AgendaInput, date, date]) -> None:
    data, today, until = case
    items = due(data, Rules(), today, until)
    assert all(item.due <= until for item in items)
    assert all(item.overdue_days == max(0, (today - item.due).days) for item in items)
    assert len({item.key for item in items}) == len(items)


@settings(max_examples=100, deadline=None)
@given(agenda_inputs())
def test_handling_every_item_empties_the_agenda(case: tuple[AgendaInput, date, date]) -> None:
    data, today, until = case
    items = due(data, Rules(), today, until)
    done = [
        Handled(i.customer_id, i.source_key, i.occurrence, "done", i.due)
        for i in items
        if not i.source_key.startswith("cadence:")
    ]
    after = due(AgendaInput(data.customers, data.last_contact, data.dates, data.deals, done), Rules(), today, until)
    assert all(i.source_key.startswith("cadence:") for i in after)


def test_open_complaints_come_first_every_day_until_closed() -> None:
    from kequ.domain.agenda.rules import OpenComplaint

    people = [customer(1, "key", name="甲"), customer(2, "temporary", name="乙")]
    history = {(1, "call"): TODAY - timedelta(days=100), (1, "visit"): TODAY}
    opened = TODAY - timedelta(days=2)
    data = AgendaInput(people, history, complaints=[OpenComplaint(9, 2, opened, 5, "外箱破损")])
    items = due(data, Rules(), TODAY)
    assert [(i.kind, i.customer_id) for i in items][:2] == [("complaint", 2), ("call", 1)]
    assert reason_text(items[0], "zh") == "投诉处理中：第 5/9 步，已 2 天（外箱破损）"
    tomorrow = due(data, Rules(), TODAY + timedelta(days=1))
    assert tomorrow[0].kind == "complaint" and tomorrow[0].due == TODAY + timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 31),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.integers(1, 9999)),
    st.integers(0, 60),
    st.dates(date(1902, 1, 1), date(2098, 12, 1)),
)
def test_the_agenda_never_raises_on_any_stored_date(
    month: int, day: int, lunar: bool, leap: bool, year: int | None, lead: int, today: date
) -> None:
    """Rows written by an older version or by hand may hold dates no form would accept."""
    # Anything the schema lets through: its checks refuse only a lunar 31st.
    annual = AnnualDate(month, min(day, 30) if lunar else day, lunar=lunar, leap=leap, year=year)
    data = AgendaInput([customer(1, "temporary")], dates=[DatedEvent(1, 1, "birthday", annual, lead)])
    for item in due(data, Rules(), today, today + timedelta(days=30)):
        assert item.due <= today + timedelta(days=30)
        reason_text(item, "zh")
        reason_text(item, "en")
