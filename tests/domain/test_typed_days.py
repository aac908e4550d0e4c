"""Days and choices as a salesperson types them, and the calendar's edges, on plain values."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.domain.agenda.rules import beyond_calendar
from kequ.domain.calendar.lunar import (
    FIRST_DAY,
    LAST_DAY,
    DateInputError,
    parse_day,
    parse_lunar_date,
    says_lunar,
    within_calendar,
)
from kequ.domain.choices import choice_options, read_choice
from kequ.domain.duplicates import duplicate_keys

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "past", "day"),
    [
        ("2026-3-5", False, date(2026, 3, 5)),
        ("3月5日", False, date(2026, 3, 5)),
        ("１２－２５", False, date(2026, 12, 25)),  # no year: this year's
        ("12-25", True, date(2025, 12, 25)),  # in the past: last Christmas
        ("11-23", True, TODAY),  # today itself is not in the future
        ("2-29", True, date(2024, 2, 29)),
        ("2028-02-29", False, date(2028, 2, 29)),
        ("20261201", False, date(2026, 12, 1)),
    ],
)
def test_a_day_is_read_as_the_birthday_field_reads_it(typed: str, past: bool, day: date) -> None:
    assert parse_day(typed, TODAY, past=past) == day


def test_a_leap_day_in_the_past_goes_back_to_the_last_leap_year() -> None:
    assert parse_day("2-29", date(2028, 2, 10), past=True) == date(2024, 2, 29)
    assert parse_day("2-29", date(2028, 3, 1), past=True) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2-29", "date.solar_not_leap_year"),  # this year, 2026, has none
        ("2026-02-29", "date.solar_not_leap_year"),
        ("1900-12-31", "date.year_out_of_range"),
        ("2100-01-01", "date.year_out_of_range"),
        ("", "date.empty"),
        ("八月十五", "date.solar_looks_lunar"),
        ("下周一", "date.solar_looks_lunar"),  # 一 is a Chinese numeral
        ("next week", "date.solar_bad_format"),
    ],
)
def test_a_day_that_cannot_be_is_refused_with_its_reason(typed: str, key: str) -> None:
    with pytest.raises(DateInputError) as refused:
        parse_day(typed, TODAY)
    assert refused.value.key == key


@pytest.mark.parametrize("prefix", ["农历", "阴历", "旧历", "農曆", "陰曆", "舊曆", " 农历"])
def test_every_lunar_prefix_is_lunar(prefix: str) -> None:
    assert says_lunar(f"{prefix}八月十五")
    parsed = parse_lunar_date(f"{prefix}閏06-12")
    assert (parsed.month, parsed.day, parsed.lunar, parsed.leap) == (6, 12, True, True)


def test_no_prefix_is_not_lunar() -> None:
    assert not says_lunar("06-12") and not says_lunar("公历6月12日") and not says_lunar("")


def test_the_part_of_a_window_the_calendar_covers() -> None:
    assert within_calendar(date(2099, 12, 26), date(2100, 1, 1)) == (date(2099, 12, 26), LAST_DAY)
    assert within_calendar(date(1900, 12, 25), date(1901, 1, 5)) == (FIRST_DAY, date(1901, 1, 5))
    assert within_calendar(date(2100, 1, 1), date(2100, 2, 1)) is None
    assert within_calendar(TODAY, TODAY) == (TODAY, TODAY)


def test_beyond_calendar_counts_the_lookback_and_the_lead() -> None:
    assert not beyond_calendar(TODAY, date(2026, 11, 30))
    assert beyond_calendar(date(2099, 12, 26), date(2100, 1, 1))
    assert beyond_calendar(date(2099, 11, 26))  # a reminder 60 days ahead reaches 2100
    assert beyond_calendar(date(1901, 1, 5))  # the week looked back reaches 1900
    assert not beyond_calendar(date(1901, 3, 1))


@pytest.mark.parametrize(
    ("group", "typed", "value"),
    [
        ("tier", "关键", "key"),
        ("tier", "关键客户", "key"),
        ("tier", " Key ", "key"),
        ("tier", "One-off", "temporary"),
        ("tier", "ｖｉｐ", "key"),
        ("disc", "力量型", "D"),
        ("disc", "d", "D"),
        ("disc", "Careful", "C"),
        ("disc", "孔雀", "I"),
        ("kind", "电话", "call"),
        ("kind", "Call", "call"),
        ("kind", "E-mail", "email"),
        ("kind", "短信", "message"),
    ],
)
def test_a_choice_is_read_from_any_of_its_names(group: str, typed: str, value: str) -> None:
    assert read_choice(group, typed) == value


def test_an_unknown_word_is_no_choice_and_the_options_show_both_spellings() -> None:
    assert read_choice("tier", "vvip") is None and read_choice("kind", "complaint") is None
    assert choice_options("tier") == "key（关键）, potential（潜力）, regular（常规）, temporary（临时）"
    assert choice_options("disc").startswith("D（力量型）, I（活泼型）")


def test_duplicate_keys_fold_phone_prefixes_and_spacing() -> None:
    keys = set(duplicate_keys("王伟", "甲公司", ["+86 138-1234-5678"], "", ""))
    assert ("phone", "13812345678") in keys and ("name_company", "王伟|甲公司") in keys
    assert set(duplicate_keys(" 王伟", "甲 公司", [], "", "")) & keys == {("name_company", "王伟|甲公司")}
    assert duplicate_keys("王伟", "", ["123"], "", "") == []  # a name alone, a short number: no proof
