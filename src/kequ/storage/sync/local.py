"""What comes down: pulled changes applied to the laptop's book, and the sync's own state.

Pulled changes are applied with recording off (``sync_state.record`` 0 inside the same
transaction), so they never go back up. A row named by a uid this laptop has is updated,
one it lacks is added; a tombstone deletes. A row with changes here not yet pushed keeps
them (for a customer, field by field): they go up next and the server merges. Contacts,
gifts and complaint steps are only ever added. Every function works on an open sqlite3
connection inside the caller's transaction (``transaction``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kequ.storage.sync.wire import APPEND_ONLY, NATURAL_KEYS, SYNCED, from_wire, table


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (the connection must be in autocommit mode: isolation_level None)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@dataclass(frozen=True, slots=True)
class SyncState:
    server_url: str | None
    user: str | None
    cursor: int
    last_synced_at: datetime | None
    recording: bool
    waiting: int  # rows with changes not yet on the server
    refused: int  # of which the server refused
    conflicts: int  # fields another device won, kept for showing


def state(conn: sqlite3.Connection) -> SyncState:
    url, user, cursor, last, record = conn.execute(
        "SELECT server_url, user_name, pull_cursor, last_synced_at, record FROM sync_state"
    ).fetchone()
    waiting = conn.execute("SELECT count(*) FROM (SELECT DISTINCT tbl, row_uid FROM sync_outbox)").fetchone()[0]
    refused = conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT tbl, row_uid FROM sync_outbox WHERE refused IS NOT NULL)"
    ).fetchone()[0]
    conflicts = conn.execute("SELECT count(*) FROM sync_conflict WHERE seen = 0").fetchone()[0]
    synced = datetime.fromisoformat(last).replace(tzinfo=UTC) if last else None
    return SyncState(url, user, cursor, synced, bool(record), waiting, refused, conflicts)


def remember(conn: sqlite3.Connection, server_url: str, user: str) -> None:
    conn.execute("UPDATE sync_state SET server_url = ?, user_name = ?", (server_url, user))


def advance(conn: sqlite3.Connection, cursor: int) -> None:
    conn.execute("UPDATE sync_state SET pull_cursor = ?", (cursor,))


def synced_at(conn: sqlite3.Connection, moment: datetime) -> None:
    stored = moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    conn.execute("UPDATE sync_state SET last_synced_at = ?", (stored,))


@contextmanager
def _quiet(conn: sqlite3.Connection) -> Iterator[None]:
    """Recording off for the changes made inside (in the caller's transaction)."""
    was = conn.execute("SELECT record FROM sync_state").fetchone()[0]
    conn.execute("UPDATE sync_state SET record = 0")
    try:
        yield
    finally:
        conn.execute("UPDATE sync_state SET record = ?", (was,))


@dataclass(slots=True)
class Applied:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    kept_local: list[str] = field(default_factory=list)  # uids whose local changes were kept over the pull
    waiting_parent: list[dict[str, Any]] = field(default_factory=list)  # changes whose customer/trip is not here
    failed: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # changes the book refused, and why


def _pending(conn: sqlite3.Connection, name: str, uid: str) -> set[str] | None:
    """The columns of row ``uid`` changed here and not yet pushed: None when none, {"*"} for a whole row."""
    rows = conn.execute("SELECT op, changed FROM sync_outbox WHERE tbl = ? AND row_uid = ?", (name, uid)).fetchall()
    if not rows:
        return None
    columns: set[str] = set()
    for op, changed in rows:
        if op == "delete" or changed is None:
            return {"*"}
        columns.update(json.loads(changed))
    return columns


def apply(conn: sqlite3.Connection, changes: list[dict[str, Any]]) -> Applied:
    """Apply pulled changes (in the caller's transaction), without recording them."""
    result = Applied()
    ids: dict[tuple[str, str], int | None] = {}
    with _quiet(conn):
        later = []
        for change in changes:
            if not _apply_one(conn, change, result, ids):
                later.append(change)
        # A row pulled before its parent in the same batch: once more, now the parent is here.
        for change in later:
            if not _apply_one(conn, change, result, ids):
                result.waiting_parent.append(change)
    return result


def _local_id(conn: sqlite3.Connection, name: str, uid: str, ids: dict[tuple[str, str], int | None]) -> int | None:
    if (name, uid) not in ids:
        row = conn.execute(f"SELECT {table(name).key} FROM {name} WHERE uid = ?", (uid,)).fetchone()
        ids[(name, uid)] = row[0] if row else None
    return ids[(name, uid)]


def _apply_one(
    conn: sqlite3.Connection, change: dict[str, Any], result: Applied, ids: dict[tuple[str, str], int | None]
) -> bool:
    """False when a parent the row needs is not in the book (yet)."""
    name, uid = change["table"], change["uid"]
    if name not in SYNCED:
        result.failed.append((change, "unknown table"))
        return True
    spec = table(name)
    if change["op"] == "delete":
        cursor = conn.execute(f"DELETE FROM {name} WHERE uid = ?", (uid,))
        result.deleted += cursor.rowcount
        ids.pop((name, uid), None)
        conn.execute("DELETE FROM sync_outbox WHERE tbl = ? AND row_uid = ? AND op = 'put'", (name, uid))
        return True
    values: dict[str, object] = {}
    for wire, value in (change.get("fields") or {}).items():
        column = spec.by_wire.get(wire)
        if column is None:
            continue  # a column this laptop does not have (a newer server): not ours to store
        if column.parent:
            local = None if value is None else _local_id(conn, column.parent, str(value), ids)
            if value is not None and local is None and column.required:
                return False
            values[column.name] = local
        else:
            values[column.name] = from_wire(column, value)
    existing = _local_id(conn, name, uid, ids)
    try:
        if existing is not None:
            if name in APPEND_ONLY:
                return True
            waiting = _pending(conn, name, uid)
            if waiting is not None:
                if "*" in waiting or name != "customer":
                    result.kept_local.append(uid)
                    return True
                values = {column: value for column, value in values.items() if column not in waiting}
                result.kept_local.append(uid)
            if values:
                sets = ", ".join(f'"{column}" = ?' for column in values)
                conn.execute(f"UPDATE {name} SET {sets} WHERE uid = ?", (*values.values(), uid))
            result.updated += 1
            if name == "customer":
                _refresh_search_keys(conn, uid)
        else:
            columns = [*values, "uid"]
            verb = "INSERT OR REPLACE" if name in NATURAL_KEYS else "INSERT"
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" * len(columns))
            conn.execute(
                f"INSERT INTO {name} ({names}) VALUES ({marks})".replace("INSERT", verb, 1), (*values.values(), uid)
            )
            ids.pop((name, uid), None)
            result.added += 1
    except sqlite3.IntegrityError as error:
        result.failed.append((change, str(error)))
    return True


def _refresh_search_keys(conn: sqlite3.Connection, uid: str) -> None:
    """The customer's search keys from the fields it has now: the merge may have taken its
    name from one laptop and its city from another."""
    from kequ.domain.search import search_keys

    row = conn.execute(
        "SELECT name, honorific, company, phones, wechat, email, city, tags FROM customer WHERE uid = ?", (uid,)
    ).fetchone()
    name, honorific, company, phones, wechat, email, city, tags = row
    keys = search_keys(name, honorific, company, json.loads(phones), wechat, email, city, json.loads(tags))
    conn.execute("UPDATE customer SET search_keys = ? WHERE uid = ? AND search_keys IS NOT ?", (keys, uid, keys))


@dataclass(slots=True)
class Dropped:
    removed: list[str] = field(default_factory=list)  # names of the customers taken off this laptop
    kept: list[str] = field(default_factory=list)  # names of those kept: changes here not yet on the server


def _customers_with_changes(conn: sqlite3.Connection) -> set[str]:
    found = {row[0] for row in conn.execute("SELECT row_uid FROM sync_outbox WHERE tbl = 'customer'")}
    found |= {row[0] for row in conn.execute("SELECT customer_uid FROM sync_outbox WHERE customer_uid IS NOT NULL")}
    for name in SYNCED:
        if name != "customer" and "customer_id" in table(name).by_name:
            found |= {
                row[0]
                for row in conn.execute(
                    f"SELECT c.uid FROM sync_outbox o JOIN {name} r ON r.uid = o.row_uid"
                    " JOIN customer c ON c.id = r.customer_id WHERE o.tbl = ?",
                    (name,),
                )
            }
    found |= {
        row[0]
        for row in conn.execute(
            "SELECT c.uid FROM sync_outbox o JOIN complaint_step s ON s.uid = o.row_uid"
            " JOIN complaint p ON p.id = s.complaint_id JOIN customer c ON c.id = p.customer_id"
            " WHERE o.tbl = 'complaint_step'"
        )
    }
    return found


def drop_invisible(conn: sqlite3.Connection, visible: set[str]) -> Dropped:
    """Take off this laptop every customer the server no longer shows this user (transferred
    away), with everything under them, unless they have changes here not yet on the server:
    those are kept, and named, so nothing is lost."""
    result = Dropped()
    gone = [
        (uid, name) for uid, name in conn.execute("SELECT uid, name FROM customer ORDER BY id") if uid not in visible
    ]
    if not gone:
        return result
    changed = _customers_with_changes(conn)
    with _quiet(conn):
        for uid, name in gone:
            if uid in changed:
                result.kept.append(name)
                continue
            conn.execute("DELETE FROM customer WHERE uid = ?", (uid,))
            result.removed.append(name)
    return result


@dataclass(frozen=True, slots=True)
class Conflict:
    table: str
    uid: str
    customer: str | None  # the customer's name, when it is still here
    field: str | None
    mine: object
    theirs: object
    their_at: str


def conflicts(conn: sqlite3.Connection, *, unseen_only: bool = True) -> list[Conflict]:
    """The fields another device won, newest first, for showing."""
    rows = conn.execute(
        "SELECT k.tbl, k.row_uid, c.name, k.field, k.mine, k.theirs, k.their_at FROM sync_conflict k"
        " LEFT JOIN customer c ON c.uid = k.customer_uid"
        + (" WHERE k.seen = 0" if unseen_only else "")
        + " ORDER BY k.id DESC"
    ).fetchall()
    return [
        Conflict(t, u, n, f, json.loads(m or "null"), json.loads(h or "null"), a or "") for t, u, n, f, m, h, a in rows
    ]


def conflicts_seen(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE sync_conflict SET seen = 1 WHERE seen = 0")
