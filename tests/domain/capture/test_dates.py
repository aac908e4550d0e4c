"""Every date and time form of the capture line, read relative to the day it is said."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.domain.calendar.holidays import work_calendar
from kequ.domain.capture.dates import When, cn_number, find_whens
from tests.domain.capture.table_dates import DATE_ROWS

CALENDAR = work_calendar()


def summary(whens: list[When]) -> str:
    """A line's expressions in the table's notation (see table_dates)."""
    if not whens:
        return "-"
    shown = []
    for when in whens:
        if when.problem:
            shown.append("?" + when.problem.rsplit(".", 1)[1])
            continue
        parts = ["|".join(day.isoformat() for day in when.days)] if when.days else []
        if when.times:
            parts.append("|".join(when.times))
        shown.append(" ".join(parts))
    return " ; ".join(shown)


def test_the_table_is_as_big_as_promised_and_has_no_twin_rows() -> None:
    assert len(DATE_ROWS) >= 300
    assert len({(said, text) for said, text, _ in DATE_ROWS}) == len(DATE_ROWS)


@pytest.mark.parametrize(("said_on", "text", "expected"), DATE_ROWS, ids=[f"{s} {t}" for s, t, _ in DATE_ROWS])
def test_a_phrase_means_the_day_a_salesperson_means(said_on: str, text: str, expected: str) -> None:
    assert summary(find_whens(text, date.fromisoformat(said_on), CALENDAR)) == expected


def test_without_the_holiday_data_only_weekends_are_days_off() -> None:
    # 2026-09-30: with the packaged arrangement the next working day is after 国庆 (10-08).
    assert summary(find_whens("下个工作日", date(2026, 9, 30))) == "2026-10-01"


def test_the_span_is_where_the_words_are() -> None:
    (when,) = find_whens("王总说下周三下午3点来", date(2026, 11, 23))
    assert (when.start, when.end, when.said) == (3, 10, "下周三下午3点")


def test_a_bare_weekday_keeps_its_reading_back_for_what_already_happened() -> None:
    (when,) = find_whens("周五", date(2026, 11, 25))
    assert when.days == (date(2026, 11, 27),) and when.back == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("十五", 15),
        ("两", 2),
        ("二十三", 23),
        ("廿三", 23),
        ("一百", 100),
        ("07", 7),
        ("十", 10),
        ("一二", None),
        ("", None),
    ],
)
def test_chinese_numerals(token: str, value: int | None) -> None:
    assert cn_number(token) == value
