"""The ``event`` subcommand: record a customer's life event from the command line.

``kequ event 曾经理 --kind wedding --date 2026-12-05 [--note 女儿出嫁] [--lead 5]``

Kept apart from ``cli.py`` like the data-exchange commands; the parser calls
``add_event_command`` with its own ``command`` and ``json_flag`` helpers. Only the standard
library and the pure domain load at the top, so ``kequ`` alone still starts quickly.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta

from kequ.cli.common import emit_json
from kequ.domain.vocab import ONE_OFF_DATE_KINDS
from kequ.i18n import t

__all__ = ["add_event_command", "cmd_event"]


def cmd_event(args: argparse.Namespace) -> int:
    from kequ.domain.calendar.lunar import parse_lunar_date, parse_solar_date
    from kequ.domain.life_events import default_lead, one_off_day, parse_lead, touch_kind
    from kequ.services.customers import add_annual_date, resolve_customer
    from kequ.storage.database import open_database

    # The date and the lead are read before the database is even opened.
    annual = parse_lunar_date(args.date) if args.lunar else parse_solar_date(args.date)
    lead = parse_lead(args.lead) if args.lead is not None else default_lead(args.kind)
    db = open_database(args.db)
    customer = resolve_customer(db, args.customer)
    new_id = add_annual_date(db, customer.id, annual, kind=args.kind, label=args.note or "", lead_days=lead)
    day = one_off_day(annual)
    assert day is not None  # add_annual_date refuses a life event without its year
    due = day - timedelta(days=lead)
    touch = touch_kind(args.kind, lead)
    if args.json:
        data = {
            "id": new_id,
            "customer_id": customer.id,
            "kind": args.kind,
            "date": day.isoformat(),
            "lead_days": lead,
            "due": due.isoformat(),
            "touch": touch,
        }
        emit_json(data)
    else:
        print(
            t(
                "cli.event_recorded",
                name=customer.display_name,
                kind=t(f"vocab.date_kind.{args.kind}"),
                day=day.isoformat(),
                due=due.isoformat(),
                touch=t(f"vocab.kind.{touch}"),
            )
        )
    return 0


def add_event_command(
    command: Callable[[str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser],
    json_flag: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``event`` to the ``kequ`` parser."""
    p = command("event", cmd_event)
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--kind", required=True, choices=ONE_OFF_DATE_KINDS, help=t("cli.help.event_kind"))
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=t("cli.help.event_date"))
    p.add_argument("--lunar", action="store_true", help=t("cli.help.event_lunar"))
    p.add_argument("--lead", metavar="N", help=t("cli.help.event_lead"))
    p.add_argument("--note", help=t("cli.help.field.note"))
    json_flag(p)
