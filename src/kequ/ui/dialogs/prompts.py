"""Small modal questions asked from a list: the outcome of a touch, how long to snooze."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from kequ.domain.agenda.rules import DueItem
from kequ.domain.values import address_as
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.days import typed_day
from kequ.ui.widgets.badges import plain


class OutcomePrompt(Dialog[str | None]):
    """Done: one optional line on how it went. Enter saves, Escape cancels."""

    def __init__(self, item: DueItem) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(plain(t("prompt.outcome_title", who=address_as(self.item.name, self.item.honorific))))
            yield Input(placeholder=t("prompt.outcome_placeholder"), max_length=200, id="outcome")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class SnoozePrompt(Dialog[date | None]):
    """Snooze by 1, 3 or 7 days, or to a date typed below the choices."""

    CHOICES = (1, 3, 7)

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(t("prompt.snooze_title"))
            yield OptionList(*(Option(t("prompt.snooze_days", n=n), id=str(n)) for n in self.CHOICES), id="snooze")
            yield Input("", id="snooze-date", placeholder=t("prompt.snooze_date"))
            yield Label("", id="snooze-error", classes="form-error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.today + timedelta(days=int(event.option.id or 0)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#snooze-error", Label)
        chosen, wrong = typed_day(event.value, self.today, ahead=True)
        if chosen is None:
            error.update(plain(wrong))
            return
        if chosen <= self.today:
            error.update(t("prompt.snooze_past"))
            return
        self.dismiss(chosen)


class DayPrompt(Dialog[date | None]):
    """Look at another day's list: what will be due on a trip day, say."""

    def __init__(self, current: date) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(t("prompt.day_title"))
            yield Input(self.current.isoformat(), id="day", placeholder="YYYY-MM-DD")
            yield Label("", id="day-error", classes="form-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        day, wrong = typed_day(event.value, self.current)
        if day is None:
            self.query_one("#day-error", Label).update(plain(wrong))
        else:
            self.dismiss(day)


class ConfirmPrompt(ModalScreen[bool]):
    """A yes-or-no question before something is deleted: y confirms, n or Esc keeps.

    Enter is not an answer: a key pressed out of habit must not delete anything.
    """

    BINDINGS = [
        Binding("y", "answer(True)", t("prompt.yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", t("prompt.no"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(plain(self.question))
            yield Label(t("prompt.yes_no"), classes="dim")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
