"""Working days: what kequ books by itself never lands on a weekend or an official day off."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kequ.domain.calendar.holidays import calendar_of, holiday_calendar, work_calendar
from kequ.domain.calendar.workdays import PLAIN_WEEKENDS, WorkCalendar, is_working_day, next_working_day

OFFICIAL = work_calendar()  # the years packaged with kequ (2025, 2026)


@pytest.mark.parametrize(
    ("asked", "lands", "why"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), "a Monday is a working day"),
        (date(2026, 12, 19), date(2026, 12, 21), "Saturday moves to Monday"),
        (date(2026, 12, 20), date(2026, 12, 21), "Sunday moves to Monday"),
        (date(2026, 10, 1), date(2026, 10, 8), "国庆 Thursday: the whole break is off"),
        (date(2026, 10, 5), date(2026, 10, 8), "a Monday inside 国庆 is off"),
        (date(2026, 10, 10), date(2026, 10, 10), "the 调休 Saturday after 国庆 is worked"),
        (date(2026, 9, 20), date(2026, 9, 20), "the 调休 Sunday before 国庆 is worked"),
        (date(2026, 2, 14), date(2026, 2, 14), "the 调休 Saturday before 春节 is worked"),
        (date(2026, 2, 16), date(2026, 2, 24), "春节 week: back on the first day after the break"),
        (date(2026, 1, 1), date(2026, 1, 4), "元旦 to its make-up Sunday"),
        (date(2025, 10, 8), date(2025, 10, 9), "the last day of 2025's eight-day break"),
    ],
)
def test_the_next_working_day_follows_the_official_calendar(asked: date, lands: date, why: str) -> None:
    assert next_working_day(asked, OFFICIAL) == lands, why


def test_a_year_beyond_the_holiday_data_has_plain_weekends() -> None:
    assert holiday_calendar(2027) is None
    # 2027-10-01 is a Friday: without the year's arrangement it is taken as a working day.
    assert next_working_day(date(2027, 10, 1), OFFICIAL) == date(2027, 10, 1)
    assert next_working_day(date(2027, 10, 2), OFFICIAL) == date(2027, 10, 4)
    # Without any data the 调休 Saturday is a weekend like any other.
    assert next_working_day(date(2026, 10, 10), PLAIN_WEEKENDS) == date(2026, 10, 12)
    assert next_working_day(date(2026, 10, 1)) == date(2026, 10, 1)


def test_the_end_of_the_calendar_and_of_date_itself() -> None:
    assert next_working_day(date(2099, 12, 31), OFFICIAL) == date(2099, 12, 31)  # a Thursday
    assert next_working_day(date(2099, 12, 26), OFFICIAL) == date(2099, 12, 28)  # Saturday to Monday
    assert next_working_day(date(2100, 1, 2), OFFICIAL) == date(2100, 1, 4)  # past the lunar range: still weekdays
    # date.max is a Friday; the day after a taken one would not exist: it stays put.
    assert next_working_day(date.max, OFFICIAL, {date.max}) == date.max
    assert next_working_day(date.max - timedelta(days=1), OFFICIAL) == date.max - timedelta(days=1)


def test_taken_days_are_skipped_together_with_days_off() -> None:
    friday = date(2026, 12, 18)
    assert next_working_day(friday, OFFICIAL, {friday}) == date(2026, 12, 21)
    assert next_working_day(friday, OFFICIAL, {friday, date(2026, 12, 21)}) == date(2026, 12, 22)
    assert next_working_day(date(2026, 9, 30), OFFICIAL, {date(2026, 9, 30), date(2026, 10, 8)}) == date(2026, 10, 9)


def test_is_working_day_names_each_kind_of_day() -> None:
    assert is_working_day(date(2026, 11, 24), OFFICIAL)
    assert not is_working_day(date(2026, 11, 28), OFFICIAL)  # Saturday
    assert not is_working_day(date(2026, 10, 2), OFFICIAL)  # 国庆, a Friday
    assert is_working_day(date(2026, 10, 10), OFFICIAL)  # 调休 Saturday
    assert not is_working_day(date(2026, 10, 10))  # the same Saturday without the data


def test_a_break_from_a_next_years_file_counts_in_december(tmp_path: Path) -> None:
    """元旦 2027 may begin on 31 December 2026: that day is off although 2026's file does not say so."""
    (tmp_path / "cn_2027.toml").write_text(
        'year = 2027\n[[holiday]]\nfestival = "new_year"\nfirst = 2026-12-31\nlast = 2027-01-02\n'
        "workdays = [2027-01-09]\n",
        encoding="utf-8",
    )
    own = work_calendar(tmp_path)
    assert next_working_day(date(2026, 12, 31), own) == date(2027, 1, 4)
    assert is_working_day(date(2027, 1, 9), own)  # a Saturday worked to make up
    assert next_working_day(date(2026, 12, 31), OFFICIAL) == date(2026, 12, 31)  # packaged only: a Thursday
    # The packaged years are still there beside the user's.
    assert next_working_day(date(2026, 10, 1), own) == date(2026, 10, 8)


def test_a_calendar_is_built_from_the_years_given() -> None:
    year = holiday_calendar(2026)
    assert year is not None
    only_2026 = calendar_of([year])
    assert date(2026, 10, 3) in only_2026.off and date(2026, 10, 10) in only_2026.worked
    assert date(2025, 10, 3) not in only_2026.off
    assert calendar_of([]) == PLAIN_WEEKENDS == WorkCalendar()
