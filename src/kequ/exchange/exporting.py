"""Taking the data out: a spreadsheet, phone contacts, a calendar, or the whole database.

* CSV (UTF-8 with BOM, CRLF: Excel on Chinese Windows opens it without mojibake) and XLSX
  hold one row per customer, with headers the importer reads back;
* vCard 3.0 as phones import it: N/FN in Chinese order, TEL, EMAIL, ORG, TITLE, BDAY;
  a lunar birthday, which no phone understands, becomes a NOTE with its next date;
* iCalendar (RFC 5545): the coming touches, birthdays and festivals as all-day events
  whose UIDs are derived from what they are, so importing a newer export into a
  calendar updates the events instead of doubling them;
* JSON: every table, every column, lossless, with a format version; importing it into an
  empty database gives back the same database.

Files are written private (0600) and atomically: a temporary file in the same folder,
flushed to disk, then renamed over the target, so a failed export never leaves half a
file where the previous good one was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from kequ.domain.validation import CUSTOMER_FIELDS, check_customer_field
from kequ.errors import KequError
from kequ.exchange.importing import FIELDS, RejectedRow, RowError
from kequ.i18n import language, t
from kequ.inert import inert_text, inert_value
from kequ.storage import clock

__all__ = [
    "FORMATS",
    "JSON_FORMAT",
    "JSON_FORMAT_VERSION",
    "ExportResult",
    "dump_tables",
    "event_uid",
    "export",
    "export_to_file",
    "load_tables",
    "neutralise",
    "write_private",
]

FORMATS = ("csv", "xlsx", "vcf", "ics", "json")
TEXT_FORMATS = frozenset({"csv", "vcf", "ics", "json"})
JSON_FORMAT = "kequ-export"
JSON_FORMAT_VERSION = 1
ICS_DAYS = 60
GREETINGS_LISTED = 200
UID_DOMAIN = "kequ.local"


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    count: int  # customers, or calendar events for ics
    path: str | None = None


# ------------------------------------------------------------------ safe writing


def write_private(path: Path, writer: Callable[[IO[bytes]], None]) -> Path:
    """Write ``path`` readable by its owner only, all or nothing."""
    path = Path(path).expanduser()
    folder = path.parent
    if path.is_dir():
        raise KequError("io.export.is_folder", path=path)
    if not folder.is_dir():
        raise KequError("io.export.no_folder", folder=folder)
    try:
        # mkstemp creates the file 0600 from its first byte.
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise KequError("io.export.not_writable", folder=folder) from None
    try:
        with os.fdopen(fd, "wb") as out:
            writer(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def neutralise(value: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading ' (OWASP CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


# ---------------------------------------------------------------- customer sheet

# The same columns an import reads, with the id first: an exported sheet imports back.
SHEET_FIELDS = ("id", *FIELDS)


def _header(name: str) -> str:
    if name in ("id", "birthday", "lunar_birthday"):
        return t(f"io.col.{name}")
    return t(f"field.{name}")


def _birthdays(session: Any) -> dict[int, list[Any]]:
    from sqlmodel import select

    from kequ.storage.models import ImportantDate

    found: dict[int, list[Any]] = {}
    query = select(ImportantDate).where(ImportantDate.kind == "birthday").order_by(ImportantDate.id)
    for row in session.exec(query):
        found.setdefault(row.customer_id, []).append(row)
    return found


def _annual(row: Any) -> Any:
    from kequ.domain.calendar.lunar import AnnualDate

    return AnnualDate(month=row.month, day=row.day, lunar=row.lunar, leap=row.leap, year=row.year)


def solar_text(row: Any) -> str:
    return f"{row.year:04d}-{row.month:02d}-{row.day:02d}" if row.year else f"{row.month:02d}-{row.day:02d}"


def lunar_text(row: Any, lang: str) -> str:
    """八月十五 / 1988年闰四月初五 in Chinese, 1988-L04-05 otherwise: both parse back."""
    from kequ.domain.calendar.lunar import lunar_day_name, lunar_month_name

    if lang == "zh":
        year = f"{row.year}年" if row.year else ""
        return f"{year}{lunar_month_name(row.month, row.leap)}{lunar_day_name(row.day)}"
    year = f"{row.year:04d}-" if row.year else ""
    return f"{year}{'L' if row.leap else ''}{row.month:02d}-{row.day:02d}"


def _customer_rows(db: Any) -> Iterator[list[object]]:
    from sqlmodel import select

    from kequ.storage.models import Customer

    lang = language()
    separator = "，" if lang == "zh" else ", "
    with db.session() as session:
        birthdays = _birthdays(session)
        for row in session.exec(select(Customer).order_by(Customer.id)):
            dates = birthdays.get(row.id, [])
            solar = next((d for d in dates if not d.lunar), None)
            lunar = next((d for d in dates if d.lunar), None)
            yield [
                row.id,
                *(
                    inert_text(value, multiline=True)
                    for value in (
                        row.name,
                        row.honorific,
                        row.company,
                        row.title,
                        separator.join(row.phones),
                        row.wechat,
                        row.email,
                        row.city,
                        row.district,
                        row.address,
                        solar_text(solar) if solar else "",
                        lunar_text(lunar, lang) if lunar else "",
                        t(f"vocab.tier.{row.tier}"),
                        t(f"vocab.disc.{row.disc}") if row.disc else "",
                        separator.join(row.tags),
                        row.notes,
                        row.source,
                        row.interests,
                    )
                ),
            ]


def _export_csv(db: Any, out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([_header(name) for name in SHEET_FIELDS])
    count = 0
    for values in _customer_rows(db):
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in values])
        count += 1
    text.flush()
    text.detach()
    return count


def _export_xlsx(db: Any, out: IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(t("io.xlsx.sheet"))
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)

    def cell(value: object, header: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # Stored as text, never as a formula: "=1+1" stays those four characters.
            c.data_type = "s"
        if header:
            c.font = bold
        return c

    sheet.append([cell(_header(name), header=True) for name in SHEET_FIELDS])
    count = 0
    for values in _customer_rows(db):
        sheet.append([cell(v) for v in values])
        count += 1
    book.save(out)
    return count


# ------------------------------------------------------------------------ vCard

_COMPOUND_SURNAMES = frozenset(
    (
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
        "轩辕", "令狐", "钟离", "澹台", "端木", "申屠", "独孤", "南宫", "百里", "呼延", "万俟", "闻人", "赫连",
        "单于", "太史", "濮阳", "司空", "东郭", "西门", "拓跋", "第五", "公羊", "左丘", "梁丘",
    )
)  # fmt: skip


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for the vCard N property: 王建国 -> 王 / 建国, 欧阳娜娜 -> 欧阳 / 娜娜."""
    name = name.strip()
    if " " in name:
        given, _, family = name.rpartition(" ")
        return family, given
    if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def fold_lines(text: str, limit: int = 75) -> str:
    """Content lines folded at ``limit`` octets (RFC 6350 3.2), never inside a character.

    vobject skips folding whenever a line has fewer than 75 *characters*, so a line of
    Chinese (three octets each) would go out at up to 225 octets; it is refolded here.
    """
    out: list[str] = []
    for line in text.replace("\r\n ", "").split("\r\n"):
        piece, size = [], 0
        for ch in line:
            width = len(ch.encode("utf-8"))
            if size + width > limit:
                out.append("".join(piece))
                piece, size = [" "], 1
            piece.append(ch)
            size += width
        out.append("".join(piece))
    return "\r\n".join(out)


def _inert_row(row: Any) -> Any:
    """A customer's texts as a file may carry them: an old database may hold escapes."""
    from types import SimpleNamespace

    values = {column: getattr(row, column) for column in type(row).model_fields}
    return SimpleNamespace(**inert_value(values))


def _export_vcf(db: Any, out: IO[bytes], today: date) -> int:
    import vobject
    from sqlmodel import select

    from kequ.domain.calendar.lunar import lunar_day_name, lunar_month_name, next_occurrence
    from kequ.storage.models import Customer

    count = 0
    with db.session() as session:
        birthdays = _birthdays(session)
        for stored in session.exec(select(Customer).order_by(Customer.id)):
            row = _inert_row(stored)
            card = vobject.vCard()
            card.add("uid").value = f"kequ-customer-{row.id}@{UID_DOMAIN}"
            family, given = split_name(row.name)
            card.add("n").value = vobject.vcard.Name(family=family, given=given)
            card.add("fn").value = row.name
            if row.honorific and row.honorific != row.name:
                card.add("nickname").value = row.honorific
            if row.company:
                card.add("org").value = [row.company]
            if row.title:
                card.add("title").value = row.title
            for phone in row.phones:
                tel = card.add("tel")
                tel.value = phone
                digits = "".join(ch for ch in phone if ch.isdigit())
                mobile = (len(digits) == 11 and digits.startswith("1")) or digits.startswith("861")
                tel.type_param = "CELL" if mobile else "VOICE"
            if row.email:
                email = card.add("email")
                email.value = row.email
                email.type_param = "INTERNET"
            if row.city or row.address:
                card.add("adr").value = vobject.vcard.Address(street=row.address, city=row.city)
            notes: list[str] = []
            for when in birthdays.get(row.id, []):
                if not when.lunar and "bday" not in card.contents:
                    bday = card.add("bday")
                    if when.year:
                        bday.value = solar_text(when)
                    else:
                        # vCard 3.0 has no year-less date; Apple's marker keeps the value valid.
                        bday.value = f"1604-{when.month:02d}-{when.day:02d}"
                        bday.params["X-APPLE-OMIT-YEAR"] = ["1604"]
                elif when.lunar:
                    try:
                        upcoming = next_occurrence(_annual(when), today).isoformat()
                    except ValueError:
                        upcoming = "—"
                    day = f"{lunar_month_name(when.month, when.leap)}{lunar_day_name(when.day)}"
                    if when.year:
                        notes.append(t("io.vcard.lunar_note_year", when=day, year=when.year, next=upcoming))
                    else:
                        notes.append(t("io.vcard.lunar_note", when=day, next=upcoming))
            if row.tags:
                card.add("categories").value = list(row.tags)
            if row.notes:
                notes.append(row.notes)
            if notes:
                card.add("note").value = "\n".join(notes)
            out.write(fold_lines(card.serialize()).encode("utf-8"))
            count += 1
    return count


# -------------------------------------------------------------------- iCalendar


def event_uid(source_key: str, occurrence: date, customer_id: int) -> str:
    """The same touch, birthday or festival always gets the same UID: calendars update it."""
    digest = hashlib.sha1(f"{source_key}|{occurrence.isoformat()}|{customer_id}".encode()).hexdigest()
    return f"kequ-{digest}@{UID_DOMAIN}"


def _export_ics(db: Any, out: IO[bytes], today: date, days: int = ICS_DAYS) -> int:
    from icalendar import Calendar, Event
    from sqlmodel import select

    from kequ.domain.agenda.reasons import kind_label, reason_text
    from kequ.domain.calendar.lunar import describe, festivals_between
    from kequ.domain.life_events import days_between, is_one_off
    from kequ.services.agenda import agenda
    from kequ.storage.models import Customer, ImportantDate

    lang = language()
    end = today + timedelta(days=days)
    stamp = clock.now().replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//kequ//kequ//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t("io.ics.calname"))

    def event(uid: str, day: date, summary: str, description: str = "", category: str = "") -> None:
        item = Event()
        item.add("uid", uid)
        item.add("dtstamp", stamp)
        item.add("dtstart", day)
        item.add("dtend", day + timedelta(days=1))
        item.add("summary", inert_text(summary))
        if description:
            item.add("description", inert_text(description, multiline=True))
        if category:
            item.add("categories", [inert_text(category)])
        # All-day reminders should not block the salesperson's calendar as busy.
        item.add("transp", "TRANSPARENT")
        cal.add_component(item)

    count = 0
    # Festival greetings due on the day go into the festival's own event, as one list:
    # five hundred "中秋问候" events on one day would bury the calendar.
    greetings: dict[tuple[str, date], list[str]] = {}
    for due in agenda(db, today, end):
        who = due.honorific or due.name
        if due.source_key.startswith("festival:") and due.due == due.occurrence and due.due >= today:
            greetings.setdefault((due.source_key, due.occurrence), []).append(who)
            continue
        summary = t("io.ics.touch", kind=kind_label(due.kind), who=who, reason=reason_text(due))
        if due.due < today:
            summary = t("io.ics.overdue", days=(today - due.due).days, summary=summary)
        detail = "".join(f"{part}\n" for part in (due.name, due.company) if part).strip()
        # Overdue work is shown today; its UID stays that of the original occurrence.
        event(
            event_uid(due.source_key, due.occurrence, due.customer_id),
            max(due.due, today),
            summary,
            detail,
            kind_label(due.kind),
        )
        count += 1

    with db.session() as session:
        people = {
            cid: (name, honorific, churned)
            for cid, name, honorific, churned in session.exec(
                select(Customer.id, Customer.name, Customer.honorific, Customer.churned)
            )
        }
        dates = list(session.exec(select(ImportantDate)))
    for row in dates:
        name, honorific, churned = people.get(row.customer_id, ("", "", True))
        if churned:
            continue
        who = honorific or name
        annual = _annual(row)
        # A life event goes in once, in its own year: no yearly repeats, and no RRULE for
        # a calendar to repeat it either.
        for day in days_between(row.kind, annual, today, end):
            when = describe(annual, lang)
            if row.kind == "birthday":
                summary = t("io.ics.birthday", who=who, when=when)
            elif is_one_off(row.kind):
                label = t(f"vocab.date_kind.{row.kind}") + (f" · {row.label}" if row.label else "")
                summary = t("io.ics.date", who=who, label=label, when=when)
            else:
                summary = t("io.ics.date", who=who, label=row.label or t(f"io.ics.kind.{row.kind}"), when=when)
            event(event_uid(f"day:{row.id}", day, row.customer_id), day, summary, name, t("io.ics.category_date"))
            count += 1
    for festival in festivals_between(today, end):
        source = f"festival:{festival.key}"
        name = t(f"festival.{festival.key}")
        people = greetings.get((source, festival.date), [])
        summary = t("io.ics.festival_greet", festival=name, count=len(people)) if people else name
        shown = "、".join(people[:GREETINGS_LISTED])
        if len(people) > GREETINGS_LISTED:
            shown = t("io.ics.and_more", names=shown, count=len(people))
        event(event_uid(source, festival.date, 0), festival.date, summary, shown, t("io.ics.category_fest"))
        count += 1
    out.write(cal.to_ical())
    return count


# ------------------------------------------------------------------ JSON, lossless


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


def _cell_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _customer_cell(name: str, value: object) -> object:
    """A customer's field through the same check as a form, ``kequ add`` or a CSV row."""
    try:
        return check_customer_field(name, value)
    except KequError as error:
        raise _Refused(name, value, error.message(), error.key) from None


def _row_values(name: str, row: object, columns: dict[str, Any]) -> dict[str, object]:
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
                checked.append((i, row, _row_values(name, row, columns)))
            except _Refused as problem:
                _refuse(result, name, i, row, problem, gone)
        out = []
        for i, row, values in checked:
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


def _refuse(result: LoadedTables, table: str, number: int, row: object, problem: _Refused, gone: set[object]) -> None:
    value = inert_text(_cell_text(problem.value), multiline=True)
    result.errors.append(RowError(number, f"{table}.{problem.column}", value, problem.reason, problem.key, table))
    if isinstance(row, dict):
        if "id" in row:
            gone.add(row["id"])
        if table == "customer":
            result.rejected.append(RejectedRow(number, {str(k): _cell_text(v) for k, v in row.items()}))


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


def _export_json(db: Any, out: IO[bytes]) -> int:
    doc = dump_tables(db)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    _write_document(doc, text)
    text.flush()
    text.detach()
    return len(doc["tables"].get("customer", []))


# ------------------------------------------------------------------------ entries


def export(db: Any, fmt: str, out: IO[bytes], today: date | None = None) -> ExportResult:
    """Write the export in ``fmt`` to a binary stream (a file or stdout's buffer)."""
    today = today or clock.today()
    if fmt == "csv":
        count = _export_csv(db, out)
    elif fmt == "xlsx":
        count = _export_xlsx(db, out)
    elif fmt == "vcf":
        count = _export_vcf(db, out, today)
    elif fmt == "ics":
        count = _export_ics(db, out, today)
    elif fmt == "json":
        count = _export_json(db, out)
    else:
        raise KequError("input.bad_choice", field="format", value=fmt, options="/".join(FORMATS))
    return ExportResult(fmt, count)


def export_to_file(db: Any, fmt: str, path: Path, today: date | None = None) -> ExportResult:
    results: list[ExportResult] = []
    written = write_private(Path(path), lambda out: results.append(export(db, fmt, out, today)))
    return ExportResult(fmt, results[0].count, str(written))
