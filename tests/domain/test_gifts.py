"""Never the same gift twice; ideas from interests; spend per year."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.domain.gifts import gift_key, repeat_of, spend_by_year, suggestions
from kequ.domain.records import GiftRecord


def gift(item: str, day: date = date(2026, 9, 20), cost: int | None = 36000) -> GiftRecord:
    return GiftRecord(1, day, item, cost, "中秋节", "liked")


def test_the_same_item_is_recognised_despite_amounts_and_spacing() -> None:
    given = [gift("西湖龙井 250g")]
    assert repeat_of("西湖龙井", given) is not None
    assert repeat_of("西湖 龙井（500克）", given) is not None
    assert repeat_of("碧螺春", given) is None
    assert gift_key("Tea Set") == gift_key("tea-set")


def test_one_character_items_never_match_everything() -> None:
    assert repeat_of("茶", [gift("茶具")]) is None


def test_ideas_follow_interests_and_skip_what_was_given() -> None:
    ideas = suggestions(["茶道、钓鱼", "周末去钓鱼"], [gift("当季明前龙井")])
    assert "钓鱼折叠凳" in ideas
    assert "当季明前龙井" not in ideas
    assert suggestions([], []) and all(isinstance(i, str) for i in suggestions([], []))


def test_spend_by_year() -> None:
    spend = spend_by_year(
        [gift("a礼", date(2026, 1, 2), 100), gift("b礼", date(2026, 5, 1), None), gift("c礼", date(2025, 5, 1), 50)]
    )
    assert [(s.year, s.cost_cents, s.count) for s in spend] == [(2026, 100, 2), (2025, 50, 1)]


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("送了一对紫砂杯", ("一对紫砂杯", None)),
        ("送了一对紫砂杯，300元", ("一对紫砂杯", 30000)),
        ("带了两盒茶叶 ¥280.5", ("两盒茶叶", 28050)),
        ("花了300元买了花篮", ("花篮", 30000)),
        ("500g 普洱茶 两饼, 共 800 块", ("500g 普洱茶 两饼", 80000)),
        ("果篮", ("果篮", None)),
        ("送了", ("送了", None)),  # nothing but the verb: keep what was written
    ],
)
def test_a_gift_and_its_cost_are_read_from_the_outcome_line(outcome: str, expected: tuple[str, int | None]) -> None:
    from kequ.domain.gifts import gift_from_outcome

    assert gift_from_outcome(outcome) == expected
