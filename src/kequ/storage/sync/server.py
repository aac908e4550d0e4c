"""The team server's side of a sync: ``push`` a laptop's changes, ``pull`` the changes it has
not seen, ``visible_customers``; and an admin's ``transfer``.

Everything runs as the connected login role, so row-level security decides what is seen and
what may be written; this module adds the merge rules on top (docs/team.md):

- contacts, gifts and complaint steps are only appended: a put of a uid already there is
  accepted unchanged, a delete refused;
- a customer's fields merge one by one, the later ``at`` wins, and a field that lost is
  reported as a Conflict; other rows are merged the same way with the row's own time;
- a row the user may not write is refused ("not_yours"), never dropped;
- a change to a pool (公海) customer, or to a row under one, claims the customer first.

Every writer holds one advisory lock shared from its first stamped row to its commit (the
stamp_lock statement trigger takes it, so plain SQL too); a pull takes it exclusively just long enough to
take its snapshot, so it never sees a later seq committed while an earlier one is still on
its way: the cursor skips nothing. Pushes and transfers also take it exclusively, one at a time.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from kequ.errors import KequError
from kequ.storage.sync import server_schema
from kequ.storage.sync.connection import connect, connect_params
from kequ.storage.sync.server_schema import APPEND_ONLY, SCHEMA, SYNCED, spec

__all__ = ["Conflict", "PushResult", "connect", "connect_params", "pull", "push", "transfer", "visible_customers"]

_SYNC_LOCK = server_schema.SYNC_LOCK
# Reasons a change is refused (the laptop keeps the row and reports it).
NOT_YOURS = "not_yours"
INVALID = "invalid"
APPEND_ONLY_REASON = "append_only"
DELETED = "deleted"
UNKNOWN_TABLE = "unknown_table"
UNKNOWN_COLUMN = "unknown_column"
# How far ahead of the server's clock a laptop's "at" may be; later times count as this.
CLOCK_ALLOWANCE = "5 minutes"


@dataclass(frozen=True)
class Conflict:
    table: str
    uid: str
    field: str
    mine: object  # the value the laptop sent, which lost
    theirs: object  # the value the server keeps
    their_at: str  # when the server's value was written (UTC ISO)


@dataclass
class PushResult:
    accepted: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def iso(moment: datetime) -> str:
    """The wire's datetime: UTC, microseconds, Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _moment(text: object) -> datetime:
    if not isinstance(text, str):
        raise _Refused(INVALID)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Refused(INVALID) from None
    if moment.tzinfo is None:
        raise _Refused(INVALID)
    return moment.astimezone(UTC)


def _from_db(pg: str, value: object) -> object:
    """A server value as the wire has it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


_WIRE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
# A uid the way every laptop writes one (lower-case, hyphens): taken as it is, without uuid.UUID.
_WIRE_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(value: object) -> str:
    """A uid in its canonical form (ValueError for anything that is not one)."""
    if isinstance(value, str) and _WIRE_UUID.fullmatch(value):
        return value
    return str(uuid.UUID(str(value)))


# What a JSON value must be for a column of each type (a bool is no number here).
_JSON_KINDS: dict[str, tuple[type, ...]] = {"bigint": (int,), "boolean": (bool,), "text": (str,)}


def _normal(pg: str, value: object) -> object:
    """A wire value written the way the server gives it back (to compare, and to store)."""
    if value is None:
        return None
    try:
        if pg == "timestamptz":
            # The laptop's own form (UTC, microseconds, Z) is already the server's: a first
            # sync carries a million of them.
            if isinstance(value, str) and _WIRE_TIME.fullmatch(value):
                return value
            return iso(_moment(value))
        if pg == "date":
            return date.fromisoformat(str(value)).isoformat()
        if pg == "uuid":
            return _uuid(value)
    except (ValueError, TypeError):
        raise _Refused(INVALID) from None
    kinds = _JSON_KINDS.get(pg)
    if kinds is not None and (not isinstance(value, kinds) or (pg == "bigint" and isinstance(value, bool))):
        raise _Refused(INVALID)
    return value


def _param(pg: str, value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if pg == "jsonb" and value is not None else value


def _row(conn: Any, table: str, uid: str) -> dict[str, Any] | None:
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(f"SELECT * FROM {SCHEMA}.{table} WHERE uid = %s", (uid,)).fetchone()


def _taken(conn: Any, table: str, uid: str) -> bool:
    return bool(conn.execute(f"SELECT {SCHEMA}.uid_taken(%s, %s)", (table, uid)).fetchone()[0])


def _claim(conn: Any, customer_uid: str) -> None:
    """Take a pool customer: owner becomes the current user (a trigger writes the history)."""
    conn.execute(f"UPDATE {SCHEMA}.customer SET owner = current_user WHERE uid = %s AND owner IS NULL", (customer_uid,))


def _claim_if_pool(conn: Any, customer_uid: object) -> None:
    """Claim the row's customer when it is in the pool; refuse a row under a deleted customer."""
    if customer_uid is None:
        return
    found = conn.execute(
        f"SELECT owner, deleted FROM {SCHEMA}.customer WHERE uid = %s", (str(customer_uid),)
    ).fetchone()
    if found is not None and found[1]:
        raise _Refused(DELETED)
    if found is not None and found[0] is None:
        _claim(conn, str(customer_uid))


def _fields(table: str, change: dict[str, Any]) -> dict[str, object]:
    s = spec(table)
    fields = change.get("fields")
    if not isinstance(fields, dict):
        raise _Refused(INVALID)
    unknown = set(fields) - set(s.columns)
    if unknown - server_schema.SERVER_ONLY:
        raise _Refused(UNKNOWN_COLUMN)
    # The server's own columns (owner above all) are never the laptop's to set. A text, number
    # or boolean of the right kind is stored as it came (most of a first sync's fields).
    columns, kinds, normal = s.columns, _JSON_KINDS, {}
    for name, value in fields.items():
        pg = columns.get(name)
        if pg is None:
            continue
        kind = kinds.get(pg)
        if value is None or (kind is not None and type(value) in kind):
            normal[name] = value
        else:
            normal[name] = _normal(pg, value)
    return normal


def _customer_of(conn: Any, table: str, fields: dict[str, object], row: dict[str, Any] | None) -> object:
    if row is not None and "customer_uid" in row:
        return row["customer_uid"]
    if table == "complaint_step":
        found = conn.execute(
            f"SELECT customer_uid FROM {SCHEMA}.complaint WHERE uid = %s", (fields.get("complaint_uid"),)
        ).fetchone()
        return None if found is None else found[0]
    return fields.get("customer_uid")


def _insert(conn: Any, table: str, uid: str, fields: dict[str, object], at: datetime) -> None:
    s = spec(table)
    if s.not_null - set(fields):
        raise _Refused(INVALID)
    values: dict[str, object] = {"uid": uid, "changed_at": at}
    casts = {"uid": "uuid", "changed_at": "timestamptz"}
    for name, value in fields.items():
        values[name] = _param(s.columns[name], value)
        casts[name] = s.columns[name]
    if table == "customer":
        values["field_times"] = json.dumps({name: iso(at) for name in fields})
        casts["field_times"] = "jsonb"
    columns = ", ".join(f'"{name}"' for name in values)
    placeholders = ", ".join(f"%({name})s::{casts[name]}" for name in values)
    if table == "customer":  # a new customer is its writer's
        columns += ", owner"
        placeholders += ", current_user"
    conn.execute(f"INSERT INTO {SCHEMA}.{table} ({columns}) VALUES ({placeholders})", values)


def _merge(
    conn: Any, table: str, row: dict[str, Any], fields: dict[str, object], at: datetime, result: PushResult
) -> None:
    """Per field, the later write wins; a field the laptop lost is a Conflict."""
    s = spec(table)
    times: dict[str, str] = dict(row.get("field_times") or {})
    changed_at: datetime = row["changed_at"]
    updates: dict[str, object] = {}
    later_same = False  # the same value, written later: its time counts all the same
    for name, value in fields.items():
        current = _from_db(s.columns[name], row[name])
        their_at = _moment(times[name]) if name in times else changed_at
        if value == current:
            if at > their_at:
                later_same = True
                times[name] = iso(at)
            continue
        if at >= their_at:
            updates[name] = value
            times[name] = iso(at)
        else:
            result.conflicts.append(Conflict(table, str(row["uid"]), name, value, current, iso(their_at)))
    if not updates and not later_same:
        return
    sets = [f'"{name}" = %({name})s::{s.columns[name]}' for name in updates]
    values = {name: _param(s.columns[name], value) for name, value in updates.items()}
    values |= {"uid": str(row["uid"]), "at": at}
    sets.append("changed_at = greatest(changed_at, %(at)s)")
    if table == "customer":
        sets.append("field_times = %(times)s::jsonb")
        values["times"] = json.dumps(times)
    done = conn.execute(f"UPDATE {SCHEMA}.{table} SET {', '.join(sets)} WHERE uid = %(uid)s", values)
    if not done.rowcount:
        raise _Refused(NOT_YOURS)


def _may_write_customer(conn: Any, row: dict[str, Any]) -> bool:
    owner = row["owner"]
    if owner is None:
        return False
    me, manager = conn.execute(f"SELECT current_user, {SCHEMA}.is_manager()").fetchone()
    return owner == me or bool(manager)


def _delete(conn: Any, table: str, row: dict[str, Any], at: datetime) -> None:
    if row["deleted"]:
        return
    if table in APPEND_ONLY:
        raise _Refused(APPEND_ONLY_REASON)
    if table == "customer" and not _may_write_customer(conn, row):
        raise _Refused(NOT_YOURS)
    done = conn.execute(
        f"UPDATE {SCHEMA}.{table} SET deleted = true, changed_at = greatest(changed_at, %s) WHERE uid = %s",
        (at, str(row["uid"])),
    )
    if not done.rowcount:
        raise _Refused(NOT_YOURS)
    if table == "customer":  # what was under it goes with it, on every laptop
        for child in _customer_tables():
            conn.execute(
                f"UPDATE {SCHEMA}.{child} SET deleted = true WHERE customer_uid = %s AND NOT deleted",
                (str(row["uid"]),),
            )


def _customer_tables() -> list[str]:
    return [name for name in SYNCED if name != "customer" and spec(name).has_customer]


def _setting_row(conn: Any, fields: dict[str, object]) -> dict[str, Any] | None:
    """A user's setting is one row per key, whichever laptop made it first."""
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT * FROM {SCHEMA}.setting WHERE owner = current_user AND key = %s AND NOT deleted",
            (fields.get("key"),),
        ).fetchone()


def _aliased_setting(conn: Any, uid: str) -> dict[str, Any] | None:
    """The setting row a laptop's uid was merged into (see _apply)."""
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT s.* FROM {SCHEMA}.setting s JOIN {SCHEMA}.setting_alias a ON a.setting_uid = s.uid"
            " WHERE a.uid = %s",
            (uid,),
        ).fetchone()


def _apply(conn: Any, change: dict[str, Any], result: PushResult, latest: datetime) -> None:
    table, op = change.get("table"), change.get("op")
    if table not in SYNCED:
        raise _Refused(UNKNOWN_TABLE)
    if op not in ("put", "delete"):
        raise _Refused(INVALID)
    try:
        uid = str(uuid.UUID(str(change.get("uid"))))
    except ValueError:
        raise _Refused(INVALID) from None
    at = min(_moment(change.get("at")), latest)  # a laptop's clock in the future wins nothing later
    row = _row(conn, table, uid)
    if row is None and _taken(conn, table, uid):
        raise _Refused(NOT_YOURS)
    if table == "setting" and row is None and op == "delete":
        row = _aliased_setting(conn, uid)
    if op == "delete":
        if row is not None:
            _delete(conn, table, row, at)
        return
    fields = _fields(table, change)
    if table == "setting" and row is None:
        row = _setting_row(conn, fields)
        if row is not None:  # this laptop's uid for the key: a delete under it reaches the row
            conn.execute(
                f"INSERT INTO {SCHEMA}.setting_alias (uid, setting_uid) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (uid, row["uid"]),
            )
    if row is None:
        _claim_if_pool(conn, _customer_of(conn, table, fields, None))
        _insert(conn, table, uid, fields, at)
        return
    if table in APPEND_ONLY:
        return  # already there: contacts, gifts and complaint steps are never rewritten
    if row["deleted"]:
        raise _Refused(DELETED)
    _claim_if_pool(conn, row["uid"] if table == "customer" else _customer_of(conn, table, fields, row))
    if table == "customer":
        row = _row(conn, table, uid) or row  # the claim changed its owner
    _merge(conn, table, row, fields, at, result)


def _order(changes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Puts before deletes; a customer before what is under it, a trip before its visits."""
    rank = {name: i for i, name in enumerate(SYNCED)}

    def key(change: dict[str, Any]) -> tuple[int, int]:
        position = rank.get(str(change.get("table")), len(rank))
        return (0, position) if change.get("op") != "delete" else (1, -position)

    return sorted(changes, key=key)


def push(conn: Any, changes: Sequence[dict[str, Any]]) -> Any:
    """Apply a laptop's changes in one transaction; each change is accepted or refused on its own.

    New rows (a first sync is nothing else) go in table by table with one statement each
    (``_insert_new``); what that cannot take, and every other change, goes one by one in a
    savepoint of its own."""
    result = PushResult()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SYNC_LOCK,))
        latest = conn.execute(f"SELECT now() + interval '{CLOCK_ALLOWANCE}'").fetchone()[0]
        ordered = _order(changes)
        done: set[int] = set()
        by_table: dict[object, list[dict[str, Any]]] = {}
        for change in ordered:
            if change.get("op") == "put" and change.get("table") in _BULK:
                by_table.setdefault(change.get("table"), []).append(change)
        remember = _remembering(conn) if by_table else False
        for table in SYNCED:
            if table in by_table:
                done |= _insert_new(conn, table, by_table[table], result, latest, remember)
        for change in ordered:
            if id(change) not in done:
                _apply_one(conn, change, result, latest)
    return result


def _apply_one(conn: Any, change: dict[str, Any], result: PushResult, latest: datetime) -> None:
    import psycopg

    uid = str(change.get("uid"))
    try:
        with conn.transaction():  # a savepoint: a refusal undoes only its own change
            _apply(conn, change, result, latest)
    except _Refused as refusal:
        result.refused.append((uid, refusal.reason))
    except psycopg.errors.InsufficientPrivilege:
        result.refused.append((uid, NOT_YOURS))
    except (psycopg.errors.IntegrityError, psycopg.errors.DataError):
        result.refused.append((uid, INVALID))
    else:
        result.accepted.append(uid)


# Tables whose new rows go in together. A setting is matched by its key: those go one by one.
_BULK = frozenset(SYNCED) - {"setting"}
# This session's own inserts (seq), which pull(skip_pushed=True) does not send back.
_PUSHED = "pg_temp.kequ_pushed"


def _at_text(text: object, latest: datetime, latest_text: str) -> str:
    """A change's "at" on the wire, capped at ``latest`` (a laptop's clock in the future wins
    nothing later). The wire's own form compares as text (fixed width, UTC): no parsing."""
    if isinstance(text, str) and _WIRE_TIME.fullmatch(text):
        return min(text, latest_text)
    return iso(min(_moment(text), latest))


def _insert_new(
    conn: Any, table: str, puts: list[dict[str, Any]], result: PushResult, latest: datetime, remember: bool
) -> set[int]:
    """Insert the whole new rows among ``puts`` all at once; returns the changes it accepted
    (their id()s). Any other put, and every one of them when the statement fails (a row
    under someone else's customer, a uid someone else has), is left to the one-by-one path."""
    import psycopg

    uids: dict[str, dict[str, Any]] = {}
    for change in puts:
        try:
            uids[_uuid(change.get("uid"))] = change
        except ValueError:
            continue
    if not uids:
        return set()
    # Those already here are updates (one by one, below); one the user cannot see makes the
    # insert fail, and then each goes on its own too.
    here = {
        str(u) for (u,) in conn.execute(f"SELECT uid FROM {SCHEMA}.{table} WHERE uid = ANY(%s::uuid[])", (list(uids),))
    }
    rows: list[tuple[str, dict[str, object], str]] = []
    s = spec(table)
    latest_text = iso(latest)
    for uid, change in uids.items():
        if uid in here:
            continue
        try:
            fields, at = _fields(table, change), _at_text(change.get("at"), latest, latest_text)
        except _Refused:
            continue  # the one-by-one path says why (it may be someone else's row)
        if not s.not_null - set(fields):
            rows.append((uid, fields, at))
    if not rows:
        return set()
    if s.has_customer:
        customer_of = _customers_of(conn, table, rows)
        wanted = list({customer for customer in customer_of.values() if customer})
        # A row under a deleted customer is refused, one by one, below.
        gone = {
            str(u)
            for (u,) in conn.execute(
                f"SELECT uid FROM {SCHEMA}.customer WHERE uid = ANY(%s::uuid[]) AND deleted", (wanted,)
            )
        }
        rows = [row for row in rows if customer_of[row[0]] not in gone]
        if not rows:
            return set()
        pool = conn.execute(
            f"SELECT uid FROM {SCHEMA}.customer WHERE uid = ANY(%s::uuid[]) AND owner IS NULL AND NOT deleted",
            (wanted,),
        ).fetchall()
        for (customer_uid,) in pool:
            _claim(conn, str(customer_uid))
    try:
        with conn.transaction():
            _insert_many(conn, table, rows, remember)
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.IntegrityError, psycopg.errors.DataError):
        return set()  # one of them is not the user's to write (or not new): each on its own, below
    result.accepted.extend(str(uids[uid].get("uid")) for uid, _, _ in rows)
    return {id(uids[uid]) for uid, _, _ in rows}


def _customers_of(conn: Any, table: str, rows: list[tuple[str, dict[str, object], str]]) -> dict[str, str | None]:
    """uid → the customer each new row is under (a complaint step: its complaint's, as the
    step_customer trigger will set it)."""
    if table != "complaint_step":
        return {
            uid: None if fields.get("customer_uid") is None else str(fields["customer_uid"]) for uid, fields, _ in rows
        }
    complaints = list({str(fields["complaint_uid"]) for _, fields, _ in rows if fields.get("complaint_uid")})
    found = {
        str(complaint): None if customer is None else str(customer)
        for complaint, customer in conn.execute(
            f"SELECT uid, customer_uid FROM {SCHEMA}.complaint WHERE uid = ANY(%s::uuid[])", (complaints,)
        )
    }
    return {uid: found.get(str(fields.get("complaint_uid"))) for uid, fields, _ in rows}


def _remembering(conn: Any) -> bool:
    """Whether this session may keep the seqs of its own inserts (a temporary table of its own)."""
    allowed = bool(conn.execute("SELECT has_database_privilege(current_database(), 'TEMPORARY')").fetchone()[0])
    if allowed:
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_PUSHED.split('.')[1]} (seq bigint PRIMARY KEY)")
    return allowed


def _insert_many(conn: Any, table: str, rows: list[tuple[str, dict[str, object], str]], remember: bool) -> None:
    """``_insert`` for many rows in one statement: the rows go as one JSON array, read back
    with the table's own column types (jsonb_populate_recordset). With ``remember``, the seqs
    they took go into this session's kequ_pushed in the same statement: the rows are on the
    laptop as sent."""
    s = spec(table)
    customer = table == "customer"
    records: list[dict[str, object]] = []
    for uid, fields, at in rows:
        record: dict[str, object] = {"uid": uid, "changed_at": at, **fields}
        if customer:
            record["field_times"] = dict.fromkeys(fields, at)
        records.append(record)
    names = ["uid", "changed_at", *s.columns, *(["field_times"] if customer else [])]
    # A column a row leaves out is the table's default there, as in _insert: a null in a
    # NOT NULL column was refused before.
    sent = [name for name in names if any(name in record for record in records)]
    columns = ", ".join(f'"{name}"' for name in sent)
    picked = ", ".join(f'r."{name}"' for name in sent)
    owner = (", owner", ", current_user") if customer else ("", "")
    insert = (
        f"INSERT INTO {SCHEMA}.{table} ({columns}{owner[0]})"
        f" SELECT {picked}{owner[1]} FROM jsonb_populate_recordset(NULL::{SCHEMA}.{table}, %s::jsonb) AS r"
    )
    if remember:
        insert = f"WITH added AS ({insert} RETURNING seq) INSERT INTO {_PUSHED} SELECT seq FROM added"
    conn.execute(insert, (json.dumps(records, ensure_ascii=False),))


def pull(conn: Any, since: int, *, skip_pushed: bool = False) -> tuple[list[dict[str, Any]], int]:
    """Every change the user may see with a seq above ``since`` (tombstones too), oldest first,
    and the cursor to pull from next time.

    ``skip_pushed``: leave out the rows this connection's own pushes inserted and nobody has
    changed since (the laptop that pushed them has them as it sent them: a first sync does
    not bring the whole book back down); the cursor still moves past them."""
    import psycopg
    from psycopg.rows import dict_row

    changes: list[dict[str, Any]] = []
    newest = since
    # Wait until no writer is between its stamp and its commit, and take the snapshot then
    # (REPEATABLE READ: one snapshot, at the first statement); writers go on meanwhile.
    own = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if own:
        conn.execute("SELECT pg_advisory_lock(%s)", (_SYNC_LOCK,))
    locked = own
    try:
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            if own:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cur.execute("SELECT pg_advisory_unlock(%s)", (_SYNC_LOCK,))  # the snapshot is taken here
                locked = False
            else:  # inside the caller's transaction: writers wait until it ends
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SYNC_LOCK,))
            skip = skip_pushed and cur.execute("SELECT to_regclass(%s) AS t", (_PUSHED,)).fetchone()["t"] is not None
            if skip:
                for table in SYNCED:
                    top = cur.execute(f"SELECT max(seq) AS m FROM {SCHEMA}.{table} WHERE seq > %s", (since,)).fetchone()
                    newest = max(newest, top["m"] or since)
            _read_changes(cur, since, changes, skip)
            if skip:
                cur.execute(f"DELETE FROM {_PUSHED} WHERE seq <= %s", (newest,))
    finally:
        if locked and not conn.closed:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SYNC_LOCK,))
    changes.sort(key=lambda change: change["seq"])
    return changes, max([newest, *(change["seq"] for change in changes)])


def _read_changes(cur: Any, since: int, changes: list[dict[str, Any]], skip_pushed: bool) -> None:
    unless = f" AND NOT EXISTS (SELECT 1 FROM {_PUSHED} p WHERE p.seq = t.seq)" if skip_pushed else ""
    for table in SYNCED:
        s = spec(table)
        for row in cur.execute(f"SELECT * FROM {SCHEMA}.{table} t WHERE seq > %s{unless}", (since,)):
            change: dict[str, Any] = {
                "table": table,
                "uid": str(row["uid"]),
                "op": "delete" if row["deleted"] else "put",
                "at": iso(row["changed_at"]),
                "customer_uid": _from_db("uuid", row.get("uid" if table == "customer" else "customer_uid")),
                "seq": row["seq"],
                "changed_by": row["changed_by"],
            }
            if table == "customer":
                change["owner"] = row["owner"]
            if not row["deleted"]:
                change["fields"] = {name: _from_db(pg, row[name]) for name, pg in s.columns.items()}
            changes.append(change)


def visible_customers(conn: Any) -> set[str]:
    """The uids of every customer the user sees now (their own, the pool; a manager's team)."""
    with conn.transaction():
        return {str(uid) for (uid,) in conn.execute(f"SELECT uid FROM {SCHEMA}.customer WHERE NOT deleted")}


def _pick(conn: Any, source: str, wanted: str) -> str:
    """A customer of ``source`` named by its uid or by its exact name (which must be unique)."""
    try:
        key = str(uuid.UUID(wanted))
        rows = conn.execute(
            f"SELECT uid FROM {SCHEMA}.customer WHERE uid = %s AND owner = %s AND NOT deleted", (key, source)
        ).fetchall()
    except ValueError:
        rows = conn.execute(
            f"SELECT uid FROM {SCHEMA}.customer WHERE name = %s AND owner = %s AND NOT deleted", (wanted, source)
        ).fetchall()
    if len(rows) != 1:
        raise KequError("team.not_theirs" if not rows else "team.ambiguous", customer=wanted, name=source)
    return str(rows[0][0])


def transfer(conn: Any, source: str, target: str | None, customers: Sequence[str] | None) -> list[str]:
    """Give ``source``'s customers (all, or those named) to ``target`` (None: the pool), with
    everything under them; the history in kequ.ownership says who had them when. Every row
    moved takes a new seq, so the new owner's next pull brings it. Run by an admin."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SYNC_LOCK,))
    if customers is None:
        uids = [
            str(uid)
            for (uid,) in conn.execute(
                f"SELECT uid FROM {SCHEMA}.customer WHERE owner = %s AND NOT deleted ORDER BY seq", (source,)
            )
        ]
    else:
        uids = list(dict.fromkeys(_pick(conn, source, wanted) for wanted in customers))
    if not uids:
        return []
    # The record_owner trigger closes each customer's open history row and opens the new one.
    conn.execute(f"UPDATE {SCHEMA}.customer SET owner = %s WHERE uid = ANY(%s::uuid[])", (target, uids))
    for child in _customer_tables():  # the trigger gives each a new seq
        conn.execute(f"UPDATE {SCHEMA}.{child} SET seq = 0 WHERE customer_uid = ANY(%s::uuid[])", (uids,))
    return uids
