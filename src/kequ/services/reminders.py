"""``kequ remind``: the day's reminders read from the book, said once, through the desktop.

What was said is kept in a small state file beside the database (``<book>.remind.json``),
not in the book: kequ remind runs every few minutes, and writing the book that often would
wake its daily backup, contend with an open app for the write lock and make a restore
think a window is open. Losing the file costs at most one repeated summary.

Delivery tries desktop-notifier (D-Bus on Linux, the notification centre on macOS and
Windows), then ``notify-send``, then on macOS ``osascript``, then prints. Nothing goes over the network.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from kequ.domain.reminders import Alert, DayReminders, TimedVisit, plan_day, to_say
from kequ.storage.database import Database
from kequ.storage.files import write_private

STATE_SUFFIX = ".remind.json"
LEAD_SETTING = "remind_minutes"
FEED_SETTING = "remind_feed"
# One notification may take this long to be accepted; past it the next way is tried.
SEND_TIMEOUT = 10.0
DESKTOP, NOTIFY_SEND, OSASCRIPT, PRINTED = "desktop", "notify-send", "osascript", "printed"
# macOS without an app bundle: Notification Center through AppleScript, the texts passed as
# arguments so that nothing in them is read as script.
_APPLESCRIPT = ("on run argv", "display notification (item 2 of argv) with title (item 1 of argv)", "end run")
__all__ = ["already_said", "day_reminders", "deliver", "now_local", "open_kequ", "remember_said", "to_say"]


# ------------------------------------------------------------------ reading the day


def timed_visits(db: Database, day: date) -> list[TimedVisit]:
    from kequ.storage.fast_reads.trips import visits_on

    found = []
    visits = visits_on(db, day)
    if not visits:
        return found
    ids = sorted({visit.customer_id for visit in visits})
    with db.reader() as conn:
        marks = ",".join("?" * len(ids))
        names = dict(conn.execute(f"SELECT id, name FROM customer WHERE id IN ({marks})", ids).fetchall())
    for visit in visits:
        hour, _, minute = (visit.time or "").partition(":")
        at = time(int(hour), int(minute)) if visit.time else None
        cid = visit.customer_id
        found.append(
            TimedVisit(
                visit.id, visit.customer_name, visit.day, at, visit.place, visit.purpose, cid, names.get(cid, "")
            )
        )
    return found


# Touches planned by hand with a time of day, due on the day.
_TIMED_TOUCHES = """
    SELECT t.id, t.customer_id, t.kind, t.due_time, c.name, c.honorific, t.reason
    FROM touchpoint t JOIN customer c ON c.id = t.customer_id
    WHERE t.due_date = ? AND t.due_time IS NOT NULL AND t.status = 'planned' AND t.source_key = ?
"""


def timed_touches(db: Database, day: date) -> list[TimedVisit]:
    """The day's planned touches with a time: alerted before, as a timed visit is."""
    from kequ.domain.agenda import sources
    from kequ.domain.reminders import TOUCH
    from kequ.domain.values import display_name

    found = []
    with db.reader() as conn:
        rows = conn.execute(_TIMED_TOUCHES, (day.isoformat(), sources.MANUAL)).fetchall()
    for tid, cid, kind, at, name, honorific, reason in rows:
        hour, _, minute = at.partition(":")
        key = (cid, sources.key(sources.MANUAL, tid), day)  # its item on the agenda
        who = display_name(name, honorific)
        at_time = time(int(hour), int(minute))
        found.append(
            TimedVisit(
                tid, who, day, at_time, "", reason, customer_id=cid, name=name, source=TOUCH, kind=kind, item_key=key
            )
        )
    return found


def lead_minutes(db: Database) -> int:
    from kequ.storage.fast_reads.settings import read_settings

    with db.reader() as conn:
        return int(read_settings(conn)[LEAD_SETTING])  # type: ignore[call-overload]


def day_reminders(db: Database, day: date, summary_from: time | None = None, lang: str | None = None) -> DayReminders:
    """The day's summary and visit alerts: Today's agenda (overdue included) and the day's visits."""
    from kequ.storage.fast_reads.agenda import agenda

    timed = timed_visits(db, day) + timed_touches(db, day)
    return plan_day(agenda(db, day), timed, day, lead_minutes(db), summary_from, lang)


# ------------------------------------------------------------------ what was said, the feed


def state_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + STATE_SUFFIX)


def _read_state(db_path: Path) -> dict[str, object]:
    try:
        data = json.loads(state_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: at worst a summary is said again
    return data if isinstance(data, dict) else {}


def _write_state(db_path: Path, data: dict[str, object]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_private(state_path(db_path), lambda out: out.write(text.encode("utf-8")))


def already_said(db_path: Path, day: date) -> list[str]:
    """The keys said on ``day``; a state from another day counts for nothing."""
    data = _read_state(db_path)
    said = data.get("said")
    if data.get("day") != day.isoformat() or not isinstance(said, list):
        return []
    return [key for key in said if isinstance(key, str)]


def remember_said(db_path: Path, day: date, keys: Sequence[str]) -> None:
    data = _read_state(db_path)
    before = already_said(db_path, day)
    data["day"] = day.isoformat()
    data["said"] = before + [key for key in keys if key not in before]
    _write_state(db_path, data)


def feed_path(db: Database) -> Path | None:
    """The calendar file ``kequ export --format ics --feed FILE`` asked to keep current: the
    remind_feed setting (``kequ config remind_feed ""`` turns it off)."""
    from kequ.storage.fast_reads.settings import read_settings

    with db.reader() as conn:
        feed = read_settings(conn)[FEED_SETTING]
    return Path(feed) if isinstance(feed, str) and feed else None


def remember_feed(db: Database, feed: Path) -> None:
    from kequ.services.settings import set_setting

    set_setting(db, FEED_SETTING, str(Path(feed).expanduser().resolve()))


# ------------------------------------------------------------------ saying it


@dataclass
class Delivery:
    channel: str  # DESKTOP, NOTIFY_SEND or PRINTED
    said: list[str] = field(default_factory=list)
    clicked: bool = False


def deliver(
    alerts: Sequence[Alert],
    *,
    on_click: Callable[[], object] | None = None,
    wait_seconds: float = 0,
    printer: Callable[[str], object] = print,
    use_desktop: bool = True,
    platform: str | None = None,
) -> Delivery:
    """Say the alerts through the first way that works; ``on_click`` runs when one is
    activated, while this waits up to ``wait_seconds`` for it (desktop-notifier only)."""
    if not alerts:
        return Delivery(PRINTED)
    if use_desktop:
        found = _desktop(alerts, on_click, wait_seconds)
        if found is not None:
            return found
    if _notify_send(alerts):
        return Delivery(NOTIFY_SEND, [a.key for a in alerts])
    if (platform or sys.platform) == "darwin" and _osascript(alerts):
        return Delivery(OSASCRIPT, [a.key for a in alerts])
    for alert in alerts:
        printer(f"{alert.title}\n{alert.body}")
    return Delivery(PRINTED, [a.key for a in alerts])


def _desktop(alerts: Sequence[Alert], on_click: Callable[[], object] | None, wait: float) -> Delivery | None:
    """Through desktop-notifier; None when it has no real backend here or nothing got through."""
    try:
        import asyncio

        from desktop_notifier import DesktopNotifier
        from desktop_notifier.backends.dummy import DummyNotificationCenter
        from desktop_notifier.main import get_backend_class
    except ImportError:
        return None
    # Outside an app bundle on macOS (or an old Windows) the library falls back to a stand-in
    # that shows nothing: the next way is tried instead.
    if get_backend_class() is DummyNotificationCenter:
        return None
    return asyncio.run(_send_all(DesktopNotifier(app_name="kequ", app_icon=None), alerts, on_click, wait))


async def _send_all(
    notifier: object, alerts: Sequence[Alert], on_click: Callable[[], object] | None, wait: float
) -> Delivery | None:
    import asyncio
    import logging

    from desktop_notifier import Capability

    # The library logs a failed send as a warning with a traceback: here it is a fallback.
    logging.getLogger("desktop_notifier").setLevel(logging.CRITICAL)
    result = Delivery(DESKTOP)
    clicked = asyncio.Event()

    def activated() -> None:
        if on_click is not None and not clicked.is_set():
            on_click()
        clicked.set()

    for alert in alerts:
        sent: list[bool] = []
        with contextlib.suppress(TimeoutError, OSError):
            await asyncio.wait_for(
                notifier.send(  # type: ignore[attr-defined]
                    title=alert.title,
                    message=alert.body,
                    on_dispatched=lambda sent=sent: sent.append(True),
                    on_clicked=activated,
                ),
                SEND_TIMEOUT,
            )
        if not sent:
            break
        result.said.append(alert.key)
    if not result.said:
        return None
    if len(result.said) < len(alerts):
        # The rest go the next way: what was said stays said.
        rest = [a for a in alerts if a.key not in result.said]
        if _notify_send(rest):
            result.said += [a.key for a in rest]
    if wait > 0 and on_click is not None:
        try:
            abilities = await notifier.get_capabilities()  # type: ignore[attr-defined]
        except Exception:
            abilities = frozenset()
        if Capability.ON_CLICKED in abilities:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(clicked.wait(), wait)
    result.clicked = clicked.is_set()
    return result


def _notify_send(alerts: Sequence[Alert]) -> bool:
    return _each("notify-send", ["--app-name=kequ"], alerts)


def _osascript(alerts: Sequence[Alert]) -> bool:
    return _each("osascript", [arg for line in _APPLESCRIPT for arg in ("-e", line)], alerts)


def _each(name: str, options: list[str], alerts: Sequence[Alert]) -> bool:
    """Run ``name OPTIONS TITLE BODY`` for each alert; False as soon as one fails."""
    program = shutil.which(name)
    if program is None:
        return False
    for alert in alerts:
        try:
            done = subprocess.run(
                [program, *options, alert.title, alert.body],
                capture_output=True,
                timeout=SEND_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        if done.returncode != 0:
            return False
    return True


def open_kequ(command: Sequence[str]) -> None:
    """Start ``command`` (a terminal running kequ) apart from this process: it outlives kequ remind."""
    options: dict[str, object] = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL}
    options["stderr"] = subprocess.DEVNULL
    if os.name == "nt":
        options["creationflags"] = getattr(subprocess, "DETACHED_PROCESS", 0)
    else:
        options["start_new_session"] = True
    # No terminal after all: the notification was still seen.
    with contextlib.suppress(OSError):
        subprocess.Popen(list(command), **options)  # type: ignore[call-overload]


def now_local() -> datetime:
    """This moment on the user's wall clock, naive (the times of visits are written so)."""
    from kequ.storage import clock

    return clock.local_now().replace(tzinfo=None)
