"""The whole book as JSON, lossless both ways: what ``kequ export --format json`` writes and import reads back."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from kequ.domain.validation import CUSTOMER_FIELDS, check_customer_field
from kequ.errors import KequError
from kequ.exchange.imports.report import RejectedRow, RowError
from kequ.i18n import t
from kequ.inert import inert_text, inert_value
from kequ.storage import clock

# What a kequ JSON file says it is, and the version of its layout.
JSON_FORMAT = "kequ-export"
JSON_FORMAT_VERSION = 1


def _tables() -> list[Any]:
    from sqlmodel import SQLModel

    import kequ.storage.models  # noqa: F401 - registers the tables in the metadata

    return list(SQLModel.metadata.sorted_tables)


def _kind(column: Any) -> str:
    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer

    from kequ.storage.models import UTCDateTime

    kind = column.type
    if isinstance(kind, UTCDateTime | DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, Integer):
        return "int"
    return "str"


# Internal, never shown: the search index keeps its field separators (C0 characters).
_RAW_COLUMNS = frozenset({"search_keys"})


def _to_json(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind in ("str", "json"):
        # An old database may hold escapes: the file carries none of them.
        return inert_value(value)
    if kind == "datetime":
        assert isinstance(value, datetime)
        return value.isoformat()
    if kind == "date":
        assert isinstance(value, date)
        return value.isoformat()
    return value


def _from_json(value: object, kind: str, nullable: bool) -> object:
    """The stored value of one JSON cell; a ValueError names what is wrong with it."""
    if value is None:
        if nullable or kind == "json":
            return None
        raise ValueError(t("io.json.detail.null"))
    if kind == "datetime":
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ValueError(t("io.json.detail.not_moment"))
        return moment
    if kind == "date":
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            raise ValueError(t("io.json.detail.not_date"))
        return day
    if kind == "bool" and not isinstance(value, bool):
        raise ValueError(t("io.json.detail.not_bool"))
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(t("io.json.detail.not_int"))
    if kind == "str":
        if not isinstance(value, str):
            raise ValueError(t("io.json.detail.not_text"))
        return inert_text(value, multiline=True)
    if kind == "json":
        return inert_value(value)
    return value


def dump_tables(db: Any) -> dict[str, Any]:
    """The whole database as plain JSON values: every table, every column, every row."""
    from sqlalchemy import select

    from kequ.storage.database import SCHEMA_VERSION

    tables: dict[str, list[dict[str, object]]] = {}
    with db.session() as session:
        for table in _tables():
            kinds = {column.name: _kind(column) for column in table.columns}
            order = list(table.primary_key.columns)
            rows = session.execute(select(table).order_by(*order)).mappings()
            kinds = {name: "raw" if name in _RAW_COLUMNS else kind for name, kind in kinds.items()}
            tables[table.name] = [{name: _to_json(row[name], kinds[name]) for name in kinds} for row in rows]
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": clock.now().isoformat(),
        "tables": tables,
    }


def _has_surrogate(value: object) -> bool:
    """A lone UTF-16 half (``"\\ud800"``): valid JSON, but no text can hold it."""
    if isinstance(value, str):
        return not value.isprintable() and any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_has_surrogate(key) or _has_surrogate(item) for key, item in value.items())
    return False


@dataclass
class LoadedTables:
    """What ``load_tables`` stored (or would store), and the rows it refused."""

    counts: dict[str, int]  # rows per table, refused rows not counted
    read: int = 0  # customer rows in the file, refused ones included
    errors: list[RowError] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)  # refused customers, as read


class _Refused(Exception):
    def __init__(self, column: str, value: object, reason: str, key: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason, self.key = column, value, reason, key


def cell_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _customer_cell(name: str, value: object) -> object:
    """A customer's field through the same check as a form, ``kequ add`` or a CSV row."""
    try:
        return check_customer_field(name, value)
    except KequError as error:
        raise _Refused(name, value, error.message(), error.key) from None


def row_values(name: str, row: object, columns: dict[str, Any]) -> dict[str, object]:
    if not isinstance(row, dict):
        raise _Refused("—", row, t("io.json.detail.not_object"), "io.json.detail.not_object")
    extra = sorted(set(row) - set(columns))
    if extra:
        raise _Refused(extra[0], row[extra[0]], t("io.json.detail.unknown"), "io.json.detail.unknown")
    values: dict[str, object] = {}
    for column_name, column in columns.items():
        if column_name not in row and not column.nullable:
            raise _Refused(column_name, "", t("io.json.detail.missing"), "io.json.detail.missing")
        value = row.get(column_name)
        if name == "customer" and column_name in CUSTOMER_FIELDS:
            values[column_name] = _customer_cell(column_name, value)
            continue
        try:
            values[column_name] = _from_json(value, _kind(column), bool(column.nullable))
        except ValueError as error:
            raise _Refused(column_name, value, str(error), "io.json.bad_value") from None
    if name == "customer":
        from kequ.domain.search import search_keys

        # Recomputed, never taken from the file: it must match the cleaned texts.
        values["search_keys"] = search_keys(
            str(values["name"]),
            str(values["honorific"]),
            str(values["company"]),
            list(values["phones"]),  # type: ignore[call-overload]
            str(values["wechat"]),
            str(values["email"]),
            str(values["city"]),
            list(values["tags"]),  # type: ignore[call-overload]
        )
    return values


def load_tables(db: Any, doc: object, *, dry_run: bool = False) -> LoadedTables:
    """Put a ``dump_tables`` document back, in one transaction, into an empty database.

    Ids are kept as they were, so every link between rows survives. Every customer goes
    through ``check_customer_field``, the check of every other way in, and every text
    through ``inert_text``. A row that fails is refused on its own and listed, with the
    rows that belong to it (a refused customer's contacts, deals...); the rest goes in.
    """
    from sqlalchemy import func, select, text
    from sqlalchemy.exc import IntegrityError, StatementError

    from kequ.storage.database import SCHEMA_VERSION

    if not isinstance(doc, dict) or doc.get("format") != JSON_FORMAT:
        raise KequError("io.json.not_kequ", path=getattr(db, "path", ""))
    version = doc.get("format_version")
    schema = doc.get("schema_version")
    if not isinstance(version, int) or version > JSON_FORMAT_VERSION:
        raise KequError("io.json.too_new", found=version, supported=JSON_FORMAT_VERSION)
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise KequError("io.json.too_new", found=schema, supported=SCHEMA_VERSION)
    data = doc.get("tables")
    if not isinstance(data, dict):
        raise KequError("io.json.bad_value", where="tables", detail=t("io.json.detail.missing"))
    known = {table.name: table for table in _tables()}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise KequError("io.json.unknown_table", table="、".join(unknown))
    result = LoadedTables(counts={})
    prepared: list[tuple[Any, list[dict[str, object]]]] = []
    refused: dict[str, set[object]] = {}
    # Tables come in the order of their links (customer first), so a refusal reaches
    # the rows that point at it before they are looked at.
    for name, table in known.items():
        rows = data.get(name, [])
        if not isinstance(rows, list):
            raise KequError("io.json.bad_value", where=name, detail=t("io.json.detail.not_list"))
        columns = {column.name: column for column in table.columns}
        links = [
            (column.name, fk.column.table.name, fk.ondelete) for column in table.columns for fk in column.foreign_keys
        ]
        gone = refused.setdefault(name, set())
        checked: list[tuple[int, object, dict[str, object]]] = []
        for i, row in enumerate(rows, start=1):
            if _has_surrogate(row):
                raise KequError("io.json.bad_text", where=f"{name}[{i}]")
            try:
                checked.append((i, row, row_values(name, row, columns)))
            except _Refused as problem:
                _refuse(result, name, i, row, problem, gone)
        out = []
        uids: set[object] = set()
        for i, row, values in checked:
            if "uid" in values:
                values["uid"] = _own_uid(values["uid"], uids)
            try:
                for column_name, target, ondelete in links:
                    if values[column_name] is not None and values[column_name] in refused.get(target, ()):
                        if ondelete != "SET NULL":
                            reason = t("io.json.detail.belongs", table=target, id=values[column_name])
                            raise _Refused(column_name, values[column_name], reason, "io.json.detail.belongs")
                        values[column_name] = None
            except _Refused as problem:
                _refuse(result, name, i, row, problem, gone)
                continue
            out.append(values)
        prepared.append((table, out))
        result.counts[name] = len(out)
        if name == "customer":
            result.read = len(rows)
    with db.session() as session:
        filled = [t.name for t in known.values() if session.execute(select(func.count()).select_from(t)).scalar()]
    if filled:
        raise KequError("io.json.not_empty", path=db.path, tables="、".join(filled))
    if dry_run:
        return result
    try:
        with db.session() as session:
            # A customer may name as referrer one that comes later in the list.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            for table, rows in prepared:
                if rows:
                    session.execute(table.insert(), rows)
    except (IntegrityError, StatementError) as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        raise KequError("io.import.rolled_back", detail=detail) from error
    return result


def _own_uid(uid: object, taken: set[object]) -> object:
    """A row's stable id (team sync) as the file gives it, or None, so the book gives the row
    a new one, when it is not a well-formed uid or another row of the file has it already
    (a file written by hand, or rows copied within it): one bad id never costs the row."""
    import uuid

    try:
        well_formed = isinstance(uid, str) and str(uuid.UUID(uid)) == uid
    except ValueError:
        well_formed = False
    if not well_formed or uid in taken:
        return None
    taken.add(uid)
    return uid


def _refuse(result: LoadedTables, table: str, number: int, row: object, problem: _Refused, gone: set[object]) -> None:
    value = inert_text(cell_text(problem.value), multiline=True)
    result.errors.append(RowError(number, f"{table}.{problem.column}", value, problem.reason, problem.key, table))
    if isinstance(row, dict):
        if "id" in row:
            gone.add(row["id"])
        if table == "customer":
            result.rejected.append(RejectedRow(number, {str(k): cell_text(v) for k, v in row.items()}))


def _write_document(doc: dict[str, Any], text: IO[str]) -> None:
    """The document with one row to a line, so a diff or a text editor can follow it.

    Written row by row with the C encoder: ``json.dump(indent=…)`` uses the pure-Python
    one, which took most of a minute for two million interactions.
    """

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    text.write("{\n")
    for key, value in doc.items():
        if key != "tables":
            text.write(f" {dumps(key)}: {dumps(value)},\n")
    text.write(' "tables": {')
    for index, (name, rows) in enumerate(doc["tables"].items()):
        text.write(f"{',' if index else ''}\n  {dumps(name)}: [")
        for number, row in enumerate(rows):
            text.write(f"{',' if number else ''}\n   {dumps(row)}")
        text.write("\n  ]" if rows else "]")
    text.write("\n }\n}\n")


def export_json(db: Any, out: IO[bytes]) -> int:
    doc = dump_tables(db)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    _write_document(doc, text)
    text.flush()
    text.detach()
    return len(doc["tables"].get("customer", []))
