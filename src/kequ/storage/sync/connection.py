"""Connecting to the team's PostgreSQL: the parameters (TLS checked off a local socket) and
the one-line refusals for a URL that is wrong, a server that is down, a password that is not.

psycopg is imported here, inside the functions: a laptop without the ``team`` extra runs
every other command as before.
"""

from __future__ import annotations

from typing import Any

from kequ.errors import KequError

# libpq's own defaults otherwise: a team server far away should not hang a sync for minutes.
CONNECT_TIMEOUT = "10"


def driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise KequError("team.no_driver") from None
    return psycopg


def connect_params(url: str) -> dict[str, str]:
    """The libpq parameters for ``url`` (a postgresql:// URL or a key=value string).

    The server's certificate is verified against its name (``sslmode=verify-full``) unless
    the URL says otherwise: always, since the host may come from outside the URL (PGHOST, a
    service file) where no check of ours sees it; libpq ignores it on a unix socket.
    """
    psycopg = driver()
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise KequError("team.bad_url") from None
    ports = str(params.get("port", "")).split(",")
    if not url.strip() or not params or not all(port.isdigit() for port in ports if port):
        raise KequError("team.bad_url")
    params.setdefault("sslmode", "verify-full")
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    params.setdefault("application_name", "kequ")
    return {key: str(value) for key, value in params.items()}


def _where(params: dict[str, str]) -> str:
    """Where we tried to connect, without the password."""
    host = params.get("host") or "localhost"
    return f"{params.get('user', '')}@{host}:{params.get('port', '5432')}/{params.get('dbname', '')}"


def connect(url: str, *, autocommit: bool = True) -> Any:
    """An open psycopg connection, or a KequError with the one line to show.

    In autocommit mode: push, pull and the admin's commands each open the one transaction
    they need (``conn.transaction()``), which commits when it ends."""
    psycopg = driver()
    params = connect_params(url)
    try:
        return psycopg.connect(autocommit=autocommit, **params)  # type: ignore[arg-type]
    except psycopg.Error as error:
        raise KequError(_refusal_key(error), where=_where(params)) from None


def _refusal_key(error: Exception) -> str:
    state = getattr(error, "sqlstate", None)
    text = str(error).lower()
    if state == "28P01" or "password authentication failed" in text or "no password supplied" in text:
        return "team.wrong_password"
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return "team.no_database"
    if (
        state in ("28000", "42501")
        or "no pg_hba.conf entry" in text
        or "permission denied for database" in text
        or ("role" in text and "does not exist" in text)
    ):
        return "team.not_allowed"
    if "certificate" in text or "ssl" in text:
        return "team.tls_failed"
    return "team.server_down"
