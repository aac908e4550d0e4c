"""导入: customers from a file, with a preview to correct before anything is written.

Three steps on one screen: choose the file (a path or the folder tree), check the
preview (what each column becomes, a few sample values, a dry run's counts and every
duplicate and refused row), then import with a progress bar. Reading and importing are
``kequ.exchange.imports`` itself, in thread workers; this screen only shows and asks.
File names and cells are user text: they reach the widgets as plain ``Text``, never markup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    DirectoryTree,
    Header,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Static,
)
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from kequ.errors import KequError

# This module loads only when the user opens the import (the app imports it on `i`);
# openpyxl loads later still, when a workbook is read.
from kequ.exchange.imports.fields import FIELDS, IGNORE
from kequ.exchange.imports.report import DuplicateRow, ImportReport, unit, write_error_report
from kequ.exchange.imports.run import Preview, dry_run, import_file, preview_head
from kequ.i18n import t
from kequ.ui.base import Dialog, KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.footer import KequFooter

# What the tree offers; any other file typed in is still tried, as `kequ import` would.
SUFFIXES = frozenset({".csv", ".xlsx", ".vcf", ".json"})
# Other names that hold text or workbooks the importer reads by their content.
ALSO_READ = frozenset({".txt", ".tsv", ".xlsm", ".vcard"})


class ImportStopped(Exception):
    """Raised from the import's progress callback when the user pressed Escape."""


# The chooser's id for a column kept in the notes (None to the importer); no field is called so.
KEEP = "keep"
# Refusals that, for a file of some other kind, mean just "not a file kequ reads".
NOT_OURS = frozenset({"io.file.binary", "io.file.xlsx_broken"})
SHOWN_PROBLEMS = 500
# How much of the bar each phase of an import fills: reading and checking, then writing.
READ_SHARE = 50.0


def field_label(target: str | None) -> Text:
    """What a column becomes, as the table and the chooser word it."""
    if target is None:
        return Text(t("import_ui.target.keep"), style="italic")
    if target == IGNORE:
        return Text(t("import_ui.target.skip"), style="dim")
    return Text(t(f"io.field.{target}"))


def column_title(label: str, index: int) -> str:
    # A column without a header is named by its place, as the importer names it.
    return label or t("io.row.column_n", n=index + 1)


def file_line(path: Path, preview: Preview) -> Text:
    text = plain(path.name, "bold")
    text.append(f"  ·  {t(f'import_ui.format.{preview.format}')}")
    if preview.encoding:
        text.append(f"  ·  {t(f'import_ui.encoding.{preview.encoding}')}")
    if preview.sheet is not None:
        text.append(f"  ·  {t('import_ui.sheet', sheet=preview.sheet, count=len(preview.sheets))}")
    return text


def duplicate_text(duplicate: DuplicateRow, done: bool) -> str:
    target = (
        t("import_ui.existing", id=duplicate.customer_id)
        if duplicate.customer_id
        else t("io.cli.line", line=duplicate.other_line)
    )
    action = duplicate.action if done else ("merge" if duplicate.action == "merged" else "skip")
    return t(
        "import_ui.duplicate", by=t(f"io.by.{duplicate.by}"), target=target, action=t(f"import_ui.action.{action}")
    )


# What the Kind column may say; it is as wide as the longest of them.
KIND_KEYS = ("error", "warning", "warning_preview", "left_out", "duplicate")


def kind_width() -> int:
    return max(cell_len(t(f"import_ui.kind.{key}")) for key in KIND_KEYS)


def problem_widths(total: int) -> dict[str, int]:
    """The problem table's column widths for a screen ``total`` cells wide: the kind fits
    its label, the value and the reason share the rest, so both wrap instead of running off."""
    padding = 2 * 4 + 2  # a cell's padding on both sides, and the scroll bar
    line, kind = 5, kind_width()
    rest = max(24, total - padding - line - kind)
    value = min(28, max(10, rest * 2 // 5))
    return {"line": line, "kind": kind, "value": value, "reason": max(12, rest - value)}


def wrapped(value: str) -> Text:
    """User text that wraps within its column, as a long reason must."""
    text = plain(value)
    text.no_wrap = False
    text.overflow = "fold"
    return text


def problem_rows(report: ImportReport, done: bool) -> list[tuple[int, Text, Text, Text]]:
    """Every refused row, warning, skipped group chat and duplicate, in the file's order.

    Before the import (``done`` False) a warned row is one that *will* go in."""
    rows: list[tuple[int, Text, Text, Text]] = []
    warned = "warning" if done else "warning_preview"
    kinds = (
        (report.errors, Text(t("import_ui.kind.error"), style="bold red")),
        (report.warnings, Text(t(f"import_ui.kind.{warned}"), style="yellow")),
        (report.left_out, Text(t("import_ui.kind.left_out"), style="dim")),
    )
    for found, kind in kinds:
        for error in found:
            value = wrapped(f"{error.column}：{error.value}" if error.value else error.column)
            rows.append((error.line, kind.copy(), value, wrapped(error.reason)))
    for duplicate in report.duplicates:
        kind = Text(t("import_ui.kind.duplicate"), style="yellow")
        rows.append((duplicate.line, kind, wrapped(duplicate.name), wrapped(duplicate_text(duplicate, done))))
    rows.sort(key=lambda row: row[0])
    return rows[:SHOWN_PROBLEMS]


class ImportableTree(DirectoryTree):
    """Folders and the files kequ imports; hidden ones stay out of the way."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".") and (self._safe_is_dir(path) or path.suffix.lower() in SUFFIXES)
        ]


class FieldPrompt(Dialog[str | None]):
    """Which customer field one column feeds; Enter chooses, Escape keeps it as it was."""

    DEFAULT_CSS = css_beside(__file__, "import_stopped.tcss")

    def __init__(self, column: str, current: str | None) -> None:
        super().__init__()
        self.column = column
        self.current = KEEP if current is None else current

    def compose(self) -> ComposeResult:
        choices = [*FIELDS, KEEP, IGNORE]
        options = [Option(field_label(None if c == KEEP else c), id=c) for c in choices]
        with Vertical(classes="prompt"):
            yield Label(plain(t("import_ui.field_title", column=self.column)))
            yield OptionList(*options, id="import-field-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ImportScreen(KequScreen[bool]):
    """Choose, preview, import. Dismissed with True when customers were written."""

    DEFAULT_CSS = css_beside(__file__, "import_screen.tcss")

    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="import.back"),
        Binding("f", "choose_field", t("import_ui.key.field"), id="import.field"),
        Binding("d", "toggle_duplicates", t("import_ui.key.duplicates"), id="import.duplicates"),
        Binding("ctrl+s", "start", t("import_ui.key.start"), id="import.start"),
        Binding("n", "another", t("import_ui.key.another"), id="import.another"),
    ]

    # pick → reading → preview ⇄ checking → importing → done; the footer follows it.
    stage: var[str] = var("pick", bindings=True)

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        home = Path.home()
        self.start = start or (home if home.is_dir() else Path.cwd())
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.overrides: dict[str, str | None] = {}
        self.duplicate_choice = "skip"
        self.imported = False
        # Set by Escape while importing; the import's progress callback then stops it.
        self.stop = threading.Event()
        # What the problem table shows, to lay it out again when the terminal is resized.
        self.shown_report: tuple[ImportReport | None, str | None, bool] = (None, None, False)

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="import-pick", id="import-steps"):
            with Vertical(id="import-pick"):
                yield Static(t("import_ui.intro"), classes="import-intro")
                yield Input(placeholder=t("import_ui.path_placeholder"), id="import-path")
                yield Static("", id="import-message")
                yield ImportableTree(self.start, id="import-tree")
            with Vertical(id="import-preview"):
                yield Static("", id="import-file", classes="import-intro")
                yield Static(t("import_ui.columns_title"), id="import-columns-title", classes="import-heading")
                yield DataTable(id="import-columns", cursor_type="row", zebra_stripes=True)
                yield Static("", id="import-summary")
                with Horizontal(id="import-progress"):
                    yield Label("", id="import-phase")
                    yield ProgressBar(total=100, show_eta=False, id="import-bar")
                yield Static(t("import_ui.problems_title"), id="import-problems-title", classes="import-heading")
                yield DataTable(id="import-problems", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("import_ui.title")
        self.problem_columns()
        self.query_one("#import-path", Input).focus()

    def problem_columns(self) -> None:
        """The problem table's columns, sized to the screen so long reasons wrap."""
        problems = self.query_one("#import-problems", DataTable)
        problems.clear(columns=True)
        for key, width in problem_widths(self.app.size.width).items():
            problems.add_column(t(f"import_ui.col.{key}"), key=key, width=width)

    def on_resize(self) -> None:
        self.problem_columns()
        report, problem, done = self.shown_report
        if report is not None:
            self.show_report(report, problem, done, summary=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("choose_field", "toggle_duplicates", "start"):
            if self.stage not in ("preview", "checking"):
                return False
            if action == "choose_field" and not (self.preview and self.preview.editable):
                return False
            # Shown but dimmed while the dry run is being redone.
            return True if self.stage == "preview" else None
        if action == "another":
            return self.stage == "done"
        return True

    # ------------------------------------------------------------------ step 1: the file

    def message(self, text: str, error: bool = False) -> None:
        label = self.query_one("#import-message", Static)
        label.update(plain(text) if text else "")
        label.set_class(error, "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "import-path":
            self.open_file(event.value)

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#import-path", Input).value = str(event.path)
        self.open_file(str(event.path))

    def open_file(self, typed: str) -> None:
        # Paths pasted from a file manager often come quoted.
        typed = typed.strip().strip("'\"").strip()
        if not typed:
            self.message(t("import_ui.no_path"), error=True)
            return
        path = Path(typed).expanduser()
        if path.is_dir():
            self.query_one("#import-tree", ImportableTree).path = path
            self.message(t("import_ui.folder_opened", path=path))
            return
        self.path = path
        self.overrides = {}
        self.duplicate_choice = "skip"
        self.stage = "reading"
        self.message(t("import_ui.reading", name=path.name))
        self.read_preview(path, {}, "skip")

    @work(thread=True, exclusive=True, group="import-preview")
    def read_preview(self, path: Path, mapping: dict[str, str | None], on_duplicate: str) -> None:
        """Off the UI thread: the file's columns and first rows, shown as soon as they are
        read; then the dry run (every row checked, the book's duplicates), whose counts and
        problems fill in when it ends. The import waits for it."""

        worker = get_current_worker()

        def tell(callback: Callable[..., None], *args: object) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(callback, *args)

        try:
            head = preview_head(path, mapping=mapping)
            if head.columns:  # a JSON export has none to show: its counts are its preview
                tell(self.show_head, path, head)
            if worker.is_cancelled:  # the user went back meanwhile: spare the dry run
                return
            preview = dry_run(self.db, path, head, mapping=mapping, on_duplicate=on_duplicate)
        except KequError as problem:
            text = problem.message()
            if problem.key in NOT_OURS and path.suffix.lower() not in SUFFIXES | ALSO_READ:
                text = t("import_ui.unsupported", suffix=path.suffix or path.name)
            tell(self.preview_failed, text)
            return
        except OSError as problem:
            tell(self.preview_failed, t("import_ui.read_failed", detail=problem))
            return
        tell(self.show_preview, path, preview)

    def preview_failed(self, text: str) -> None:
        if self.stage == "reading":
            self.stage = "pick"
            self.message(text, error=True)
        elif self.stage == "checking":
            self.stage = "preview"
            if self.preview is not None and self.preview.report is None:
                # The columns are shown but the dry run never ended: nothing to import yet.
                self.preview = replace(self.preview, problem=text)
            self.summary(text, error=True)

    # --------------------------------------------------------------- step 2: the preview

    def show_head(self, path: Path, head: Preview) -> None:
        """The columns, what each becomes and the first rows, while the dry run goes on:
        its counts and problems are still to come, and the import waits for them."""
        if self.stage not in ("reading", "checking") or path != self.path:
            return  # the user went back, or chose another file, meanwhile
        first = self.stage == "reading"
        self.preview = head
        self.stage = "checking"
        self.show_file(path, head, first)
        if first:  # a check again keeps saying so
            self.summary(t("import_ui.checking_rows"))
        self.query_one("#import-problems", DataTable).clear()
        self.shown_report = (None, None, False)

    def show_preview(self, path: Path, preview: Preview) -> None:
        """The dry run's counts and every problem it found; the import may start."""
        if self.stage not in ("reading", "checking") or path != self.path:
            return  # the user went back, or chose another file, meanwhile
        first = self.stage == "reading"
        self.preview = preview
        self.stage = "preview"
        if first or not preview.columns:
            self.show_file(path, preview, first)
        self.show_report(preview.report, preview.problem, done=False)

    def show_file(self, path: Path, preview: Preview, first: bool) -> None:
        self.query_one("#import-steps", ContentSwitcher).current = "import-preview"
        self.query_one("#import-file", Static).update(file_line(path, preview))
        self.show_columns(preview)
        if first:
            self.message("")
            self.query_one("#import-columns" if preview.columns else "#import-problems", DataTable).focus()

    def show_columns(self, preview: Preview) -> None:
        table = self.query_one("#import-columns", DataTable)
        title = self.query_one("#import-columns-title", Static)
        keep_row = table.cursor_row
        table.clear(columns=True)
        table.display = bool(preview.columns)
        title.display = bool(preview.columns)
        title.update(t("import_ui.columns_title") if preview.editable else t("import_ui.fixed_fields"))
        if not preview.columns:
            return
        table.add_column(t("import_ui.col.column"), key="column", width=18)
        table.add_column(t("import_ui.col.field"), key="field", width=20)
        for n in range(len(preview.samples)):
            table.add_column(t("import_ui.col.sample", n=n + 1), key=f"sample{n}", width=26)
        for i, (label, target) in enumerate(zip(preview.columns, preview.targets, strict=True)):
            becomes = field_label(target)
            if label in self.overrides:
                becomes = Text("✎ ", style="bold").append_text(becomes)
                becomes.stylize("bold")
            cells = [plain(sample[i]) for sample in preview.samples]
            table.add_row(plain(column_title(label, i), "bold"), becomes, *cells, key=str(i))
        table.move_cursor(row=min(keep_row, table.row_count - 1))

    def show_report(self, report: ImportReport | None, problem: str | None, done: bool, summary: bool = True) -> None:
        """The counts above, every duplicate and refused row below."""
        self.shown_report = (report, problem, done)
        table = self.query_one("#import-problems", DataTable)
        table.clear()
        if report is None:
            self.summary(t("import_ui.cannot_import", problem=problem or ""), error=True)
            return
        if not done and summary:
            self.summary(self.dry_run_text(report))
        rows = problem_rows(report, done)
        widths = [column.width for column in table.ordered_columns]
        console = self.app.console
        for i, (line, kind, value, reason) in enumerate(rows):
            cells = (Text(str(line)), kind, value, reason)
            # A long value or reason wraps within its column. The table could measure each
            # row itself (height None), but by rendering every cell of 500 rows at once.
            height = max(len(cell.wrap(console, width)) for cell, width in zip(cells, widths, strict=True))
            table.add_row(*cells, key=str(i), height=height)
        if not rows:
            table.add_row(Text(""), Text(""), Text(""), Text(t("import_ui.no_problems"), style="dim"))

    def dry_run_text(self, report: ImportReport) -> str:
        if report.format == "json":
            return t("import_ui.json_summary", customers=report.rows, rows=sum(report.tables.values()))
        return t(
            "import_ui.summary",
            rows=report.rows,
            added=report.added,
            duplicates=len(report.duplicates),
            action=t(f"import_ui.action.{self.duplicate_choice}"),
            rejected=report.rejected_rows,
            warned=report.warned_rows,
            unit=unit(report),
        )

    def summary(self, text: str, error: bool = False) -> None:
        label = self.query_one("#import-summary", Static)
        label.update(plain(text))
        label.set_class(error, "error")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "import-columns":
            self.action_choose_field()

    def action_choose_field(self) -> None:
        if self.preview is None or self.stage != "preview" or not self.preview.editable:
            return
        table = self.query_one("#import-columns", DataTable)
        if not table.row_count:
            return
        index = table.cursor_row
        label = self.preview.columns[index]

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self.overrides[label] = None if choice == KEEP else choice
                self.recheck()

        self.app.push_screen(FieldPrompt(column_title(label, index), self.preview.targets[index]), chosen)

    def action_toggle_duplicates(self) -> None:
        if self.stage == "preview":
            self.duplicate_choice = "merge" if self.duplicate_choice == "skip" else "skip"
            self.recheck()

    def recheck(self) -> None:
        """The dry run again, after the mapping or the duplicate choice changed."""
        assert self.path is not None
        self.stage = "checking"
        self.summary(t("import_ui.checking"))
        self.read_preview(self.path, dict(self.overrides), self.duplicate_choice)

    # ------------------------------------------------------------------ step 3: import

    def action_start(self) -> None:
        if self.stage != "preview" or self.preview is None or self.path is None:
            return
        report = self.preview.report
        if report is None:
            self.notify(
                t("import_ui.cannot_import", problem=self.preview.problem or ""), severity="error", markup=False
            )
            return
        if report.format != "json" and report.added + report.merged == 0:
            self.notify(t("import_ui.nothing_new"), severity="warning", markup=False)
            return
        self.stage = "importing"
        self.stop.clear()
        self.summary(t("import_ui.importing"))
        self.query_one("#import-progress").add_class("running")
        self.show_progress("read", 0, None)
        self.run_import(self.path, dict(self.overrides), self.duplicate_choice)

    @work(thread=True, exclusive=True, group="import-run")
    def run_import(self, path: Path, mapping: dict[str, str | None], on_duplicate: str) -> None:
        """The import itself: one transaction in the service; the bar follows its callback."""

        def progress(phase: str, done: int, total: int | None) -> None:
            if self.stop.is_set():
                raise ImportStopped  # the service's one transaction rolls back
            self.app.call_from_thread(self.show_progress, phase, done, total)

        try:
            report = import_file(self.db, path, mapping=mapping, on_duplicate=on_duplicate, progress=progress)
        except ImportStopped:
            self.app.call_from_thread(self.import_stopped)
            return
        except (KequError, OSError) as problem:
            self.app.call_from_thread(self.import_failed, str(problem))
            return
        # Only refused rows need a file to fix: what a warning kept is in the notes already.
        report_file, report_problem = self.write_report(report, path) if report.errors else (None, None)
        self.app.call_from_thread(self.import_done, report, report_file, report_problem)

    def write_report(self, report: ImportReport, source: Path) -> tuple[str | None, str | None]:
        """The refused rows beside the file they came from, else beside the database."""
        name = t("import_ui.report_name", stem=source.stem)
        problem = ""
        for folder in (source.parent, self.db.path.parent):
            try:
                return str(write_error_report(report, folder / name)), None
            except (KequError, OSError) as error:
                problem = str(error)
        return None, problem

    def show_progress(self, phase: str, done: int, total: int | None) -> None:
        """Reading fills the first half of the bar, writing the second."""
        share = done / total if total else 0.0
        start = 0.0 if phase == "read" else READ_SHARE
        self.query_one("#import-phase", Label).update(t(f"io.cli.phase.{phase}"))
        self.query_one("#import-bar", ProgressBar).update(progress=start + READ_SHARE * min(1.0, share))

    def import_failed(self, problem: str) -> None:
        self.stage = "preview"
        self.query_one("#import-progress").remove_class("running")
        self.summary(t("import_ui.failed", problem=problem), error=True)
        self.notify(t("import_ui.failed", problem=problem), severity="error", markup=False, timeout=10)

    def import_stopped(self) -> None:
        """Stopped by the user: nothing was written; the preview stays for another try."""
        self.stage = "preview"
        self.query_one("#import-progress").remove_class("running")
        self.summary(t("import_ui.stopped"))
        self.notify(t("import_ui.stopped"), markup=False)

    def import_done(self, report: ImportReport, report_file: str | None, report_problem: str | None) -> None:
        self.stage = "done"
        self.imported = report.added > 0 or report.merged > 0
        self.query_one("#import-bar", ProgressBar).update(progress=100)
        self.query_one("#import-phase", Label).update("")
        lines = [
            t(
                "io.cli.import_summary",
                rows=report.rows,
                added=report.added,
                merged=report.merged,
                skipped=report.skipped,
                rejected=report.rejected_rows,
                unit=unit(report),
            )
        ]
        if report.left_out:
            lines.append(t("io.cli.left_out", count=len(report.left_out)))
        if report.warnings:
            lines.append(t("import_ui.warned", rows=report.warned_rows, unit=unit(report)))
        if report_file:
            lines.append(t("io.cli.report_written", path=report_file))
        elif report_problem:
            lines.append(t("import_ui.report_failed", detail=report_problem))
        if report.backup:
            lines.append(t("io.cli.backup_taken", path=report.backup))
        lines.append(t("import_ui.done_hint"))
        self.show_report(report, None, done=True)
        self.summary("\n".join(lines))
        self.notify(t("import_ui.done_toast", added=report.added), markup=False)

    # --------------------------------------------------------------------------- back

    def action_back(self) -> None:
        if self.stage == "importing":
            self.stop.set()
            self.summary(t("import_ui.stopping"))
        elif self.stage in ("preview", "checking"):
            # Back to the file: the preview's worker, if any, is no longer wanted.
            self.workers.cancel_group(self, "import-preview")
            self.stage = "pick"
            self.preview = None
            self.query_one("#import-steps", ContentSwitcher).current = "import-pick"
            self.query_one("#import-path", Input).focus()
        elif self.stage == "reading":
            self.workers.cancel_group(self, "import-preview")
            self.stage = "pick"
            self.message("")
        else:
            self.dismiss(self.imported)

    def action_another(self) -> None:
        """From the summary, back to choosing a file; what was imported stays imported."""
        self.stage = "pick"
        self.path = None
        self.preview = None
        self.query_one("#import-progress").remove_class("running")
        self.query_one("#import-steps", ContentSwitcher).current = "import-pick"
        self.message("")
        path = self.query_one("#import-path", Input)
        path.value = ""
        path.focus()
