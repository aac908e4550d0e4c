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
    """One reason a row stayed out. ``column`` is the header as the user's file says it."""

    line: int
    column: str
    value: str
    reason: str
    key: str  # the catalogue key of the reason, for a screen that words it itself
    table: str = ""  # for a JSON export: the table, and ``line`` is the row's number in it


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
    rows: int = 0  # data rows read, blank rows not counted
    added: int = 0
    merged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field ("-" ignored)
    to_notes: list[str] = field(default_factory=list)  # unknown columns kept in the notes
    customer_ids: list[int] = field(default_factory=list)  # the new customers (not in a dry run)
    tables: dict[str, int] = field(default_factory=dict)  # rows per table (JSON imports)
    backup: str | None = None  # the copy taken before writing into a non-empty database
    report_file: str | None = None
    rejected: list[RejectedRow] = field(default_factory=list, repr=False)

    @property
    def rejected_rows(self) -> int:
        return len({(error.table, error.line) for error in self.errors})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values; the rejected rows themselves go to the report file."""
        out = asdict(self)
        out.pop("rejected")
        out.pop("customer_ids")
        out["rejected_rows"] = self.rejected_rows
        return out


def write_error_report(report: ImportReport, target: Path) -> Path:
    """The refused rows as they were read, each with its line and reasons in front.

    UTF-8 with BOM and CRLF so Excel opens it; the two extra columns are ones the
    importer ignores, so the corrected file can be imported as it is.
    """

    reasons: dict[int, list[str]] = {}
    for error in report.errors:
        reasons.setdefault(error.line, []).append(f"{error.column}：{error.reason}")
    columns: list[str] = []
    for rejected in report.rejected:
        columns.extend(c for c in rejected.values if c not in columns)

    def write(out: IO[bytes]) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([t("io.report.line"), t("io.report.errors"), *columns])
        for rejected in report.rejected:
            cells = [rejected.values.get(c, "") for c in columns]
            writer.writerow([rejected.line, "；".join(reasons.get(rejected.line, [])), *(neutralise(c) for c in cells)])
        text.flush()
        text.detach()

    return write_private(target, write)
