"""Amounts as people type them: one reading for the command line, the gift form and expenses."""

from __future__ import annotations

import pytest

from kequ.domain.values import address_as, amount_text, display_name, listed_name, parse_amount, whole_number
from kequ.errors import KequError


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12800", 1_280_000), ("12,800.50", 1_280_050), ("¥128", 12_800), ("￥ 99.9", 9_990), ("0", 0), (" 3 ", 300)],
)
def test_amounts_as_typed(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e309", "-5", "abc", "", "1e20", "12元"])
def test_impossible_amounts_are_refused_with_the_text_shown(text: str) -> None:
    with pytest.raises(KequError) as refused:
        parse_amount(text)
    assert refused.value.key == "input.bad_amount"
    assert text in refused.value.message()


@pytest.mark.parametrize(
    ("cents", "text"), [(36_000, "360"), (19_950, "199.5"), (1_999, "19.99"), (5, "0.05"), (0, "0")]
)
def test_an_amount_is_shown_as_it_is_typed_back(cents: int, text: str) -> None:
    """The gift form shows a recorded cost in its box: saving it unchanged keeps the cents."""
    assert amount_text(cents) == text
    assert parse_amount(text) == cents


def test_no_amount_is_an_empty_box() -> None:
    assert amount_text(None) == ""


def test_a_label_is_followed_by_the_colon_of_its_language() -> None:
    from kequ.domain.playbook import sections
    from kequ.domain.values import colon

    assert (colon("zh"), colon("en")) == ("：", ": ")
    english = " ".join(str(section) for section in sections("en"))
    assert "：" not in english and ": " in english


def test_the_playbooks_rhythms_are_listed_with_the_separator_of_their_language() -> None:
    from kequ.domain.playbook import sections

    def rhythms(lang: str) -> str:
        (found,) = [s for s in sections(lang) if s.group == s.title and "180" in s.body]
        return found.body

    assert "电话每 30 天、拜访每 180 天" in rhythms("zh")
    english = rhythms("en")
    assert "call every 30 days, visit every 180 days" in english.lower() and "、" not in english


@pytest.mark.parametrize(
    ("name", "honorific", "listed", "shown", "called"),
    [
        ("王建国", "王总", "王总 王建国", "王总（王建国）", "王总"),
        ("王建国", "", "王建国", "王建国", "王建国"),
        ("王建国", "王建国", "王建国", "王建国", "王建国"),  # a 称呼 that is the name says it once
        ("仇", "仇总", "仇总", "仇总", "仇总"),  # known by surname and title only: the 称呼 says it all
        ("王", "老王", "老王", "老王", "老王"),
        ("欧阳", "欧阳总", "欧阳总", "欧阳总", "欧阳总"),  # a compound surname
        ("王建国", "建国", "建国 王建国", "建国（王建国）", "建国"),  # the name says more than the 称呼
    ],
)
def test_the_three_ways_a_customer_is_named(name: str, honorific: str, listed: str, shown: str, called: str) -> None:
    """A row of a list, a heading, and what to call them to their face."""
    assert listed_name(name, honorific) == listed
    assert display_name(name, honorific) == shown
    assert address_as(name, honorific) == called


@pytest.mark.parametrize(("typed", "number"), [("14", 14), (" 0 ", 0), ("１４", 14), ("007", 7)])
def test_a_whole_number_as_typed(typed: str, number: int) -> None:
    """One reading for a setting's count, a rhythm's days, a date's lead and --days."""
    assert whole_number(typed) == number


@pytest.mark.parametrize("typed", ["", " ", "-1", "+3", "1.5", "1e3", "十四", "²", "١٤", "1 4"])
def test_anything_else_is_not_a_whole_number(typed: str) -> None:
    assert whole_number(typed) is None


def test_months_are_named_in_the_language_of_the_screen() -> None:
    from kequ.domain.values import month_name

    assert [month_name(m, "zh") for m in (1, 9, 12)] == ["1月", "9月", "12月"]
    assert [month_name(m, "en") for m in (1, 9, 12)] == ["Jan", "Sep", "Dec"]
