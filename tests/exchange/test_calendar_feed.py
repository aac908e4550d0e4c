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

    # The wedding and the gift the agenda asks for five days ahead (30 November) are one
    # event on the wedding's day, ringing three days before the gift's day, at 09:00 (an
    # all-day event starts at midnight): 27 November.
    (wedding,) = _about(events, "彭总：婚礼")
    assert wedding.decoded("DTSTART") == date(2026, 12, 5) and "礼品·" in str(wedding["SUMMARY"])
    assert trigger(wedding) == timedelta(hours=9) - timedelta(days=8)
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


# ------------------------------------------------------------------ one occasion, one event, its own day

SUNDAY = date(2026, 12, 6)  # the day 冯总's 农历十月廿九 birthday (7 December) is one day off


def _on(events, day: date, words: str) -> list:
    return [e for e in _about(events, words) if e.decoded("DTSTART") == day]


def _trigger(event) -> timedelta:
    return event.walk("VALARM")[0].decoded("TRIGGER")


def test_a_birthday_touch_and_the_birthday_are_one_event_that_fits_its_day(db) -> None:
    cid = add_customer(db, NewCustomer(name="冯建华", honorific="冯总", tier="key"))
    add_date(db, cid, "10-29", lunar=True)  # 2026: 7 December
    log_interaction(db, cid, "call", SUNDAY, "")  # no first call or visit due that day besides
    log_interaction(db, cid, "visit", SUNDAY, "")
    events = list(Calendar.from_ical(_ics(db, SUNDAY)).walk("VEVENT"))
    (birthday,) = _on(events, date(2026, 12, 7), "冯总")
    summary = str(birthday["SUMMARY"])
    # The phone shows it on the birthday itself: never "one day to go" there.
    assert "还有" not in summary and "生日" in summary and "十月廿九" in summary
    assert "消息" in summary  # what the agenda asks for on the day is said on that same event
    assert _trigger(birthday) == timedelta(hours=9)  # one alarm, 09:00 that morning
    # The same UID as the birthday's own event: once the wish is sent, the phone updates it.
    from kequ.exchange.calendar_feed import event_uid
    from kequ.storage.fast_reads.agenda import agenda

    (touch,) = [d for d in agenda(db, SUNDAY, SUNDAY + timedelta(days=3)) if d.customer_id == cid]
    did = int(touch.source_key.split(":")[1])
    assert str(birthday["UID"]) == event_uid(f"day:{did}", date(2026, 12, 7), cid)
    # Next year's is the plain birthday: nothing asked of the agenda there yet.
    later = [e for e in _about(events, "冯总生日") if e.decoded("DTSTART").year == 2027]
    assert [str(e["SUMMARY"]) for e in later] == ["冯总生日（农历十月廿九）"]


def test_a_gift_ahead_of_a_wedding_rings_on_the_wedding_event(db) -> None:
    cid = add_customer(db, NewCustomer(name="彭建国", honorific="彭总", tier="key"))
    add_date(db, cid, "2026-12-20", lunar=False, kind="wedding", label="女儿出嫁")  # the gift 5 days ahead
    events = list(Calendar.from_ical(_ics(db, SUNDAY)).walk("VEVENT"))
    mine = _about(events, "彭总")
    assert len([e for e in mine if "婚礼" in str(e["SUMMARY"])]) == 1  # not a wedding and a gift besides
    (wedding,) = _on(events, date(2026, 12, 20), "彭总")
    assert "礼品" in str(wedding["SUMMARY"]) and "还有" not in str(wedding["SUMMARY"])
    # It rings in time to buy the gift: three days before the gift's day (15 December).
    assert _trigger(wedding) == timedelta(hours=9) - timedelta(days=8)


def test_a_lead_never_rings_before_the_export_day(db) -> None:
    cid = add_customer(db, NewCustomer(name="彭建国", honorific="彭总", tier="key"))
    add_date(db, cid, "2026-12-09", lunar=False, kind="wedding")  # the gift was due 4 December
    events = list(Calendar.from_ical(_ics(db, SUNDAY)).walk("VEVENT"))
    (wedding,) = [e for e in _about(events, "彭总") if "婚礼" in str(e["SUMMARY"])]
    assert wedding.decoded("DTSTART") == date(2026, 12, 9)
    assert "逾期" not in str(wedding["SUMMARY"])  # late as of the export day, not as of 9 December
    assert _trigger(wedding) == timedelta(hours=9) - timedelta(days=3)  # this morning


def test_a_touch_ahead_says_how_things_stand_on_its_own_day(db) -> None:
    cid = add_customer(db, NewCustomer(name="朱明", honorific="朱总", tier="key"))
    log_interaction(db, cid, "call", SUNDAY - timedelta(days=20), "")  # every 30 days: due 16 December
    log_interaction(db, cid, "visit", SUNDAY, "")
    events = list(Calendar.from_ical(_ics(db, SUNDAY)).walk("VEVENT"))
    (call,) = _on(events, date(2026, 12, 16), "朱总")
    assert "上次通话 30 天前" in str(call["SUMMARY"])  # not the export day's 20


def test_festival_greetings_and_deal_steps_are_one_event_each(db) -> None:
    from kequ.services.contacts import record_deal

    for n in range(3):
        add_customer(db, NewCustomer(name=f"客户{n}", honorific=f"陈{n}总", tier="key"))
    cid = add_customer(db, NewCustomer(name="何伟", honorific="何总", tier="regular"))
    log_interaction(db, cid, "call", SUNDAY, "")
    record_deal(db, cid, SUNDAY, 100_00)
    events = list(Calendar.from_ical(_ics(db, SUNDAY)).walk("VEVENT"))
    # 元旦 in the window: one event naming everyone, none per customer beside it.
    on_new_year = [e for e in events if e.decoded("DTSTART") == date(2027, 1, 1)]
    assert len(on_new_year) == 1 and "3" in str(on_new_year[0]["SUMMARY"])
    deal = _about(events, "何总")
    days = [e.decoded("DTSTART") for e in deal]
    assert len(deal) == 4 and len(set(days)) == 4  # thanks, then days 3, 10 and 20: each once
