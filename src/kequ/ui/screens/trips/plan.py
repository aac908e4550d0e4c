"""One trip: whom to see, the visits day by day, the day sheet, expenses and the summary."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import (
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from kequ.i18n import language, t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.screens.trips.forms import ExpensePrompt, ExportPrompt, VisitPrompt, WriteUpPrompt
from kequ.ui.screens.trips.render import (
    CANDIDATE_COLUMNS,
    CANDIDATE_OTHERS,
    STATUS_STYLE,
    TABS,
    WHY_MAX,
    WHY_MIN,
    candidate_text,
    flags_text,
    money,
    paren,
    plan_text,
    summary_text,
)
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, plain
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:  # the domain loads with the data, after the first frame
    from kequ.domain.trips import TripCandidate, VisitView
    from kequ.services.trips import TripBoard
    from kequ.storage.database import Database


class TripPlanScreen(KequScreen[bool]):
    """One trip. Dismissed with True when something was written, so the list can refresh."""

    DEFAULT_CSS = css_beside(__file__, "trip_plan_screen.tcss")
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="trip.back"),
        Binding("a", "plan_visit", t("trip.key.plan_visit"), id="trip.plan_visit"),
        Binding("e", "edit_visit", t("trip.key.edit_visit"), id="trip.edit_visit"),
        Binding("w", "write_up", t("trip.key.write_up"), id="trip.write_up"),
        Binding("c", "cancel_visit", t("trip.key.cancel_visit"), id="trip.cancel_visit"),
        Binding("d", "next_day", t("trip.key.next_day"), id="trip.next_day"),
        Binding("m", "add_expense", t("trip.key.add_expense"), id="trip.add_expense"),
        Binding("delete", "remove_expense", t("trip.key.remove_expense"), id="trip.remove_expense"),
        Binding("x", "export", t("trip.key.export"), id="trip.export"),
        Binding("right_square_bracket", "tab(1)", t("trip.key.next_tab"), id="trip.next_tab"),
        Binding("left_square_bracket", "tab(-1)", t("trip.key.prev_tab"), id="trip.prev_tab"),
        Binding("r", "refresh", t("key.refresh"), id="trip.refresh", show=False),
    ]
    # Which tab each key works on; elsewhere the footer hides it.
    TAB_ACTIONS = {
        "plan_visit": {"tab-candidates"},
        "edit_visit": {"tab-visits"},
        "write_up": {"tab-visits"},
        "cancel_visit": {"tab-visits"},
        "next_day": {"tab-sheet"},
        "add_expense": {"tab-expenses", "tab-summary"},
        "remove_expense": {"tab-expenses"},
        "export": {"tab-sheet", "tab-summary"},
    }

    def __init__(self, trip_id: int, today: date | None = None) -> None:
        super().__init__()
        self.trip_id = trip_id
        self.today = today or clock.today()
        self.loaded: TripBoard | None = None
        self.sheet_day: date | None = None
        self.changed = False
        self.first_show = True
        self.why_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="trip-header")
        with TabbedContent(id="trip-tabs"):
            with TabPane(t("trip.tab.candidates"), id="tab-candidates"):
                yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
                yield Static("", id="candidate-detail")
            with TabPane(t("trip.tab.visits"), id="tab-visits"):
                yield DataTable(id="visits", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="plan-box"):
                    yield Static("", id="visit-plan")
            with TabPane(t("trip.tab.sheet"), id="tab-sheet"):
                yield Static("", id="sheet-title")
                with VerticalScroll():
                    yield Static("", id="sheet")
            with TabPane(t("trip.tab.expenses"), id="tab-expenses"):
                yield Static("", id="expense-summary")
                yield DataTable(id="expenses", cursor_type="row", zebra_stripes=True)
            with TabPane(t("trip.tab.summary"), id="tab-summary"), VerticalScroll():
                yield Static("", id="summary-text")
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("trip.title")
        columns = {
            "visits": ("col.date", "trip.col.time", "col.customer", "col.company", "trip.col.purpose", "col.status"),
            "expenses": ("col.date", "trip.col.category", "trip.col.amount", "trip.col.note"),
        }
        for table_id, keys in columns.items():
            table = self.query_one(f"#{table_id}", DataTable)
            for key in keys:
                table.add_column(t(key), key=key)
        self.load()

    def on_resize(self) -> None:
        """The reason gets what the terminal can spare, so the planned day stays in sight."""
        width = max(WHY_MIN, min(WHY_MAX, self.size.width - CANDIDATE_OTHERS))
        if width == self.why_width:
            return
        self.why_width = width
        table = self.query_one("#candidates", DataTable)
        table.clear(columns=True)
        for key in CANDIDATE_COLUMNS:
            table.add_column(t(key), key=key, width=width if key == "trip.col.why" else None)
        if self.loaded is not None:
            self.show_candidates(self.loaded)

    @work(thread=True, exclusive=True, group="trip")
    def load(self) -> None:
        from kequ.services.trips import trip_board

        self.read_then_show(lambda db: trip_board(db, self.trip_id, self.today, language()), self.show)

    # -------------------------------------------------------------- showing

    def show(self, board: TripBoard) -> None:
        from kequ.domain.trips import day_label

        self.loaded = board
        trip = board.trip
        self.sub_title = trip.name
        if self.sheet_day is None or not trip.start_on <= self.sheet_day <= trip.end_on:
            self.sheet_day = self.today if trip.start_on <= self.today <= trip.end_on else trip.start_on
        days = (trip.end_on - trip.start_on).days + 1
        header = Text()
        header.append(trip.name, style="bold")
        header.append(f"  {day_label(trip.start_on)} — {day_label(trip.end_on)}{paren(t('trip.n_days', n=days))}")
        header.append(f"  {'、'.join(trip.cities)}")
        header.append(f"  {t('trip.visit_counts', done=trip.done, planned=trip.planned)}")
        header.append(f"  {t('trip.spent', amount=money(trip.expense_cents))}")
        self.query_one("#trip-header", Static).update(header)
        self.show_candidates(board)
        self.show_visits(board)
        self.show_sheet()
        self.show_expenses(board)
        self.query_one("#summary-text", Static).update(summary_text(board.summary))
        if self.first_show:
            self.first_show = False
            # A trip with a plan opens on the plan; a new one on whom to see.
            if any(v.status != "cancelled" for v in board.visits):
                self.query_one("#trip-tabs", TabbedContent).active = "tab-visits"
            self.focus_tab()
        self.refresh_bindings()

    def show_candidates(self, board: TripBoard) -> None:
        from kequ.domain.trips import day_label, why_text

        planned: dict[int, list[date]] = {}
        for visit in board.visits:
            if visit.status != "cancelled":
                planned.setdefault(visit.customer_id, []).append(visit.day)
        table = self.query_one("#candidates", DataTable)
        keep = table.cursor_row
        table.clear()
        for candidate in board.candidates:
            customer = candidate.customer
            why = why_text(candidate.reasons[0]) if candidate.reasons else ""
            last = candidate.last_visit.isoformat() if candidate.last_visit else "—"
            days = "、".join(day_label(d) for d in sorted(planned.get(customer.id, [])))
            table.add_row(
                flags_text(candidate.flags),
                plain(customer.display_name),
                plain(why),
                plain(days, "bold green"),
                plain(last),
                plain(t(f"vocab.tier.{customer.tier}")),
                disc_badge(customer.disc),
                plain(customer.company),
                key=str(customer.id),
            )
        if table.row_count:
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))
        self.show_candidate_detail()

    def show_candidate_detail(self) -> None:
        candidate = self.selected_candidate()
        detail = self.query_one("#candidate-detail", Static)
        if candidate is None:
            detail.update(t("trip.no_candidates") if self.loaded else "")
        else:
            detail.update(candidate_text(candidate))

    def show_visits(self, board: TripBoard) -> None:
        from kequ.domain.trips import day_label

        table = self.query_one("#visits", DataTable)
        keep = table.cursor_row
        table.clear()
        for visit in board.visits:
            style = STATUS_STYLE.get(visit.status, "")
            table.add_row(
                plain(day_label(visit.day), style),
                plain(visit.time or "—", style),
                plain(visit.customer_name, style),
                plain(visit.company, style),
                plain(visit.purpose, style),
                plain(t(f"trip.status.{visit.status}"), style),
                key=str(visit.id),
            )
        if table.row_count:
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))
        self.show_visit_plan()

    def show_visit_plan(self) -> None:
        visit = self.selected_visit()
        box = self.query_one("#visit-plan", Static)
        if visit is None or self.loaded is None:
            box.update(t("trip.no_visits"))
            return
        plan = self.loaded.plans.get(visit.id)
        box.update(plan_text(plan) if plan else plain(f"{visit.customer_name}  {t('trip.status.cancelled')}"))

    def show_sheet(self) -> None:
        from kequ.domain.trips import day_label

        if self.loaded is None or self.sheet_day is None:
            return
        plans = sorted(
            (p for p in self.loaded.plans.values() if p.visit.day == self.sheet_day),
            key=lambda p: (p.visit.time is None, p.visit.time or "", p.visit.id),
        )
        title = t("trip.sheet_title", day=day_label(self.sheet_day), count=len(plans))
        self.query_one("#sheet-title", Static).update(plain(title, "bold"))
        text = Text()
        for number, plan in enumerate(plans, start=1):
            text.append_text(plan_text(plan, number))
            text.append("\n")
        if not plans:
            text.append(t("trip.sheet.empty"), style="dim")
        self.query_one("#sheet", Static).update(text)

    def show_expenses(self, board: TripBoard) -> None:
        summary = board.summary
        parts = [f"{t(f'trip.category.{c}')} {money(cents)}" for c, cents in summary.by_category.items()]
        line = "  ".join([*parts, t("trip.expense_total", amount=money(summary.total_cents))])
        self.query_one("#expense-summary", Static).update(plain(line))
        table = self.query_one("#expenses", DataTable)
        table.clear()
        for expense in summary.expenses:
            table.add_row(
                plain(expense.day.isoformat()),
                plain(t(f"trip.category.{expense.category}")),
                Text(money(expense.amount_cents), justify="right"),
                plain(expense.note),
                key=str(expense.id),
            )

    # -------------------------------------------------------------- what is selected

    def _row_key(self, table_id: str) -> int | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(key.value) if key.value else None

    def selected_candidate(self) -> TripCandidate | None:
        customer_id = self._row_key("candidates")
        if self.loaded is None or customer_id is None:
            return None
        return next((c for c in self.loaded.candidates if c.id == customer_id), None)

    def selected_visit(self) -> VisitView | None:
        visit_id = self._row_key("visits")
        if self.loaded is None or visit_id is None:
            return None
        return next((v for v in self.loaded.visits if v.id == visit_id), None)

    @property
    def active_tab(self) -> str:
        return self.query_one("#trip-tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = self.TAB_ACTIONS.get(action)
        if tabs is None or not self.is_mounted:
            return True
        return self.active_tab in tabs

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "candidates":
            self.show_candidate_detail()
        elif event.data_table.id == "visits":
            self.show_visit_plan()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "candidates":
            self.action_plan_visit()
        elif event.data_table.id == "visits":
            self.action_edit_visit()

    # -------------------------------------------------------------- actions

    def after_write(self, changed: bool | None) -> None:
        if changed:
            self.changed = True
            self.load()

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_refresh(self) -> None:
        self.load()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one("#trip-tabs", TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + step) % len(TABS)]
        self.focus_tab()

    def focus_tab(self) -> None:
        """The arrow keys should move in what the tab shows, not along the tab strip."""
        pane = self.query_one(f"#{self.active_tab}", TabPane)
        target = next(iter(pane.query("DataTable, VerticalScroll")), None)
        if target is not None:
            target.focus()

    def action_plan_visit(self) -> None:
        candidate = self.selected_candidate()
        if candidate is None or self.loaded is None:
            return
        from kequ.domain.trips import TripFlag

        customer = candidate.customer
        top = candidate.flags[0] if candidate.flags else ""
        purpose = t(f"trip.purpose.{top}") if top in set(TripFlag) else ""
        prompt = VisitPrompt(
            self.loaded.trip,
            customer.display_name,
            customer_id=customer.id,
            day=self.sheet_day or self.loaded.trip.start_on,
            purpose=purpose,
        )
        self.app.push_screen(prompt, self.after_write)

    def action_edit_visit(self) -> None:
        visit = self.selected_visit()
        if visit is None or self.loaded is None:
            return
        prompt = VisitPrompt(
            self.loaded.trip,
            visit.customer_name,
            visit_id=visit.id,
            day=visit.day,
            time_text=visit.time or "",
            place=visit.place,
            purpose=visit.purpose,
            bring=visit.bring,
        )
        self.app.push_screen(prompt, self.after_write)

    def action_cancel_visit(self) -> None:
        visit = self.selected_visit()
        if visit is not None:
            self.toggle_cancel(visit.id, visit.status == "cancelled")

    def toggle_cancel(self, visit_id: int, restore: bool) -> None:
        from kequ.services.trips import cancel_visit, restore_visit

        def change(db: Database) -> None:
            (restore_visit if restore else cancel_visit)(db, visit_id)
            self.changed = True

        done = "trip.visit_restored" if restore else "trip.visit_cancelled_ok"
        self.run_change(change, group="trip-write", done=done, severity="warning")

    def action_write_up(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        if visit.status == "cancelled":
            self.notify(t("trip.visit_cancelled"), severity="warning", markup=False)
            return
        self.app.push_screen(WriteUpPrompt(visit, self.today), self.after_write)

    def action_next_day(self) -> None:
        if self.loaded is None or self.sheet_day is None:
            return
        days = self.loaded.trip.days
        self.sheet_day = days[(days.index(self.sheet_day) + 1) % len(days)]
        self.show_sheet()

    def action_add_expense(self) -> None:
        if self.loaded is not None:
            self.app.push_screen(ExpensePrompt(self.loaded.trip, self.today), self.after_write)

    def action_remove_expense(self) -> None:
        expense_id = self._row_key("expenses")
        if expense_id is not None:
            self.remove_expense(expense_id)

    def remove_expense(self, expense_id: int) -> None:
        from kequ.services.trips import remove_expense

        def change(db: Database) -> None:
            remove_expense(db, expense_id)
            self.changed = True

        self.run_change(change, group="trip-write")

    def action_export(self) -> None:
        if self.loaded is None:
            return
        day = self.sheet_day if self.active_tab == "tab-sheet" else None
        self.app.push_screen(ExportPrompt(self.loaded.trip, day))
