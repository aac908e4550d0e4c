"""Whole rows on the wire, for pushing: every column of the laptop's table with a plain value."""

from __future__ import annotations

import uuid
from typing import Any

from kequ.storage.sync.server_schema import spec

AT = "2026-11-23T01:00:00.000000Z"
_PLAIN: dict[str, object] = {
    "text": "",
    "bigint": 1,
    "boolean": False,
    "jsonb": [],
    "date": "2026-11-23",
    "timestamptz": AT,
}


def new_uid() -> str:
    return str(uuid.uuid4())


def whole(table: str, **fields: object) -> dict[str, object]:
    """A whole row of ``table``: the fields given, a plain value for every other NOT NULL column."""
    s = spec(table)
    row: dict[str, object] = {}
    for name, pg in s.columns.items():
        row[name] = _PLAIN[pg] if name in s.not_null and pg != "uuid" else None
    if "data" in row:
        row["data"] = {}
    row.update(fields)
    return row


def put(
    table: str, uid: str, fields: dict[str, object], at: str = AT, customer_uid: str | None = None
) -> dict[str, Any]:
    return {
        "table": table,
        "uid": uid,
        "op": "put",
        "at": at,
        "customer_uid": customer_uid if customer_uid is not None else fields.get("customer_uid"),
        "fields": fields,
    }


def delete(table: str, uid: str, at: str = AT) -> dict[str, Any]:
    return {"table": table, "uid": uid, "op": "delete", "at": at, "customer_uid": None}
