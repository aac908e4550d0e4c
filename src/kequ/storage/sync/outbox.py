"""What goes up: the outbox's pending changes as the contract's dicts, and what the server said.

The triggers of schema step 13 fill ``sync_outbox`` while recording is on; a put is read
from its row when it is pushed (its latest state), so several edits of one row between two
syncs go up as one change. Entries leave the outbox only once the server has answered for
them: a change it refused stays, with its reason, reported and tried again next time.
Every function here works on an open sqlite3 connection inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kequ.storage import clock
from kequ.storage.sync.wire import SYNCED, Table, iso_utc, table, to_wire

BATCH = 1000  # outbox entries per push: one transaction each on both sides
# Columns this laptop derives from others (kequ.domain.search): never a conflict to show.
DERIVED = frozenset({"search_keys"})


@dataclass(slots=True)
class Batch:
    changes: list[dict[str, Any]] = field(default_factory=list)
    entries: dict[str, list[int]] = field(default_factory=dict)  # outbox ids per uid
    last: int = 0  # the last outbox id read: the next batch starts after it
    gone: list[str] = field(default_factory=list)  # puts of rows deleted since (their tombstone follows)

    @property
    def ids(self) -> list[int]:
        return [i for ids in self.entries.values() for i in ids]


def start_recording(conn: sqlite3.Connection) -> int:
    """Queue every synced row once (the first sync pushes the whole book) and record from now on.
    Returns how many rows were queued; does nothing when recording already."""
    if conn.execute("SELECT record FROM sync_state").fetchone()[0]:
        return 0
    queued = 0
    for name in SYNCED:
        only = " WHERE builtin = 0" if name == "greeting_template" else ""
        key = table(name).key
        cursor = conn.execute(
            f"INSERT INTO sync_outbox (tbl, row_uid, op) SELECT ?, uid, 'put' FROM {name}{only} ORDER BY {key}",
            (name,),
        )
        queued += cursor.rowcount
    conn.execute("UPDATE sync_state SET record = 1")
    return queued


def waiting(conn: sqlite3.Connection) -> int:
    """How many rows have changes not yet on the server."""
    return conn.execute("SELECT count(*) FROM (SELECT DISTINCT tbl, row_uid FROM sync_outbox)").fetchone()[0]


def pending(conn: sqlite3.Connection, after: int = 0, limit: int = BATCH) -> Batch:
    """The next ``limit`` outbox entries after id ``after``, as changes (one per row, in the
    order the rows were first changed, so a customer goes up before what is under it)."""
    rows = conn.execute(
        "SELECT id, tbl, row_uid, op, changed, customer_uid FROM sync_outbox WHERE id > ? ORDER BY id LIMIT ?",
        (after, limit),
    ).fetchall()
    batch = Batch(last=rows[-1][0] if rows else after)
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for entry_id, name, uid, op, changed, customer_uid in rows:
        batch.entries.setdefault(uid, []).append(entry_id)
        seen = merged.setdefault((name, uid), {"op": op, "whole": False, "columns": set(), "customer_uid": None})
        seen["op"] = op
        if op == "delete":
            seen["customer_uid"] = customer_uid
        elif changed is None:
            seen["whole"] = True
        else:
            seen["columns"].update(json.loads(changed))
    stamp = clock.now().replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    puts: dict[str, dict[str, dict[str, Any]]] = {}
    for (name, uid), seen in merged.items():
        if seen["op"] == "put":
            puts.setdefault(name, {})[uid] = seen
    rows_by_uid = {name: _rows(conn, table(name), list(wanted)) for name, wanted in puts.items()}
    for (name, uid), seen in merged.items():
        if seen["op"] == "delete":
            change = {"table": name, "uid": uid, "op": "delete", "at": stamp, "customer_uid": seen["customer_uid"]}
            batch.changes.append(change)
            continue
        found = rows_by_uid[name].get(uid)
        if found is None:
            batch.gone.append(uid)
            continue
        fields, customer_uid, updated_at = found
        if name == "customer" and not seen["whole"]:
            keep = seen["columns"]
            fields = {wire: value for wire, value in fields.items() if _column_of(wire) in keep}
        at = updated_at or stamp
        batch.changes.append(
            {"table": name, "uid": uid, "op": "put", "at": at, "customer_uid": customer_uid, "fields": fields}
        )
    return batch


def _column_of(wire: str) -> str:
    return wire.removesuffix("_uid") + "_id" if wire.endswith("_uid") else wire


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rows(
    conn: sqlite3.Connection, spec: Table, uids: list[str]
) -> dict[str, tuple[dict[str, Any], str | None, str | None]]:
    """uid → (wire fields, its customer's uid, its updated_at on the wire) for the rows that still exist."""
    names = [column.name for column in spec.columns]
    found: dict[str, tuple[dict[str, Any], str | None, str | None]] = {}
    raw: list[tuple[str, dict[str, Any]]] = []
    for chunk in _chunks(uids):
        marks = ", ".join("?" * len(chunk))
        select = ", ".join(f'"{name}"' for name in names)
        for row in conn.execute(f"SELECT uid, {select} FROM {spec.name} WHERE uid IN ({marks})", tuple(chunk)):
            raw.append((row[0], dict(zip(names, row[1:], strict=True))))
    # Foreign keys: integer ids → uids, one query per parent table.
    parents: dict[str, dict[int, str]] = {}
    for column in spec.columns:
        if column.parent:
            ids = sorted({values[column.name] for _, values in raw if values[column.name] is not None})
            known = parents.setdefault(column.parent, {})
            known.update(_uids_of(conn, column.parent, [i for i in ids if i not in known]))
    step_customers: dict[int, str] = {}
    if spec.name == "complaint_step":
        ids = sorted({values["complaint_id"] for _, values in raw})
        for chunk in _chunks(ids):  # type: ignore[arg-type]
            marks = ", ".join("?" * len(chunk))
            step_customers.update(
                conn.execute(
                    "SELECT p.id, c.uid FROM complaint p JOIN customer c ON c.id = p.customer_id"
                    f" WHERE p.id IN ({marks})",
                    tuple(chunk),
                ).fetchall()
            )
    for uid, values in raw:
        fields: dict[str, Any] = {}
        for column in spec.columns:
            value = values[column.name]
            if value is None:
                fields[column.wire] = None
            elif column.parent:
                fields[column.wire] = parents[column.parent].get(value)
            elif column.kind in _AS_STORED:
                fields[column.wire] = value
            else:
                fields[column.wire] = to_wire(column, value)
        if spec.name == "customer":
            customer_uid: str | None = uid
        elif spec.name == "complaint_step":
            customer_uid = step_customers.get(values["complaint_id"])
        else:
            customer_uid = fields.get("customer_uid")
        updated = values.get("updated_at")
        found[uid] = (fields, customer_uid, iso_utc(updated) if updated else None)
    return found


# Kinds whose stored value is already the wire's (see wire.to_wire).
_AS_STORED = frozenset({"text", "int", "date"})


def _uids_of(conn: sqlite3.Connection, name: str, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(ids):  # type: ignore[arg-type]
        marks = ", ".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, uid FROM {name} WHERE id IN ({marks})", tuple(chunk)).fetchall())
    return found


def _field(item: object, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def settle(
    conn: sqlite3.Connection,
    batch: Batch,
    accepted: Iterable[str],
    refused: Iterable[tuple[str, str]],
    conflicts: Iterable[object] = (),
) -> None:
    """Take what the server accepted out of the outbox, keep what it refused (with its reason),
    and keep each field another device won for showing (kept in ``sync_conflict``)."""
    done = set(accepted) | set(batch.gone)
    customers = {change["uid"]: change.get("customer_uid") for change in batch.changes}
    for conflict in conflicts:
        uid = str(_field(conflict, "uid"))
        done.add(uid)
        if _field(conflict, "field") in DERIVED:
            continue  # rebuilt here from the fields that won: nothing for the user to see
        conn.execute(
            "INSERT INTO sync_conflict (tbl, row_uid, customer_uid, field, mine, theirs, their_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                _field(conflict, "table"),
                uid,
                customers.get(uid),
                _field(conflict, "field"),
                json.dumps(_field(conflict, "mine"), ensure_ascii=False, default=str),
                json.dumps(_field(conflict, "theirs"), ensure_ascii=False, default=str),
                str(_field(conflict, "their_at") or ""),
            ),
        )
    for uid, reason in refused:
        ids = batch.entries.get(str(uid), [])
        conn.executemany("UPDATE sync_outbox SET refused = ? WHERE id = ?", [(reason, i) for i in ids])
        done.discard(str(uid))
    gone = [i for uid in done for i in batch.entries.get(uid, [])]
    conn.executemany("DELETE FROM sync_outbox WHERE id = ?", [(i,) for i in gone])


def refused(conn: sqlite3.Connection) -> list[tuple[str, str, str, str | None]]:
    """(table, uid, reason, customer's name) of each row whose change the server refused,
    kept for the next sync."""
    rows = conn.execute(
        "SELECT DISTINCT o.tbl, o.row_uid, o.refused, c.name FROM sync_outbox o"
        " LEFT JOIN customer c ON c.uid = o.customer_uid"
        " WHERE o.refused IS NOT NULL ORDER BY o.tbl, o.row_uid"
    ).fetchall()
    return [(table, uid, reason, name or _customer_name(conn, table, uid)) for table, uid, reason, name in rows]


def _customer_name(conn: sqlite3.Connection, table: str, uid: str) -> str | None:
    """The name of the customer a row is under (the outbox names it for deletions only)."""
    if table == "customer":
        query = "SELECT name FROM customer WHERE uid = ?"
    elif table == "complaint_step":
        query = (
            "SELECT c.name FROM complaint_step s JOIN complaint p ON p.id = s.complaint_id"
            " JOIN customer c ON c.id = p.customer_id WHERE s.uid = ?"
        )
    elif any(column == "customer_id" for _, column, *_ in conn.execute(f"PRAGMA table_info({table})")):
        query = f"SELECT c.name FROM {table} r JOIN customer c ON c.id = r.customer_id WHERE r.uid = ?"
    else:
        return None  # a trip, a setting: nobody's
    found = conn.execute(query, (uid,)).fetchone()
    return found[0] if found else None
