"""The book out to the files other programs read: Excel, CSV, a phone's contacts, a calendar."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from kequ.errors import KequError
from kequ.exchange.calendar_feed import write_ics
from kequ.exchange.imports.fields import FIELDS
from kequ.exchange.json_book import export_json
from kequ.exchange.spreadsheet import neutralise
from kequ.i18n import language, t
from kequ.inert import inert_text, inert_value
from kequ.storage import clock
from kequ.storage.files import write_private

FORMATS = ("csv", "xlsx", "vcf", "ics", "json")

TEXT_FORMATS = frozenset({"csv", "vcf", "ics", "json"})
UID_DOMAIN = "kequ.local"


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    count: int  # customers, or calendar events for ics
    path: str | None = None


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
    """八月十五 / 1988年闰四月初五 in Chinese, 1988-闰04-05 otherwise: both parse back."""
    from kequ.domain.calendar.lunar import lunar_day_name, lunar_month_name

    if lang == "zh":
        year = f"{row.year}年" if row.year else ""
        return f"{year}{lunar_month_name(row.month, row.leap)}{lunar_day_name(row.day)}"
    year = f"{row.year:04d}-" if row.year else ""
    return f"{year}{'闰' if row.leap else ''}{row.month:02d}-{row.day:02d}"


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
                        # Only what was said: a guess from the 称呼 is not written as a fact.
                        t(f"vocab.gender.{row.gender}") if row.gender else "",
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
        count = write_ics(db, out, today)
    elif fmt == "json":
        count = export_json(db, out)
    else:
        raise KequError("input.bad_choice", field="format", value=fmt, options="/".join(FORMATS))
    return ExportResult(fmt, count)


def export_to_file(db: Any, fmt: str, path: Path, today: date | None = None) -> ExportResult:
    results: list[ExportResult] = []
    written = write_private(Path(path), lambda out: results.append(export(db, fmt, out, today)))
    return ExportResult(fmt, results[0].count, str(written))
