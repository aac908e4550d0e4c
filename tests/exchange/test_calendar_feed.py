"""The phone's calendar (kequ.exchange.calendar_feed): alarms by kind, stable bytes, lunar years."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from kequ.domain.records import NewCustomer
from kequ.exchange.calendar_feed import write_feed, write_ics
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer, add_date
from kequ.services.settings import set_setting
from kequ.services.trips import add_visit, plan_trip
from tests.conftest import DEMO_TODAY


@pytest.fixture
def book(demo_db):
    cid = add_customer(demo_db, NewCustomer(name="彭建国", honorific="彭总", tier="key"))
    add_date(demo_db, cid, "08-15", lunar=True)  # 农历八月十五: a different solar day each year
    add_date(demo_db, cid, "2026-12-05", lunar=False, kind="wedding", label="女儿出嫁")
    trip = plan_trip(demo_db, "苏州", ["苏州"], DEMO_TODAY, DEMO_TODAY + timedelta(days=2))
    add_visit(demo_db, trip, cid, DEMO_TODAY + timedelta(days=1), "14:00", place="人民医院", purpose="探望")
    add_visit(demo_db, trip, cid, DEMO_TODAY + timedelta(days=2), None, place="工厂")
    return demo_db


def _ics(db, today: date = DEMO_TODAY) -> bytes:
    out = io.BytesIO()
    write_ics(db, out, today)
    return out.getvalue()


def _about(events, words: str) -> list:
    return [e for e in events if words in str(e["SUMMARY"])]


def test_every_event_rings_and_two_parsers_read_the_same_alarms(book) -> None:
    data = _ics(book)
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) > 20
    for event in events:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1, event["SUMMARY"]
        assert str(alarms[0]["ACTION"]) == "DISPLAY" and str(alarms[0]["DESCRIPTION"]).strip()
    # vobject, a parser of its own, finds the same events and the same triggers.
    parsed = vobject.readOne(data.decode("utf-8"))
    by_uid = {str(e["UID"]): e.walk("VALARM")[0].decoded("TRIGGER") for e in events}
    assert {v.uid.value: v.valarm.trigger.value for v in parsed.vevent_list} == by_uid


def test_the_alarm_lead_follows_the_kind(book) -> None:
    events = list(Calendar.from_ical(_ics(book)).walk("VEVENT"))

    def trigger(event) -> timedelta:
        return event.walk("VALARM")[0].decoded("TRIGGER")

    # The wedding: three days before, at 09:00 (an all-day event starts at midnight).
    (wedding,) = [e for e in _about(events, "彭总：婚礼") if e.decoded("DTSTART") == date(2026, 12, 5)]
    assert trigger(wedding) == timedelta(hours=9) - timedelta(days=3)
    # The wedding gift the agenda asks for: three days before its own day too.
    (gift,) = _about(events, "礼品·彭总")
    assert gift.decoded("DTSTART") > DEMO_TODAY + timedelta(days=3)
    assert trigger(gift) == timedelta(hours=9) - timedelta(days=3)
    # A birthday: that morning at 09:00.
    birthdays = _about(events, "彭总生日")
    assert birthdays and all(trigger(e) == timedelta(hours=9) for e in birthdays)
    # A timed visit: at its time, busy, ringing 30 minutes before (the remind_minutes setting).
    (visit,) = [e for e in _about(events, "出差拜访·彭总") if isinstance(e.decoded("DTSTART"), datetime)]
    assert visit.decoded("DTSTART") == datetime(2026, 11, 24, 14, 0)  # floating: the phone's local time
    assert visit.decoded("DTSTART").tzinfo is None
    assert visit.decoded("DTEND") == datetime(2026, 11, 24, 15, 0)
    assert trigger(visit) == -timedelta(minutes=30)
    assert str(visit["LOCATION"]) == "人民医院" and str(visit["TRANSP"]) == "OPAQUE"
    # An untimed visit: all day, that morning.
    (untimed,) = [e for e in _about(events, "出差拜访·彭总") if type(e.decoded("DTSTART")) is date]
    assert untimed.decoded("DTSTART") == date(2026, 11, 25) and trigger(untimed) == timedelta(hours=9)
    # Something due today rings this morning, never days ago.
    today = [e for e in events if e.decoded("DTSTART") == DEMO_TODAY]
    assert today and all(trigger(e) == timedelta(hours=9) for e in today)


def test_the_visit_lead_is_the_setting(book) -> None:
    set_setting(book, "remind_minutes", 45)
    events = list(Calendar.from_ical(_ics(book)).walk("VEVENT"))
    (visit,) = [e for e in _about(events, "出差拜访·彭总") if isinstance(e.decoded("DTSTART"), datetime)]
    assert visit.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(minutes=45)


def test_a_lunar_birthday_falls_on_its_real_solar_day_in_each_coming_year(book) -> None:
    events = list(Calendar.from_ical(_ics(book)).walk("VEVENT"))
    days = sorted(e.decoded("DTSTART") for e in _about(events, "彭总生日"))
    # 八月十五 (中秋) of 2027, 2028 and 2029; 2026's was in September, before today.
    assert days == [date(2027, 9, 15), date(2028, 10, 3), date(2029, 9, 22)]
    assert b"RRULE" not in _ics(book)


def test_two_exports_a_second_apart_are_byte_identical(book, frozen_time) -> None:
    first = _ics(book)
    frozen_time.shift(1)
    second = _ics(book)
    assert first == second
    # And the stamp is the book's, not the clock's: it moves when the book changes.
    stamps = {e.decoded("DTSTAMP") for e in Calendar.from_ical(first).walk("VEVENT")}
    assert len(stamps) == 1
    frozen_time.shift(3600)
    cid = add_customer(book, NewCustomer(name="新客户", tier="regular"))
    log_interaction(book, cid, "call", DEMO_TODAY, "")
    later = Calendar.from_ical(_ics(book))
    (newer,) = {e.decoded("DTSTAMP") for e in later.walk("VEVENT")}
    assert newer > next(iter(stamps))


def test_a_reimport_updates_each_event_by_its_uid(book) -> None:
    events = list(Calendar.from_ical(_ics(book)).walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)  # no twins inside one file
    # The visit keeps its UID when it moves to another time: the phone moves the event.
    from kequ.services.trips import move_visit
    from kequ.storage.fast_reads.trips import visits_on

    (visit,) = [v for v in visits_on(book, DEMO_TODAY + timedelta(days=1)) if v.time]
    before = {str(e["UID"]) for e in _about(events, "出差拜访·彭总")}
    move_visit(book, visit.id, DEMO_TODAY + timedelta(days=1), "16:00")
    after = list(Calendar.from_ical(_ics(book)).walk("VEVENT"))
    moved = [e for e in _about(after, "出差拜访·彭总") if isinstance(e.decoded("DTSTART"), datetime)]
    assert moved[0].decoded("DTSTART") == datetime(2026, 11, 24, 16, 0)
    assert {str(e["UID"]) for e in _about(after, "出差拜访·彭总")} == before


def test_the_feed_file_is_replaced_whole(book, tmp_path: Path) -> None:
    path = tmp_path / "phone" / "kequ.ics"
    path.parent.mkdir()
    path.write_text("old", encoding="utf-8")
    count = write_feed(book, path, DEMO_TODAY)
    assert path.read_bytes() == _ics(book)
    assert count == len(list(Calendar.from_ical(path.read_bytes()).walk("VEVENT")))
    assert [p.name for p in path.parent.iterdir()] == ["kequ.ics"]  # no temporary file left
    # The same calendar again leaves the file alone: a synced folder does not send it anew.
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    write_feed(book, path, DEMO_TODAY)
    assert path.stat().st_mtime_ns == 1_000_000_000
    set_setting(book, "remind_minutes", 10)  # the visit's alarm moves: the file is written
    write_feed(book, path, DEMO_TODAY)
    assert path.stat().st_mtime_ns != 1_000_000_000 and path.read_bytes() == _ics(book)
