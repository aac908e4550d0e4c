"""The laptop's synced tables as the wire sees them (kequ's sync contract, docs/team.md).

A row on the wire has no integer id: it is named by its ``uid``, and each integer foreign
key ``x_id`` travels as ``x_uid``. Values are JSON-able: dates "YYYY-MM-DD", datetimes UTC
ISO with a Z, JSON columns as JSON, booleans as bool. The shapes come from the SQLModel
tables (kequ.storage.models), so a new column is synced without a change here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

# In the order the first sync queues them: a row's parents before it.
SYNCED = (
    "customer",
    "important_date",
    "touchpoint",
    "interaction",
    "cadence",
    "deal",
    "gift",
    "complaint",
    "complaint_step",
    "trip",
    "trip_visit",
    "trip_expense",
    "setting",
    "greeting_template",
)
# Rows that are only ever added: the server keeps the first version of a uid it has.
APPEND_ONLY = frozenset({"interaction", "gift", "complaint_step"})
# Rows that have a natural key besides the uid: a pulled row takes the place of the one
# this laptop made for the same key (the same derived touch handled on two laptops).
NATURAL_KEYS = frozenset({"touchpoint", "cadence", "setting"})
# Never on the wire: the laptop's own id and uid (the change's name), and a customer's
# updated_at (the change's "at").
_NOT_FIELDS = frozenset({"id", "uid"})


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # the laptop's column
    wire: str  # its name on the wire (customer_id → customer_uid)
    kind: str  # "datetime", "date", "json", "bool", "int", "text"
    parent: str | None = None  # the table a foreign key points to
    required: bool = False  # NOT NULL: a row cannot be stored without it


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    key: str  # the laptop's key column: id, or setting's key
    columns: tuple[Column, ...]

    @property
    def by_wire(self) -> dict[str, Column]:
        return {column.wire: column for column in self.columns}

    @property
    def by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}


def _kind(column: object) -> str:
    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer
    from sqlalchemy.types import TypeDecorator

    kind = column.type  # type: ignore[attr-defined]
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for sa_type, name in ((DateTime, "datetime"), (Boolean, "bool"), (Date, "date"), (JSON, "json"), (Integer, "int")):
        if isinstance(kind, sa_type):
            return name
    return "text"


@cache
def table(name: str) -> Table:
    from sqlmodel import SQLModel

    import kequ.storage.models  # noqa: F401 - registers the tables

    if name not in SYNCED:
        raise KeyError(name)
    model = SQLModel.metadata.tables[name]
    columns = []
    for column in model.columns:
        if column.name in _NOT_FIELDS:
            continue
        fks = list(column.foreign_keys)
        if fks:
            wire = column.name.removesuffix("_id") + "_uid"
            columns.append(Column(column.name, wire, "int", fks[0].column.table.name, not column.nullable))
        else:
            columns.append(Column(column.name, column.name, _kind(column), None, not column.nullable))
    key = "id" if "id" in model.columns else model.primary_key.columns.keys()[0]
    return Table(name, key, tuple(columns))


_STORED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")


def iso_utc(stored: str) -> str:
    """A stored naive-UTC datetime ("2026-11-23 01:00:00[.ffffff]") as the wire's ISO with Z."""
    if _STORED.fullmatch(stored):  # the way SQLAlchemy writes one: only the separators differ
        return f"{stored[:10]}T{stored[11:]}{'' if len(stored) > 19 else '.000000'}Z"
    moment = datetime.fromisoformat(stored)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def stored_utc(wire: str) -> str:
    """The wire's ISO datetime as SQLAlchemy stores it here (naive UTC, microseconds)."""
    moment = datetime.fromisoformat(wire.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


def to_wire(column: Column, value: object) -> object:
    """A stored value as JSON-able (a foreign key is mapped by the caller)."""
    if value is None:
        return None
    if column.kind == "datetime":
        return iso_utc(str(value))
    if column.kind == "json":
        return json.loads(value) if isinstance(value, str) else value
    if column.kind == "bool":
        return bool(value)
    return value


def from_wire(column: Column, value: object) -> object:
    """A wire value as stored here (a foreign key is mapped by the caller)."""
    if value is None:
        return None
    if column.kind == "datetime":
        return stored_utc(str(value))
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if column.kind == "bool":
        return 1 if value else 0
    return value
