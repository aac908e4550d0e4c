"""The book out to the files other programs read: Excel, CSV, a phone's contacts, a calendar."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from kequ.errors import KequError
from kequ.exchange.calendar_feed import write_ics
from kequ.exchange.imports.fields import FIELDS
from kequ.exchange.json_book import export_json
from kequ.exchange.spreadsheet import join_tags, neutralise
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
                        # A tag holding a comma is quoted: split_tags reads it back whole.
                        join_tags(row.tags, separator),
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


def fold_lines(text: str, limit: int = 75) -> str:
    """Content lines folded at ``limit`` octets (RFC 6350 3.2), never inside a character.

    A line of Chinese (three octets a character) folded by characters would go out at
    up to 225 octets; phones that read 75 octets a line would cut it.
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


def vcard_escape(text: str) -> str:
    """A vCard 3.0 text value: a comma or semicolon of the text stays one (RFC 2426 5)."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\n").replace("\n", "\\n")


_EXTENSION = re.compile(r"\s*转\s*")


def _is_mobile(phone: str) -> bool:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return (len(digits) == 11 and digits.startswith("1")) or digits.startswith("861")


def _vcard_lines(row: Any, dates: list[Any], today: date) -> list[str]:
    """One customer as vCard 3.0 content lines, the fields phones show first.

    Kequ's own fields that no vCard property holds (tier, DISC, gender, district,
    source, interests) go in X-KEQU-* lines, which phones keep and ignore: a kequ
    export imported into kequ comes back whole.
    """
    from kequ.domain.calendar.lunar import lunar_day_name, lunar_month_name, next_occurrence
    from kequ.domain.names import split_name
    from kequ.exchange.imports.vcards import apple_lunar_value

    e = vcard_escape
    family, given = split_name(row.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//kequ//kequ//ZH",
        f"UID:kequ-customer-{row.id}@{UID_DOMAIN}",
        f"N:{e(family)};{e(given)};;;",
        f"FN:{e(row.name)}",
    ]
    if row.honorific and row.honorific != row.name:
        lines.append(f"NICKNAME:{e(row.honorific)}")
    if row.company:
        lines.append(f"ORG:{e(row.company)}")
    if row.title:
        lines.append(f"TITLE:{e(row.title)}")
    if row.company_role:
        lines.append(f"ROLE:{e(t(f'vocab.company_role.{row.company_role}'))}")
    for phone in row.phones:
        # 0512-66881234 转808 dials as 0512-66881234,808: a pause, then the extension.
        dialled = _EXTENSION.sub(",", phone)
        lines.append(f"TEL;TYPE={'CELL' if _is_mobile(phone) else 'VOICE'}:{dialled}")
    if row.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{e(row.email)}")
    if row.wechat:
        # X-WECHAT-ID for address books that look for it; IMPP as an iPhone writes WeChat.
        lines.append(f"X-WECHAT-ID:{e(row.wechat)}")
        lines.append(f"IMPP;X-SERVICE-TYPE=WeChat:x-apple:{e(row.wechat)}")
    if row.city or row.address:
        lines.append(f"ADR:;;{e(row.address)};{e(row.city)};;;")
    notes: list[str] = []
    solar = next((d for d in dates if not d.lunar), None)
    lunar = next((d for d in dates if d.lunar), None)
    if solar is not None:
        if solar.year:
            lines.append(f"BDAY:{solar_text(solar)}")
        else:
            # vCard 3.0 has no year-less date; Apple's marker keeps the value valid.
            lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{solar.month:02d}-{solar.day:02d}")
    if lunar is not None:
        leap = ";X-LEAP-MONTH=TRUE" if lunar.leap else ""
        lines.append(f"X-ALTBDAY;CALSCALE=chinese{leap}:{apple_lunar_value(lunar.month, lunar.day, lunar.year)}")
        # Android shows no X-ALTBDAY: the note says it, with the next solar date.
        try:
            upcoming = next_occurrence(_annual(lunar), today).isoformat()
        except ValueError:
            upcoming = "—"
        day = f"{lunar_month_name(lunar.month, lunar.leap)}{lunar_day_name(lunar.day)}"
        if lunar.year:
            notes.append(t("io.vcard.lunar_note_year", when=day, year=lunar.year, next=upcoming))
        else:
            notes.append(t("io.vcard.lunar_note", when=day, next=upcoming))
    categories = list(row.tags)
    if row.tier and row.tier != "regular":  # the default: no phone group of 常规 for everyone
        categories.insert(0, t(f"vocab.tier.{row.tier}"))
        lines.append(f"X-KEQU-TIER:{e(row.tier)}")
    if categories:
        lines.append("CATEGORIES:" + ",".join(e(c) for c in categories))
    for prop, value in (
        ("X-KEQU-DISC", row.disc),
        ("X-KEQU-GENDER", row.gender),
        ("X-KEQU-DISTRICT", row.district),
        ("X-KEQU-SOURCE", row.source),
        ("X-KEQU-INTERESTS", row.interests),
    ):
        if value:
            lines.append(f"{prop}:{e(value)}")
    if row.notes:
        notes.append(row.notes)
    if notes:
        lines.append(f"NOTE:{e(chr(10).join(notes))}")
    lines.append("END:VCARD")
    return lines


def _export_vcf(db: Any, out: IO[bytes], today: date) -> int:
    from sqlmodel import select

    from kequ.storage.models import Customer

    count = 0
    with db.session() as session:
        birthdays = _birthdays(session)
        for stored in session.exec(select(Customer).order_by(Customer.id)):
            row = _inert_row(stored)
            text = "\r\n".join(_vcard_lines(row, birthdays.get(row.id, []), today)) + "\r\n"
            out.write(fold_lines(text).encode("utf-8"))
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
