"""What every ``kequ`` subcommand shares: reading a day argument, writing JSON, warning."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser, Namespace
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kequ.errors import KequError, is_disk_full
from kequ.i18n import t
from kequ.storage import clock

# What each command may change, for what it says when the disk is full: "database"
# (the default: a change was not saved), "file" (the file it writes was not made) or
# "nothing" (it only reads, so nothing was lost).
WRITES = {"today": "nothing", "festivals": "nothing", "complaints": "nothing", "search": "nothing"}
WRITES |= {"export": "file", "backup": "file"}

# What the parser hands a module that adds its own subcommands: ``command(name, handler)``
# makes the subparser, ``json_flag(parser)`` gives it --json.
MakeCommand = Callable[[str, Callable[[Namespace], int]], ArgumentParser]
JsonFlag = Callable[[ArgumentParser], None]


def open_db(args: Namespace) -> Any:
    """The command's database, with today's automatic copy taken if it is due.

    A command that changes the database refuses to run without that copy. One that
    does not (it reads, or writes a file elsewhere) only warns when the copy fails, on
    a full disk for instance, and goes on.
    """
    from kequ.storage.database import open_database

    if getattr(args, "writes", "database") == "database":
        return open_database(args.db)
    db = open_database(args.db, daily_backup=False)
    _daily_backup(db.path)
    return db


def _daily_backup(path: Path) -> None:
    from kequ.storage import cipher
    from kequ.storage.backups import backup_if_due

    # A copy that fails half way removes its own partial file (kequ.storage.backups.make_backup).
    try:
        backup_if_due(path)
    except KequError as problem:
        warn(t("cli.backup_skipped", reason=problem.message()))
    except (OSError, *cipher.errors()) as problem:
        reason = t("storage.full.reason") if is_disk_full(problem) else str(problem)
        warn(t("cli.backup_skipped", reason=reason))


def warn(message: str) -> None:
    """One line on stderr that does not stop the command: it still does its job."""
    print(t("cli.warning", message=message), file=sys.stderr)


def parse_day(text: str, *, past: bool = False) -> date:
    """A ``--date``: whatever the birthday field takes (2026-3-5, 3月5日, 12-25), read by the
    app's rule (kequ.domain.calendar.lunar.parse_day): without a year this year's day, or
    with ``past`` (a day something happened or was said) the latest one not after today."""
    from kequ.domain.calendar.lunar import parse_day as read_day

    return read_day(text, clock.today(), past=past)


def as_of(text: str | None) -> date:
    """The day a command looks from: its ``--date``, fixed for the whole run so that every
    layer (what is due, what is stamped, what a file is called) sees the same day."""
    if text:
        clock.pin(parse_day(text))
    return clock.today()


def pick(group: str, text: str | None) -> str | None:
    """A choice as typed (关键, key, 力量型, D, 电话 …) as its stored value; None if not given."""
    from kequ.domain.choices import choice_options, read_choice

    if text is None:
        return None
    value = read_choice(group, text)
    if value is None:
        raise KequError("input.bad_choice", field=f"--{group}", value=text, options=choice_options(group))
    return value


# What a person types at a y/N question to say yes, in either language; anything else is no.
YES = frozenset({"y", "yes", "是", "是的", "好", "确定", "对"})


def confirmed(question: str) -> bool:
    """``question`` on stderr, then one line from stdin: whether it says yes (Enter alone is no).
    The caller has made sure stdin is a terminal, a person who can answer."""
    sys.stderr.write(question)
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in YES


def emit_json(data: object) -> None:
    """A list is written one item to a line: still readable, and fast.

    ``indent=`` would switch json to its pure-Python encoder, three times slower on a
    big agenda (80,000 items at 100,000 customers). JSON escapes C0 controls but lets C1,
    bidi and zero-width characters through as they are, so the text is made inert once it
    is written: one pass in C over the whole output rather than one call per value (JSON
    holds no raw line break or tab inside a string, so the ones kept are its own).
    """
    from kequ.inert import inert_text

    if isinstance(data, list):
        lines = ",\n".join(json.dumps(item, ensure_ascii=False, default=str) for item in data)
        text = f"[\n{lines}\n]\n" if data else "[]\n"
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    sys.stdout.write(inert_text(text, multiline=True))
