"""The team's server, administered: ``kequ team init``, ``add-user``, ``transfer``, ``users``.

Each use case opens its own connection with the admin URL, checks the role is an admin,
does its work in one transaction and closes the connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kequ.errors import KequError
from kequ.storage.sync import roles, server, server_schema
from kequ.storage.sync.connection import connect

# Two inits at once wait for each other instead of both creating the schema.
_INIT_LOCK = 0x6B657175  # "kequ"


@contextmanager
def _admin(url: str, initialised: bool = True) -> Iterator[Any]:
    conn = connect(url)
    try:
        roles.check_admin(conn)
        if initialised and not schema_version(conn):
            raise KequError("team.not_initialised")
        with conn.transaction():
            yield conn
    finally:
        conn.close()


def schema_version(conn: Any) -> int:
    """The schema's version on this server; 0 when ``kequ team init`` was never run."""
    found = conn.execute("SELECT to_regclass(%s)", (f"{server_schema.SCHEMA}.version",)).fetchone()[0]
    if found is None:
        return 0
    return int(conn.execute(f"SELECT coalesce(max(version), 0) FROM {server_schema.SCHEMA}.version").fetchone()[0])


@dataclass(frozen=True)
class InitResult:
    version: int
    applied: tuple[int, ...]  # the versions this run applied (none: it was already there)


def init_team(url: str) -> InitResult:
    """Create (or bring up to date) schema ``kequ``: tables, sequence, triggers, roles, policies.
    Running it again changes nothing but the functions and policies, replaced by the same."""
    s = server_schema.SCHEMA
    with _admin(url, initialised=False) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
        roles.ensure_group_roles(conn)
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {s}.version"
            " (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        current = schema_version(conn)
        applied = []
        for version in sorted(server_schema.MIGRATIONS):
            if version <= current:
                continue
            for statement in server_schema.MIGRATIONS[version]():
                conn.execute(statement)
            conn.execute(f"INSERT INTO {s}.version (version) VALUES (%s)", (version,))
            applied.append(version)
        for statement in (
            *server_schema.functions_and_triggers(),
            *server_schema.policies(),
            *server_schema.grants(),
        ):
            conn.execute(statement)
        return InitResult(max(current, *applied) if applied else current, tuple(applied))


def add_user(url: str, name: str, password: str, manager: bool = False) -> None:
    with _admin(url) as conn:
        roles.add_user(conn, name, password, manager)


def list_users(url: str) -> tuple[list[dict[str, object]], int]:
    """(each login role with its customer count, the number of customers in the pool)."""
    with _admin(url) as conn:
        return roles.users(conn), roles.pool_count(conn)


def transfer(url: str, source: str, target: str | None, customers: Sequence[str] | None) -> list[str]:
    """Move ``source``'s customers (all of them, or those named) to ``target`` (None: the pool)."""
    with _admin(url) as conn:
        if not roles.may_give(conn, source):
            raise KequError("team.no_such_user", name=source)
        if target is not None and not roles.exists(conn, target):  # the new owner must be able to log in
            raise KequError("team.no_such_user", name=target)
        if source == target:
            raise KequError("team.same_user")
        return server.transfer(conn, source, target, customers)
