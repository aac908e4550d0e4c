"""kequ.services.reminders: reading the day, the state beside the book, the ways of saying it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from kequ.domain.records import NewCustomer
from kequ.domain.reminders import Alert
from kequ.services import reminders
from kequ.services.customers import add_customer
from kequ.services.trips import add_visit, cancel_visit, plan_trip
from tests.conftest import DEMO_TODAY

ALERT = Alert("summary:2026-11-23", "summary", "客情 · 今天 2 项", "今天 2 项：a、b", None)


def test_the_day_holds_todays_agenda_and_visits_but_not_cancelled_ones(demo_db) -> None:
    cid = add_customer(demo_db, NewCustomer(name="彭建国", honorific="彭总"))
    trip = plan_trip(demo_db, "苏州", ["苏州"], DEMO_TODAY, DEMO_TODAY + timedelta(days=1))
    add_visit(demo_db, trip, cid, DEMO_TODAY, "9点半")
    other = add_customer(demo_db, NewCustomer(name="朱丽", honorific="朱总"))
    dropped = add_visit(demo_db, trip, other, DEMO_TODAY, "16:00")
    cancel_visit(demo_db, dropped)
    add_visit(demo_db, trip, cid, DEMO_TODAY + timedelta(days=1), "10:00")  # tomorrow's
    plan = reminders.day_reminders(demo_db, DEMO_TODAY, lang="zh")
    assert [a.at for a in plan.visits] == [datetime(2026, 11, 23, 9, 0)]
    assert plan.labels[0] == "09:30 拜访 彭总（彭建国）"


def test_what_was_said_is_kept_for_its_day_only_and_a_damaged_file_counts_for_nothing(tmp_path: Path) -> None:
    book = tmp_path / "kequ.db"
    day = date(2026, 11, 23)
    assert reminders.already_said(book, day) == []
    reminders.remember_said(book, day, ["summary:2026-11-23"])
    reminders.remember_said(book, day, ["summary:2026-11-23", "visit:1:2026-11-23T14:00"])
    assert reminders.already_said(book, day) == ["summary:2026-11-23", "visit:1:2026-11-23T14:00"]
    assert reminders.already_said(book, day + timedelta(days=1)) == []
    state = tmp_path / "kequ.db.remind.json"
    assert state.stat().st_mode & 0o777 == 0o600
    state.write_text("{not json", encoding="utf-8")
    assert reminders.already_said(book, day) == []


def test_the_feed_is_a_setting_and_empty_means_none(db, tmp_path: Path) -> None:
    from kequ.services.settings import set_setting

    assert reminders.feed_path(db) is None
    reminders.remember_feed(db, tmp_path / "phone" / "feed.ics")
    assert reminders.feed_path(db) == tmp_path / "phone" / "feed.ics"
    set_setting(db, "remind_feed", "")
    assert reminders.feed_path(db) is None


def test_without_a_desktop_or_notify_send_it_prints(monkeypatch) -> None:
    monkeypatch.setattr(reminders.shutil, "which", lambda name: None)
    printed: list[str] = []
    done = reminders.deliver([ALERT], printer=printed.append, use_desktop=False)
    assert (done.channel, done.said) == (reminders.PRINTED, [ALERT.key])
    assert printed == ["客情 · 今天 2 项\n今天 2 项：a、b"]


def test_the_librarys_stand_in_that_shows_nothing_is_not_taken_for_a_delivery(monkeypatch, tmp_path: Path) -> None:
    """Outside an app bundle on macOS desktop-notifier picks its dummy backend, which drops
    every notification: kequ goes on to notify-send (here a script that records its call)."""
    import desktop_notifier.main
    from desktop_notifier.backends.dummy import DummyNotificationCenter

    monkeypatch.setattr(desktop_notifier.main, "get_backend_class", lambda: DummyNotificationCenter)
    log = tmp_path / "notify-send.log"
    script = tmp_path / "notify-send"
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(reminders.shutil, "which", lambda name: str(script) if name == "notify-send" else None)
    printed: list[str] = []
    done = reminders.deliver([ALERT], printer=printed.append)
    assert (done.channel, done.said, printed) == (reminders.NOTIFY_SEND, [ALERT.key], [])
    assert log.read_text(encoding="utf-8") == "--app-name=kequ|客情 · 今天 2 项|今天 2 项：a、b|"


def test_a_failing_notify_send_falls_back_to_printing(monkeypatch, tmp_path: Path) -> None:
    script = tmp_path / "notify-send"
    script.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(reminders.shutil, "which", lambda name: str(script))
    printed: list[str] = []
    done = reminders.deliver([ALERT], printer=printed.append, use_desktop=False)
    assert done.channel == reminders.PRINTED and len(printed) == 1


@pytest.mark.frozen_at("2026-11-23 13:40")
def test_the_local_time_is_the_wall_clock_of_the_day(monkeypatch) -> None:
    assert reminders.now_local().replace(second=0, microsecond=0) == datetime(2026, 11, 23, 13, 40)
    assert reminders.now_local().tzinfo is None
    assert time(13, 40) <= reminders.now_local().time()


def test_on_macos_without_an_app_bundle_it_goes_through_osascript(monkeypatch, tmp_path: Path) -> None:
    """The texts go to AppleScript as arguments: a quote in a name cannot end the script."""
    log = tmp_path / "osascript.log"
    script = tmp_path / "osascript"
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(reminders.shutil, "which", lambda name: str(script) if name == "osascript" else None)
    quoted = Alert("visit:1", "visit", '14:00 拜访 "老王"', "end run", None)
    done = reminders.deliver([quoted], use_desktop=False, platform="darwin")
    assert (done.channel, done.said) == (reminders.OSASCRIPT, ["visit:1"])
    assert log.read_text(encoding="utf-8").split("|")[-3:-1] == ['14:00 拜访 "老王"', "end run"]
    assert "display notification (item 2 of argv) with title (item 1 of argv)" in log.read_text(encoding="utf-8")
    # Elsewhere osascript is not tried.
    log.unlink()
    printed: list[str] = []
    linux = reminders.deliver([quoted], use_desktop=False, platform="linux", printer=printed.append)
    assert linux.channel == reminders.PRINTED and not log.exists()
