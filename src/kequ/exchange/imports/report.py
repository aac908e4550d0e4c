"""What an import did: the rows taken, merged, skipped and refused, and the CSV of refused rows."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from kequ.exchange.spreadsheet import neutralise
from kequ.i18n import t
from kequ.storage.files import write_private


@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a row stayed out, or (as a warning) what was kept in its notes.

    ``column`` is the header as the user's file says it.
    """

    line: int
    column: str
    value: str
    reason: str
    key: str  # the catalogue key of the reason, for a screen that words it itself
    table: str = ""  # for a JSON export: the table, and ``line`` is the row's number in it
    card: int = 0  # for a vCard file: which card (1, 2, …), and ``line`` is where it starts


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    """A row that matched a customer already known, or an earlier row of the file."""

    line: int
    name: str
    by: str  # "phone" | "wechat" | "email" | "name_company"
    action: str  # "skipped" | "merged"
    customer_id: int | None = None  # the existing customer it matched (the one kept)
    other_line: int | None = None  # or the earlier line of the same file
    absorbed_ids: tuple[int, ...] = ()  # existing customers merged into customer_id because of it


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A refused row as it was read, for the report the user fixes and imports again."""

    line: int
    values: dict[str, str]


@dataclass
class ImportReport:
    path: str
    format: str  # "csv" | "xlsx" | "vcf" | "json"
    dry_run: bool
    encoding: str | None = None
    sheet: str | None = None  # the workbook's sheet that was read
    sheets: list[str] = field(default_factory=list)  # all of the workbook's sheets
    rows: int = 0  # data rows read, blank rows not counted
    added: int = 0
    merged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows imported all the same: what could not be read went into the notes.
    warnings: list[RowError] = field(default_factory=list)
    # Rows that are no contacts at all, such as a WeChat export's group chats.
    left_out: list[RowError] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field ("-" ignored)
    to_notes: list[str] = field(default_factory=list)  # unknown columns kept in the notes
    empty_columns: list[str] = field(default_factory=list)  # of those, the ones no row filled in
    customer_ids: list[int] = field(default_factory=list)  # the new customers (not in a dry run)
    tables: dict[str, int] = field(default_factory=dict)  # rows per table (JSON imports)
    backup: str | None = None  # the copy taken before writing into a non-empty database
    report_file: str | None = None
    rejected: list[RejectedRow] = field(default_factory=list, repr=False)
    warned: list[RejectedRow] = field(default_factory=list, repr=False)  # the rows with warnings, as read

    @property
    def rejected_rows(self) -> int:
        return len({(error.table, error.line) for error in self.errors})

    @property
    def warned_rows(self) -> int:
        return len({error.line for error in self.warnings})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values; the rejected rows themselves go to the report file."""
        out = asdict(self)
        out.pop("rejected")
        out.pop("warned")
        out.pop("customer_ids")
        out["rejected_rows"] = self.rejected_rows
        out["warned_rows"] = self.warned_rows
        return out


def unit(report: ImportReport) -> str:
    """What a file is counted in, as the summaries say it: rows, or a vCard file's cards."""
    return t("io.cli.unit.card" if report.format == "vcf" else "io.cli.unit.row")


def where(error: RowError) -> str:
    """Where a refusal or warning is, with its field: 第 3 张名片（第 55 行）· 生日 1900-01-01."""
    column = f"{error.column} {error.value}" if error.value else error.column
    if error.card:
        return t("io.cli.card_error", card=error.card, line=error.line, column=column, reason=error.reason)
    return t("io.cli.row_error", line=error.line, column=column, reason=error.reason)


def _reasons(errors: list[RowError], with_value: bool) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for error in errors:
        shown = f"{error.column} {error.value}" if with_value and error.value else error.column
        out.setdefault(error.line, []).append(f"{shown}：{error.reason}")
    return out


def write_error_report(report: ImportReport, target: Path) -> Path:
    """The refused rows, then the rows imported with warnings, as they were read, each with
    its line, its refusals and its warnings in front.

    UTF-8 with BOM and CRLF so Excel opens it; the three extra columns are ones the
    importer ignores, so the corrected file can be imported as it is (a warned row, being
    in already, then counts as a duplicate: --on-duplicate merge brings the fix in).
    """

    reasons = _reasons(report.errors, with_value=False)
    hints = _reasons(report.warnings, with_value=True)
    columns: list[str] = []
    for row in (*report.rejected, *report.warned):
        columns.extend(c for c in row.values if c not in columns)

    def write(out: IO[bytes]) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([t("io.report.line"), t("io.report.errors"), t("io.report.warnings"), *columns])
        for rows, found, refused in ((report.rejected, reasons, True), (report.warned, hints, False)):
            for row in rows:
                said = "；".join(found.get(row.line, []))
                cells = [neutralise(row.values.get(c, "")) for c in columns]
                writer.writerow([row.line, said if refused else "", "" if refused else said, *cells])
        text.flush()
        text.detach()

    return write_private(target, write)
