"""The regularity part counted in day numbers gives what counting in dates gave: on random
histories (added before the year or within it, contacts before the window, on one day,
after the day scored, rhythms of a day to years), scored on many days."""

from __future__ import annotations

import random
from datetime import date, timedelta

from kequ.domain.review.health import NO_RHYTHM_DAYS, POINTS, YEAR_DAYS, History, Part, score


def _regularity_in_dates(history: History, today: date, contacts: list[date], rhythm: int) -> Part:
    """The part as it was counted before, in dates and timedeltas."""
    most = POINTS["regularity"]
    start = max(today - timedelta(days=YEAR_DAYS), history.added_on)
    span = (today - start).days
    if span <= 0:
        return Part("regularity", most, most, "health.reason.too_new", {})
    until, covered = start, 0
    for day in sorted([history.added_on, *contacts]):
        begin = max(day, until, start)
        end = min(day + timedelta(days=rhythm), today)
        if end > begin:
            covered += (end - begin).days
            until = end
    params = {"missed": span - covered, "span": span}
    return Part("regularity", round(most * covered / span), most, "health.reason.regularity", params)


def test_regularity_counted_in_day_numbers_is_the_same_as_in_dates() -> None:
    rng = random.Random(25)
    base = date(2026, 11, 23)
    scored = 0
    for n in range(600):
        added = base - timedelta(days=rng.randrange(-30, 900))
        contacts = sorted(added + timedelta(days=rng.randrange(-5, 1000)) for _ in range(rng.randrange(0, 40)))
        if contacts and n % 5 == 0:
            contacts += [contacts[-1]] * 3  # several contacts on one day
        rhythm = rng.choice([0, 1, 7, 14, 30, 90, 180, 400, 3660])
        history = History(n, "key", "existing", added, rhythm, tuple(contacts))
        for offset in (0, 28, rng.randrange(-60, 400)):
            today = base - timedelta(days=offset)
            health = score(history, today)
            seen = sorted(d for d in contacts if d <= today)
            expected = _regularity_in_dates(history, today, seen, rhythm or NO_RHYTHM_DAYS)
            assert health.part("regularity") == expected, (history, today)
            scored += expected.reason == "health.reason.regularity"
    assert scored > 1000  # most cases count a window, not a customer added after the day
