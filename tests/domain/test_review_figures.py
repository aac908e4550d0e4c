"""The review's figures over plain records (kequ.domain.review.figures)."""

from __future__ import annotations

from datetime import date, timedelta

from kequ.domain.review.figures import (
    KEPT,
    LATE,
    MISSED,
    MONTH,
    SKIPPED,
    WAITING,
    WEEK,
    ComplaintFact,
    Count,
    DealFact,
    GiftFact,
    Greeted,
    StepDone,
    complaint_figures,
    deal_follow_ups,
    festival_coverage,
    gift_spend,
    period,
    rhythm_due,
    weekly,
)

TODAY = date(2026, 11, 23)  # a Monday


def test_the_period_is_monday_to_sunday_or_the_calendar_month() -> None:
    assert period(date(2026, 11, 26), WEEK) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period(date(2026, 12, 31), MONTH) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period(date(2027, 2, 1), MONTH) == (date(2027, 2, 1), date(2027, 2, 28))


def test_weekly_counts_this_week_and_the_twelve_before_by_kind() -> None:
    done = [
        Count(TODAY, "call", 2),
        Count(TODAY + timedelta(days=6), "visit", 1),  # Sunday: still this week
        Count(TODAY - timedelta(days=1), "call", 5),  # last Sunday: last week
        Count(TODAY - timedelta(weeks=12), "call", 3),  # the oldest week shown
        Count(TODAY - timedelta(weeks=13), "call", 9),  # too old
    ]
    planned = [Count(TODAY + timedelta(days=2), "call", 4)]
    rows = weekly(done, planned, TODAY)
    assert len(rows) == 13
    assert rows[-1].start == TODAY
    assert rows[-1].done == {"call": 2, "visit": 1}
    assert rows[-1].planned == {"call": 4}
    assert (rows[-1].done_total, rows[-1].planned_total) == (3, 4)
    assert rows[-2].done == {"call": 5}
    assert rows[0].start == TODAY - timedelta(weeks=12)
    assert rows[0].done == {"call": 3}
    assert sum(r.done_total for r in rows) == 11


def test_each_contact_puts_the_next_of_its_kind_due_one_rhythm_later() -> None:
    contacts = [Count(TODAY, "call", 2), Count(TODAY, "visit", 1), Count(TODAY, "message", 7)]
    planned = rhythm_due(contacts, {"call": 30, "visit": 0})
    assert planned == [Count(TODAY + timedelta(days=30), "call", 2)]


def test_festival_coverage_counts_sent_skipped_and_left_of_those_owed() -> None:
    day = date(2026, 9, 25)
    greeted = [
        Greeted("mid_autumn", day, 1, "done"),
        Greeted("mid_autumn", day, 2, "skipped"),
        Greeted("mid_autumn", day, 3, "snoozed"),  # snoozed: still left
        Greeted("mid_autumn", date(2025, 10, 6), 4, "done"),  # last year's: not this one
    ]
    (row,) = festival_coverage([("mid_autumn", day)], {"mid_autumn": [1, 2, 3, 4]}, greeted)
    assert (row.sent, row.skipped, row.left) == ((1,), (2,), (3, 4))
    assert row.as_json() == {"festival": "mid_autumn", "date": "2026-09-25", "sent": 1, "skipped": 1, "left": 2}


def test_gift_spend_by_month_and_customer_with_unpriced_gifts_counted_apart() -> None:
    gifts = [
        GiftFact(date(2026, 10, 3), 1, 20000),
        GiftFact(date(2026, 11, 2), 2, 50000),
        GiftFact(date(2026, 11, 9), 1, 10000),
        GiftFact(date(2026, 11, 10), 3, None),
        GiftFact(date(2026, 8, 1), 4, 99900),  # before the period
    ]
    spend = gift_spend(gifts, date(2026, 10, 1), date(2026, 11, 30))
    assert spend.by_month == {"2026-10": 20000, "2026-11": 60000}
    assert list(spend.by_customer.items()) == [(2, 50000), (1, 30000), (3, 0)]
    assert (spend.count, spend.unpriced, spend.total) == (4, 1, 80000)


def test_complaints_opened_closed_still_open_and_causes_leave_withdrawn_out() -> None:
    start, end = date(2026, 11, 23), date(2026, 11, 29)
    complaints = [
        ComplaintFact(1, 10, date(2026, 11, 24), None, "open", "delivery"),
        ComplaintFact(2, 11, date(2026, 11, 1), date(2026, 11, 25), "closed", "product"),
        ComplaintFact(3, 12, date(2026, 11, 25), date(2026, 11, 26), "closed", None),
        ComplaintFact(4, 13, date(2026, 11, 24), None, "withdrawn", "price"),
        ComplaintFact(5, 14, date(2026, 10, 1), None, "open", "service"),
    ]
    figures = complaint_figures(complaints, start, end)
    assert figures.opened == (1, 3)
    assert figures.closed == (2, 3)
    assert figures.still_open == (1, 5)
    assert figures.causes == {"delivery": 1, "": 1}
    assert figures.customers[5] == 14


def test_deal_follow_ups_say_which_steps_were_kept() -> None:
    closed = TODAY - timedelta(days=12)
    deals = [DealFact(7, 1, closed), DealFact(8, 2, TODAY)]
    steps = [
        StepDone(7, 0, "done", closed),
        StepDone(7, 3, "done", closed + timedelta(days=8)),  # late
        StepDone(7, 10, "skipped", closed + timedelta(days=10)),
    ]
    rows = deal_follow_ups(deals, steps, TODAY)
    assert [r.deal_id for r in rows] == [8, 7]
    older = rows[1]
    assert older.steps == {0: KEPT, 3: LATE, 10: SKIPPED, 20: WAITING}
    assert not older.kept
    assert rows[0].steps == {0: WAITING, 3: WAITING, 10: WAITING, 20: WAITING}
    assert rows[0].kept
    forgotten = deal_follow_ups([DealFact(9, 3, TODAY - timedelta(days=30))], [], TODAY)[0]
    assert set(forgotten.steps.values()) == {MISSED}
