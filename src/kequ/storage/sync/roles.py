"""The team's PostgreSQL roles: two group roles (NOLOGIN) that the policies name, and one
login role per salesperson or manager, made by ``kequ team add-user``.

Role names are the cluster's, not one database's: two teams on one server share
``kequ_sales`` and ``kequ_manager``. What keeps them apart is the database: ``kequ team init``
revokes CONNECT from PUBLIC and ``add_user`` grants it to each login of the team, so a login
is a member of exactly one team (the one whose database it may connect to).
"""

from __future__ import annotations

import re
from typing import Any

from kequ.errors import KequError
from kequ.storage.sync.server_schema import MANAGER, SALES, SCHEMA

# Plain lower-case names: what a salesperson types in a URL without quoting.
_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
RESERVED = frozenset({SALES, MANAGER, "public", "postgres"})


def check_admin(conn: Any) -> None:
    """Refuse unless the connection may change roles and sees every row (a superuser, or a
    role with CREATEROLE and BYPASSRLS)."""
    row = conn.execute(
        "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    superuser, createrole, bypass = row
    if not (superuser or (createrole and bypass)):
        raise KequError("team.not_admin")


def ensure_group_roles(conn: Any) -> None:
    for role in (SALES, MANAGER):
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {role} NOLOGIN")
    conn.execute(f"GRANT {SALES} TO {MANAGER}")


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name) or name in RESERVED or name.startswith("pg_"):
        raise KequError("team.bad_name", name=name)
    return name


def add_user(conn: Any, name: str, password: str, manager: bool) -> None:
    """A login role in the sales (and, for a manager, the manager) group. Only the
    password's SCRAM verifier is sent: the password itself never reaches the server's log."""
    from psycopg import sql

    check_name(name)
    if not password:
        raise KequError("team.empty_password")
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None:
        raise KequError("team.user_exists", name=name)
    verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
    groups = [SALES, MANAGER] if manager else [SALES]
    conn.execute(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            sql.Identifier(name), sql.Literal(verifier), sql.SQL(", ").join(map(sql.Identifier, groups))
        )
    )
    database = conn.execute("SELECT current_database()").fetchone()[0]
    # TEMPORARY: a sync notes in a temporary table which rows it pushed, so the pull does not
    # bring them back down.
    conn.execute(
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), sql.Identifier(name))
    )


# A login of this team: it may connect to this database (init revoked CONNECT from PUBLIC).
_OF_TEAM = f"pg_has_role(r.oid, '{SALES}', 'MEMBER') AND has_database_privilege(r.oid, current_database(), 'CONNECT')"


def users(conn: Any) -> list[dict[str, object]]:
    """Every login of the team, locked (NOLOGIN) ones included: its name, whether a manager,
    how many customers it owns, whether it is locked.

    Someone who left is locked first and handed over after; the list is how an admin checks
    that nothing is left with them. An owner name with no role behind it any more (a role
    dropped before its customers were handed over) is listed as locked too.
    """
    rows = conn.execute(
        f"""
        SELECT r.rolname, pg_has_role(r.oid, '{MANAGER}', 'MEMBER'),
               (SELECT count(*) FROM {SCHEMA}.customer c WHERE c.owner = r.rolname AND NOT c.deleted),
               NOT r.rolcanlogin
        FROM pg_roles r
        WHERE {_OF_TEAM} AND NOT r.rolsuper AND r.rolname NOT IN ('{SALES}', '{MANAGER}')
        ORDER BY r.rolname
        """
    ).fetchall()
    listed = [
        {"name": name, "manager": bool(manager), "customers": int(count), "locked": bool(locked)}
        for name, manager, count, locked in rows
    ]
    known = {user["name"] for user in listed}
    owners = conn.execute(
        f"SELECT owner, count(*) FROM {SCHEMA}.customer WHERE owner IS NOT NULL AND NOT deleted GROUP BY owner"
    ).fetchall()
    listed += [
        {"name": owner, "manager": False, "customers": int(count), "locked": True}
        for owner, count in owners
        if owner not in known
    ]
    return sorted(listed, key=lambda user: str(user["name"]))


def pool_count(conn: Any) -> int:
    return int(
        conn.execute(f"SELECT count(*) FROM {SCHEMA}.customer WHERE owner IS NULL AND NOT deleted").fetchone()[0]
    )


def exists(conn: Any, name: str) -> bool:
    """A login of this team (not another team's on the same server)."""
    found = conn.execute(f"SELECT 1 FROM pg_roles r WHERE r.rolname = %s AND r.rolcanlogin AND {_OF_TEAM}", (name,))
    return found.fetchone() is not None


def may_give(conn: Any, name: str) -> bool:
    """A login a transfer may take customers from: one of this team's, locked (NOLOGIN, the
    first step when someone leaves) or not, or any name that owns customers here."""
    found = conn.execute(
        f"SELECT 1 FROM pg_roles r WHERE r.rolname = %s AND {_OF_TEAM}"
        f" UNION ALL SELECT 1 FROM {SCHEMA}.customer WHERE owner = %s LIMIT 1",
        (name, name),
    )
    return found.fetchone() is not None
