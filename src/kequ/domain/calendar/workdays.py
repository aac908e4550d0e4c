"""Working days: where kequ puts what it books by itself.

A follow-up call after a complaint, the calls after a deal: a salesperson makes them at
work, so kequ books them on a working day. A working day is a weekday that is no official
day off, or a weekend day worked to make up for a break (调休上班). Where a year's
arrangement is not known (not published yet, or before the data), the weekends are the
only days off: a guess that is right for most of the year.

Pure: the days come in as values (``kequ.domain.calendar.holidays.work_calendar`` reads them).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["WorkCalendar", "is_working_day", "next_working_day"]

_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The official days off and make-up working days of the years known; none: plain weekends."""

    off: frozenset[date] = frozenset()
    worked: frozenset[date] = frozenset()


PLAIN_WEEKENDS = WorkCalendar()


def is_working_day(day: date, calendar: WorkCalendar = PLAIN_WEEKENDS) -> bool:
    """Whether ``day`` is a working day: a 调休 Saturday is, a weekday inside 国庆 is not."""
    if day in calendar.worked:
        return True
    return day.weekday() < _SATURDAY and day not in calendar.off


def next_working_day(day: date, calendar: WorkCalendar = PLAIN_WEEKENDS, taken: Collection[date] = ()) -> date:
    """The first working day on or after ``day`` that is not in ``taken``.

    ``taken`` holds the days already booked (one planned touch per customer and day), so
    two follow-ups asked for the same day land on two working days. The last day a
    ``date`` can hold is returned as it is rather than overflowing.
    """
    while day < date.max and (day in taken or not is_working_day(day, calendar)):
        day += timedelta(days=1)
    return day
