"""First touches spread over working days: pure values in, a plan and due items out."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

from kequ.domain.agenda.first_touches import FirstTouchPlan, Newcomer, plan_first_touches, plan_line
from kequ.domain.agenda.rules import AgendaInput, CustomerFacts, Handled, Rules, due, due_and_plan

MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 28)


def newcomers(count: int, tier: str = "regular", added: date = MONDAY, start_id: int = 1, days: int = 90) -> list:
    return [Newcomer(cid, tier, added, added + timedelta(days=days)) for cid in range(start_id, start_id + count)]


def per_day(plan: FirstTouchPlan) -> Counter[date]:
    return Counter(plan.days.values())


class TestCap:
    def test_at_most_the_cap_a_day_over_the_working_days(self) -> None:
        plan = plan_first_touches(newcomers(40), MONDAY, cap=15)
        assert per_day(plan) == {MONDAY: 15, MONDAY + timedelta(days=1): 15, MONDAY + timedelta(days=2): 10}
        assert (plan.today, plan.later, plan.late, plan.per_day) == (15, 25, 0, 15)

    def test_weekends_are_skipped(self) -> None:
        # 15 on Thursday, 15 on Friday, the rest on Monday: nothing on Saturday or Sunday.
        thursday = MONDAY + timedelta(days=3)
        plan = plan_first_touches(newcomers(35), thursday, cap=15)
        assert sorted(per_day(plan).items()) == [
            (thursday, 15),
            (thursday + timedelta(days=1), 15),
            (thursday + timedelta(days=4), 5),
        ]

    def test_on_a_weekend_nothing_is_today_and_all_start_on_monday(self) -> None:
        plan = plan_first_touches(newcomers(3), SATURDAY, cap=15)
        assert set(plan.days.values()) == {SATURDAY + timedelta(days=2)}
        assert (plan.today, plan.later) == (0, 3)

    def test_a_cap_of_one_takes_one_a_day(self) -> None:
        plan = plan_first_touches(newcomers(3), MONDAY, cap=1)
        assert sorted(plan.days.values()) == [MONDAY + timedelta(days=n) for n in range(3)]

    def test_nobody_waiting_is_an_empty_plan_and_no_line(self) -> None:
        plan = plan_first_touches([], MONDAY, cap=15)
        assert plan.days == {} and plan.planned == 0
        assert plan_line(plan, "zh") == ""


class TestOrder:
    def test_key_then_potential_then_regular_whatever_the_ids(self) -> None:
        people = [
            *newcomers(10, "regular", start_id=1),
            *newcomers(10, "potential", start_id=100, days=30),
            *newcomers(10, "key", start_id=200, days=30),
        ]
        plan = plan_first_touches(people, MONDAY, cap=10)
        assert {plan.days[cid] for cid in range(200, 210)} == {MONDAY}
        assert {plan.days[cid] for cid in range(100, 110)} == {MONDAY + timedelta(days=1)}
        assert {plan.days[cid] for cid in range(1, 11)} == {MONDAY + timedelta(days=2)}

    def test_within_a_tier_who_was_added_earlier_goes_first(self) -> None:
        people = [Newcomer(1, "regular", MONDAY, MONDAY + timedelta(days=90))]
        people.append(Newcomer(2, "regular", MONDAY - timedelta(days=7), MONDAY + timedelta(days=83)))
        plan = plan_first_touches(people, MONDAY, cap=1)
        assert plan.days == {2: MONDAY, 1: MONDAY + timedelta(days=1)}


class TestRhythmBound:
    def test_never_later_than_the_rhythm_even_past_the_cap(self) -> None:
        # 400 potential customers, each to be called within 30 days: the 23 working days up
        # to 2026-12-23 hold 345 at 15 a day, so the fewest a day that keeps every rhythm is
        # 18 (400 / 23 = 17.4), and no one is planned after the 23rd.
        people = newcomers(400, "potential", days=30)
        plan = plan_first_touches(people, MONDAY, cap=15)
        assert max(plan.days.values()) == date(2026, 12, 23)
        assert plan.per_day == 18
        assert max(per_day(plan).values()) == 18
        assert "（上限每天 15 位；要不晚于各自的联系节奏，每天需 18 位）" in plan_line(plan, "zh")
        assert "the cap is 15 a day; keeping to everyone's rhythm takes 18 a day" in plan_line(plan, "en")

    def test_391_fit_in_17_a_day_392_need_18(self) -> None:
        # The edge of the formula: 23 working days x 17 = 391 < 400, x 18 = 414.
        assert plan_first_touches(newcomers(391, days=30), MONDAY, cap=15).per_day == 17
        assert plan_first_touches(newcomers(392, days=30), MONDAY, cap=15).per_day == 18

    def test_a_deadline_soon_goes_first_rather_than_raising_everyone(self) -> None:
        # A regular customer added 88 days ago has two days left; 300 new key customers wait.
        # In tier order they would have to take 300 a day; by deadline the cap still holds.
        old = Newcomer(1, "regular", MONDAY - timedelta(days=88), MONDAY + timedelta(days=2))
        plan = plan_first_touches([old, *newcomers(300, "key", start_id=10, days=180)], MONDAY, cap=15)
        assert plan.per_day == 15
        assert plan.days[1] <= MONDAY + timedelta(days=2)
        assert max(per_day(plan).values()) == 15

    def test_a_customer_already_past_their_rhythm_is_due_since_it_ran_out(self) -> None:
        late = Newcomer(1, "key", MONDAY - timedelta(days=40), MONDAY - timedelta(days=10))
        plan = plan_first_touches([late, *newcomers(2, start_id=10)], MONDAY, cap=15)
        assert plan.days[1] == MONDAY - timedelta(days=10)
        assert (plan.late, plan.today, plan.later) == (1, 2, 0)

    def test_a_deadline_on_a_sunday_means_the_friday_before(self) -> None:
        # Starting on a Thursday, three to a day, a deadline on Sunday: Thursday and Friday only.
        thursday = MONDAY + timedelta(days=3)
        people = [Newcomer(cid, "key", thursday, thursday + timedelta(days=3)) for cid in range(1, 7)]
        plan = plan_first_touches(people, thursday, cap=2)
        assert set(plan.days.values()) == {thursday, thursday + timedelta(days=1)}
        assert plan.per_day == 3


def customer(cid: int, tier: str, added: date = MONDAY) -> CustomerFacts:
    return CustomerFacts(id=cid, name=f"客户{cid:05d}", tier=tier, added_on=added)


def imported_book(count: int) -> list[CustomerFacts]:
    """An import: every tenth customer potential, every hundredth key, the rest regular."""
    tiers = {0: "key"}
    return [customer(cid, tiers.get(cid % 100, "potential" if cid % 10 == 0 else "regular")) for cid in range(count)]


class TestAgenda:
    def test_an_import_of_ten_thousand_does_not_flood_today(self) -> None:
        book = imported_book(10_000)
        started = time.perf_counter()
        items, plan = due_and_plan(AgendaInput(book), Rules(), MONDAY)
        took = time.perf_counter() - started
        assert {i.reason_key for i in items} <= {"reason.never_call", "reason.never_visit"}
        customers_today = {i.customer_id for i in items}
        assert len(customers_today) == plan.today == plan.per_day
        assert plan.today + plan.later == 10_000
        # The rhythms need more than 15 a day here (9,000 regular customers within 90 days),
        # but far fewer than everyone at once; key customers come first.
        assert 15 < plan.per_day < 200
        assert {i.tier for i in items} == {"key", "potential"}
        assert all(d <= MONDAY + timedelta(days=90) for d in plan.days.values())
        assert took < 2.0  # generous: about 20 ms on a laptop; a quadratic plan would take minutes

    def test_the_same_book_on_the_same_day_gives_the_same_plan(self) -> None:
        book = imported_book(2_000)
        first = due_and_plan(AgendaInput(book), Rules(), MONDAY, MONDAY + timedelta(days=7))
        again = due_and_plan(AgendaInput(list(reversed(book))), Rules(), MONDAY, MONDAY + timedelta(days=7))
        assert first[1].days == again[1].days
        assert [i.key for i in first[0]] == [i.key for i in again[0]]

    def test_the_cap_is_the_setting(self) -> None:
        book = [customer(cid, "regular") for cid in range(1, 31)]
        items = due(AgendaInput(book), Rules(first_touch_cap=4), MONDAY)
        assert len(items) == 4
        items = due(AgendaInput(book), Rules(first_touch_cap=30), MONDAY)
        assert len(items) == 30

    def test_a_key_customers_first_call_and_visit_share_their_day(self) -> None:
        book = [customer(1, "key"), *(customer(cid, "regular") for cid in range(2, 40))]
        items = due(AgendaInput(book), Rules(first_touch_cap=2), MONDAY)
        mine = sorted((i.kind, i.due) for i in items if i.customer_id == 1)
        assert mine == [("call", MONDAY), ("visit", MONDAY)]

    def test_someone_already_called_is_not_a_newcomer_for_calls(self) -> None:
        book = [customer(1, "regular"), customer(2, "regular")]
        called = {(1, "call"): MONDAY - timedelta(days=100)}
        items = due(AgendaInput(book, called), Rules(first_touch_cap=1), MONDAY)
        assert sorted((i.customer_id, i.reason_key, i.overdue_days) for i in items) == [
            (1, "reason.cadence_call", 10),
            (2, "reason.never_call", 0),
        ]

    def test_a_snoozed_first_call_keeps_its_day_and_frees_its_place(self) -> None:
        book = [customer(1, "regular"), customer(2, "regular")]
        later = MONDAY + timedelta(days=5)
        snoozed = Handled(1, "cadence:call", MONDAY, "snoozed", later)
        items, plan = due_and_plan(AgendaInput(book, handled=[snoozed]), Rules(first_touch_cap=1), MONDAY, later)
        assert sorted((i.customer_id, i.due) for i in items) == [(1, later), (2, MONDAY)]
        assert plan.days == {2: MONDAY}

    def test_a_skipped_first_call_does_not_come_back(self) -> None:
        skipped = Handled(1, "cadence:call", MONDAY, "skipped", MONDAY)
        window = MONDAY + timedelta(days=120)
        assert due(AgendaInput([customer(1, "regular")], handled=[skipped]), Rules(), MONDAY, window) == []

    def test_first_touches_come_on_weekdays_only_and_at_most_the_cap(self) -> None:
        items = due(AgendaInput(imported_book(500)), Rules(), MONDAY, MONDAY + timedelta(days=13))
        assert {i.due.weekday() for i in items} == {0, 1, 2, 3, 4}
        customers_a_day = Counter(due_on for due_on, _ in {(i.due, i.customer_id) for i in items})
        assert set(customers_a_day.values()) == {15}
        assert len(customers_a_day) == 10  # two working weeks


class TestLine:
    def test_today_and_later(self) -> None:
        plan = plan_first_touches(newcomers(827), MONDAY, cap=15)
        assert plan_line(plan, "zh") == "新客户：今天安排 15 位首次联系，其余 812 位已排到后面的工作日"
        assert (
            plan_line(plan, "en")
            == "New customers: 15 first contacts today, the other 812 planned over the coming working days"
        )

    def test_all_today(self) -> None:
        assert plan_line(plan_first_touches(newcomers(3), MONDAY), "zh") == "新客户：今天安排 3 位首次联系"

    def test_on_a_weekend(self) -> None:
        plan = plan_first_touches(newcomers(3), SATURDAY)
        assert plan_line(plan, "zh") == "新客户：3 位首次联系已排到后面的工作日"
