"""Logging a contact by hand: what kind, which day, and a note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from kequ.i18n import t
from kequ.widgets.badges import plain

LOGGABLE = ("call", "visit", "message", "gift", "email", "thanks", "festival")


@dataclass(frozen=True)
class LogEntry:
    kind: str
    day: date
    note: str


class LogPrompt(ModalScreen[LogEntry | None]):
    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="log.cancel")]

    def __init__(self, who: str, today: date, kind: str = "call") -> None:
        super().__init__()
        self.who = who
        self.today = today
        self.kind = kind if kind in LOGGABLE else "call"

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(plain(t("log.title", who=self.who)))
            yield Select(
                [(t(f"vocab.kind.{k}"), k) for k in LOGGABLE], value=self.kind, allow_blank=False, id="log-kind"
            )
            yield Input(self.today.isoformat(), id="log-day", placeholder="YYYY-MM-DD")
            yield Input("", id="log-note", placeholder=t("log.note_placeholder"))
            yield Label("", id="log-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#log-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        raw_day = self.query_one("#log-day", Input).value.strip()
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            self.query_one("#log-error", Label).update(plain(t("input.bad_date", value=raw_day)))
            self.query_one("#log-day", Input).focus()
            return
        if day > self.today:
            self.query_one("#log-error", Label).update(t("log.future"))
            return
        kind = self.query_one("#log-kind", Select).value
        note = self.query_one("#log-note", Input).value
        self.dismiss(LogEntry(str(kind), day, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
