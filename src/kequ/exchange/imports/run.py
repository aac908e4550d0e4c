"""An import from start to end, its preview, and a kequ JSON export brought back."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kequ.errors import KequError
from kequ.exchange.imports.duplicates import existing_index, plan_duplicates
from kequ.exchange.imports.fields import FIELDS, Progress
from kequ.exchange.imports.mapping import Layout, is_header, read_layout, settle_layout
from kequ.exchange.imports.readers import csv_rows, pick_sheet, xlsx_rows
from kequ.exchange.imports.report import ImportReport, RejectedRow, write_error_report
from kequ.exchange.imports.rows import VALUE_CHECKS, Candidate, Row, check_row
from kequ.exchange.imports.sniff import detect_format
from kequ.exchange.imports.tables import SETTLE_ROWS, tabular_rows
from kequ.exchange.imports.vcards import vcard_rows
from kequ.exchange.imports.writing import count_outcomes, write_plan
from kequ.exchange.json_book import load_tables


def import_file(
    db: Any,
    path: Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    report_path: Path | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Read, check and (unless ``dry_run``) write one file; see the module docstring.

    Raises KequError for a problem with the whole file; row problems are in the report.
    With ``report_path`` the rejected rows are written there as a CSV to fix and re-import.
    ``mapping`` names a column's field, ``"-"`` to skip it, or None to keep it in the notes.
    ``sheet`` names the workbook's sheet to read; by default the first with a header.
    """
    from kequ.storage.backups import make_backup

    if on_duplicate not in ("skip", "merge"):
        raise KequError("input.bad_choice", field="on-duplicate", value=on_duplicate, options="skip/merge")
    path = Path(path)
    fmt, encoding = detect_format(path)
    report = ImportReport(path=str(path), format=fmt, dry_run=dry_run, encoding=encoding)
    if fmt == "json":
        _import_json(db, path, encoding or "utf-8", report)
        if report_path is not None and report.rejected:
            report.report_file = str(write_error_report(report, Path(report_path)))
        return report

    if fmt == "vcf":
        rows = vcard_rows(path, encoding or "utf-8", report, progress)
    else:
        if fmt == "xlsx":
            report.sheet, names = pick_sheet(path, sheet, lambda cells: is_header(cells, mapping))
            report.sheets = list(names)
            raw_rows = xlsx_rows(path, progress, report.sheet)
        else:
            raw_rows = csv_rows(path, encoding or "utf-8", progress)
        rows = tabular_rows(raw_rows, mapping, report)

    def checked() -> Iterator[Candidate]:
        for row in rows:
            report.rows += 1
            # Only a CSV may hold a formula: what a workbook gives is the value Excel showed.
            candidate, errors = check_row(row, spreadsheet=fmt == "csv")
            if row.card:
                errors = [replace(error, card=row.card) for error in errors]
                if candidate is not None:
                    candidate.warnings = [replace(error, card=row.card) for error in candidate.warnings]
            if errors:
                report.errors.extend(errors)
                report.rejected.append(RejectedRow(row.line, row.raw))
                continue
            assert candidate is not None
            if candidate.warnings:
                report.warnings.extend(candidate.warnings)
                report.warned.append(RejectedRow(row.line, row.raw))
            yield candidate
            if dry_run:
                # Planned: a dry run counts it and never writes it, so its fields can go
                # (10,000 rows of them were most of a preview's memory).
                candidate.data, candidate.dates = {}, []

    existing = existing_index(db)
    plan = plan_duplicates(checked(), existing, on_duplicate, report)
    count_outcomes(plan, report)
    if report.rows == 0:
        raise KequError("io.file.no_rows", path=path)
    if report.rows == len(report.left_out):
        raise KequError("io.file.only_groups", path=path)
    if not dry_run and plan.candidates:
        if not db.is_empty():
            # Merges rewrite customers already there: keep the day's state to go back to.
            report.backup = str(make_backup(db.path, "before-import"))
        write_plan(db, plan, report, progress)
    if report_path is not None and (report.errors or report.warnings):
        report.report_file = str(write_error_report(report, Path(report_path)))
    return report


@dataclass(frozen=True, slots=True)
class Preview:
    """What a screen shows before an import: the file's columns as read, and a dry run.

    ``targets`` holds, per column, a field, ``IGNORE``, or None (kept in the notes), after
    the given mapping. ``report`` is None when the dry run refused the file as mapped;
    ``problem`` then says why, while the columns are still there to point at the right one.
    Both are None in what ``preview_head`` gives: the dry run has not run yet.
    """

    format: str
    encoding: str | None
    columns: tuple[str, ...]
    targets: tuple[str | None, ...]
    samples: tuple[tuple[str, ...], ...]
    editable: bool  # contact cards and JSON exports name their own fields
    report: ImportReport | None
    problem: str | None = None
    sheet: str | None = None  # the workbook's sheet shown and imported
    sheets: tuple[str, ...] = ()  # all of the workbook's sheets


def preview_import(
    db: Any,
    path: Path,
    *,
    mapping: Mapping[str, str | None] | None = None,
    on_duplicate: str = "skip",
    sample_rows: int = 3,
    sheet: str | None = None,
) -> Preview:
    """The first rows of ``path`` as an import would read them, and a dry run of it:
    ``preview_head`` then ``dry_run``, which a screen may show one after the other.

    Raises KequError when the file itself cannot be used (missing, a folder, binary, no
    rows at all). A problem of the file as mapped, such as no name column, comes back in
    ``problem``: the user may fix it by choosing the column that holds the names.
    """
    head = preview_head(path, mapping=mapping, sample_rows=sample_rows, sheet=sheet)
    return dry_run(db, path, head, mapping=mapping, on_duplicate=on_duplicate)


def preview_head(
    path: Path, *, mapping: Mapping[str, str | None] | None = None, sample_rows: int = 3, sheet: str | None = None
) -> Preview:
    """The columns of ``path``, what each becomes, and its first ``sample_rows`` rows: what
    reading the first rows gives, without the dry run (``report`` and ``problem`` None).

    Raises KequError when the file itself cannot be read (missing, a folder, binary).
    """
    path = Path(path)
    fmt, encoding = detect_format(path)
    columns: tuple[str, ...] = ()
    targets: tuple[str | None, ...] = ()
    samples: list[tuple[str, ...]] = []
    chosen: str | None = None
    sheets: tuple[str, ...] = ()
    if fmt == "vcf":
        columns, targets, samples = _card_head(path, encoding or "utf-8", sample_rows)
    elif fmt != "json":
        if fmt == "xlsx":
            chosen, sheets = pick_sheet(path, sheet, lambda cells: is_header(cells, mapping))
            raw = xlsx_rows(path, None, chosen)
        else:
            raw = csv_rows(path, encoding or "utf-8", None)
        layout, cells = _sheet_head(raw, mapping, sample_rows)
        if layout is not None:
            columns, targets = layout.labels, layout.targets
            samples = [tuple(row[: len(columns)]) + ("",) * (len(columns) - len(row)) for row in cells]
    editable = fmt not in ("vcf", "json")
    return Preview(fmt, encoding, columns, targets, tuple(samples), editable, None, None, chosen, sheets)


def dry_run(
    db: Any, path: Path, head: Preview, *, mapping: Mapping[str, str | None] | None = None, on_duplicate: str = "skip"
) -> Preview:
    """``head`` (from ``preview_head`` with the same ``mapping``) with a dry run of the
    import: its report, or the problem that refuses the file as mapped.

    Raises KequError when nothing in ``head`` could correct the problem (no columns).
    """
    try:
        report = import_file(db, path, mapping=mapping, on_duplicate=on_duplicate, dry_run=True, sheet=head.sheet)
    except KequError as error:
        if not head.columns:  # nothing the user could correct in a preview
            raise
        return replace(head, report=None, problem=str(error))
    # The refused and warned rows as read are for a report file, which only the import
    # itself writes (it reads the file again): a preview kept on screen need not hold them.
    report.rejected.clear()
    report.warned.clear()
    return replace(head, report=report, problem=None)


def _sheet_head(
    raw: Iterator[tuple[int, list[str]]], mapping: Mapping[str, str | None] | None, count: int
) -> tuple[Layout | None, list[list[str]]]:
    """The header as ``tabular`` finds it, and the first ``count`` rows under it.

    Where no row within the first ten reads as a header, the first row is taken for one,
    so the user can say which of its columns holds the names. A 类型 column is judged by
    its first values, as the import judges it.
    """
    waiting: list[list[str]] = []
    layout: Layout | None = None
    rows: list[list[str]] = []
    try:
        for _line, cells in raw:
            if not any(c.strip() for c in cells):
                continue
            if layout is not None:
                rows.append(cells)
                if len(rows) >= SETTLE_ROWS:
                    break
                continue
            waiting.append(cells)
            if is_header(cells, mapping):
                layout = read_layout(cells, mapping)
            elif len(waiting) >= 10:
                break
    except KequError:
        if not waiting:
            raise
        # A broken line further down: the dry run reports it, the columns are still good.
    finally:
        raw.close()  # type: ignore[attr-defined]
    if layout is None and waiting:
        return read_layout(waiting[0], mapping), waiting[1 : 1 + count]
    if layout is not None:
        layout = settle_layout(layout, rows, mapping, VALUE_CHECKS)
    return layout, rows[:count]


def _card_head(
    path: Path, encoding: str, count: int
) -> tuple[tuple[str, ...], tuple[str | None, ...], list[tuple[str, ...]]]:
    """The fields the first contact cards fill in, as (vCard property, field) columns."""
    scratch = ImportReport(path=str(path), format="vcf", dry_run=True)
    rows: list[Row] = []
    cards = vcard_rows(path, encoding, scratch, None)
    try:
        for row in cards:
            rows.append(row)
            if len(rows) >= count:
                break
    finally:
        cards.close()  # type: ignore[attr-defined]
    fields = [name for name in FIELDS if any(name in row.values for row in rows)]
    labels = tuple(next(row.values[name][0][0] for row in rows if name in row.values) for name in fields)
    samples = [tuple("，".join(text for _, text in row.values.get(name, [])) for name in fields) for row in rows]
    return labels, tuple(fields), samples


def _import_json(db: Any, path: Path, encoding: str, report: ImportReport) -> None:

    try:
        with path.open(encoding=encoding) as handle:
            doc = json.load(handle)
    except UnicodeDecodeError:
        raise KequError("io.file.unknown_encoding") from None
    except json.JSONDecodeError as error:
        raise KequError("io.json.broken", line=error.lineno, detail=error.msg) from None
    loaded = load_tables(db, doc, dry_run=report.dry_run)
    report.tables = loaded.counts
    report.errors.extend(loaded.errors)
    report.rejected.extend(loaded.rejected)
    report.rows = loaded.read
    report.added = loaded.counts.get("customer", 0)
