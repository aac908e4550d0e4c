"""A day typed in any box of the app, read as the birthday field and ``--date`` read it:
2026-3-5, 3月5日, 12-25, full-width digits."""

from __future__ import annotations

import re
from datetime import date

from kequ.domain.calendar.lunar import DateInputError, parse_day
from kequ.errors import user_message
from kequ.i18n import t

_YEAR = re.compile(r"\d{4}|[０-９]{4}")


def typed_day(text: str, today: date, *, past: bool = False, ahead: bool = False) -> tuple[date | None, str]:
    """The day, or None and one line saying what is wrong. Without a year: this year's day;
    with ``past`` (a contact, a gift) the latest one not after today; with ``ahead`` (a
    snooze, a trip, a next step) the next one from today on."""
    text = text.strip()
    try:
        day = parse_day(text, today, past=past)
    except (DateInputError, ValueError) as problem:
        return None, user_message(problem) or t("input.bad_date", value=text)
    if ahead and day < today and not _YEAR.search(text):
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:  # 2-29 into a common year
            return None, t("input.bad_date", value=text)
    return day, ""
