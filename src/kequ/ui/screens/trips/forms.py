"""The small forms of a trip: a new trip, a visit, its write-up, an expense, an export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import (
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from kequ.domain.values import parse_amount
from kequ.errors import KequError
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.days import typed_day
from kequ.ui.screens.trips.render import paren
from kequ.ui.widgets.badges import plain


class TripForm(Dialog[object]):
    """A labelled form: a label beside each box, because a filled box hides its placeholder."""

    CANCELLED = False  # nothing was saved

    def row(self, label_key: str, widget: Widget) -> Horizontal:
        return Horizontal(Label(t(label_key), classes="form-label"), widget, classes="form-row")

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(plain(message))

    def saved(self, _made: object = None) -> None:
        self.dismiss(True)

    def hint_and_error(self, hint_key: str) -> ComposeResult:
        yield Static(t(hint_key), classes="form-hint")
        yield Static("", id="form-error", classes="form-error")


class NewTripPrompt(TripForm):
    """Cities from the book (space ticks one), first and last day; Enter in a box saves."""

    CANCELLED = None  # no trip

    BINDINGS = [
        Binding("ctrl+s", "save", t("trip.key.save"), id="new_trip.save"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="form compact"):
            yield Static(t("trip.new.title"), classes="form-title")
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

        cities = book_cities(self.db)
        self.app.call_from_thread(self.show_cities, cities)

    def show_cities(self, cities: list[tuple[str, int]]) -> None:
        picker = self.query_one("#t-cities", SelectionList)
        picker.clear_options()
        picker.add_options([(plain(city + paren(str(n))), city) for city, n in cities])
        if cities:
            picker.highlighted = 0
        else:
            self.error(t("trip.new.no_cities"))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        days = []
        for box in ("#t-start", "#t-end"):
            day, wrong = typed_day(self.query_one(box, Input).value, self.today, ahead=True)
            if day is None:
                self.error(wrong)
                self.query_one(box, Input).focus()
                return
            days.append(day)
        cities = [str(c) for c in self.query_one("#t-cities", SelectionList).selected]
        self.save(self.query_one("#t-name", Input).value, cities, days[0], days[1])

    def save(self, name: str, cities: list[str], start: date, end: date) -> None:
        from kequ.services.trips import plan_trip

        self.run_change(
            lambda db: plan_trip(db, name, cities, start, end),
            group="trip-save",
            then=self.dismiss,
            on_refusal=self.error,
        )


class VisitPrompt(TripForm):
    """Which day and time, where, why and what to bring; a new visit or a change to one."""

    def __init__(
        self,
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
        with Vertical(classes="form compact"):
            yield Static(plain(t(title, who=self.who)), classes="form-title")
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

    def save(self, day: date, at: str | None, place: str | None, purpose: str, bring: str) -> None:
        from kequ.services.trips import add_visit, update_visit

        def change(db: Database) -> None:
            if self.visit_id is not None:
                update_visit(db, self.visit_id, day, at, place, purpose, bring)
            else:
                assert self.customer_id is not None
                add_visit(db, self.trip.id, self.customer_id, day, at, place, purpose, bring)

        self.run_change(change, group="visit-save", done="trip.visit.saved", then=self.saved, on_refusal=self.error)


# (box id, label, placeholder, longest text): the write-up in the order one tells it.
WRITE_UP_BOXES = (
    ("wu-learned", "trip.write_up.learned", "trip.write_up.learned_hint", 0),
    ("wu-needs", "trip.write_up.needs", "trip.write_up.needs_hint", 0),
    ("wu-competitors", "trip.write_up.competitors", "trip.write_up.competitors_hint", 0),
    ("wu-next", "trip.write_up.next_step", "trip.write_up.next_hint", 200),
    ("wu-next-on", "trip.write_up.next_on", "trip.write_up.next_on_hint", 10),
)


if TYPE_CHECKING:  # the domain loads with the data, after the first frame
    from kequ.domain.trips import TripView, VisitView
    from kequ.services.trips import WriteUpResult
    from kequ.storage.database import Database


class WriteUpPrompt(TripForm):
    """After the visit: what was learned, their needs, competitors, the next step and when.

    Enter moves to the next box and saves from the last one; Ctrl+S saves from anywhere.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", t("trip.key.save"), id="write_up.save"),
    ]

    def __init__(self, visit: VisitView, today: date) -> None:
        super().__init__()
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
        with Vertical(classes="form compact"):
            yield Static(plain(t("trip.write_up.title", who=visit.customer_name)), classes="form-title")
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
            next_on, wrong = typed_day(raw, self.today, ahead=True)
            if next_on is None:
                self.error(wrong)
                self.query_one("#wu-next-on", Input).focus()
                return
        learned, needs, competitors, next_step = (
            self.query_one(f"#{box[0]}", Input).value for box in WRITE_UP_BOXES[:4]
        )
        kind = str(self.query_one("#wu-kind", Select).value)
        self.save(learned, needs, competitors, next_step, next_on, kind)

    def save(self, learned: str, needs: str, competitors: str, next_step: str, next_on: date | None, kind: str) -> None:
        from kequ.services.trips import write_up

        def change(db: Database) -> WriteUpResult:
            return write_up(db, self.visit.id, learned, needs, competitors, next_step, next_on, kind, today=self.today)

        def after(result: WriteUpResult) -> None:
            if result.next_on is not None:
                self.notify(t("trip.write_up.saved_next", day=result.next_on.isoformat()), markup=False)
            else:
                self.notify(t("trip.write_up.saved"), markup=False)
            self.dismiss(True)

        self.run_change(change, group="write-up-save", then=after, on_refusal=self.error)


class ExpensePrompt(TripForm):
    def __init__(self, trip: TripView, today: date) -> None:
        super().__init__()
        self.trip = trip
        self.today = today

    def compose(self) -> ComposeResult:
        from kequ.domain.trips import ExpenseCategory

        day = self.today if self.trip.start_on <= self.today <= self.trip.end_on else self.trip.start_on
        categories = [(t(f"trip.category.{c.value}"), c.value) for c in ExpenseCategory]
        with Vertical(classes="form compact"):
            yield Static(plain(t("trip.expense.title", name=self.trip.name)), classes="form-title")
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
        raw_amount = self.query_one("#x-amount", Input).value
        raw_day = self.query_one("#x-day", Input).value.strip()
        try:
            cents = parse_amount(raw_amount)
        except KequError as problem:
            self.error(problem.message())
            self.query_one("#x-amount", Input).focus()
            return
        day, wrong = typed_day(raw_day, self.today)
        if day is None:
            self.error(wrong)
            return
        self.save(day, cents, str(self.query_one("#x-category", Select).value), self.query_one("#x-note", Input).value)

    def save(self, day: date, cents: int, category: str, note: str) -> None:
        from kequ.services.trips import add_expense

        self.run_change(
            lambda db: add_expense(db, self.trip.id, day, cents, category, note),
            group="expense-save",
            then=self.saved,
            on_refusal=self.error,
        )


class ExportPrompt(TripForm):
    """Where to write the day sheet (.md and .ics side by side) or the trip report (.md)."""

    def __init__(self, trip: TripView, day: date | None) -> None:
        super().__init__()
        self.trip = trip
        self.day = day

    def default_path(self) -> Path:
        what = self.day.isoformat() if self.day else "report"
        return Path.home() / f"kequ-trip{self.trip.id}-{what}"

    def compose(self) -> ComposeResult:
        title = t("trip.export.sheet_title") if self.day else t("trip.export.report_title")
        with Vertical(classes="form compact"):
            yield Static(title, classes="form-title")
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

    def write(self, stem: Path) -> None:
        from kequ.exchange.trip_sheets import export_day_sheet, export_report
        from kequ.storage.files import write_private

        def change(db: Database) -> list[str]:
            if self.day is not None:
                parts = [(fmt, export_day_sheet(db, self.trip.id, self.day, fmt)) for fmt in ("md", "ics")]
            else:
                parts = [("md", export_report(db, self.trip.id))]
            written = []
            for suffix, body in parts:
                data = body.encode("utf-8")
                path = write_private(stem.with_name(f"{stem.name}.{suffix}"), lambda out, data=data: out.write(data))
                written.append(str(path))
            return written

        def after(written: list[str]) -> None:
            self.notify(t("trip.export.done", paths="\n".join(written)), markup=False)
            from kequ.storage.cipher import looks_encrypted

            if looks_encrypted(self.db.path):
                self.notify(t("cipher.plain_export"), severity="warning", markup=False)
            self.dismiss(True)

        self.run_change(change, group="trip-export", then=after, on_refusal=self.error)
