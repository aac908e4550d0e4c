"""``health``, ``review`` and ``report``: how my relationships are doing, and the 周报.

kequ health 王总 [--date D] [--json]          the score, its parts and its trend
kequ review [--week|--month] [--date D] [--json]   done against planned, who is cooling …
kequ report --week|--month -o 周报.xlsx        the workbook for the manager
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kequ.cli.common import JsonFlag, MakeCommand, as_of, emit_json, open_db
from kequ.i18n import t

__all__ = ["add_review_commands"]


def _span(args: argparse.Namespace) -> str:
    return "month" if args.month else "week"


def cmd_health(args: argparse.Namespace) -> int:
    today = as_of(args.date)
    db = open_db(args)
    from kequ.services.customers import resolve_customer
    from kequ.services.review import health_of

    customer = resolve_customer(db, args.customer)
    health, change = health_of(db, customer.id, today)
    if args.json:
        parts = {p.name: p.as_json() for p in health.parts}
        emit_json(
            {"name": customer.name, "id": customer.id, "score": health.score, "parts": parts, "trend": change.as_json()}
        )
        return 0
    print(
        t(
            "review.cli.health_line",
            name=customer.display_name,
            score=health.score,
            before=change.before,
            change=f"{change.change:+d}",
        )
    )
    for part in health.parts:
        print(f"  {part.label()} {part.points}/{part.most}  {part.explain()}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    today = as_of(args.date)
    db = open_db(args)
    from kequ.services.review import review

    result = review(db, today, _span(args))
    if args.json:
        emit_json(result.as_json())
        return 0
    done, planned = sum(result.done.values()), sum(result.planned.values())
    print(t("review.cli.period", start=result.start, end=result.end, done=done, planned=planned))
    for kind, n in sorted(result.done.items(), key=lambda kv: -kv[1]):
        print(f"  {t(f'vocab.kind.{kind}')} {n}/{result.planned.get(kind, 0)}")
    print(t("review.cli.cooling", count=len(result.cooling)))
    for cold in result.cooling[:20]:
        print(f"  {result.shown(cold.customer_id)} {cold.health.score} ({cold.trend.change:+d})")
    for row in result.festivals:
        name = t(f"festival.{row.festival}")
        print(t("review.cli.festival", name=name, sent=len(row.sent), skipped=len(row.skipped), left=len(row.left)))
    print(t("review.cli.gifts", count=result.gifts.count, yuan=f"{result.gifts.total / 100:.2f}"))
    complaints = result.complaints
    print(
        t(
            "review.cli.complaints",
            opened=len(complaints.opened),
            closed=len(complaints.closed),
            open=len(complaints.still_open),
        )
    )
    kept = sum(1 for d in result.deals if d.kept)
    print(t("review.cli.deals", count=len(result.deals), kept=kept))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    today = as_of(args.date)
    db = open_db(args)
    from kequ.exchange.review_report import write_report

    path = Path(args.output)
    counts = write_report(db, today, _span(args), path)
    if args.json:
        emit_json({"path": str(path), **counts})
    else:
        print(t("review.cli.report_written", path=path, contacts=counts["contacts"], health=counts["health"]))
    return 0


def _period_flags(p: argparse.ArgumentParser, required: bool = False) -> None:
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument("--week", action="store_true", help=t("review.cli.help_week"))
    group.add_argument("--month", action="store_true", help=t("review.cli.help_month"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.field.date"))


def add_review_commands(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``health``, ``review`` and ``report`` to the ``kequ`` parser."""
    p = command("health", cmd_health)
    p.set_defaults(writes="nothing")
    p.add_argument("customer", metavar="CUSTOMER")
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.field.date"))
    json_flag(p)
    p = command("review", cmd_review)
    p.set_defaults(writes="nothing")
    _period_flags(p)
    json_flag(p)
    p = command("report", cmd_report)
    p.set_defaults(writes="file")
    _period_flags(p, required=True)
    p.add_argument("-o", "--output", metavar="FILE", required=True, help=t("review.cli.help_output"))
    json_flag(p)
