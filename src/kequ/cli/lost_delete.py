"""The ``lost`` and ``delete`` subcommands: keeping the book tidy from the command line.

    kequ lost 王总 --reason 价格 [--note 去了本地的供应商]
    kequ lost 王总 --undo
    kequ delete 王总 [--yes]

``delete`` asks on a terminal (y/N); with no terminal to ask on it refuses unless
``--yes`` says the user is sure. Every deletion takes a backup first and names it.
"""

from __future__ import annotations

import argparse
import sys

from kequ.cli.common import JsonFlag, MakeCommand, confirmed, emit_json, open_db
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_lost_delete_commands", "cmd_delete", "cmd_lost"]


def cmd_lost(args: argparse.Namespace) -> int:
    from kequ.domain.choices import choice_options
    from kequ.services.lost import mark_lost, reason_of, win_back

    # The arguments are checked before the database is opened: a typo changes nothing.
    if args.undo and args.reason is not None:
        raise KequError("lost.cli.reason_or_undo")
    if not args.undo and args.reason is None:
        raise KequError("lost.cli.needs_reason", options=choice_options("churn_reason"))
    reason = None if args.undo else reason_of(args.reason)
    from kequ.services.customers import resolve_customer

    db = open_db(args)
    customer = resolve_customer(db, args.customer)
    if reason is None:
        was_lost = customer.churned
        record = win_back(db, customer.id) if was_lost else customer
        if args.json:
            emit_json({"id": record.id, "lost": False, "changed": was_lost})
        else:
            key = "lost.cli.won_back" if was_lost else "lost.cli.not_lost"
            print(t(key, name=record.display_name))
        return 0
    record = mark_lost(db, customer.id, reason, args.note or "")
    if args.json:
        emit_json({"id": record.id, "lost": True, "reason": reason, "note": args.note or ""})
    else:
        label = t(f"vocab.churn_reason.{reason}")
        print(t("lost.cli.marked", name=record.display_name, reason=label, ref=f"#{record.id}"))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from kequ.services.customers import resolve_customer
    from kequ.services.deletion import delete_customer, owned_rows, what_goes

    db = open_db(args)
    customer = resolve_customer(db, args.customer)
    who = f"#{customer.id} {customer.display_name}"
    counts = owned_rows(db, customer.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise KequError("removal.needs_yes", who=who)
        print(t("removal.customer", who=who, what=what_goes(counts)), file=sys.stderr)
        if not confirmed(t("removal.ask")):
            print(t("removal.kept"), file=sys.stderr)
            return 1
    backup = delete_customer(db, customer.id)
    if args.json:
        emit_json({"deleted": customer.id, "backup": str(backup), "removed": counts})
    else:
        print(t("removal.done", who=who, path=backup))
    return 0


def add_lost_delete_commands(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``lost`` and ``delete`` to the ``kequ`` parser."""
    from kequ.domain.choices import choice_options

    p = command("lost", cmd_lost)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--reason", help=t("lost.help.reason", options=choice_options("churn_reason")))
    p.add_argument("--note", help=t("cli.help.field.note"))
    p.add_argument("--undo", action="store_true", help=t("lost.help.undo"))
    json_flag(p)

    p = command("delete", cmd_delete)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--yes", action="store_true", help=t("removal.help.yes"))
    json_flag(p)
