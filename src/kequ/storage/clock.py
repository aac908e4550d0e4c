"""The one place kequ asks what day and what time it is.

Everything that stamps a record, names a file or decides what is due asks here, never
``date.today()`` or ``datetime.now()`` directly, so a day fixed for a demo, a test or a
command's ``--date`` is the day every layer sees: a customer added in an app fixed on
23 November is stamped on 23 November and shows up in that app's week.

The day can be fixed three ways, strongest first: ``pin()`` (the app given a day, a
command given ``--date``), the ``KEQU_TODAY`` environment variable (a demo or a training
session run "as of" a day; the test suite hands its frozen day to the real ``kequ`` this
way), or nobody, when the computer's own local day is used. With a fixed day the time of
day still runs, so two stamps taken a second apart still sort in order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

ENV_VAR = "KEQU_TODAY"

_pinned: date | None = None


def pin(day: date | None) -> None:
    """Fix the day for this process (``None`` lets the real day run again)."""
    global _pinned
    _pinned = day


@contextmanager
def pinned(day: date | None) -> Iterator[None]:
    before = _pinned
    pin(day)
    try:
        yield
    finally:
        pin(before)


def fixed_day() -> date | None:
    """The day fixed by ``pin()`` or ``KEQU_TODAY``, or ``None`` when the real day runs."""
    if _pinned is not None:
        return _pinned
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        from kequ.errors import KequError

        raise KequError("input.bad_today_env", value=text[:40]) from None


def today() -> date:
    """The user's local day."""
    return fixed_day() or date.today()


def local_now() -> datetime:
    """The user's local wall-clock time, aware; for file names and "saved at 10:42"."""
    moment = datetime.now().astimezone()
    day = fixed_day()
    if day is None or day == moment.date():
        return moment
    return datetime.combine(day, moment.timetz())


def now() -> datetime:
    """This moment in UTC, on the fixed day when there is one; what records are stamped with."""
    return local_now().astimezone(UTC)
