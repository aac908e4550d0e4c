"""The ``rhythm`` subcommand: one customer's own rhythm of calls and visits.

kequ rhythm 王总                       what it is, and whether it is their own or their tier's
kequ rhythm 王总 --call 14 --visit 90   their own intervals (0 = no such rhythm)
kequ rhythm 王总 --reset                back to their tier's (kequ config rhythm.<tier>.<kind>)
"""

from __future__ import annotations

import argparse

from kequ.cli.common import JsonFlag, MakeCommand, emit_json, open_db
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_rhythm_command", "cmd_rhythm"]


def cmd_rhythm(args: argparse.Namespace) -> int:
    from kequ.domain.rhythms import parse_days

    wanted = {kind: value for kind, value in (("call", args.call), ("visit", args.visit)) if value is not None}
    if args.reset and wanted:
        raise KequError("rhythm.cli.reset_and_set")
    # Checked before the database is opened: a typo changes nothing.
    days = {kind: parse_days(value, kind) for kind, value in wanted.items()}
    db = open_db(args)
    from kequ.services.customers import resolve_customer
    from kequ.services.rhythms import customer_rhythm, reset_customer_rhythm, set_customer_rhythm

    customer = resolve_customer(db, args.customer)
    if args.reset:
        rhythm = reset_customer_rhythm(db, customer.id)
    elif days:
        rhythm = set_customer_rhythm(db, customer.id, days)
    else:
        rhythm = customer_rhythm(db, customer.id)
    if args.json:
        emit_json({"name": customer.name, **rhythm.as_json()})
    else:
        print(t("rhythm.saved", name=customer.display_name, rhythm=rhythm.describe()))
    return 0


def add_rhythm_command(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``rhythm`` to the ``kequ`` parser."""
    p = command("rhythm", cmd_rhythm)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--call", metavar="DAYS", help=t("rhythm.cli.help_call"))
    p.add_argument("--visit", metavar="DAYS", help=t("rhythm.cli.help_visit"))
    p.add_argument("--reset", action="store_true", help=t("rhythm.cli.help_reset"))
    json_flag(p)
