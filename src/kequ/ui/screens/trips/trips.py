"""出差 Trips: pick cities and days, see whom to visit there and why, plan, visit, write up.

TripsScreen lists the trips; TripPlanScreen holds one trip in five tabs: the ranked
candidates, the visit plan (with what to know and bring for each visit), the day sheet,
the expenses and the summary. Every write goes through ``kequ.services.trips`` in a
thread worker; user text is shown as plain Text, never parsed as markup.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
)

from kequ.errors import KequError
from kequ.i18n import language, t
from kequ.storage import clock
from kequ.ui.widgets.badges import disc_badge, plain

if TYPE_CHECKING:  # the domain loads with the data, after the first frame
    from kequ.domain.trips import TripCandidate, TripSummary, TripView, VisitPlan, VisitView
    from kequ.services.trips import TripBoard

TABS = ("tab-candidates", "tab-visits", "tab-sheet", "tab-expenses", "tab-summary")
FLAG_STYLE = {
    "complaint": "bold white on #b03a2e",
    "key_unvisited": "bold white on #7d3c98",
    "visit_due": "bold white on #2e86c1",
    "at_risk": "bold black on #e67e22",
    "birthday": "bold black on #f1c40f",
    "occasion": "bold black on #f7dc6f",
    "festival": "bold white on #1e8449",
}
# The candidates: who and why first, so a narrow terminal still shows what decides.
CANDIDATE_COLUMNS = (
    "trip.col.flags",
    "col.customer",
    "trip.col.why",
    "trip.col.planned",
    "trip.col.last_visit",
    "col.tier",
    "col.disc",
    "col.company",
)
WHY_MIN, WHY_MAX = 24, 56
CANDIDATE_OTHERS = 64  # flags, customer, planned day and last visit
STATUS_STYLE = {"planned": "", "done": "green", "cancelled": "dim strike"}


def _colon() -> str:
    return t("trip.colon")


def _paren(text: str) -> str:
    return t("trip.paren", text=text)


def _money(cents: int) -> str:
    from kequ.domain.trips import money

    return money(cents)


def flags_text(flags: tuple[str, ...]) -> Text:
    from kequ.domain.trips import flag_label

    text = Text(no_wrap=True, overflow="ellipsis")
    for flag in flags:
        text.append(f"{flag_label(flag)}", style=FLAG_STYLE.get(flag, "reverse"))
        text.append(" ")
    return text


def _label(key: str) -> Text:
    # A label never breaks inside itself (NBSP): the long text after it wraps instead.
    return Text(t(key).replace(" ", "\u00a0") + _colon(), style="bold")


def _line(text: Text, key: str, value: str) -> None:
    if value.strip():
        text.append_text(_label(key))
        text.append(value)
        text.append("\n")


def candidate_text(candidate: TripCandidate) -> Text:
    """Why this customer, in full: the trip's reasons, then every touch owed by the trip's end."""
    from kequ.domain.agenda.reasons import kind_label, reason_text
    from kequ.domain.disc import approach
    from kequ.domain.trips import why_text

    customer = candidate.customer
    text = plain(customer.display_name, "bold")
    text.no_wrap = False
    if customer.company:
        text.append(f"  {customer.company} {customer.title}".rstrip(), style="dim")
    text.append("  ")
    text.append_text(disc_badge(customer.disc))
    text.append("\n")
    for why in candidate.reasons:
        text.append("• ")
        text.append(why_text(why))
        text.append("\n")
    for item in candidate.due[:4]:
        text.append(f"  {kind_label(item.kind)}{_colon()}", style="dim")
        text.append(reason_text(item), style="dim")
        text.append("\n")
    _line(text, "trip.sheet.approach", approach(customer.disc, "visit", language()))
    return text


def plan_text(plan: VisitPlan, number: int | None = None) -> Text:
    """One visit's plan: when and where, why, the people there, gifts, the approach."""
    from kequ.domain.trips import day_label, person_text

    visit = plan.visit
    text = Text()
    if number is not None:
        text.append(f"{number}. ", style="bold")
    text.append(f"{day_label(visit.day)} {visit.time or t('trip.sheet.any_time')}  ", style="bold")
    text.append(visit.customer_name, style="bold")
    if visit.company:
        text.append(f"  {visit.company}", style="dim")
    if plan.title:
        text.append(f" {plan.title}", style="dim")
    text.append("  ")
    text.append_text(disc_badge(visit.disc))
    if visit.status != "planned":
        text.append(f"  {t(f'trip.status.{visit.status}')}", style=STATUS_STYLE.get(visit.status, ""))
    text.append("\n")
    contact = "、".join(plan.phones)
    if plan.wechat:
        contact = f"{contact}  {t('trip.sheet.wechat')} {plan.wechat}".strip()
    _line(text, "trip.sheet.place", visit.place)
    _line(text, "trip.sheet.phone", contact)
    _line(text, "trip.sheet.purpose", visit.purpose)
    _line(text, "trip.sheet.bring", visit.bring)
    people = t("trip.semicolon").join(person_text(p) for p in plan.people)
    _line(text, "trip.sheet.people", people or t("trip.sheet.nobody_else"))
    given = "、".join(g.item + _paren(f"{g.given_on:%Y-%m}") for g in plan.gifts_given) or t("trip.sheet.no_gifts")
    _line(text, "trip.sheet.gifts_given", given)
    _line(text, "trip.sheet.gift_ideas", "、".join(plan.gift_ideas))
    _line(text, "trip.sheet.approach", plan.approach)
    if plan.last_contacts:
        text.append_text(_label("trip.sheet.last_contact"))
        text.append("\n")
    for day, kind, notes in plan.last_contacts:
        text.append(f"  {day.isoformat()} {t(f'vocab.kind.{kind}')} ", style="dim")
        text.append(" ".join(notes.split()), style="dim")
        text.append("\n")
    if visit.status == "done":
        text.append(f"{t('trip.sheet.write_up')}\n", style="bold underline")
        _line(text, "trip.write_up.learned", visit.learned)
        _line(text, "trip.write_up.needs", visit.needs)
        _line(text, "trip.write_up.competitors", visit.competitors)
        _line(text, "trip.write_up.next_step", _next(visit))
    return text


def _next(visit: VisitView) -> str:
    text = visit.next_step
    if visit.next_on:
        when = f"{visit.next_on.isoformat()} {t(f'vocab.kind.{visit.next_kind}')}"
        text = text + _paren(when) if text else when
    return text


def summary_text(summary: TripSummary) -> Text:
    """The trip report on screen: the same parts as the exported Markdown."""
    from kequ.domain.trips import day_label

    trip = summary.trip
    text = Text()
    text.append(f"{trip.name}\n", style="bold")
    text.append(t("trip.sheet.subtitle", cities="、".join(trip.cities), start=trip.start_on, end=trip.end_on))
    text.append("\n")
    text.append(t("trip.report.counts", done=trip.done, planned=trip.planned, cancelled=trip.cancelled))
    text.append("\n\n")
    text.append(f"{t('trip.report.visits')}\n", style="bold underline")
    if not summary.done:
        text.append(f"{t('trip.report.no_visits')}\n", style="dim")
    for visit in summary.done:
        text.append(f"{day_label(visit.day)} {visit.time or ''}  ".lstrip(), style="bold")
        text.append(visit.customer_name, style="bold")
        if visit.company:
            text.append(f"  {visit.company}", style="dim")
        text.append("\n")
        _line(text, "trip.write_up.learned", visit.learned)
        _line(text, "trip.write_up.needs", visit.needs)
        _line(text, "trip.write_up.competitors", visit.competitors)
        _line(text, "trip.write_up.next_step", _next(visit))
    text.append(f"\n{t('trip.report.next_steps')}\n", style="bold underline")
    for visit in summary.next_steps:
        text.append(f"• {visit.customer_name}{_colon()}")
        text.append(_next(visit))
        text.append("\n")
    if not summary.next_steps:
        text.append(f"{t('trip.report.none')}\n", style="dim")
    text.append(f"\n{t('trip.report.gifts')}\n", style="bold underline")
    for gift in summary.gifts:
        text.append(f"• {gift.day.isoformat()} {gift.customer_name}{_colon()}")
        text.append(gift.item)
        if gift.cost_cents is not None:
            text.append(f"  {_money(gift.cost_cents)}", style="dim")
        text.append("\n")
    if not summary.gifts:
        text.append(f"{t('trip.report.none')}\n", style="dim")
    text.append(f"\n{t('trip.report.expenses')}\n", style="bold underline")
    for category, cents in summary.by_category.items():
        text.append(f"{t(f'trip.category.{category}')}  {_money(cents)}\n")
    text.append(f"{t('trip.report.total')}  {_money(summary.total_cents)}\n", style="bold")
    return text


# ------------------------------------------------------------------ the list of trips


class TripsScreen(Screen[None]):
    DEFAULT_CSS = """
    TripsScreen #trips-summary { height: auto; padding: 0 1; background: $boost; }
    TripsScreen #trips { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", t("trip.key.new"), id="trips.new"),
        Binding("enter,o", "open", t("trip.key.open"), id="trips.open"),
        Binding("delete", "delete", t("trip.key.delete"), id="trips.delete"),
        Binding("r", "refresh", t("key.refresh"), id="trips.refresh"),
    ]

    def __init__(self, db_path: Path, today: date | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.today = today or clock.today()
        self.trips: dict[int, TripView] = {}
        self.loaded: list[TripView] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="trips-summary")
        yield DataTable(id="trips", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("trip.title")
        table = self.query_one("#trips", DataTable)
        for key in ("trip.col.name", "trip.col.cities", "trip.col.dates", "trip.col.visits", "trip.col.spent"):
            table.add_column(t(key), key=key)
        self.load()

    @work(thread=True, exclusive=True, group="trips")
    def load(self) -> None:
        from kequ.services.trips import list_trips
        from kequ.storage.database import Database

        trips = list_trips(Database(self.db_path))
        self.app.call_from_thread(self.show, trips)

    def show(self, trips: list[TripView]) -> None:
        from kequ.domain.trips import day_label

        self.loaded = trips
        self.trips = {trip.id: trip for trip in trips}
        table = self.query_one("#trips", DataTable)
        table.clear()
        for trip in trips:
            days = (trip.end_on - trip.start_on).days + 1
            when = f"{day_label(trip.start_on)} — {day_label(trip.end_on)}{_paren(t('trip.n_days', n=days))}"
            visits = t("trip.visit_counts", done=trip.done, planned=trip.planned)
            style = "dim" if trip.end_on < self.today else ""
            table.add_row(
                plain(trip.name, style),
                plain("、".join(trip.cities), style),
                plain(when, style),
                plain(visits, style),
                plain(_money(trip.expense_cents), style),
                key=str(trip.id),
            )
        summary = t("trip.list_summary", count=len(trips)) if trips else t("trip.list_empty")
        self.query_one("#trips-summary", Static).update(plain(summary))

    def selected(self) -> int | None:
        table = self.query_one("#trips", DataTable)
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(key.value) if key.value else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_trip(int(event.row_key.value))

    def open_trip(self, trip_id: int) -> None:
        def after(_changed: bool | None) -> None:
            self.load()

        self.app.push_screen(TripPlanScreen(self.db_path, trip_id, self.today), after)

    def action_open(self) -> None:
        trip_id = self.selected()
        if trip_id is not None:
            self.open_trip(trip_id)

    def action_new(self) -> None:
        def after(trip_id: int | None) -> None:
            if trip_id is not None:
                self.load()
                self.open_trip(trip_id)

        self.app.push_screen(NewTripPrompt(self.db_path, self.today), after)

    def action_delete(self) -> None:
        trip_id = self.selected()
        if trip_id is None or trip_id not in self.trips:
            return

        def after(sure: bool | None) -> None:
            if sure:
                self.delete(trip_id)

        from kequ.ui.dialogs.prompts import ConfirmPrompt

        question = t("trip.delete_question", name=self.trips[trip_id].name)
        self.app.push_screen(ConfirmPrompt(question), after)

    @work(thread=True, group="trips-write")
    def delete(self, trip_id: int) -> None:
        from kequ.services.trips import delete_trip
        from kequ.storage.database import Database

        delete_trip(Database(self.db_path), trip_id)
        self.app.call_from_thread(self.notify, t("trip.deleted"), markup=False)
        self.load()

    def action_refresh(self) -> None:
        self.load()


# ------------------------------------------------------------------ one trip


class TripPlanScreen(Screen[bool]):
    """One trip. Dismissed with True when something was written, so the list can refresh."""

    DEFAULT_CSS = """
    TripPlanScreen #trip-header, TripPlanScreen #expense-summary, TripPlanScreen #sheet-title {
        height: auto; padding: 0 1; background: $boost;
    }
    TripPlanScreen TabbedContent { height: 1fr; }
    TripPlanScreen TabPane { height: 1fr; padding: 0; }
    TripPlanScreen #candidates, TripPlanScreen #visits { height: 1fr; min-height: 5; }
    TripPlanScreen #expenses { height: 1fr; }
    TripPlanScreen #candidate-detail { height: auto; max-height: 40%; padding: 0 1; background: $panel; }
    TripPlanScreen #plan-box { height: 3fr; background: $panel; }
    TripPlanScreen #visit-plan, TripPlanScreen #sheet, TripPlanScreen #summary-text { padding: 0 1; }
    """
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

    def __init__(self, db_path: Path, trip_id: int, today: date | None = None) -> None:
        super().__init__()
        self.db_path = db_path
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
        yield Footer()

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
        from kequ.storage.database import Database

        try:
            board = trip_board(Database(self.db_path), self.trip_id, self.today, language())
        except KequError as problem:
            self.app.call_from_thread(self.notify, problem.message(), severity="error", markup=False)
            return
        self.app.call_from_thread(self.show, board)

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
        header.append(f"  {day_label(trip.start_on)} — {day_label(trip.end_on)}{_paren(t('trip.n_days', n=days))}")
        header.append(f"  {'、'.join(trip.cities)}")
        header.append(f"  {t('trip.visit_counts', done=trip.done, planned=trip.planned)}")
        header.append(f"  {t('trip.spent', amount=_money(trip.expense_cents))}")
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
        parts = [f"{t(f'trip.category.{c}')} {_money(cents)}" for c, cents in summary.by_category.items()]
        line = "  ".join([*parts, t("trip.expense_total", amount=_money(summary.total_cents))])
        self.query_one("#expense-summary", Static).update(plain(line))
        table = self.query_one("#expenses", DataTable)
        table.clear()
        for expense in summary.expenses:
            table.add_row(
                plain(expense.day.isoformat()),
                plain(t(f"trip.category.{expense.category}")),
                Text(_money(expense.amount_cents), justify="right"),
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
            self.db_path,
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
            self.db_path,
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

    @work(thread=True, group="trip-write")
    def toggle_cancel(self, visit_id: int, restore: bool) -> None:
        from kequ.services.trips import cancel_visit, restore_visit
        from kequ.storage.database import Database

        db = Database(self.db_path)
        try:
            if restore:
                restore_visit(db, visit_id)
            else:
                cancel_visit(db, visit_id)
        except KequError as problem:
            self.app.call_from_thread(self.notify, problem.message(), severity="warning", markup=False)
            return
        note = t("trip.visit_restored") if restore else t("trip.visit_cancelled_ok")
        self.app.call_from_thread(self.notify, note, markup=False)
        self.changed = True
        self.load()

    def action_write_up(self) -> None:
        visit = self.selected_visit()
        if visit is None:
            return
        if visit.status == "cancelled":
            self.notify(t("trip.visit_cancelled"), severity="warning", markup=False)
            return
        self.app.push_screen(WriteUpPrompt(self.db_path, visit, self.today), self.after_write)

    def action_next_day(self) -> None:
        if self.loaded is None or self.sheet_day is None:
            return
        days = self.loaded.trip.days
        self.sheet_day = days[(days.index(self.sheet_day) + 1) % len(days)]
        self.show_sheet()

    def action_add_expense(self) -> None:
        if self.loaded is not None:
            self.app.push_screen(ExpensePrompt(self.db_path, self.loaded.trip, self.today), self.after_write)

    def action_remove_expense(self) -> None:
        expense_id = self._row_key("expenses")
        if expense_id is not None:
            self.remove_expense(expense_id)

    @work(thread=True, group="trip-write")
    def remove_expense(self, expense_id: int) -> None:
        from kequ.services.trips import remove_expense
        from kequ.storage.database import Database

        remove_expense(Database(self.db_path), expense_id)
        self.changed = True
        self.load()

    def action_export(self) -> None:
        if self.loaded is None:
            return
        day = self.sheet_day if self.active_tab == "tab-sheet" else None
        self.app.push_screen(ExportPrompt(self.db_path, self.loaded.trip, day))


# ------------------------------------------------------------------ the small forms


class TripForm(ModalScreen[object]):
    """A labelled form: a label beside each box, because a filled box hides its placeholder."""

    DEFAULT_CSS = """
    TripForm { align: center middle; }
    TripForm .trip-form {
        width: 78; max-width: 95%; height: auto; max-height: 95%;
        padding: 1 2; border: round $accent; background: $surface;
    }
    TripForm .trip-title { text-style: bold; margin-bottom: 1; }
    TripForm .trip-row { height: auto; margin-bottom: 1; }
    TripForm .trip-label { width: 12; text-align: right; padding-right: 1; }
    TripForm .trip-row Input, TripForm .trip-row Select, TripForm .trip-row SelectionList { width: 1fr; }
    TripForm .trip-row Input { background: $boost; }
    TripForm .trip-row SelectionList { height: auto; max-height: 10; }
    TripForm .trip-hint { color: $text-muted; height: auto; }
    TripForm .trip-error { color: $error; height: auto; }
    """

    def row(self, label_key: str, widget: Widget) -> Horizontal:
        return Horizontal(Label(t(label_key), classes="trip-label"), widget, classes="trip-row")

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(plain(message))

    def hint_and_error(self, hint_key: str) -> ComposeResult:
        yield Static(t(hint_key), classes="trip-hint")
        yield Static("", id="form-error", classes="trip-error")


class NewTripPrompt(TripForm):
    """Cities from the book (space ticks one), first and last day; Enter in a box saves."""

    BINDINGS = [
        Binding("escape", "cancel", t("key.cancel"), id="new_trip.cancel"),
        Binding("ctrl+s", "save", t("trip.key.save"), id="new_trip.save"),
    ]

    def __init__(self, db_path: Path, today: date) -> None:
        super().__init__()
        self.db_path = db_path
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="trip-form"):
            yield Static(t("trip.new.title"), classes="trip-title")
            yield self.row("trip.new.cities", SelectionList[str](id="t-cities", compact=True))
            yield self.row("trip.new.start", Input(self.today.isoformat(), id="t-start", compact=True))
            end = (self.today + timedelta(days=2)).isoformat()
            yield self.row("trip.new.end", Input(end, id="t-end", compact=True))
            yield self.row("trip.new.name", Input("", id="t-name", placeholder=t("trip.new.name_hint"), compact=True))
            yield from self.hint_and_error("trip.new.hint")

    def on_mount(self) -> None:
        self.query_one("#t-cities", SelectionList).focus()
        self.load_cities()

    @work(thread=True, group="trip-cities")
    def load_cities(self) -> None:
        from kequ.services.trips import book_cities
        from kequ.storage.database import Database

        cities = book_cities(Database(self.db_path))
        self.app.call_from_thread(self.show_cities, cities)

    def show_cities(self, cities: list[tuple[str, int]]) -> None:
        picker = self.query_one("#t-cities", SelectionList)
        picker.clear_options()
        picker.add_options([(plain(city + _paren(str(n))), city) for city, n in cities])
        if cities:
            picker.highlighted = 0
        else:
            self.error(t("trip.new.no_cities"))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        days = []
        for box in ("#t-start", "#t-end"):
            raw = self.query_one(box, Input).value.strip()
            try:
                days.append(date.fromisoformat(raw))
            except ValueError:
                self.error(t("input.bad_date", value=raw))
                self.query_one(box, Input).focus()
                return
        cities = [str(c) for c in self.query_one("#t-cities", SelectionList).selected]
        self.save(self.query_one("#t-name", Input).value, cities, days[0], days[1])

    @work(thread=True, group="trip-save")
    def save(self, name: str, cities: list[str], start: date, end: date) -> None:
        from kequ.services.trips import plan_trip
        from kequ.storage.database import Database

        try:
            trip_id = plan_trip(Database(self.db_path), name, cities, start, end)
        except KequError as problem:
            self.app.call_from_thread(self.error, problem.message())
            return
        self.app.call_from_thread(self.dismiss, trip_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class VisitPrompt(TripForm):
    """Which day and time, where, why and what to bring; a new visit or a change to one."""

    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="visit.cancel")]

    def __init__(
        self,
        db_path: Path,
        trip: TripView,
        who: str,
        *,
        customer_id: int | None = None,
        visit_id: int | None = None,
        day: date,
        time_text: str = "",
        place: str | None = None,
        purpose: str = "",
        bring: str = "",
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.trip = trip
        self.who = who
        self.customer_id = customer_id
        self.visit_id = visit_id
        self.day = day if trip.start_on <= day <= trip.end_on else trip.start_on
        self.time_text = time_text
        self.place = place
        self.purpose = purpose
        self.bring = bring

    def compose(self) -> ComposeResult:
        from kequ.services.trips import trip_day_choices

        title = "trip.visit.edit_title" if self.visit_id else "trip.visit.new_title"
        choices = [(label, day.isoformat()) for label, day in trip_day_choices(self.trip)]
        with Vertical(classes="trip-form"):
            yield Static(plain(t(title, who=self.who)), classes="trip-title")
            day = Select(choices, value=self.day.isoformat(), allow_blank=False, id="v-day", compact=True)
            yield self.row("trip.visit.day", day)
            at = Input(self.time_text, id="v-time", placeholder=t("trip.visit.time_hint"), compact=True)
            yield self.row("trip.visit.time", at)
            # Empty for a new visit: the service fills in the customer's address.
            place = Input(self.place or "", id="v-place", placeholder=t("trip.visit.place_hint"), compact=True)
            yield self.row("trip.visit.place", place)
            purpose = Input(self.purpose, id="v-purpose", placeholder=t("trip.visit.purpose_hint"), compact=True)
            yield self.row("trip.visit.purpose", purpose)
            bring = Input(self.bring, id="v-bring", placeholder=t("trip.visit.bring_hint"), compact=True)
            yield self.row("trip.visit.bring", bring)
            yield from self.hint_and_error("trip.visit.hint")

    def on_mount(self) -> None:
        self.query_one("#v-time", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        from kequ.domain.trips import parse_time

        raw = self.query_one("#v-time", Input).value
        try:
            at = parse_time(raw)
        except ValueError:
            self.error(t("trip.bad_time", value=raw))
            self.query_one("#v-time", Input).focus()
            return
        place = self.query_one("#v-place", Input).value
        self.save(
            date.fromisoformat(str(self.query_one("#v-day", Select).value)),
            at,
            place if place.strip() or self.visit_id else None,
            self.query_one("#v-purpose", Input).value,
            self.query_one("#v-bring", Input).value,
        )

    @work(thread=True, group="visit-save")
    def save(self, day: date, at: str | None, place: str | None, purpose: str, bring: str) -> None:
        from kequ.services.trips import add_visit, update_visit
        from kequ.storage.database import Database

        db = Database(self.db_path)
        try:
            if self.visit_id is not None:
                update_visit(db, self.visit_id, day, at, place, purpose, bring)
            else:
                assert self.customer_id is not None
                add_visit(db, self.trip.id, self.customer_id, day, at, place, purpose, bring)
        except KequError as problem:
            self.app.call_from_thread(self.error, problem.message())
            return
        self.app.call_from_thread(self.notify, t("trip.visit.saved"), markup=False)
        self.app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)


# (box id, label, placeholder, longest text): the write-up in the order one tells it.
WRITE_UP_BOXES = (
    ("wu-learned", "trip.write_up.learned", "trip.write_up.learned_hint", 0),
    ("wu-needs", "trip.write_up.needs", "trip.write_up.needs_hint", 0),
    ("wu-competitors", "trip.write_up.competitors", "trip.write_up.competitors_hint", 0),
    ("wu-next", "trip.write_up.next_step", "trip.write_up.next_hint", 200),
    ("wu-next-on", "trip.write_up.next_on", "trip.write_up.next_on_hint", 10),
)


class WriteUpPrompt(TripForm):
    """After the visit: what was learned, their needs, competitors, the next step and when.

    Enter moves to the next box and saves from the last one; Ctrl+S saves from anywhere.
    """

    BINDINGS = [
        Binding("escape", "cancel", t("key.cancel"), id="write_up.cancel"),
        Binding("ctrl+s", "save", t("trip.key.save"), id="write_up.save"),
    ]

    def __init__(self, db_path: Path, visit: VisitView, today: date) -> None:
        super().__init__()
        self.db_path = db_path
        self.visit = visit
        self.today = today

    def compose(self) -> ComposeResult:
        from kequ.domain.trips import NEXT_KINDS

        visit = self.visit
        values = {
            "wu-learned": visit.learned,
            "wu-needs": visit.needs,
            "wu-competitors": visit.competitors,
            "wu-next": visit.next_step,
            "wu-next-on": visit.next_on.isoformat() if visit.next_on else "",
        }
        with Vertical(classes="trip-form"):
            yield Static(plain(t("trip.write_up.title", who=visit.customer_name)), classes="trip-title")
            for box_id, label, hint, limit in WRITE_UP_BOXES:
                box = Input(values[box_id], id=box_id, placeholder=t(hint), max_length=limit, compact=True)
                yield self.row(label, box)
            kinds = [(t(f"vocab.kind.{kind}"), str(kind)) for kind in NEXT_KINDS]
            kind = Select(kinds, value=visit.next_kind or "call", allow_blank=False, id="wu-kind", compact=True)
            yield self.row("trip.write_up.next_kind", kind)
            yield from self.hint_and_error("trip.write_up.hint")

    def on_mount(self) -> None:
        self.query_one("#wu-learned", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        ids = [box[0] for box in WRITE_UP_BOXES]
        current = event.input.id or ""
        if current in ids and ids.index(current) < len(ids) - 1:
            self.query_one(f"#{ids[ids.index(current) + 1]}", Input).focus()
            return
        self.action_save()

    def action_save(self) -> None:
        raw = self.query_one("#wu-next-on", Input).value.strip()
        next_on = None
        if raw:
            try:
                next_on = date.fromisoformat(raw)
            except ValueError:
                self.error(t("input.bad_date", value=raw))
                self.query_one("#wu-next-on", Input).focus()
                return
        learned, needs, competitors, next_step = (
            self.query_one(f"#{box[0]}", Input).value for box in WRITE_UP_BOXES[:4]
        )
        kind = str(self.query_one("#wu-kind", Select).value)
        self.save(learned, needs, competitors, next_step, next_on, kind)

    @work(thread=True, group="write-up-save")
    def save(self, learned: str, needs: str, competitors: str, next_step: str, next_on: date | None, kind: str) -> None:
        from kequ.services.trips import write_up
        from kequ.storage.database import Database

        try:
            result = write_up(
                Database(self.db_path),
                self.visit.id,
                learned,
                needs,
                competitors,
                next_step,
                next_on,
                kind,
                today=self.today,
            )
        except KequError as problem:
            self.app.call_from_thread(self.error, problem.message())
            return
        if result.next_on is not None:
            note = t("trip.write_up.saved_next", day=result.next_on.isoformat())
        else:
            note = t("trip.write_up.saved")
        self.app.call_from_thread(self.notify, note, markup=False)
        self.app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ExpensePrompt(TripForm):
    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="expense.cancel")]

    def __init__(self, db_path: Path, trip: TripView, today: date) -> None:
        super().__init__()
        self.db_path = db_path
        self.trip = trip
        self.today = today

    def compose(self) -> ComposeResult:
        from kequ.domain.trips import ExpenseCategory

        day = self.today if self.trip.start_on <= self.today <= self.trip.end_on else self.trip.start_on
        categories = [(t(f"trip.category.{c.value}"), c.value) for c in ExpenseCategory]
        with Vertical(classes="trip-form"):
            yield Static(plain(t("trip.expense.title", name=self.trip.name)), classes="trip-title")
            first = ExpenseCategory.TRANSPORT.value
            category = Select(categories, value=first, allow_blank=False, id="x-category", compact=True)
            yield self.row("trip.col.category", category)
            amount = Input("", id="x-amount", placeholder=t("trip.expense.amount"), compact=True)
            yield self.row("trip.col.amount", amount)
            yield self.row("col.date", Input(day.isoformat(), id="x-day", compact=True))
            note = Input("", id="x-note", placeholder=t("trip.expense.note"), max_length=200, compact=True)
            yield self.row("trip.col.note", note)
            yield from self.hint_and_error("trip.visit.hint")

    def on_mount(self) -> None:
        self.query_one("#x-amount", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        raw_amount = self.query_one("#x-amount", Input).value.strip().replace(",", "").lstrip("¥￥")
        raw_day = self.query_one("#x-day", Input).value.strip()
        try:
            cents = round(float(raw_amount) * 100)
            if cents < 0:
                raise ValueError(raw_amount)
        except (ValueError, OverflowError):  # not a number, NaN or infinity
            self.error(t("input.bad_amount", value=raw_amount))
            self.query_one("#x-amount", Input).focus()
            return
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            self.error(t("input.bad_date", value=raw_day))
            return
        self.save(day, cents, str(self.query_one("#x-category", Select).value), self.query_one("#x-note", Input).value)

    @work(thread=True, group="expense-save")
    def save(self, day: date, cents: int, category: str, note: str) -> None:
        from kequ.services.trips import add_expense
        from kequ.storage.database import Database

        try:
            add_expense(Database(self.db_path), self.trip.id, day, cents, category, note)
        except KequError as problem:
            self.app.call_from_thread(self.error, problem.message())
            return
        self.app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ExportPrompt(TripForm):
    """Where to write the day sheet (.md and .ics side by side) or the trip report (.md)."""

    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="export.cancel")]

    def __init__(self, db_path: Path, trip: TripView, day: date | None) -> None:
        super().__init__()
        self.db_path = db_path
        self.trip = trip
        self.day = day

    def default_path(self) -> Path:
        what = self.day.isoformat() if self.day else "report"
        return Path.home() / f"kequ-trip{self.trip.id}-{what}"

    def compose(self) -> ComposeResult:
        title = t("trip.export.sheet_title") if self.day else t("trip.export.report_title")
        with Vertical(classes="trip-form"):
            yield Static(title, classes="trip-title")
            yield self.row("trip.export.path", Input(str(self.default_path()), id="e-path", compact=True))
            yield from self.hint_and_error("trip.export.hint_sheet" if self.day else "trip.export.hint_report")

    def on_mount(self) -> None:
        self.query_one("#e-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        raw = event.value.strip()
        if raw:
            stem = Path(raw).expanduser()
            if stem.suffix.lower() in (".md", ".ics"):
                stem = stem.with_suffix("")
            self.write(stem)

    @work(thread=True, group="trip-export")
    def write(self, stem: Path) -> None:
        from kequ.services.trips import export_day_sheet, export_report
        from kequ.storage.database import Database
        from kequ.storage.files import write_private

        db = Database(self.db_path)
        written: list[str] = []
        try:
            if self.day is not None:
                parts = [(fmt, export_day_sheet(db, self.trip.id, self.day, fmt)) for fmt in ("md", "ics")]
            else:
                parts = [("md", export_report(db, self.trip.id))]
            for suffix, body in parts:
                data = body.encode("utf-8")
                path = write_private(stem.with_name(f"{stem.name}.{suffix}"), lambda out, data=data: out.write(data))
                written.append(str(path))
        except KequError as problem:
            self.app.call_from_thread(self.error, problem.message())
            return
        self.app.call_from_thread(self.notify, t("trip.export.done", paths="\n".join(written)), markup=False)
        self.app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)
