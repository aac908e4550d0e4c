"""Logging a contact by hand (what kind, which day, a note, an outcome), or correcting one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.days import typed_day
from kequ.ui.widgets.badges import plain

LOGGABLE = ("call", "visit", "message", "gift", "email", "thanks", "festival")


@dataclass(frozen=True)
class LogEntry:
    kind: str
    day: date
    note: str
    outcome: str = ""


class LogPrompt(Dialog[LogEntry | None]):
    def __init__(self, who: str, today: date, kind: str = "call", editing: LogEntry | None = None) -> None:
        super().__init__()
        self.who = who
        self.today = today
        self.editing = editing
        kind = editing.kind if editing else kind
        # An entry of a kind written by the app itself (a complaint step) keeps its kind.
        self.kinds = (*LOGGABLE, kind) if editing and kind not in LOGGABLE else LOGGABLE
        self.kind = kind if kind in self.kinds else "call"

    def compose(self) -> ComposeResult:
        entry = self.editing
        with Vertical(classes="prompt"):
            yield Label(plain(t("log.edit_title" if entry else "log.title", who=self.who)))
            yield Select(
                [(t(f"vocab.kind.{k}"), k) for k in self.kinds], value=self.kind, allow_blank=False, id="log-kind"
            )
            yield Input((entry.day if entry else self.today).isoformat(), id="log-day", placeholder="YYYY-MM-DD")
            yield Input(entry.note if entry else "", id="log-note", placeholder=t("log.note_placeholder"))
            yield Input(entry.outcome if entry else "", id="log-outcome", placeholder=t("log.outcome_placeholder"))
            yield Label("", id="log-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#log-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        raw_day = self.query_one("#log-day", Input).value.strip()
        day, wrong = typed_day(raw_day, self.today, past=True)
        if day is None:
            self.query_one("#log-error", Label).update(plain(wrong))
            self.query_one("#log-day", Input).focus()
            return
        if day > self.today:
            self.query_one("#log-error", Label).update(t("log.future"))
            return
        kind = self.query_one("#log-kind", Select).value
        note = self.query_one("#log-note", Input).value
        outcome = self.query_one("#log-outcome", Input).value
        self.dismiss(LogEntry(str(kind), day, note, outcome))
