"""The list of trips: plan a new one, open one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import (
    DataTable,
    Header,
    Static,
)

from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.screens.trips.forms import NewTripPrompt
from kequ.ui.screens.trips.plan import TripPlanScreen
from kequ.ui.screens.trips.render import money, paren
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:  # the domain loads with the data, after the first frame
    from kequ.domain.trips import TripView


class TripsScreen(KequScreen[None]):
    DEFAULT_CSS = css_beside(__file__, "trips_screen.tcss")
    BINDINGS = [
        Binding("n", "new", t("trip.key.new"), id="trips.new"),
        Binding("enter,o", "open", t("trip.key.open"), id="trips.open"),
        Binding("delete", "delete", t("trip.key.delete"), id="trips.delete"),
        Binding("r", "refresh", t("key.refresh"), id="trips.refresh"),
    ]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or clock.today()
        self.trips: dict[int, TripView] = {}
        self.loaded: list[TripView] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("today.loading"), id="trips-summary")
        yield DataTable(id="trips", cursor_type="row", zebra_stripes=True)
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("trip.title")
        table = self.query_one("#trips", DataTable)
        for key in ("trip.col.name", "trip.col.cities", "trip.col.dates", "trip.col.visits", "trip.col.spent"):
            table.add_column(t(key), key=key)
        self.load()

    @work(thread=True, exclusive=True, group="trips")
    def load(self) -> None:
        from kequ.storage.fast_reads.trips import trip_list

        # Plain SQL: the list opens without waiting for the ORM to load.
        trips = trip_list(self.db)
        self.app.call_from_thread(self.show, trips)

    def show(self, trips: list[TripView]) -> None:
        from kequ.domain.trips import day_label

        self.loaded = trips
        self.trips = {trip.id: trip for trip in trips}
        table = self.query_one("#trips", DataTable)
        table.clear()
        for trip in trips:
            days = (trip.end_on - trip.start_on).days + 1
            when = f"{day_label(trip.start_on)} — {day_label(trip.end_on)}{paren(t('trip.n_days', n=days))}"
            visits = t("trip.visit_counts", done=trip.done, planned=trip.planned)
            style = "dim" if trip.end_on < self.today else ""
            table.add_row(
                plain(trip.name, style),
                plain("、".join(trip.cities), style),
                plain(when, style),
                plain(visits, style),
                plain(money(trip.expense_cents), style),
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

        self.app.push_screen(TripPlanScreen(trip_id, self.today), after)

    def action_open(self) -> None:
        trip_id = self.selected()
        if trip_id is not None:
            self.open_trip(trip_id)

    def action_new(self) -> None:
        def after(trip_id: int | None) -> None:
            if trip_id is not None:
                self.load()
                self.open_trip(trip_id)

        self.app.push_screen(NewTripPrompt(self.today), after)

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

    def delete(self, trip_id: int) -> None:
        from kequ.services.trips import delete_trip

        self.run_change(lambda db: delete_trip(db, trip_id), group="trips-write", done="trip.deleted")

    def action_refresh(self) -> None:
        self.load()
