"""The review and health read from a real book (kequ.services.review)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction, record_deal
from kequ.services.customers import add_customer
from kequ.services.gifts import add_gift
from kequ.services.review import all_health, customers_touched, health_of, review
from tests.conftest import DEMO_TODAY

TODAY = DEMO_TODAY  # Monday 2026-11-23


def _added_long_ago(db, *ids: int) -> None:
    with sqlite3.connect(db.path) as conn:
        for cid in ids:
            conn.execute("UPDATE customer SET created_at = '2024-06-01 04:00:00.000000' WHERE id = ?", (cid,))


def _book(db) -> dict[str, int]:
    faded = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    kept = add_customer(db, NewCustomer(name="李娜", honorific="李姐", tier="key"))
    busy = add_customer(db, NewCustomer(name="张伟", tier="regular", company="恒瑞贸易"))
    _added_long_ago(db, faded, kept, busy)
    for n in range(70, 700, 30):
        log_interaction(db, faded, "call", TODAY - timedelta(days=n))
    for n in range(5, 700, 25):
        log_interaction(db, kept, "call", TODAY - timedelta(days=n))
    log_interaction(db, busy, "call", TODAY)
    log_interaction(db, busy, "visit", TODAY + timedelta(days=1))
    log_interaction(db, busy, "call", TODAY - timedelta(days=3))  # last week
    add_gift(db, busy, TODAY, "茶叶", 30000)
    add_gift(db, kept, TODAY - timedelta(days=40), "月饼", 20000)
    record_deal(db, busy, TODAY - timedelta(days=12), 100000)
    return {"faded": faded, "kept": kept, "busy": busy}


def test_the_review_counts_the_week_by_kind_and_finds_the_cooling_key_customer(db) -> None:
    who = _book(db)
    result = review(db, TODAY)
    assert (result.start, result.end) == (TODAY, TODAY + timedelta(days=6))
    assert result.done == {"call": 1, "visit": 1}
    assert result.weeks[-1].done == {"call": 1, "visit": 1}
    assert result.weeks[-2].done.get("call", 0) >= 1
    assert [c.customer_id for c in result.cooling] == [who["faded"]]
    assert result.cooling[0].trend.change < 0
    # The kept key customer's call falls due this week (25 days after the last, rhythm 30).
    assert result.planned.get("call", 0) >= 1
    assert result.gifts.by_customer == {who["busy"]: 30000}
    assert result.gifts_by_month == {"2026-10": 20000, "2026-11": 30000}
    (deal,) = result.deals
    assert deal.customer_id == who["busy"]
    assert deal.steps == {0: "missed", 3: "missed", 10: "waiting", 20: "waiting"}
    doc = result.as_json()
    assert {"done", "planned", "cooling"} <= set(doc)
    assert doc["cooling"][0]["name"] == "王建国"
    assert doc["done"]["total"] == 2


def test_the_month_review_spans_the_calendar_month(db) -> None:
    _book(db)
    result = review(db, TODAY, "month")
    assert (result.start, result.end) == (TODAY.replace(day=1), TODAY.replace(day=30))
    assert result.done["call"] >= 2  # this week's and last week's
    assert len(result.weeks) == 13


def test_health_of_one_customer_has_parts_that_add_up_and_a_trend(db) -> None:
    who = _book(db)
    health, change = health_of(db, who["faded"], TODAY)
    assert sum(p.points for p in health.parts) == health.score
    assert health.days_since == 70
    assert change.now == health.score and change.before > change.now
    kept, _ = health_of(db, who["kept"], TODAY)
    assert kept.score > health.score
    assert kept.part("gifts").params["count"] == 1


def test_every_customers_health_lowest_first_and_the_customers_behind_a_count(db) -> None:
    who = _book(db)
    scores = [h.score for h, _t in all_health(db, TODAY)]
    assert len(scores) == 3 and scores == sorted(scores)
    assert customers_touched(db, TODAY, TODAY + timedelta(days=6)) == [who["busy"]]
    assert customers_touched(db, TODAY, TODAY + timedelta(days=6), "visit") == [who["busy"]]
    assert customers_touched(db, TODAY, TODAY + timedelta(days=6), "gift") == []


def test_an_empty_book_reviews_to_zeros(db) -> None:
    result = review(db, TODAY)
    assert result.done == {} and result.cooling == [] and result.deals == []
    assert all(w.done_total == 0 for w in result.weeks)
