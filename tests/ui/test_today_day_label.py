"""The day column of Today: month and day while they cannot be mistaken, the year beyond."""

from __future__ import annotations

from datetime import date

import pytest

from kequ.ui.screens.today.today import day_label


@pytest.mark.parametrize(
    ("due", "today", "shown"),
    [
        (date(2026, 12, 9), date(2026, 12, 7), "12-09"),
        (date(2027, 1, 5), date(2026, 12, 7), "01-05"),  # next month across New Year
        (date(2025, 12, 28), date(2026, 1, 3), "12-28"),  # last week, last year
        (date(2026, 6, 7), date(2026, 12, 7), "06-07"),  # half a year back, the edge
        (date(2026, 6, 6), date(2026, 12, 7), "2026"),  # a day beyond it
        (date(2025, 12, 7), date(2026, 12, 7), "2025"),  # a year overdue
        (date(2027, 12, 1), date(2026, 12, 7), "2027"),
    ],
)
def test_month_and_day_within_half_a_year_else_the_year(due: date, today: date, shown: str) -> None:
    assert day_label(due, today) == shown
