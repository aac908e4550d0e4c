"""可能重复: the pairs of customers who look like one person, each one key from merging.

Opened from the Customers screen. Enter on a pair opens the merge screen; after a merge
the list is read again and the merged customer's profile opens.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from kequ.i18n import t
from kequ.services.duplicates import DuplicatePair, DuplicateSide
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.footer import KequFooter

# A table measures every cell it holds: a large book's list is cut to its surest pairs.
SHOWN = 500


def side_text(side: DuplicateSide) -> str:
    """#12 王总（王建国） 恒瑞 苏州"""
    return " ".join(part for part in (f"#{side.id}", side.display_name, side.company, side.city) if part)


class DuplicatesScreen(KequScreen[bool]):
    """Dismissed with True when a merge was made, so the list behind reads again."""

    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="duplicates.back"),
        Binding("enter", "merge", t("key.merge_pair"), id="duplicates.merge"),
        Binding("r", "refresh", t("key.refresh"), id="duplicates.refresh"),
    ]

    DEFAULT_CSS = css_beside(__file__, "merge_screen.tcss")

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.pairs: list[DuplicatePair] | None = None
        self.merged = False

    @property
    def loaded(self) -> list[DuplicatePair] | None:
        """None until the list has been read and shown."""
        return self.pairs

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="duplicates-summary", classes="merge-summary")
        yield DataTable(id="duplicates", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("merge.ui.duplicates_title")
        table = self.query_one("#duplicates", DataTable)
        for key in ("merge.col.keep", "merge.col.drop", "merge.col.by"):
            table.add_column(t(key), key=key)
        self.load()

    @work(thread=True, exclusive=True, group="duplicates")
    def load(self) -> None:
        from kequ.services.duplicates import likely_duplicates

        self.read_then_show(likely_duplicates, self.show)

    def show(self, pairs: list[DuplicatePair]) -> None:
        self.pairs = pairs
        table = self.query_one("#duplicates", DataTable)
        table.clear()
        for pair in pairs[:SHOWN]:
            by = t("punct.list_sep").join(t(f"merge.by.{reason}") for reason in pair.by)
            table.add_row(
                plain(side_text(pair.keep)),
                plain(side_text(pair.drop)),
                plain(by),
                key=f"{pair.keep.id}:{pair.drop.id}",
            )
        summary = t("merge.ui.duplicates_summary", count=len(pairs)) if pairs else t("merge.duplicates.none")
        if len(pairs) > SHOWN:
            summary += t("merge.ui.duplicates_cut", shown=SHOWN)
        self.query_one("#duplicates-summary", Static).update(plain(summary))
        if pairs:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_merge(event.row_key.value)

    def action_merge(self) -> None:
        table = self.query_one("#duplicates", DataTable)
        if table.row_count:
            key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            if key.value:
                self.open_merge(key.value)

    def open_merge(self, key: str) -> None:
        from kequ.ui.screens.customers.merging import MergeScreen
        from kequ.ui.screens.customers.profile import ProfileScreen

        keep, drop = (int(part) for part in key.split(":"))

        def after(kept: int | None) -> None:
            if kept is not None:
                self.merged = True
                self.load()
                self.app.push_screen(ProfileScreen(kept, self.today))

        self.app.push_screen(MergeScreen(keep, drop, self.today), after)

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.merged)
