"""The ``config`` subcommand: the user's settings from the command line.

    kequ config                    every setting, its value and what it is for
    kequ config my_name            one value, as it can be typed back
    kequ config my_name 张伟        set it

An unknown key or a value that does not fit is one line on stderr and exit 2 (the
refusal is a KequError from kequ.domain.settings; ``main`` prints it).
"""

from __future__ import annotations

import argparse

from kequ.cli.common import JsonFlag, MakeCommand, emit_json, open_db
from kequ.i18n import t

__all__ = ["add_config_command", "cmd_config"]


def cmd_config(args: argparse.Namespace) -> int:
    from kequ.domain.settings import SETTINGS, as_text, shown, spec_for

    # The key is checked before the database is opened: a typo changes nothing.
    spec = spec_for(args.key) if args.key is not None else None
    db = open_db(args)
    from kequ.services.settings import all_settings, set_setting

    if spec is not None and args.value is not None:
        value = set_setting(db, spec.key, args.value)
        if args.json:
            emit_json({"key": spec.key, "value": value})
        else:
            print(t("settings.cli.saved", label=spec.label(), setting=spec.key, value=shown(spec, value)))
        return 0
    values = all_settings(db)
    if spec is not None:
        if args.json:
            emit_json({"key": spec.key, "value": values[spec.key]})
        else:
            print(as_text(spec, values[spec.key]))
        return 0
    if args.json:
        emit_json(values)
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from kequ.inert import inert_text

    table = Table(title=t("settings.cli.title"), title_justify="left")
    for heading in ("settings.cli.col_key", "settings.cli.col_label", "settings.cli.col_value"):
        table.add_column(t(heading))
    for each in SETTINGS:
        value = Text(inert_text(shown(each, values[each.key])), overflow="fold")
        table.add_row(Text(each.key), Text(each.label()), value)
    console = Console(highlight=False)
    console.print(table)
    console.print(Text(t("settings.cli.how")))
    return 0


def add_config_command(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``config`` to the ``kequ`` parser."""
    p = command("config", cmd_config)
    p.add_argument("key", nargs="?", metavar="KEY", help=t("settings.cli.help_key"))
    p.add_argument("value", nargs="?", metavar="VALUE", help=t("settings.cli.help_value"))
    json_flag(p)
