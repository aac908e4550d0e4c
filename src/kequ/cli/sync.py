"""The ``sync`` subcommand: push this laptop's changes to the team's server and pull the rest.

kequ sync --server postgresql://db.example.cn/team --user wangfang   the first time
kequ sync                                                            afterwards (both remembered)

The password comes from KEQU_SYNC_PASSWORD, the system keyring, or the terminal (and is
then kept in the keyring where there is one); it is never written in the book.
"""

from __future__ import annotations

import argparse
import sys

from kequ.cli.common import JsonFlag, MakeCommand, emit_json, open_db
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_sync_command", "cmd_sync"]


def cmd_sync(args: argparse.Namespace) -> int:
    from kequ.services import sync as service

    db = open_db(args)
    state = service.sync_state(db)
    login = service.split_login(args.server or state.server_url or "")
    server_url = login.url
    user = (args.user or login.user or state.user or "").strip()
    if not server_url:
        raise KequError("sync.no_server")
    if not user:
        raise KequError("sync.no_user")
    password = login.password or service.stored_password(server_url, user)
    asked = login.password is not None  # kept in the keyring after the sync, as one typed
    if password is None and sys.stdin.isatty():
        import getpass

        password = getpass.getpass(t("sync.password_prompt", user=user))
        asked = True
    with service.server_remote(server_url, user, password) as remote:
        report = service.sync(db, remote, server_url=server_url, user=user)
    if asked and password:
        service.keep_password(server_url, user, password)
    if args.json:
        emit_json(report.as_json())
        return 0
    for line in report.lines():
        print(line)
    return 0


def add_sync_command(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``sync`` to the ``kequ`` parser."""
    p = command("sync", cmd_sync)
    p.add_argument("--server", metavar="URL", help=t("sync.help_server"))
    p.add_argument("--user", metavar="NAME", help=t("sync.help_user"))
    json_flag(p)
