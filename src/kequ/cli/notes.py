"""``kequ search --notes TEXT``: the texts I wrote that hold TEXT, newest first.

Each hit is one line: the customer, the day, what the text was (a call's notes, a
complaint's third step) and the words around the match; ``--json`` gives the whole text too.
"""

from __future__ import annotations

import argparse
import sqlite3

from kequ.cli.common import emit_json, open_db, warn
from kequ.i18n import t

__all__ = ["cmd_search_notes"]


def cmd_search_notes(args: argparse.Namespace) -> int:
    from kequ.domain.notes import note_terms
    from kequ.services.notes import find_in_notes

    note_terms(args.query)  # a word too short is refused before the database is opened
    db = open_db(args)
    # One more than asked: whether the list was cut is said, not guessed.
    found = find_in_notes(db, args.query, limit=args.limit + 1)
    if not found.indexed:
        warn(t("notes.no_index", version=sqlite3.sqlite_version))
    hits = found.hits
    if len(hits) > args.limit:
        hits = hits[: args.limit]
        warn(t("notes.cli.cut", limit=args.limit))
    if args.json:
        emit_json([hit.as_json(found.terms) for hit in hits])
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from kequ.cli.cells import Cell
    from kequ.domain.values import address_as
    from kequ.inert import inert_text

    table = Table(title=t("notes.cli.title", query=args.query, count=len(hits)), title_justify="left")
    for heading in ("col.customer", "col.date", "notes.col.what", "notes.col.line"):
        table.add_column(t(heading))
    for hit in hits:
        before, match, after = hit.around(found.terms)
        line = Text(inert_text(before))
        line.append(inert_text(match), style="bold reverse")
        line.append(inert_text(after))
        table.add_row(
            Cell(inert_text(address_as(hit.name, hit.honorific))),
            Cell(hit.day.isoformat() if hit.day else "—"),
            Cell(hit.what()),
            line,
        )
    Console(highlight=False).print(table)
    return 0
