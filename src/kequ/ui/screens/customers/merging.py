"""合并: two customers side by side; each field they fill differently takes the left or the
right value; after a `y` the right one is folded into the left, a backup taken first.

Everything else of both is kept: contacts, dates, gifts, deals, complaints, trip visits,
planned touches and rhythms move to the left customer; phones, tags and notes are united.
Dismissed with the kept customer's id after a merge, else None.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from kequ.i18n import t
from kequ.services.merging import MergePreview, MergeReport, MergeSide, field_label, shown_value, table_word
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.footer import KequFooter

KEEP, DROP = "keep", "drop"
COLUMNS = ("merge.col.field", KEEP, DROP)


def choice_cell(value: str, chosen: bool) -> Text:
    """The value that will be kept stands out with a mark; the other is dimmed."""
    if chosen:
        cell = Text("● ", style="bold green")
        cell.append_text(plain(value, "bold"))
        return cell
    return plain(f"  {value}", "dim")


def side_line(label: str, side: MergeSide) -> Text:
    who = side.customer
    company = f" {who.company}" if who.company else ""
    contacts = t("merge.contacts", count=side.counts.get("interaction", 0))
    return plain(f"{label}#{who.id} {who.display_name}{company} · {contacts}")


class MergeScreen(KequScreen[int | None]):
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="merge.back"),
        # Priority: the table would take the arrows to scroll sideways.
        Binding("left", "pick('keep')", t("key.take_left"), id="merge.take_left", priority=True),
        Binding("right", "pick('drop')", t("key.take_right"), id="merge.take_right", priority=True),
        Binding("s", "swap", t("key.swap_sides"), id="merge.swap"),
        Binding("m", "merge", t("key.merge"), id="merge.merge"),
    ]

    DEFAULT_CSS = css_beside(__file__, "merge_screen.tcss")

    def __init__(self, keep_id: int, drop_id: int, today: date | None = None) -> None:
        super().__init__()
        self.keep_id, self.drop_id = keep_id, drop_id
        self.today = today or clock.today()
        self.preview: MergePreview | None = None
        self.chosen: dict[str, str] = {}  # field -> KEEP or DROP

    @property
    def loaded(self) -> MergePreview | None:
        """None until both customers have been read and shown."""
        return self.preview

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="merge-sides", classes="merge-summary")
        yield DataTable(id="merge-fields", cursor_type="row")
        yield Static("", id="merge-united")
        yield Static(t("merge.ui.hint"), id="merge-hint", classes="dim")
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("merge.ui.title")
        self.load()

    @work(thread=True, exclusive=True, group="merge")
    def load(self) -> None:
        from kequ.services.merging import merge_preview

        keep, drop = self.keep_id, self.drop_id
        self.read_then_show(lambda db: merge_preview(db, keep, drop), self.show)

    def show(self, preview: MergePreview) -> None:
        self.preview = preview
        self.chosen = {conflict.field: KEEP for conflict in preview.conflicts}
        sides = side_line(t("merge.ui.left"), preview.keep)
        sides.append("\n")
        sides.append_text(side_line(t("merge.ui.right"), preview.drop))
        self.query_one("#merge-sides", Static).update(sides)
        table = self.query_one("#merge-fields", DataTable)
        table.clear(columns=True)
        table.add_column(t("merge.col.field"), key=COLUMNS[0])
        table.add_column(f"#{preview.keep.customer.id}", key=KEEP)
        table.add_column(f"#{preview.drop.customer.id}", key=DROP)
        for conflict in preview.conflicts:
            table.add_row(
                plain(field_label(conflict.field)),
                choice_cell(shown_value(conflict.field, conflict.keep), True),
                choice_cell(shown_value(conflict.field, conflict.drop), False),
                key=conflict.field,
            )
        table.display = bool(preview.conflicts)
        self.query_one("#merge-united", Static).update(self.united_text(preview))
        table.focus()

    def united_text(self, preview: MergePreview) -> Text:
        sep = t("punct.list_sep")
        text = Text()
        if not preview.conflicts:
            text.append(t("merge.cli.no_conflicts") + "\n")
        moving = [f"{table_word(name)} {n}" for name, n in preview.drop.counts.items() if n]
        if moving:
            left, right = f"#{preview.keep.customer.id}", f"#{preview.drop.customer.id}"
            text.append_text(plain(t("merge.cli.moving", drop=right, keep=left, what=sep.join(moving)) + "\n"))
        phones = ", ".join(preview.phones) or "—"
        text.append_text(plain(t("merge.cli.united", phones=phones, tags=sep.join(preview.tags) or "—")))
        return text

    def action_pick(self, side: str) -> None:
        table = self.query_one("#merge-fields", DataTable)
        if self.preview is None or not table.row_count:
            return
        conflict = self.preview.conflicts[table.cursor_row]
        self.chosen[conflict.field] = side
        for column, value in ((KEEP, conflict.keep), (DROP, conflict.drop)):
            cell = choice_cell(shown_value(conflict.field, value), side == column)
            table.update_cell(conflict.field, column, cell)

    def action_swap(self) -> None:
        """The right one kept instead (its id stays); every choice starts again."""
        self.keep_id, self.drop_id = self.drop_id, self.keep_id
        self.preview = None
        self.load()

    def action_merge(self) -> None:
        from kequ.ui.dialogs.prompts import ConfirmPrompt

        preview = self.preview
        if preview is None:
            return
        keep, drop = preview.keep.customer, preview.drop.customer
        question = t("merge.ui.confirm", drop=f"#{drop.id} {drop.display_name}", keep=f"#{keep.id} {keep.display_name}")

        def after(yes: bool | None) -> None:
            if yes:
                self.merge_now(preview)

        self.app.push_screen(ConfirmPrompt(question), after)

    def merge_now(self, preview: MergePreview) -> None:
        from kequ.services.merging import merge

        take = frozenset(name for name, side in self.chosen.items() if side == DROP)
        keep, drop = preview.keep.customer, preview.drop.customer
        versions = (keep.version, drop.version)
        self.run_change(
            lambda db: merge(db, keep.id, drop.id, take, versions),
            group="merge-write",
            then=self.merged,
            reload=False,
        )

    def merged(self, report: MergeReport) -> None:
        self.notify(t("merge.ui.done", path=report.backup), markup=False, timeout=10)
        self.dismiss(report.keep_id)

    def action_back(self) -> None:
        self.dismiss(None)
