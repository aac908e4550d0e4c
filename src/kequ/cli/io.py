"""The ``import``, ``export`` and ``restore`` subcommands of ``kequ``.

Kept apart from ``cli.py`` so the data-exchange code grows without crowding it; the
parser calls ``add_io_commands`` with its own ``command`` and ``json_flag`` helpers.
Like every subcommand, only the standard library is imported here at the top: the
services load when the command runs, so ``kequ`` alone still starts quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kequ.cli.common import as_of, emit_json, open_db, warn
from kequ.errors import KequError
from kequ.i18n import t

__all__ = ["add_io_commands", "cmd_export", "cmd_import", "cmd_restore"]

# Below this size a file imports faster than a progress bar can be drawn.
PROGRESS_MIN_BYTES = 512 * 1024
SHOWN_ERRORS = 30


class _Bar:
    """A Rich progress bar on stderr, fed by the import's progress callback."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _Bar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        task = self._tasks.get(phase)
        if task is None:
            task = self._tasks[phase] = self._progress.add_task(t(f"io.cli.phase.{phase}"), total=total)
        self._progress.update(task, completed=done, total=total)


def _wants_bar(args: argparse.Namespace, path: Path) -> bool:
    try:
        big = path.stat().st_size >= PROGRESS_MIN_BYTES
    except OSError:
        return False
    return big and not args.json and sys.stderr.isatty()


def cmd_import(args: argparse.Namespace) -> int:
    from kequ.exchange.imports.mapping import parse_mapping
    from kequ.exchange.imports.run import import_file
    from kequ.exchange.imports.sniff import detect_format

    source = Path(args.file).expanduser()
    # Refuse a wrong file before the database is opened (and perhaps created).
    detect_format(source)
    mapping = parse_mapping(args.mapping) if args.mapping else None
    from kequ.storage.database import open_database

    report_path = Path(args.report).expanduser() if args.report else None
    if report_path is not None:
        # Checked now: once the rows are in, a report that cannot be written is too late.
        folder = report_path.parent
        if not folder.is_dir():
            raise KequError("io.export.no_folder", folder=folder)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise KequError("io.export.not_writable", folder=folder)
    db = open_database(args.db)
    options: dict[str, Any] = {
        "mapping": mapping,
        "on_duplicate": args.on_duplicate,
        "dry_run": args.dry_run,
        "report_path": report_path,
        "sheet": args.sheet,
    }
    if _wants_bar(args, source):
        with _Bar() as bar:
            report = import_file(db, source, progress=bar, **options)
    else:
        report = import_file(db, source, **options)
    if args.json:
        emit_json(report.to_dict())
        return 1 if report.errors else 0
    _print_import(report)
    return 1 if report.errors else 0


def _field_label(field: str) -> str:
    return t("io.field.ignored") if field == "-" else t(f"io.field.{field}")


def _print_import(report: Any) -> None:
    from dataclasses import replace

    from kequ.exchange.imports.report import unit, where

    key = "io.cli.dry_run_summary" if report.dry_run else "io.cli.import_summary"
    print(
        t(
            key,
            rows=report.rows,
            added=report.added,
            merged=report.merged,
            skipped=report.skipped,
            rejected=report.rejected_rows,
            unit=unit(report),
        )
    )
    if report.sheet is not None:
        print(t("io.cli.sheet", sheet=report.sheet, count=len(report.sheets)))
    if report.format in ("csv", "xlsx") and report.mapping:
        pairs = t("io.cli.sep").join(f"{column}→{_field_label(field)}" for column, field in report.mapping.items())
        print(t("io.cli.mapping", pairs=pairs))
    kept = [column for column in report.to_notes if column not in report.empty_columns]
    if kept:
        key = "io.cli.to_notes_dry_run" if report.dry_run else "io.cli.to_notes"
        print(t(key, columns=t("io.cli.sep").join(kept)))
    if report.empty_columns:
        print(t("io.cli.empty_columns", count=len(report.empty_columns)))
    for duplicate in report.duplicates[:SHOWN_ERRORS]:
        target = f"#{duplicate.customer_id}" if duplicate.customer_id else t("io.cli.line", line=duplicate.other_line)
        print(
            t(
                f"io.cli.duplicate_{duplicate.action}{'_dry_run' if report.dry_run else ''}",
                line=duplicate.line,
                name=duplicate.name,
                target=target,
                by=t(f"io.by.{duplicate.by}"),
            )
        )
    for error in report.errors[:SHOWN_ERRORS]:
        if error.table:
            print(
                t("io.cli.json_row_error", table=error.table, line=error.line, column=error.column, reason=error.reason)
            )
        else:
            print(where(replace(error, value="")))  # a refusal names its column only
    if report.left_out:
        print(t("io.cli.left_out", count=len(report.left_out)))
    if report.warnings:
        key = "io.cli.warnings_dry_run" if report.dry_run else "io.cli.warnings"
        print(t(key, rows=report.warned_rows, unit=unit(report)))
        for warning in report.warnings[:SHOWN_ERRORS]:
            print(where(warning))
    hidden = sum(max(0, len(found) - SHOWN_ERRORS) for found in (report.errors, report.duplicates, report.warnings))
    if hidden:
        print(t("io.cli.more", count=hidden))
    if report.report_file:
        print(t("io.cli.report_written", path=report.report_file))
    elif report.errors or report.warnings:
        print(t("io.cli.report_hint"))
    if report.backup:
        print(t("io.cli.backup_taken", path=report.backup))


def plain_export_warning(book: Path) -> None:
    """An export of an encrypted book is a plain file: said on stderr, the export goes on."""
    from kequ.storage import cipher

    if cipher.looks_encrypted(book):
        warn(t("cipher.plain_export"))


def cmd_export(args: argparse.Namespace) -> int:
    from kequ.exchange.export import TEXT_FORMATS, export, export_to_file

    today = as_of(args.date)
    if args.feed:
        return _export_feed(args, today)
    if not args.output and args.format not in TEXT_FORMATS:
        raise KequError("io.export.needs_file", format=args.format)
    if not args.output and args.json:
        raise KequError("io.export.json_needs_file")
    db = open_db(args)
    plain_export_warning(db.path)
    if not args.output:
        stdout = sys.stdout.buffer
        export(db, args.format, stdout, today)
        stdout.flush()
        return 0
    result = export_to_file(db, args.format, Path(args.output), today)
    if args.json:
        emit_json({"format": result.format, "count": result.count, "path": result.path})
    else:
        key = "io.cli.export_events" if result.format == "ics" else "io.cli.export_done"
        print(t(key, count=result.count, path=result.path))
    return 0


def _export_feed(args: argparse.Namespace, today: Any) -> int:
    """``--feed FILE``: the calendar written now and kept current by every ``kequ remind``."""
    from kequ.exchange.calendar_feed import write_feed
    from kequ.services.reminders import remember_feed

    if args.format != "ics":
        raise KequError("remind.feed_needs_ics", format=args.format)
    if args.output:
        raise KequError("remind.feed_and_output")
    from kequ.cli.remind import refuse_unless_remembered
    from kequ.storage.database import resolve_db_path

    refuse_unless_remembered(resolve_db_path(args.db)[0], "remind.locked_feed")
    db = open_db(args)
    path = Path(args.feed).expanduser()
    count = write_feed(db, path, today)
    remember_feed(db, path)
    if args.json:
        emit_json({"format": "ics", "count": count, "path": str(path.resolve()), "feed": True})
    else:
        print(t("remind.feed_written", count=count, path=path.resolve()))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kequ.services.restore import restore
    from kequ.storage.database import resolve_db_path

    if bool(args.file) == bool(args.latest):
        raise KequError("io.restore.what")
    path, is_default = resolve_db_path(args.db)
    if is_default and not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    from kequ.storage import cipher

    # The book being replaced and the file chosen are opened with the book's passphrase.
    cipher.unlock(path)
    if args.file:
        cipher.unlock(Path(args.file).expanduser())
    was_encrypted = cipher.looks_encrypted(path)
    result = restore(path, Path(args.file) if args.file else None, latest=args.latest)
    if was_encrypted and not cipher.looks_encrypted(path):
        warn(t("cipher.restored_plain", path=path))
    if args.json:
        emit_json(
            {
                "restored_from": result.restored_from,
                "database": result.database,
                "safety_copy": result.safety_copy,
                "schema_from": result.schema_from,
                "customers": result.customers,
            }
        )
    else:
        print(t("io.cli.restored", source=result.restored_from, count=result.customers, path=result.database))
        if result.safety_copy:
            print(t("io.cli.safety_copy", path=result.safety_copy))
    return 0


def add_io_commands(
    command: Callable[[str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser],
    json_flag: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``import``, ``export`` and ``restore`` to the ``kequ`` parser."""
    p = command("import", cmd_import)
    p.add_argument("file", metavar="FILE", help=t("io.help.file"))
    p.add_argument("--dry-run", action="store_true", help=t("io.help.dry_run"))
    p.add_argument("--mapping", metavar="列=字段,…", help=t("io.help.mapping"))
    p.add_argument("--on-duplicate", choices=["skip", "merge"], default="skip", help=t("io.help.on_duplicate"))
    p.add_argument("--report", metavar="FILE", help=t("io.help.report"))
    p.add_argument("--sheet", metavar="NAME", help=t("io.help.sheet"))
    json_flag(p)

    p = command("export", cmd_export)
    p.add_argument("--format", required=True, choices=["csv", "xlsx", "vcf", "ics", "json"], help=t("io.help.format"))
    p.add_argument("-o", "--output", metavar="FILE", help=t("io.help.output"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("io.help.date"))
    p.add_argument("--feed", metavar="FILE", help=t("remind.help.feed"))
    json_flag(p)

    p = command("restore", cmd_restore)
    p.add_argument("file", metavar="FILE", nargs="?", help=t("io.help.restore_file"))
    p.add_argument("--latest", action="store_true", help=t("io.help.latest"))
    json_flag(p)
