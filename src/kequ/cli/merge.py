"""``merge`` and ``duplicates``: one person in the book twice, found and made one.

    kequ duplicates [--json]                    the likely duplicate pairs, each with its merge command
    kequ merge KEEP DROP [--take FIELD] [--yes] DROP folded into KEEP, after a backup

``merge`` shows what differs before it asks; KEEP's value wins unless ``--take`` names
the field. It asks on a terminal; without one it refuses unless ``--yes`` (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kequ.cli.common import JsonFlag, MakeCommand, confirmed, emit_json, open_db
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_merge_commands", "cmd_duplicates", "cmd_merge"]


def _cell(value: str) -> Any:
    """User text in a table: shown as written, wrapped as Chinese wraps (kequ.cli.cells)."""
    from kequ.cli.cells import user_cell

    return user_cell(value)


def _who(customer: Any) -> str:
    """#12 王总（王建国） 恒瑞: enough to tell two alike customers apart."""
    company = f" {customer.company}" if customer.company else ""
    return f"#{customer.id} {customer.display_name}{company}"


def cmd_merge(args: argparse.Namespace) -> int:
    from kequ.services.customers import resolve_customer
    from kequ.services.merging import merge, merge_preview, read_take

    take = read_take(args.take or ())
    db = open_db(args)
    keep, drop = resolve_customer(db, args.keep), resolve_customer(db, args.drop)
    if not args.yes and not sys.stdin.isatty():
        raise KequError("merge.cli.needs_yes")
    preview = merge_preview(db, keep.id, drop.id)
    out = sys.stderr if args.json else sys.stdout
    _print_preview(preview, take, out)
    if not args.yes and not confirmed(t("merge.cli.ask", drop=f"#{drop.id}", keep=_who(keep))):
        print(t("merge.cli.not_done"), file=sys.stderr)
        return 1
    versions = (preview.keep.customer.version, preview.drop.customer.version)
    report = merge(db, keep.id, drop.id, take, versions)
    if args.json:
        from kequ.services.merging import field_label, shown_value

        emit_json(
            {
                "kept": {"id": keep.id, "name": keep.name, "honorific": keep.honorific},
                "dropped": {"id": drop.id, "name": drop.name, "honorific": drop.honorific},
                "backup": report.backup,
                "moved": report.moved,
                "folded": report.folded,
                "conflicts": [
                    {
                        "field": c.field,
                        "label": field_label(c.field),
                        "kept": shown_value(c.field, c.keep),
                        "dropped": shown_value(c.field, c.drop),
                        "chosen": "dropped" if c.field in report.taken else "kept",
                    }
                    for c in preview.conflicts
                ],
            }
        )
    else:
        print(t("merge.cli.done", drop=f"#{drop.id}", keep=_who(keep)))
    print(t("merge.cli.backup", path=report.backup), file=out)
    return 0


def _print_preview(preview: Any, take: frozenset[str], out: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from kequ.services.merging import field_label, shown_value, table_word

    console = Console(file=out, highlight=False)
    keep, drop = preview.keep.customer, preview.drop.customer
    for key, side in (("merge.cli.keep", preview.keep), ("merge.cli.drop", preview.drop)):
        contacts = side.counts.get("interaction", 0)
        console.print(Text(t(key, who=_who(side.customer), contacts=contacts)))
    if preview.conflicts:
        table = Table(title=t("merge.cli.conflicts", count=len(preview.conflicts)), title_justify="left")
        for heading in (t("merge.col.field"), f"#{keep.id}", f"#{drop.id}", t("merge.col.chosen")):
            table.add_column(heading)
        for conflict in preview.conflicts:
            chosen = drop.id if conflict.field in take else keep.id
            table.add_row(
                _cell(field_label(conflict.field)),
                _cell(shown_value(conflict.field, conflict.keep)),
                _cell(shown_value(conflict.field, conflict.drop)),
                _cell(f"#{chosen}"),
            )
        console.print(table)
        console.print(Text(t("merge.cli.take_hint")))
    else:
        console.print(Text(t("merge.cli.no_conflicts")))
    moving = [f"{table_word(name)} {n}" for name, n in preview.drop.counts.items() if n]
    if moving:
        console.print(
            Text(t("merge.cli.moving", drop=f"#{drop.id}", keep=f"#{keep.id}", what=t("punct.list_sep").join(moving)))
        )
    united = t(
        "merge.cli.united", phones=", ".join(preview.phones) or "—", tags=t("punct.list_sep").join(preview.tags) or "—"
    )
    console.print(Text(united))


def cmd_duplicates(args: argparse.Namespace) -> int:
    from kequ.services.duplicates import likely_duplicates

    db = open_db(args)
    pairs = likely_duplicates(db)
    if args.json:
        emit_json(
            [
                {
                    "keep": _side(pair.keep),
                    "drop": _side(pair.drop),
                    "by": list(pair.by),
                    "merge": f"kequ merge {pair.keep.id} {pair.drop.id}",
                }
                for pair in pairs
            ]
        )
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not pairs:
        console.print(Text(t("merge.duplicates.none")))
        return 0
    table = Table(title=t("merge.duplicates.title", count=len(pairs)), title_justify="left")
    for heading in ("merge.col.keep", "merge.col.drop", "merge.col.by", "merge.col.command"):
        table.add_column(t(heading))
    for pair in pairs:
        table.add_row(
            _cell(_who(pair.keep)),
            _cell(_who(pair.drop)),
            _cell(reasons(pair.by)),
            Text(f"kequ merge {pair.keep.id} {pair.drop.id}"),
        )
    console.print(table)
    return 0


def reasons(by: tuple[str, ...]) -> str:
    return t("punct.list_sep").join(t(f"merge.by.{reason}") for reason in by)


def _side(side: Any) -> dict[str, object]:
    return {
        "id": side.id,
        "name": side.name,
        "honorific": side.honorific,
        "company": side.company,
        "city": side.city,
    }


def add_merge_commands(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``merge`` and ``duplicates`` to the ``kequ`` parser."""
    p = command("merge", cmd_merge)
    p.add_argument("keep", metavar="KEEP", help=t("merge.help.keep"))
    p.add_argument("drop", metavar="DROP", help=t("merge.help.drop"))
    p.add_argument("--take", action="append", metavar="FIELD", help=t("merge.help.take"))
    p.add_argument("--yes", action="store_true", help=t("merge.help.yes"))
    json_flag(p)

    p = command("duplicates", cmd_duplicates)
    p.set_defaults(writes="nothing")
    json_flag(p)
