"""The calendar a phone subscribes to: the agenda, the customers' dates, festivals and trip visits,
each with an alarm that rings when it is worth ringing.

- Alarms by kind: a gift three days ahead (time to buy it), a wedding three days ahead, a
  birthday or any other day at 09:00 that morning, a timed visit ``remind_minutes`` before.
- UIDs come from what an event stands for (the agenda's source key and occurrence, the date's
  id, the visit's id), DTSTAMP from the book's latest change: the same book on the same day
  gives the same bytes, and a re-import updates the events instead of adding twins.
- One occasion, one event: the agenda's touch for a customer's date (the wish on a birthday,
  the gift ahead of a wedding) is said on that date's own event, whose alarm rings when the
  touch is due; each event's text is as its own day sees it (never "还有 1 天" on the day).
- Birthdays and yearly dates for the coming years, a lunar one on its real solar day each
  year (no RRULE: a lunar birthday moves by weeks from year to year).

``write_feed`` keeps a file current for a phone syncing a folder: all or nothing, every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from kequ.domain.agenda import sources
from kequ.domain.agenda.rules import DueItem
from kequ.domain.values import address_as
from kequ.i18n import language, t
from kequ.inert import inert_text
from kequ.storage.files import write_private

ICS_DAYS = 60  # the agenda's touches, festivals and visits this far ahead
DATE_YEARS = 3  # birthdays and yearly dates this many years ahead
MORNING = time(9, 0)
VISIT_HOURS = 1  # a visit's length when nobody said
GREETINGS_LISTED = 200
UID_DOMAIN = "kequ.local"
# Days before the event an alarm rings (at MORNING); anything not named rings that morning.
LEAD_DAYS = {"gift": 3, "wedding": 3}

# The book's latest change: what every event's DTSTAMP is, so an unchanged book exports the same.
_LAST_CHANGE = """
    SELECT max(moment) FROM (
        SELECT max(updated_at) AS moment FROM customer
        UNION ALL SELECT max(created_at) FROM customer
        UNION ALL SELECT max(created_at) FROM touchpoint
        UNION ALL SELECT max(handled_at) FROM touchpoint
        UNION ALL SELECT max(happened_at) FROM interaction
        UNION ALL SELECT max(created_at) FROM trip
        UNION ALL SELECT max(opened_at) FROM complaint
        UNION ALL SELECT max(closed_at) FROM complaint
    )
"""


def event_uid(source_key: str, occurrence: date | None, customer_id: int) -> str:
    """The same touch, birthday, festival or visit always gets the same UID: calendars update it."""
    when = occurrence.isoformat() if occurrence else ""
    digest = hashlib.sha1(f"{source_key}|{when}|{customer_id}".encode()).hexdigest()
    return f"kequ-{digest}@{UID_DOMAIN}"


def book_stamp(db: Any, today: date) -> datetime:
    """DTSTAMP: the latest moment anything in the book changed (UTC, whole seconds)."""
    with db.reader() as conn:
        (latest,) = conn.execute(_LAST_CHANGE).fetchone()
    if not latest:
        return datetime.combine(today, time(0), UTC)
    return datetime.fromisoformat(str(latest)).replace(tzinfo=UTC, microsecond=0)


def alarm_trigger(lead_days: int = 0, minutes_before: int | None = None) -> timedelta:
    """TRIGGER relative to the event's start: an all-day event starts at midnight, so
    ``lead_days`` before at 09:00 is -lead days + 9 hours; a timed one rings minutes before."""
    if minutes_before is not None:
        return -timedelta(minutes=minutes_before)
    return timedelta(hours=MORNING.hour, minutes=MORNING.minute) - timedelta(days=lead_days)


class _Feed:
    def __init__(self, stamp: datetime) -> None:
        from icalendar import Calendar

        self.stamp = stamp
        self.count = 0
        self.cal = Calendar()
        self.cal.add("prodid", "-//kequ//kequ//ZH")
        self.cal.add("version", "2.0")
        self.cal.add("calscale", "GREGORIAN")
        self.cal.add("x-wr-calname", t("io.ics.calname"))

    def add(
        self,
        uid: str,
        start: date | datetime,
        summary: str,
        trigger: timedelta,
        description: str = "",
        category: str = "",
        location: str = "",
    ) -> None:
        from icalendar import Alarm, Event

        item = Event()
        item.add("uid", uid)
        item.add("dtstamp", self.stamp)
        item.add("dtstart", start)
        timed = isinstance(start, datetime)
        item.add("dtend", start + (timedelta(hours=VISIT_HOURS) if timed else timedelta(days=1)))
        item.add("summary", inert_text(summary))
        if description:
            item.add("description", inert_text(description, multiline=True))
        if location:
            item.add("location", inert_text(location))
        if category:
            item.add("categories", [inert_text(category)])
        # A reminder all day long should not show the salesperson busy; a visit does.
        item.add("transp", "OPAQUE" if timed else "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", inert_text(summary))
        alarm.add("trigger", trigger)
        item.add_component(alarm)
        self.cal.add_component(item)
        self.count += 1


def write_ics(db: Any, out: IO[bytes], today: date, days: int = ICS_DAYS) -> int:
    """The calendar as iCalendar bytes; returns the number of events."""
    feed = _Feed(book_stamp(db, today))
    end = today + timedelta(days=days)
    greetings, occasions = _add_touches(feed, db, today, end)
    _add_dates(feed, db, today, occasions)
    for left in occasions.values():  # a date's touch whose date has no event of its own
        _add_touch(feed, left, today)
    _add_festivals(feed, today, end, greetings)
    _add_visits(feed, db, today, end)
    out.write(feed.cal.to_ical())
    return feed.count


# A touch's event date: the pending touches of customers' dates, by (date id, occurrence).
Occasions = dict[tuple[int, date], DueItem]


def as_of(due: DueItem, day: date, today: date) -> DueItem:
    """The item as ``day`` sees it: the agenda counts its reason's days from ``today``
    (days to a date or festival, days since the last call), an event says them from its own day."""
    shift = (day - today).days
    if not shift:
        return due
    params = dict(due.reason_params)
    if isinstance(params.get("days_left"), int):
        params["days_left"] = int(params["days_left"]) - shift  # type: ignore[call-overload]
    if sources.origin(due.source_key) == sources.CADENCE and isinstance(params.get("days"), int):
        params["days"] = int(params["days"]) + shift  # type: ignore[call-overload]
    return due._replace(reason_params=params)


def _add_touches(feed: _Feed, db: Any, today: date, end: date) -> tuple[dict[tuple[str, date], list[str]], Occasions]:
    """The agenda's touches. Festival greetings are gathered for the festival's own event
    (five hundred "中秋问候" events on one day would bury the calendar), and the touches of
    customers' dates still to come for that date's event (one birthday, one event)."""
    from kequ.storage.fast_reads.agenda import agenda

    greetings: dict[tuple[str, date], list[str]] = {}
    occasions: Occasions = {}
    for due in agenda(db, today, end):
        origin = sources.origin(due.source_key)
        if origin == sources.FESTIVAL and due.due == due.occurrence and due.due >= today:
            greetings.setdefault((due.source_key, due.occurrence), []).append(address_as(due.name, due.honorific))
            continue
        if origin == sources.DATE and due.occurrence >= today:
            occasions[(int(sources.reference(due.source_key)), due.occurrence)] = due
            continue
        _add_touch(feed, due, today)
    return greetings, occasions


def _add_touch(feed: _Feed, due: DueItem, today: date) -> None:
    from kequ.domain.agenda.reasons import kind_label, reason_text

    # Overdue work is shown today: it rings this morning, whatever its kind; its UID
    # stays that of the original occurrence.
    day = max(due.due, today)
    who = address_as(due.name, due.honorific)
    summary = t("io.ics.touch", kind=kind_label(due.kind), who=who, reason=reason_text(as_of(due, day, today)))
    if due.due < today:
        summary = t("io.ics.overdue", days=(today - due.due).days, summary=summary)
    detail = "\n".join(part for part in (due.name, due.company) if part)
    lead = LEAD_DAYS.get(due.kind, 0) if due.due > today else 0
    lead = min(lead, (day - today).days)  # never before today
    uid = event_uid(due.source_key, due.occurrence, due.customer_id)
    feed.add(uid, day, summary, alarm_trigger(lead), detail, kind_label(due.kind))


def _ring_day(occasion: date, kind: str, touch: DueItem | None, today: date) -> date:
    """When a date's event rings (09:00): the date's own lead, or earlier for a touch due
    before it (with a gift's days to buy it), later for one put off past it; never before today."""
    ring = occasion - timedelta(days=LEAD_DAYS.get(kind, 0))
    if touch is not None:
        acted = max(touch.due, today)
        acted -= timedelta(days=LEAD_DAYS.get(touch.kind, 0) if touch.due > today else 0)
        ring = min(ring, acted) if touch.due <= occasion else acted
    return max(ring, today)


def _add_dates(feed: _Feed, db: Any, today: date, occasions: Occasions) -> None:
    """Each date's event; the agenda's touch for it, if any, is taken out of ``occasions``."""
    from kequ.domain.agenda.reasons import kind_label, reason_text
    from kequ.domain.calendar.lunar import AnnualDate, describe, within_calendar
    from kequ.domain.life_events import days_between, is_one_off

    lang = language()
    with db.reader() as conn:
        people = {cid: (name, honorific) for cid, name, honorific, churned in _customers(conn) if not churned}
        rows = conn.execute(
            "SELECT id, customer_id, kind, month, day, lunar, leap, year, label FROM important_date ORDER BY id"
        ).fetchall()
    covered = within_calendar(today, _years_on(today, DATE_YEARS))
    if covered is None:
        return
    for did, cid, kind, month, day_of, lunar, leap, year, label in rows:
        if cid not in people:
            continue
        name, honorific = people[cid]
        who = address_as(name, honorific)
        annual = AnnualDate(month, day_of, bool(lunar), bool(leap), year)
        # A life event goes in once, in its own year; a birthday each year, on its solar day.
        for day in days_between(kind, annual, *covered):
            when = describe(annual, lang)
            if kind == "birthday":
                summary = t("io.ics.birthday", who=who, when=when)
            elif is_one_off(kind):
                text = t(f"vocab.date_kind.{kind}") + (f" · {label}" if label else "")
                summary = t("io.ics.date", who=who, label=text, when=when)
            else:
                summary = t("io.ics.date", who=who, label=label or t(f"io.ics.kind.{kind}"), when=when)
            detail = name
            touch = occasions.pop((did, day), None)
            if touch is not None:
                summary = t("io.ics.occasion_touch", kind=kind_label(touch.kind), summary=summary)
                detail = reason_text(as_of(touch, day, today)) + "\n" + name
            lead = (day - _ring_day(day, kind, touch, today)).days
            uid = event_uid(f"day:{did}", day, cid)
            feed.add(uid, day, summary, alarm_trigger(lead), detail, t("io.ics.category_date"))


def _customers(conn: Any) -> Iterable[tuple[int, str, str, int]]:
    return conn.execute("SELECT id, name, honorific, churned FROM customer")


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_festivals(feed: _Feed, today: date, end: date, greetings: dict[tuple[str, date], list[str]]) -> None:
    from kequ.domain.calendar.lunar import festivals_between

    for festival in festivals_between(today, end):
        source = sources.key(sources.FESTIVAL, festival.key)
        name = t(f"festival.{festival.key}")
        people = greetings.get((source, festival.date), [])
        summary = t("io.ics.festival_greet", festival=name, count=len(people)) if people else name
        shown = "、".join(people[:GREETINGS_LISTED])
        if len(people) > GREETINGS_LISTED:
            shown = t("io.ics.and_more", names=shown, count=len(people))
        uid = event_uid(source, festival.date, 0)
        feed.add(uid, festival.date, summary, alarm_trigger(), shown, t("io.ics.category_fest"))


def _add_visits(feed: _Feed, db: Any, today: date, end: date) -> None:
    """Trip visits: a timed one at its time (floating: the phone's own local time) ringing
    ``remind_minutes`` before, an untimed one all day, ringing that morning."""
    from kequ.services.reminders import lead_minutes, timed_visits

    minutes = lead_minutes(db)
    day = today
    while day <= end:
        for visit in timed_visits(db, day):
            summary = t("remind.ics_visit", who=visit.who)
            uid = event_uid(f"visit:{visit.id}", None, 0)
            detail = visit.purpose
            if visit.at is None:
                feed.add(uid, day, summary, alarm_trigger(), detail, t("vocab.kind.visit"), visit.place)
            else:
                start = datetime.combine(day, visit.at)
                trigger = alarm_trigger(minutes_before=minutes)
                feed.add(uid, start, summary, trigger, detail, t("vocab.kind.visit"), visit.place)
        day += timedelta(days=1)


def write_feed(db: Any, path: Path, today: date) -> int:
    """Rewrite the subscribed calendar file, all or nothing; returns the number of events.

    An unchanged calendar leaves the file alone: kequ remind runs every few minutes, and a
    syncing folder would otherwise send the same file to the phone each time.
    """
    import io

    made = io.BytesIO()
    count = write_ics(db, made, today)
    data = made.getvalue()
    path = Path(path).expanduser()
    try:
        if path.is_file() and path.read_bytes() == data:
            return count
    except OSError:
        pass  # unreadable: written anew below, or refused there with the reason
    write_private(path, lambda out: out.write(data))
    return count
