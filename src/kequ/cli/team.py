"""``kequ team init|add-user|transfer|users``: the team's PostgreSQL, administered with an
admin URL (a superuser, or a role with CREATEROLE and BYPASSRLS). docs/team.md walks through it.

A password is never printed: not the admin URL's, not a new user's.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from kequ.cli.common import JsonFlag, MakeCommand, emit_json
from kequ.errors import KequError
from kequ.i18n import t

PASSWORD_ENV = "KEQU_TEAM_PASSWORD"


def _server_errors(work: Callable[[], Any]) -> Any:
    """The server's own refusals (a connection lost, a permission missing) as one line."""
    import psycopg

    try:
        return work()
    except psycopg.OperationalError:
        raise KequError("team.connection_lost") from None
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise KequError("team.server_refused", detail=first) from None


def _needs_driver() -> None:
    from kequ.storage.sync.connection import driver

    driver()


def cmd_init(args: argparse.Namespace) -> int:
    from kequ.services.team import init_team

    _needs_driver()
    result = _server_errors(lambda: init_team(args.server))
    if args.json:
        emit_json({"version": result.version, "applied": list(result.applied)})
    elif result.applied:
        print(t("team.initialised", version=result.version))
    else:
        print(t("team.already_initialised", version=result.version))
    return 0


def _typed_twice(name: str) -> str | None:
    """The password typed at the terminal, twice the same; None when there is no terminal."""
    if not sys.stdin.isatty():
        return None
    from getpass import getpass

    try:
        first, second = getpass(t("team.password_prompt", name=name)), getpass(t("team.password_again"))
    except EOFError:
        return None
    if first != second:
        raise KequError("team.password_mismatch")
    return first


def _new_password(name: str) -> str:
    """--password, else ``KEQU_TEAM_PASSWORD`` (a script), else asked at the terminal."""
    found = os.environ.get(PASSWORD_ENV) or _typed_twice(name)
    if found is None:
        raise KequError("team.password_needed", var=PASSWORD_ENV)
    return found


def cmd_add_user(args: argparse.Namespace) -> int:
    from kequ.services.team import add_user
    from kequ.storage.sync.roles import check_name

    _needs_driver()
    check_name(args.name)
    password = args.password if args.password is not None else _new_password(args.name)
    _server_errors(lambda: add_user(args.server, args.name, password, manager=args.manager))
    if args.json:
        emit_json({"name": args.name, "manager": args.manager})
    else:
        print(t("team.user_added_manager" if args.manager else "team.user_added", name=args.name))
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    from kequ.services.team import transfer

    _needs_driver()
    target = None if args.to_pool else args.to
    moved = _server_errors(lambda: transfer(args.server, args.source, target, None if args.all else args.customer))
    if args.json:
        emit_json({"from": args.source, "to": target, "customers": moved})
    elif target is None:
        print(t("team.transferred_to_pool", count=len(moved), source=args.source))
    else:
        print(t("team.transferred", count=len(moved), source=args.source, target=target))
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from kequ.services.team import list_users

    _needs_driver()
    users, pool = _server_errors(lambda: list_users(args.server))
    if args.json:
        emit_json({"users": users, "pool": pool})
        return 0
    for user in users:
        role = t("team.role_manager" if user["manager"] else "team.role_sales")
        line = t("team.user_line", name=user["name"], role=role, count=user["customers"])
        print(line + (t("team.locked") if user["locked"] else ""))
    print(t("team.pool_line", count=pool))
    return 0


def _server_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", metavar="ADMIN_URL", required=True, help=t("team.help.server"))


def add_team_command(command: MakeCommand, json_flag: JsonFlag) -> None:
    """Add ``team`` and its subcommands to the ``kequ`` parser."""
    team = command("team", cmd_users)
    team.set_defaults(writes="nothing")
    sub = team.add_subparsers(dest="team_command", metavar="SUBCOMMAND", required=True)

    def subcommand(name: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(f"team.help.{name}"), description=t(f"team.help.{name}"))
        p.set_defaults(handler=handler)
        _server_flag(p)
        json_flag(p)
        return p

    subcommand("init", cmd_init)
    p = subcommand("add-user", cmd_add_user)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--password", metavar="PW", help=t("team.help.password", var=PASSWORD_ENV))
    p.add_argument("--manager", action="store_true", help=t("team.help.manager"))
    p = subcommand("transfer", cmd_transfer)
    p.add_argument("--from", dest="source", metavar="NAME", required=True, help=t("team.help.from"))
    to = p.add_mutually_exclusive_group(required=True)
    to.add_argument("--to", metavar="NAME", help=t("team.help.to"))
    to.add_argument("--to-pool", action="store_true", help=t("team.help.to_pool"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help=t("team.help.all"))
    which.add_argument("--customer", metavar="UID|NAME", action="append", help=t("team.help.customer"))
    subcommand("users", cmd_users)
