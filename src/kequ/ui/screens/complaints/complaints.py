"""投诉列表: every complaint, the open ones first, with how long each has waited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from kequ.domain import complaints as wizard
from kequ.domain.complaints import LAST_STEP
from kequ.domain.vocab import ComplaintStatus
from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.fast_table import MARGIN, FastTable
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:
    from kequ.domain.complaints import ComplaintRow

# (column, fixed width); the summary takes what the terminal has left.
COLUMNS = (
    ("status", 8),
    ("opened", 10),
    ("age", 5),
    ("step", 5),
    ("customer", 22),
    ("summary", None),
    ("cause", 14),
)
SUMMARY_MIN = 20
OTHER_COLUMNS = sum(width or 0 for _, width in COLUMNS) + 2 * len(COLUMNS) + 2


def row_cells(row: ComplaintRow) -> tuple[Text, ...]:
    is_open = row.status == ComplaintStatus.OPEN.value
    status = plain(t(wizard.status_key(row.status)), "bold yellow" if is_open else "dim")
    summary = plain(row.summary) if row.summary else plain(t("complaint_ui.list.untitled"), "dim")
    cause = plain(t(wizard.cause_key(row.cause))) if row.cause else plain("—", "dim")
    return (
        status,
        plain(row.opened_on.isoformat()),
        plain(str(row.age_days), "bold red" if is_open and row.age_days >= 3 else ""),
        plain(f"{row.step}/{LAST_STEP}"),
        plain(row.customer_name),
        summary,
        cause,
    )


class ComplaintsScreen(KequScreen[None]):
    BINDINGS = [
        Binding("enter,o", "open", t("complaint_ui.key.open"), id="complaints.open"),
        Binding("r", "refresh", t("key.refresh"), id="complaints.refresh"),
        Binding("escape", "back", t("key.back"), id="complaints.back"),
    ]

    DEFAULT_CSS = css_beside(__file__, "complaints_screen.tcss")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today: date = today or clock.today()
        self.rows: list[ComplaintRow] | None = None
        self.summary_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="complaints-summary")
        # Filled with the rows in view first, the rest as the list is scrolled or its cursor
        # moves down (see FastTable): Textual measured every cell of the 3,000 rows of a big book.
        yield FastTable(id="complaints-table", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("complaint_ui.list.title")
        self.load()

    def on_resize(self) -> None:
        width = max(SUMMARY_MIN, self.size.width - OTHER_COLUMNS)
        if width == self.summary_width:
            return
        self.summary_width = width
        table = self.query_one("#complaints-table", FastTable)
        table.clear(columns=True)
        for key, fixed in COLUMNS:
            table.add_column(t(f"complaint_ui.col.{key}"), key=key, width=fixed or width)
        if self.rows is not None:
            self.show(self.rows)

    def on_screen_resume(self) -> None:
        # Back from the wizard: a step, a summary or a closing may have changed.
        if self.rows is not None:
            self.load()

    @work(thread=True, exclusive=True, group="complaints")
    def load(self) -> None:
        from kequ.storage.fast_reads.complaints import list_complaints

        # Plain SQL: the first screen that needs no ORM does not wait for it to load.
        self.read_then_show(lambda db: list_complaints(db, self.today), self.show)

    def show(self, rows: list[ComplaintRow]) -> None:
        self.rows = rows
        table = self.query_one("#complaints-table", FastTable)
        cursor = min(table.cursor_row, len(rows) - 1)
        by_key = {str(row.id): row for row in rows}
        # The rows in view now, and those down to the cursor's row when the list is read again
        # (back from the wizard): the cursor goes back to where it was, the rest are filled later.
        first = max(table.rows_in_view(), cursor + 1) + MARGIN
        table.fill(list(by_key), lambda key: row_cells(by_key[key]), first=first)
        if cursor > 0:
            table.move_cursor(row=cursor)
        open_count = sum(1 for row in rows if row.status == ComplaintStatus.OPEN.value)
        summary = self.query_one("#complaints-summary", Static)
        if rows:
            summary.update(plain(t("complaint_ui.list.summary", total=len(rows), open=open_count)))
        else:
            summary.update(plain(t("complaint_ui.list.empty")))

    def selected(self) -> ComplaintRow | None:
        table = self.query_one("#complaints-table", FastTable)
        if not self.rows or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((row for row in self.rows if str(row.id) == row_key.value), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from kequ.ui.screens.complaints.wizard import ComplaintWizard

        row = self.selected()
        if row is not None:
            self.app.push_screen(ComplaintWizard(complaint_id=row.id, today=self.today))

    def action_refresh(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # As the base screen of a mode there is nothing to go back to.
        if action == "back":
            return len(self.app.screen_stack) > 1
        return True

    def action_back(self) -> None:
        self.dismiss(None)
