"""A day typed in any box of the app, read as the birthday field and ``--date`` read it:
2026-3-5, 3月5日, 12-25, full-width digits."""

from __future__ import annotations

from datetime import date

from kequ.domain.calendar.lunar import DateInputError, parse_day
from kequ.errors import user_message
from kequ.i18n import t


def typed_day(text: str, today: date, *, past: bool = False, ahead: bool = False) -> tuple[date | None, str]:
    """The day, or None and one line saying what is wrong; a day without a year is read by
    the rule ``--date`` uses too (kequ.domain.calendar.lunar.parse_day): with ``past`` (a
    contact, a gift) the latest one not after today, with ``ahead`` (a snooze, a trip) the
    next one from today on, else this year's."""
    text = text.strip()
    try:
        return parse_day(text, today, past=past, ahead=ahead), ""
    except (DateInputError, ValueError) as problem:
        return None, user_message(problem) or t("input.bad_date", value=text)
