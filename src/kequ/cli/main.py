"""The ``kequ`` command: opens the app, or does one quick job for a script or a hurry.

Only the standard library is imported at the top: each subcommand imports what it needs,
so ``kequ`` reaches the app's first frame without loading the ORM.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from kequ.cli.common import WRITES, as_of, emit_json, open_db, parse_day, pick, warn
from kequ.domain.values import address_as, listed_name, parse_amount, whole_number
from kequ.errors import KequError, is_disk_full, user_message
from kequ.i18n import set_language, t
from kequ.storage import clock


def _parse_days(text: str) -> int:
    days = whole_number(text)
    if days is None or days > 366:
        raise KequError("input.bad_days", value=text)
    return days


# Rows the table of ``kequ today`` (and of ``kequ festivals --greet-list``) prints unless
# told otherwise: a big book owes tens of thousands of touches and greets tens of thousands
# of people, and a table of them all takes minutes and hundreds of MB to print.
TODAY_ROWS = 100


def _limit_flags(p: argparse.ArgumentParser) -> None:
    """--limit N and --all, one or the other, for a command whose table may be very long."""
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--limit", metavar="N", help=t("cli.help.today_limit", rows=TODAY_ROWS))
    shown.add_argument("--all", action="store_true", help=t("cli.help.today_all"))


def _listed_rows(args: argparse.Namespace) -> int | None:
    """How many items ``kequ today`` or ``kequ festivals --greet-list`` prints: --limit N, all
    with --all, else TODAY_ROWS in the table and all of them in --json (a script reads what
    it asked for)."""
    if args.limit is not None:
        rows = whole_number(args.limit)
        if rows is None or rows < 1:
            raise KequError("input.bad_limit", value=args.limit)
        return rows
    return None if args.all or args.json else TODAY_ROWS


def _print_more(total: int, shown: int) -> None:
    """The line under a table cut at ``shown`` of ``total`` rows: how many more, and how to see them."""
    if total > shown:
        from rich.text import Text

        _console().print(Text(t("cli.today_more", shown=shown, more=total - shown)))


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _cell(value: str, style: str = "") -> Any:
    """A table cell holding user data, wrapped between Chinese characters and never inside
    a number (kequ.cli.cells)."""
    from kequ.cli.cells import user_cell

    return user_cell(value, style)


def cmd_demo(args: argparse.Namespace) -> int:
    from kequ.services.demo import fill_demo

    db = open_db(args)
    count = fill_demo(db, clock.today(), force=args.force)
    print(t("cli.demo_done", count=count, path=db.path), file=sys.stderr)
    if args.open:
        return _run_app(args, db)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer_with_dates

    data = NewCustomer(
        name=args.name,
        honorific=args.honorific or "",
        company=args.company or "",
        title=args.title or "",
        phones=tuple(args.phone or ()),
        wechat=args.wechat or "",
        email=args.email or "",
        city=args.city or "",
        tier=pick("tier", args.tier) or "regular",
        disc=pick("disc", args.disc),
        tags=tuple(args.tag or ()),
        notes=args.note or "",
        gender=args.gender,
    )
    db = open_db(args)
    if not args.force:
        from kequ.services.customers import same_customer

        if (found := same_customer(db, data)) is not None:
            known, by = found
            raise KequError("cli.duplicate", id=known.id, who=_known_as(known), by=t(f"io.by.{by}"))
    new_id = add_customer_with_dates(db, data, args.birthday, args.lunar_birthday)
    if args.json:
        emit_json({"id": new_id})
    else:
        print(new_id)
    return 0


def _known_as(customer: Any) -> str:
    """王总（王建国，苏州恒瑞）: enough to tell which customer is meant."""
    name = customer.display_name
    return f"{name}，{customer.company}" if customer.company else name


def cmd_log(args: argparse.Namespace) -> int:
    from kequ.services.contacts import log_interaction
    from kequ.services.customers import resolve_customer

    kind = pick("kind", args.kind)
    day = parse_day(args.date, past=True) if args.date else clock.today()
    if day > clock.today():  # as the app's log dialog: a contact to come is planned, not logged
        raise KequError("log.future")
    db = open_db(args)
    customer = resolve_customer(db, args.customer)
    new_id = log_interaction(db, customer.id, kind, day, args.note or "")
    if args.json:
        emit_json({"id": new_id, "customer_id": customer.id, "kind": kind, "date": day.isoformat()})
    else:
        print(t("cli.logged", kind=t(f"vocab.kind.{kind}"), name=customer.display_name, day=day))
    return 0


def cmd_deal(args: argparse.Namespace) -> int:
    from kequ.services.contacts import record_deal
    from kequ.services.customers import resolve_customer

    db = open_db(args)
    customer = resolve_customer(db, args.customer)
    day = parse_day(args.date, past=True) if args.date else clock.today()
    amount = parse_amount(args.amount) if args.amount else None
    new_id = record_deal(db, customer.id, day, amount, args.note or "")
    if args.json:
        emit_json({"id": new_id, "customer_id": customer.id, "date": day.isoformat()})
    else:
        print(t("cli.deal_recorded", name=customer.display_name, day=day))
    return 0


def cmd_today(args: argparse.Namespace) -> int:
    from rich.text import Text

    from kequ.domain.agenda.first_touches import plan_line
    from kequ.domain.agenda.reasons import kind_label, reason_text
    from kequ.domain.agenda.rules import beyond_calendar
    from kequ.domain.calendar.lunar import FIRST_DAY, LAST_DAY
    from kequ.storage.fast_reads.agenda import agenda_and_plan

    today = as_of(args.date)
    days = _parse_days(args.days)
    rows = _listed_rows(args)
    db = open_db(args)
    until = today + timedelta(days=days)
    items, plan = agenda_and_plan(db, today, until)
    total = len(items)
    if rows is not None:
        items = items[:rows]
    if beyond_calendar(today, until):
        warn(t("cli.beyond_calendar", first=FIRST_DAY, last=LAST_DAY))
    if args.json:
        emit_json(
            [
                {
                    "date": item.due.isoformat(),
                    "kind": item.kind,
                    "customer": item.name,
                    "honorific": item.honorific,
                    "customer_id": item.customer_id,
                    "reason": reason_text(item),
                    "overdue_days": item.overdue_days,
                    "tier": item.tier,
                    "disc": item.disc,
                    "at_risk": item.at_risk,
                    "source": item.source_key,
                    "occurrence": item.occurrence.isoformat(),
                }
                for item in items
            ]
        )
        return 0
    from rich.table import Table

    table = Table(title=t("cli.today_title", day=today, count=total), title_justify="left")
    for heading in ("col.date", "col.kind", "col.customer", "col.reason", "col.tier", "col.disc"):
        table.add_column(t(heading))
    for item in items:
        who = address_as(item.name, item.honorific)
        if item.at_risk:
            who += " " + t("cli.at_risk_mark")
        late = _cell(item.due.isoformat(), style="bold red" if item.overdue_days else "")
        table.add_row(
            late,
            _cell(kind_label(item.kind)),
            _cell(who),
            _cell(reason_text(item)),
            _cell(t(f"vocab.tier.{item.tier}")),
            _cell(t(f"vocab.disc.{item.disc}") if item.disc else "—"),
        )
    _console().print(table)
    _print_more(total, len(items))
    if line := plan_line(plan):
        _console().print(Text(line))
    return 0


def cmd_festivals(args: argparse.Namespace) -> int:
    from kequ.domain.calendar.lunar import festivals

    if args.greet_list:
        return _greet_list(args)
    year = args.year or clock.today().year
    if not 1901 <= year <= 2099:
        raise KequError("cli.bad_year", year=year)
    from kequ.domain.calendar.holidays import holiday_calendar, holiday_for
    from kequ.services.greetings import holiday_dir, holiday_problems
    from kequ.storage.database import resolve_db_path

    found = festivals(year)
    # A newer year's arrangement may sit in holidays/ beside the database.
    db_path = resolve_db_path(args.db)[0]
    arrangement = holiday_calendar(year, holiday_dir(db_path))
    for problem in holiday_problems(db_path):
        warn(problem)
    breaks = [holiday_for(f.key, f.date, arrangement) for f in found]
    if args.json:
        emit_json(
            [
                {
                    "key": f.key,
                    "name": t(f"festival.{f.key}", "zh"),
                    "date": f.date.isoformat(),
                    "holiday": info.status,
                    "holiday_note": info.short("zh"),
                }
                for f, info in zip(found, breaks, strict=True)
            ]
        )
        return 0
    from rich.table import Table

    today = clock.today()
    table = Table(title=t("cli.festivals_title", year=year), title_justify="left")
    for heading in ("col.date", "col.festival", "col.days_left", "col.holiday"):
        table.add_column(t(heading))
    for festival, info in zip(found, breaks, strict=True):
        left = (festival.date - today).days
        table.add_row(
            _cell(festival.date.isoformat()),
            _cell(t(f"festival.{festival.key}")),
            _cell(str(left) if left >= 0 else "—"),
            _cell(info.short() if info.status != "none" else ""),
        )
    _console().print(table)
    if arrangement is None:
        print(t("cli.holidays_unpublished", year=year), file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from kequ.services.customer_list import search_customers

    if args.notes:
        from kequ.cli.notes import cmd_search_notes

        return cmd_search_notes(args)
    db = open_db(args)
    # One more than asked: whether the list was cut is said, not guessed.
    found = search_customers(db, args.query, limit=args.limit + 1)
    if len(found) > args.limit:
        found = found[: args.limit]
        warn(t("cli.search_cut", limit=args.limit))
    if args.json:
        emit_json(
            [
                {
                    "id": row.id,
                    "name": row.name,
                    "honorific": row.honorific,
                    "company": row.company,
                    "title": row.title,
                    "city": row.city,
                    "tier": row.tier,
                    "disc": row.disc,
                    "phones": list(row.phones),
                    "lost": row.churned,
                }
                for row in found
            ]
        )
        return 0
    from rich.table import Table

    table = Table(title=t("cli.search_title", query=args.query, count=len(found)), title_justify="left")
    for heading in ("col.id", "col.customer", "col.company", "col.city", "col.tier", "col.disc"):
        table.add_column(t(heading))
    for row in found:
        who = listed_name(row.name, row.honorific)
        if row.churned:
            who += t("lost.mark")
        table.add_row(
            _cell(str(row.id)),
            _cell(who),
            _cell(row.company),
            _cell(row.city),
            _cell(t(f"vocab.tier.{row.tier}")),
            _cell(t(f"vocab.disc.{row.disc}") if row.disc else "—"),
        )
    _console().print(table)
    return 0


def cmd_complaint(args: argparse.Namespace) -> int:
    from kequ.services.customers import resolve_customer
    from kequ.storage.database import open_database

    if args.withdraw:
        return _withdraw_complaint(args)
    db = open_database(args.db, daily_backup=False)
    customer = resolve_customer(db, args.customer)
    return _run_app(args, db, complaint_for=customer.id)


def _withdraw_complaint(args: argparse.Namespace) -> int:
    """``kequ complaint NAME --withdraw``: the customer's open complaint is withdrawn (撤销),
    not handled: no follow-ups, nothing on the timeline."""
    from kequ.services.complaints import withdraw_open
    from kequ.services.customers import resolve_customer

    db = open_db(args)
    customer = resolve_customer(db, args.customer)
    view = withdraw_open(db, customer.id)
    summary = view.summary or t("complaint_ui.list.untitled")
    print(t("cli.complaint_withdrawn", name=view.customer_name, opened=view.opened_on.isoformat(), summary=summary))
    return 0


def cmd_complaints(args: argparse.Namespace) -> int:
    from kequ.domain.complaints import status_key
    from kequ.services.complaints import list_complaints

    rows = list_complaints(open_db(args))
    if args.json:
        emit_json(
            [
                {
                    "id": row.id,
                    "customer": row.customer_name,
                    "customer_id": row.customer_id,
                    "opened": row.opened_on.isoformat(),
                    "age_days": row.age_days,
                    "status": row.status,
                    "step": row.step,
                    "summary": row.summary,
                    "cause": row.cause,
                }
                for row in rows
            ]
        )
        return 0
    from rich.table import Table

    table = Table(title=t("cli.complaints_title", count=len(rows)), title_justify="left")
    for heading in ("col.opened", "col.customer", "col.status", "col.step", "col.summary"):
        table.add_column(t(heading))
    for row in rows:
        table.add_row(
            _cell(row.opened_on.isoformat()),
            _cell(row.customer_name),
            _cell(t(status_key(row.status))),
            _cell(f"{row.step}/9"),
            _cell(row.summary),
        )
    _console().print(table)
    return 0


_GREET_STATUS_STYLE = {"sent": "green", "skipped": "yellow", "not_this_year": "dim"}


def _greet_list(args: argparse.Namespace) -> int:
    """Who is to be greeted for one festival this year, and who already was."""
    from kequ.services.greetings import greet_list, greet_list_json

    limit = _listed_rows(args)
    if args.json:
        emit_json(greet_list_json(open_db(args), args.greet_list, args.year, clock.today(), limit=limit))
        return 0
    from rich.table import Table

    # The table shows no message: none is written (a big book greets tens of thousands).
    rows = greet_list(open_db(args), args.greet_list, args.year, clock.today())
    total = len(rows)
    if limit is not None:
        rows = rows[:limit]
    table = Table(title=t("cli.greet_title", festival=t(f"festival.{args.greet_list}"), count=total))
    for heading in ("col.customer", "col.company", "col.tier", "col.disc", "col.status"):
        table.add_column(t(heading))
    for row in rows:
        who = listed_name(row.name, row.honorific)
        status = "not_this_year" if row.not_this_year else row.status
        table.add_row(
            _cell(who),
            _cell(row.company),
            _cell(t(f"vocab.tier.{row.tier}")),
            _cell(t(f"vocab.disc.{row.disc}") if row.disc else "—"),
            _cell(t(f"cli.greet_status.{status}"), _GREET_STATUS_STYLE.get(status, "")),
        )
    _console().print(table)
    _print_more(total, len(rows))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from kequ.storage.backups import make_backup

    db = open_db(args)
    if args.output:
        from kequ.services.restore import backup_to

        target = backup_to(db, args.output)
    else:
        target = make_backup(db.path, "manual")
    if args.json:
        emit_json({"backup": str(target)})
    else:
        print(t("cli.backup_done", path=target))
    return 0


def _run_app(args: argparse.Namespace, db: Any = None, complaint_for: int | None = None) -> int:
    from kequ.storage.database import open_database

    if db is None:
        # An encrypted book's passphrase is asked before the app starts (never inside it);
        # its key is derived on the other core while the app's modules are imported.
        from kequ.storage import cipher
        from kequ.storage.database import resolve_db_path

        cipher.obtain(resolve_db_path(args.db)[0])
    from kequ.ui.app import KequApp

    # The app takes the daily backup itself, after its first screen is filled.
    db = db or open_database(args.db, daily_backup=False)

    return KequApp(db_path=db.path, complaint_for=complaint_for).run_to_end()


def _app_only(argv: list[str]) -> argparse.Namespace | None:
    """Plain ``kequ`` (perhaps with --db or --lang): open the app without building every
    subcommand's help first, which would cost the first frame a few milliseconds."""
    options: dict[str, str | None] = {"db": None, "lang": None}
    rest = iter(argv)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name not in ("--db", "--lang"):
            return None
        value = value if equals else next(rest, "")
        if not value or (name == "--lang" and value not in ("zh", "en")):
            return None  # the full parser says what is wrong
        options[name[2:]] = value
    return argparse.Namespace(command=None, **options)


def build_parser() -> argparse.ArgumentParser:
    # Here, not at the top: plain `kequ` opens the app without them.
    from kequ.cli.capture import add_capture_command
    from kequ.cli.config import add_config_command
    from kequ.cli.encryption import add_encryption_commands
    from kequ.cli.events import add_event_command
    from kequ.cli.io import add_io_commands
    from kequ.cli.lost_delete import add_lost_delete_commands
    from kequ.cli.merge import add_merge_commands
    from kequ.cli.parser import KequParser
    from kequ.cli.remind import add_remind_command
    from kequ.cli.review import add_review_commands
    from kequ.cli.rhythm import add_rhythm_command
    from kequ.cli.sync import add_sync_command
    from kequ.cli.team import add_team_command
    from kequ.domain.choices import choice_options

    parser = KequParser(prog="kequ", description=t("cli.description"))
    parser.add_argument("--db", metavar="PATH", help=t("cli.help.db"))
    parser.add_argument("--lang", choices=["zh", "en"], help=t("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(f"cli.help.{name}"), description=t(f"cli.help.{name}"))
        p.set_defaults(handler=handler, writes=WRITES.get(name, "database"))
        return p

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("demo", cmd_demo)
    p.add_argument("--force", action="store_true", help=t("cli.help.force"))
    p.add_argument("--open", action="store_true", help=t("cli.help.open"))

    p = command("add", cmd_add)
    p.add_argument("name", metavar="NAME")
    for flag in ("honorific", "company", "title", "wechat", "email", "city", "note"):
        p.add_argument(f"--{flag}", help=t(f"cli.help.field.{flag}"))
    p.add_argument("--phone", action="append", help=t("cli.help.field.phone"))
    p.add_argument("--tag", action="append", help=t("cli.help.field.tag"))
    p.add_argument("--tier", help=t("cli.help.field.tier", options=choice_options("tier")))
    p.add_argument("--disc", help=t("cli.help.field.disc", options=choice_options("disc")))
    p.add_argument("--gender", metavar="女|男|f|m", help=t("cli.help.field.gender"))
    p.add_argument("--birthday", metavar="[YYYY-]MM-DD", help=t("cli.help.field.birthday"))
    p.add_argument("--lunar-birthday", metavar="[YYYY-]MM-DD", help=t("cli.help.field.lunar_birthday"))
    p.add_argument("--force", action="store_true", help=t("cli.help.field.force_add"))
    json_flag(p)

    p = command("log", cmd_log)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--kind", required=True, help=t("cli.help.field.kind", options=choice_options("kind")))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.field.past_date"))
    p.add_argument("--note", help=t("cli.help.field.note"))
    json_flag(p)

    p = command("deal", cmd_deal)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.field.past_date"))
    p.add_argument("--amount", metavar="N")
    p.add_argument("--note", help=t("cli.help.field.note"))
    json_flag(p)

    p = command("today", cmd_today)
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.field.date"))
    p.add_argument("--days", metavar="N", default="0")
    _limit_flags(p)
    json_flag(p)

    p = command("festivals", cmd_festivals)
    p.add_argument("--year", type=int, metavar="Y")
    p.add_argument("--greet-list", metavar="KEY", help=t("cli.help.greet_list"))
    _limit_flags(p)
    json_flag(p)

    p = command("complaint", cmd_complaint)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--withdraw", action="store_true", help=t("cli.help.withdraw"))

    p = command("complaints", cmd_complaints)
    json_flag(p)

    p = command("search", cmd_search)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=50, metavar="N", help=t("cli.help.field.limit"))
    p.add_argument("--notes", action="store_true", help=t("notes.cli.help"))
    json_flag(p)

    p = command("backup", cmd_backup)
    p.add_argument("-o", "--output", metavar="FILE", help=t("io.help.backup_output"))
    json_flag(p)
    add_io_commands(command, json_flag)
    add_event_command(command, json_flag)
    add_config_command(command, json_flag)
    add_lost_delete_commands(command, json_flag)
    add_merge_commands(command, json_flag)
    add_rhythm_command(command, json_flag)
    add_capture_command(command, json_flag)
    add_encryption_commands(command, json_flag)
    add_remind_command(command, json_flag)
    add_review_commands(command, json_flag)
    add_sync_command(command, json_flag)
    add_team_command(command, json_flag)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before the help texts are built.
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_language(lang)
    _key_from_environment(argv)
    args = _app_only(argv) or build_parser().parse_args(argv)
    try:
        _check_text(args)
        _passphrase_from_terminal(args)
        if getattr(args, "handler", None) is None:
            return _run_app(args)
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        message = _refusal(error, getattr(args, "writes", "database"))
        if message is not None:
            print(t("cli.error", message=message), file=sys.stderr)
            return 2
        if os.environ.get("KEQU_DEBUG"):
            raise
        from kequ.crash import write_crash_report

        report = write_crash_report(error)
        print(t("cli.internal_error", kind=type(error).__name__, report=report), file=sys.stderr)
        return 70


def _key_from_environment(argv: list[str]) -> None:
    """With KEQU_PASSPHRASE set, start an encrypted book's key before the parser is built:
    a short command has little else to do while the other core derives it."""
    if not os.environ.get("KEQU_PASSPHRASE"):
        return
    from kequ.storage import cipher
    from kequ.storage.database import resolve_db_path

    named = None
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            named = argv[i + 1]
        elif arg.startswith("--db="):
            named = arg.partition("=")[2]
    cipher.obtain(resolve_db_path(named)[0], ask=False)


def _passphrase_from_terminal(args: argparse.Namespace) -> None:
    """An encrypted book's passphrase is asked at the terminal when it is opened; one
    already to be had (KEQU_PASSPHRASE, the keyring) starts its key now, on the other core."""
    from kequ.cli.encryption import ask_passphrase
    from kequ.storage import cipher

    cipher.set_asker(ask_passphrase)
    if getattr(args, "handler", None) is not None and args.command not in ("encrypt", "passphrase", "festivals"):
        from kequ.storage.database import resolve_db_path

        cipher.obtain(resolve_db_path(args.db)[0], ask=False)


def _refusal(error: Exception, writes: str) -> str | None:
    """The one line for an error the user can act on; None for a bug."""
    if is_disk_full(error):
        # Only a command that changes the database may say a change was not saved.
        return t(f"storage.full.{writes}")
    return user_message(error)  # KequError, or a domain refusal such as DateInputError


# Arguments that name files: a name in another encoding is still a file the system opens.
_PATH_ARGS = frozenset({"db", "output", "file", "report", "feed"})


def _check_text(args: argparse.Namespace) -> None:
    """Refuse an argument with bytes that are not UTF-8 (Python keeps them as lone surrogates)
    before anything is stored or printed: they cannot be either."""
    for name, value in vars(args).items():
        if name in _PATH_ARGS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and not _is_text(text):
                raise KequError("cli.bad_text", value=_shown(text))


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """坏\xff字: the undecodable bytes written out, the rest as typed."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


if __name__ == "__main__":
    raise SystemExit(main())
