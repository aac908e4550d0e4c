"""Syncing this laptop's book with the team's server: push what changed here, pull the rest.

Each batch goes in its own transaction on both sides and the server takes a uid twice
without harm, so a sync killed at any point loses nothing: the outbox keeps what the
server has not answered for, the pull cursor moves only with the rows it brought, and the
next sync finishes the work. The server (kequ.storage.sync.server, PostgreSQL) is reached
through a ``Remote``; tests may hand in another one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from kequ.errors import KequError
from kequ.i18n import catalogue, t
from kequ.storage import cipher, clock
from kequ.storage.database import Database
from kequ.storage.sync import local, outbox

PASSWORD_VAR = "KEQU_SYNC_PASSWORD"
KEYRING_SERVICE = "kequ-sync"
PULL_BATCH = 2000


class Remote(Protocol):
    def push(self, changes: list[dict[str, Any]]) -> Any: ...
    def pull(self, since: int) -> tuple[list[dict[str, Any]], int]: ...
    def visible_customers(self) -> set[str]: ...


@dataclass(slots=True)
class SyncReport:
    pushed: int = 0  # rows that went up
    pulled: int = 0  # changes that came down and were applied
    first: bool = False  # the book's first sync: everything went up
    removed: list[str] = field(default_factory=list)  # customers taken off this laptop (transferred away)
    kept: list[str] = field(default_factory=list)  # not visible any more, kept: changes here not yet up
    conflicts: list[local.Conflict] = field(default_factory=list)
    refused: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # (table, uid, reason, name)
    failed: int = 0  # pulled changes this book could not store
    waiting: int = 0  # rows still to go up after the sync

    def as_json(self) -> dict[str, object]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "first": self.first,
            "removed": self.removed,
            "kept": self.kept,
            "conflicts": [_conflict_json(c) for c in self.conflicts],
            "refused": [{"table": t, "uid": u, "reason": r, "customer": n} for t, u, r, n in self.refused],
            "failed": self.failed,
            "waiting": self.waiting,
        }

    def lines(self) -> list[str]:
        """What the sync did, one line each, as the command prints it and the app shows it."""
        up = t("sync.up", count=self.pushed) + (t("sync.first") if self.first else "")
        said = [up, t("sync.down", count=self.pulled)]
        said += [t("sync.removed", name=name) for name in self.removed]
        said += [t("sync.kept", name=name) for name in self.kept]
        said += [
            t(
                "sync.conflict",
                name=c.customer or c.uid[:8],
                field=_known(f"field.{c.field}", c.field or ""),
                mine=_value_text(c.field, c.mine),
                theirs=_value_text(c.field, c.theirs),
            )
            for c in self.conflicts
        ]
        said += [
            t(
                "sync.refused",
                what=_known(f"sync.table.{table}", table),
                name=name or uid[:8],
                reason=_known(f"sync.reason.{reason}", reason),
            )
            for table, uid, reason, name in self.refused
        ]
        if self.failed:
            said.append(t("sync.failed", count=self.failed))
        return said


def _known(key: str, fallback: str) -> str:
    """The catalogue's words for ``key``, or ``fallback`` (a column or reason this kequ does not name)."""
    return t(key) if key in catalogue() else fallback


def _value_text(name: str | None, value: object) -> str:
    """A field's value as the customer form shows it: 价格, 是, — rather than price, true, null."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("prompt.yes") if value else t("prompt.no")
    return _known(f"vocab.{name}.{value}", str(value))


def _conflict_json(c: local.Conflict) -> dict[str, object]:
    fields = ("table", "uid", "customer", "field", "mine", "theirs", "their_at")
    return {name: getattr(c, name) for name in fields}


@contextmanager
def _connection(db: Database) -> Iterator[Any]:
    conn = cipher.connect(db.path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        yield conn
    finally:
        conn.close()


def sync_state(db: Database) -> local.SyncState:
    with db.reader() as conn:
        return local.state(conn)


def sync(db: Database, remote: Remote, *, server_url: str, user: str, batch: int = outbox.BATCH) -> SyncReport:
    """One sync: remember the server, push every waiting change, pull what is new, drop the
    customers this user no longer sees (unless changed here), and stamp the time."""
    report = SyncReport()
    with _connection(db) as conn:
        with local.transaction(conn):
            local.remember(conn, server_url, user)
            report.first = outbox.start_recording(conn) > 0
        # Push: batch after batch until the outbox has nothing the server has not answered for.
        after = 0
        while True:
            pending = outbox.pending(conn, after, batch)
            if pending.last == after:
                break
            answer = remote.push(pending.changes) if pending.changes else None
            with local.transaction(conn):
                accepted = list(getattr(answer, "accepted", []) or [])
                refused = list(getattr(answer, "refused", []) or [])
                outbox.settle(conn, pending, accepted, refused, list(getattr(answer, "conflicts", []) or []))
            report.pushed += len(accepted)
            after = pending.last
        # Pull: applied a batch at a time, the cursor moving with each.
        cursor = local.state(conn).cursor
        changes, newest = remote.pull(cursor)
        waiting_parent: list[dict[str, Any]] = []
        for start in range(0, len(changes), PULL_BATCH):
            part = changes[start : start + PULL_BATCH]
            with local.transaction(conn):
                applied = local.apply(conn, waiting_parent + part)
                waiting_parent = applied.waiting_parent
                report.failed += len(applied.failed)
                top = max((int(c.get("seq") or 0) for c in part), default=cursor)
                local.advance(conn, max(top, cursor))
            report.pulled += len(part)
        visible = remote.visible_customers()
        with local.transaction(conn):
            if newest > local.state(conn).cursor:
                local.advance(conn, newest)
            dropped = local.drop_invisible(conn, visible)
            report.removed, report.kept = dropped.removed, dropped.kept
            local.synced_at(conn, clock.now())
        report.failed += len(waiting_parent)
        report.conflicts = local.conflicts(conn)
        with local.transaction(conn):
            local.conflicts_seen(conn)
        report.refused = outbox.refused(conn)
        report.waiting = outbox.waiting(conn)
    return report


# ------------------------------------------------------------------ the server and its password


@dataclass(frozen=True, slots=True)
class Login:
    url: str  # the server's URL without a password: what the book remembers
    user: str | None  # the user name the URL gives, if any
    password: str | None  # the password the URL gives, if any (used, never stored)


def split_login(server_url: str) -> Login:
    """The URL without its password, and the user and password written in it.

    ``postgresql://wang_li@db.example.com/kequ`` names its user, as docs/team.md tells a
    salesperson to type it; a password in the URL is used for this sync and never kept in
    the book. A key=value string is read by libpq's own rules."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    text = server_url.strip()
    if text.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(text)
        login, at, hosts = parts.netloc.rpartition("@")
        if not at:
            return Login(text, None, None)
        user, colon, password = login.partition(":")
        url = urlunsplit(parts._replace(netloc=f"{user}@{hosts}" if user else hosts))
        return Login(url, unquote(user) or None, unquote(password) if colon else None)
    try:
        from psycopg.conninfo import conninfo_to_dict, make_conninfo
    except ImportError:
        raise KequError("sync.no_driver") from None
    from psycopg import ProgrammingError

    try:
        params = conninfo_to_dict(text)
    except ProgrammingError:
        raise KequError("team.bad_url") from None
    password = params.pop("password", None)
    if password is None:
        return Login(text, str(params["user"]) if params.get("user") else None, None)
    return Login(make_conninfo(**params), str(params["user"]) if params.get("user") else None, str(password))


def stored_password(server_url: str, user: str) -> str | None:
    """KEQU_SYNC_PASSWORD, else the one kept in the system keyring (never an error)."""
    if os.environ.get(PASSWORD_VAR):
        return os.environ[PASSWORD_VAR]
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, f"{user}@{server_url}")
    except Exception:  # no keyring on this system: as if nothing was kept
        return None


def keep_password(server_url: str, user: str, password: str) -> bool:
    """Keep the password in the system keyring; False where there is none (it is asked next time)."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{user}@{server_url}", password)
    except Exception:
        return False
    return True


class ServerRemote:
    """The team's PostgreSQL, as the signed-in user (row-level security decides what is seen)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def push(self, changes: list[dict[str, Any]]) -> Any:
        from kequ.storage.sync import server

        return server.push(self.conn, changes)

    def pull(self, since: int) -> tuple[list[dict[str, Any]], int]:
        from kequ.storage.sync import server

        return server.pull(self.conn, since, skip_pushed=True)

    def visible_customers(self) -> set[str]:
        from kequ.storage.sync import server

        return server.visible_customers(self.conn)


@contextmanager
def server_remote(server_url: str, user: str, password: str | None) -> Iterator[ServerRemote]:
    try:
        from psycopg.conninfo import make_conninfo
    except ImportError:
        raise KequError("sync.no_driver") from None
    from kequ.storage.sync.connection import connect

    extra = {"user": user} | ({"password": password} if password else {})
    conn = connect(make_conninfo(server_url, **extra))
    try:
        yield ServerRemote(conn)
    finally:
        conn.close()
