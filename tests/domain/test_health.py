"""Relationship health on hand-built histories (kequ.domain.review.health)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kequ.domain.review.health import (
    NO_RHYTHM_DAYS,
    PARTS,
    POINTS,
    ComplaintSpan,
    History,
    Occasion,
    cooling,
    score,
    trend,
)

TODAY = date(2026, 11, 23)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def history(**changes: object) -> History:
    base: dict[str, object] = {
        "customer_id": 1,
        "tier": "key",
        "stage": "existing",
        "added_on": days_ago(800),
        "rhythm_days": 30,
    }
    return History(**{**base, **changes})  # type: ignore[arg-type]


def kept_perfectly() -> History:
    """Called every 25 days for two years, every festival greeted, two gifts a year."""
    calls = [days_ago(n) for n in range(2, 800, 25)]
    occasions = [Occasion(days_ago(n), days_ago(n)) for n in (20, 80, 150, 250, 330)]
    return history(contacts=calls, occasions=occasions, gifts=[days_ago(40), days_ago(200)])


def test_a_relationship_kept_perfectly_scores_high() -> None:
    health = score(kept_perfectly(), TODAY)
    assert health.score >= 95
    assert health.part("recency").points == POINTS["recency"]
    assert health.part("greetings").points == POINTS["greetings"]


def test_ignored_for_three_rhythms_scores_low() -> None:
    health = score(history(contacts=[days_ago(90)]), TODAY)
    assert health.score < 40
    assert health.part("recency").points == 0
    assert health.part("recency").params["days"] == 90


def test_ignoring_a_well_kept_customer_costs_most_of_the_recency_and_some_regularity() -> None:
    kept = kept_perfectly()
    ignored = history(
        contacts=[d for d in kept.contacts if d <= days_ago(90)],
        occasions=[Occasion(o.day, o.greeted_on if o.day <= days_ago(90) else None) for o in kept.occasions],
        gifts=[days_ago(200)],
    )
    before, after = score(kept, TODAY), score(ignored, TODAY)
    assert after.part("recency").points == 0
    assert after.part("regularity").points < before.part("regularity").points
    assert after.score <= before.score - 50


@pytest.mark.parametrize(
    "case",
    [
        kept_perfectly(),
        history(contacts=[days_ago(90)]),
        history(contacts=[days_ago(45)], complaints=[ComplaintSpan(days_ago(10))], tier="regular", stage="new"),
        history(added_on=TODAY, contacts=[]),
        history(rhythm_days=0, contacts=[days_ago(200)]),
    ],
)
def test_the_parts_add_up_to_the_score_and_stay_within_their_most(case: History) -> None:
    health = score(case, TODAY)
    assert [p.name for p in health.parts] == list(PARTS)
    assert sum(p.points for p in health.parts) == health.score
    assert all(0 <= p.points <= p.most for p in health.parts)
    assert sum(p.most for p in health.parts) == 100
    assert 0 <= health.score <= 100


def test_a_new_customer_with_no_contacts_has_missed_nothing_yet() -> None:
    health = score(history(added_on=TODAY, contacts=[]), TODAY)
    assert health.days_since is None
    assert health.part("recency").reason == "health.reason.never"
    assert health.part("recency").points == POINTS["recency"]
    assert health.part("regularity").reason == "health.reason.too_new"
    assert health.score >= 80


def test_a_customer_never_contacted_for_months_after_being_added_scores_low() -> None:
    health = score(history(added_on=days_ago(120), contacts=[]), TODAY)
    assert health.part("recency").reason == "health.reason.never"
    assert health.part("recency").points == 0
    assert health.score < 40


def test_a_lost_customer_scores_zero_with_one_part_saying_so() -> None:
    health = score(history(churned=True, contacts=kept_perfectly().contacts), TODAY)
    assert health.score == 0
    assert [(p.name, p.reason) for p in health.parts] == [("lost", "health.reason.lost")]


def test_a_customer_without_a_rhythm_is_measured_against_the_regular_interval() -> None:
    recent = score(history(rhythm_days=0, contacts=[days_ago(NO_RHYTHM_DAYS - 1)]), TODAY)
    stale = score(history(rhythm_days=0, contacts=[days_ago(3 * NO_RHYTHM_DAYS)]), TODAY)
    assert recent.part("recency").points == POINTS["recency"]
    assert recent.part("recency").reason == "health.reason.recency_no_rhythm"
    assert stale.part("recency").points == 0


def test_open_complaints_cost_points_and_closed_ones_do_not() -> None:
    open_two = score(history(complaints=[ComplaintSpan(days_ago(5)), ComplaintSpan(days_ago(9))]), TODAY)
    closed = score(history(complaints=[ComplaintSpan(days_ago(30), days_ago(20))]), TODAY)
    assert open_two.part("complaints").points == 0
    assert open_two.part("complaints").params["count"] == 2
    assert closed.part("complaints").points == POINTS["complaints"]
    assert closed.part("complaints").reason == "health.reason.complaints_closed"


def test_greetings_count_only_occasions_of_the_last_year_and_greeted_in_time() -> None:
    owed = [Occasion(days_ago(10), days_ago(10)), Occasion(days_ago(40)), Occasion(days_ago(400), days_ago(400))]
    part = score(history(occasions=owed), TODAY).part("greetings")
    assert (part.params["greeted"], part.params["owed"]) == (1, 2)
    assert part.points == round(POINTS["greetings"] / 2)


def test_tier_and_stage_make_the_standing() -> None:
    key = score(history(), TODAY).part("standing").points
    temporary_prospect = score(history(tier="temporary", stage="prospect"), TODAY).part("standing").points
    assert key == POINTS["standing"]
    assert temporary_prospect < key


def test_history_after_the_day_scored_is_not_seen() -> None:
    later = history(contacts=[days_ago(95), days_ago(1)])
    assert score(later, days_ago(2)).part("recency").points == 0
    assert score(later, TODAY).part("recency").points == POINTS["recency"]


def test_the_trend_compares_four_weeks_ago_with_today_and_cooling_needs_both_signs() -> None:
    # Called every 30 days until 70 days ago, then nothing: falling and past 1.5 x the rhythm.
    faded = history(contacts=[days_ago(n) for n in range(70, 800, 30)])
    falling = trend(faded, TODAY)
    assert falling.before > falling.now
    assert falling.direction == "down"
    assert cooling(score(faded, TODAY), falling)
    steady = kept_perfectly()
    assert not cooling(score(steady, TODAY), trend(steady, TODAY))
    # Falling, but still within 1.5 x the rhythm: not cooling yet.
    recent = history(contacts=[days_ago(40)])
    assert trend(recent, TODAY).change < 0
    assert not cooling(score(recent, TODAY), trend(recent, TODAY))


def test_each_part_says_why_in_words() -> None:
    health = score(history(contacts=[days_ago(45)], tier="regular", stage="new"), TODAY)
    assert health.part("recency").explain("zh") == "上次联系在 45 天前，节奏 30 天"
    assert health.part("standing").explain("en") == "Regular customer · new customer"
    assert health.part("recency").label("zh") == "最近联系"
    assert health.part("recency").as_json()["points"] == health.part("recency").points
