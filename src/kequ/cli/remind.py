"""The ``remind`` subcommand: today's reminders when kequ is closed.

kequ remind                      say what is due now and not said yet today (desktop notification)
kequ remind --print / --json     show the whole day instead, and remember nothing
kequ remind --install [--at 08:30] [--dry-run]   run it at log-in, each morning and every few minutes
kequ remind --uninstall [--dry-run]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path, PureWindowsPath
from typing import Any

from kequ.cli.common import JsonFlag, MakeCommand, emit_json, warn
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_remind_command", "cmd_remind", "kequ_command", "refuse_unless_remembered"]

DEFAULT_AT = "08:30"
# What a Windows machine's task names when shown from another system (--dry-run --platform
# windows): its own program and folder, as Task Scheduler expands them there.
WINDOWS_KEQU = "kequ.exe"
WINDOWS_DATA = PureWindowsPath("%LOCALAPPDATA%", "kequ")


def kequ_command() -> list[str]:
    """How to run this same kequ again: the script it was started as, else this Python's ``-m kequ``."""
    started = Path(sys.argv[0])
    for candidate in (started, started.with_suffix(".exe")):
        if candidate.name.lower().startswith("kequ") and candidate.is_file():
            return [str(candidate.resolve())]
    return [sys.executable, "-m", "kequ"]


def _clock_arg(text: str, option: str) -> Any:
    from kequ.domain.reminders import parse_clock

    try:
        return parse_clock(text)
    except ValueError:
        raise KequError("remind.bad_time", option=option, value=text) from None


def refuse_unless_remembered(db_path: Path, key: str) -> None:
    """An encrypted book opened later by the scheduler has nobody to type its passphrase:
    refuse (one line, ``key``) unless the system keyring keeps it."""
    from kequ.storage import cipher

    if cipher.looks_encrypted(Path(db_path)) and cipher.remembered(Path(db_path)) is None:
        raise KequError(key, path=db_path)


def cmd_remind(args: argparse.Namespace) -> int:
    if args.install and args.uninstall:
        raise KequError("remind.install_and_uninstall")
    if args.install or args.uninstall:
        return _install(args)
    if args.dry_run or args.at or args.platform:
        raise KequError("remind.install_only")
    summary_from = _clock_arg(args.from_, "--from") if args.from_ else None
    from kequ.services.reminders import (
        already_said,
        day_reminders,
        deliver,
        now_local,
        open_kequ,
        remember_said,
        to_say,
    )
    from kequ.storage import clock
    from kequ.storage.database import open_database

    today = clock.today()
    try:
        # No daily backup from here: this runs every few minutes and only reads the book.
        db = open_database(args.db, daily_backup=False)
    except KequError as problem:
        if problem.key == "cipher.no_passphrase" and not (args.print or args.json):
            _say_locked(args, today)
        raise
    now = now_local()
    plan = day_reminders(db, today, summary_from)
    said = already_said(db.path, today)
    if args.json:
        emit_json(_as_json(plan, now, said))
        return 0
    if args.print:
        _print_day(plan, now, said)
        return 0
    # Only a real run keeps the calendar file current: a look at the day writes nothing.
    _refresh_feed(db, today)
    due = to_say(plan, now, said)
    opener = _opener(db.path)
    delivery = deliver(
        due,
        on_click=(lambda: open_kequ(opener)) if opener else None,
        wait_seconds=max(0.0, float(args.wait)),
    )
    if delivery.said:
        remember_said(db.path, today, delivery.said)
    return 0


def _say_locked(args: argparse.Namespace, today: Any) -> None:
    """A scheduled run on an encrypted book with no passphrase to be had: say so once a day
    through the desktop (what was said is kept beside the book, which stays shut)."""
    from kequ.domain.reminders import Alert
    from kequ.services.reminders import already_said, deliver, remember_said
    from kequ.storage.database import resolve_db_path

    db_path, _ = resolve_db_path(args.db)
    key = f"locked:{today.isoformat()}"
    if key in already_said(db_path, today):
        return
    alert = Alert(key, "locked", t("remind.locked_title"), t("remind.locked_body", path=db_path), None)
    delivery = deliver([alert])
    if delivery.said:
        remember_said(db_path, today, delivery.said)


def _opener(db_path: Path) -> list[str] | None:
    from kequ.domain.reminder_schedule import platform_of, terminal_command

    found = terminal_command(
        platform_of(sys.platform), [*kequ_command(), "--db", str(db_path)], lambda name: bool(shutil.which(name))
    )
    return found


def _refresh_feed(db: Any, today: Any) -> None:
    """Rewrite the calendar file ``kequ export --format ics --feed`` named, if any."""
    from kequ.exchange.calendar_feed import write_feed
    from kequ.services.reminders import feed_path

    feed = feed_path(db)
    if feed is None:
        return
    try:
        write_feed(db, feed, today)
    except (KequError, OSError) as problem:
        # The reminders still go out: the phone keeps yesterday's calendar a while longer.
        reason = problem.message() if isinstance(problem, KequError) else str(problem)
        warn(t("remind.feed_failed", path=feed, reason=reason))


def _alert_json(alert: Any, now: Any, said: list[str]) -> dict[str, object]:
    return {
        "key": alert.key,
        "kind": alert.kind,
        "title": alert.title,
        "body": alert.body,
        "from": alert.at.isoformat(timespec="minutes") if alert.at else None,
        "until": alert.until.isoformat(timespec="minutes") if alert.until else None,
        "due_now": alert.due(now),
        "already_said": alert.key in said,
    }


def _as_json(plan: Any, now: Any, said: list[str]) -> dict[str, object]:
    return {
        "day": plan.day.isoformat(),
        "now": now.isoformat(timespec="minutes"),
        "count": len(plan.labels),
        "summary": plan.summary.body if plan.summary else None,
        "items": [
            {
                "customer_id": e.customer_id,
                "name": e.name,
                "kind": e.kind,
                "reason": e.reason,
                "time": e.time,
                "label": e.label,
            }
            for e in plan.entries
        ],
        "alerts": [_alert_json(alert, now, said) for alert in plan.alerts],
        "visit_alerts": [_alert_json(alert, now, said) for alert in plan.visits],
        "already_said": said,
    }


def _print_day(plan: Any, now: Any, said: list[str]) -> None:
    from kequ.domain.reminders import summary_text

    # The summary as the notification says it, then every item on its own line.
    print(summary_text(plan.labels))
    for label in plan.labels:
        print(t("remind.print_item", label=label))
    for alert in plan.visits:
        state = "said" if alert.key in said else ("now" if alert.due(now) else "later")
        print(t(f"remind.print_{state}", title=alert.title, at=alert.at.strftime("%H:%M") if alert.at else ""))


# ------------------------------------------------------------------ install


def _install(args: argparse.Namespace) -> int:
    from kequ.domain.reminder_schedule import PLATFORMS, WINDOWS, install_plan, platform_of, remind_command
    from kequ.paths import data_dir
    from kequ.services.remind_install import carry_out
    from kequ.storage.database import resolve_db_path

    here = platform_of(sys.platform)
    platform = args.platform or here
    if platform not in PLATFORMS:
        raise KequError("remind.bad_platform", value=platform, options="/".join(PLATFORMS))
    if platform != here and not args.dry_run:
        raise KequError("remind.other_platform", platform=platform)
    if args.uninstall and args.at:
        raise KequError("remind.at_with_uninstall")
    at = _clock_arg(args.at or DEFAULT_AT, "--at")
    db_path, _ = resolve_db_path(args.db)
    if not args.uninstall and not args.dry_run:
        refuse_unless_remembered(db_path, "remind.locked_install")
    if platform == WINDOWS and here != WINDOWS:
        # Shown for another machine: its paths, never this one's home written backwards.
        given = args.db or ""
        windows_path = bool(PureWindowsPath(given).drive) or given.startswith("%")
        book = str(PureWindowsPath(given) if windows_path else WINDOWS_DATA / "kequ.db")
        kequ, data_folder = [WINDOWS_KEQU], WINDOWS_DATA
    else:
        kequ, book, data_folder = kequ_command(), str(Path(db_path).resolve()), data_dir()
    command = remind_command(kequ, book, at)
    plan = install_plan(
        platform,
        command,
        at,
        home=Path.home(),
        data_folder=data_folder,
        uid=os.getuid() if hasattr(os, "getuid") else 0,
        user=_windows_user(),
        uninstall=args.uninstall,
    )
    result = carry_out(plan, uninstall=args.uninstall, dry_run=args.dry_run)
    if args.json:
        emit_json(
            {
                "platform": plan.platform,
                "action": "uninstall" if args.uninstall else "install",
                "dry_run": args.dry_run,
                "files": [{"path": str(f.path), "content": f.text()} for f in plan.files],
                "commands": [list(c) for c in (*plan.commands, *plan.after)],
                "ran": result.ran,
            }
        )
        return 0
    verb = "remove" if args.uninstall else "write"
    for planned in plan.files:
        print(t(f"remind.dry_{verb}" if args.dry_run else f"remind.did_{verb}", path=planned.path))
        if args.dry_run and not args.uninstall:
            print(planned.text().replace("\r\n", "\n").rstrip("\n"))
            print()
    for command_run in (*plan.commands, *plan.after):
        line = " ".join(command_run)
        print(t("remind.dry_run_command" if args.dry_run else "remind.ran_command", command=line))
    if not args.dry_run:
        print(t("remind.uninstalled" if args.uninstall else "remind.installed", at=at.strftime("%H:%M")))
    return 0


def _windows_user() -> str:
    """DOMAIN\\name, the account Task Scheduler's log-on trigger is for ("" elsewhere)."""
    name, domain = os.environ.get("USERNAME", ""), os.environ.get("USERDOMAIN", "")
    return f"{domain}\\{name}" if name and domain else name


def add_remind_command(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``remind`` to the ``kequ`` parser."""
    p = command("remind", cmd_remind)
    p.set_defaults(writes="file")  # its own small state file and the calendar feed, never the book
    p.add_argument("--print", action="store_true", help=t("remind.help.print"))
    p.add_argument("--from", dest="from_", metavar="HH:MM", help=t("remind.help.from"))
    p.add_argument("--wait", metavar="SECONDS", type=float, default=0.0, help=t("remind.help.wait"))
    p.add_argument("--install", action="store_true", help=t("remind.help.install"))
    p.add_argument("--uninstall", action="store_true", help=t("remind.help.uninstall"))
    p.add_argument("--at", metavar="HH:MM", help=t("remind.help.at"))
    p.add_argument("--dry-run", action="store_true", help=t("remind.help.dry_run"))
    p.add_argument("--platform", choices=["linux", "macos", "windows"], help=t("remind.help.platform"))
    json_flag(p)
