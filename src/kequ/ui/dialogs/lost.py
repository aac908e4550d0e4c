"""Marking a customer lost (流失): why, and a note. Winning back needs no dialog."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from kequ.domain.vocab import ChurnReason
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.widgets.badges import plain


@dataclass(frozen=True)
class LostEntry:
    reason: str  # a ChurnReason value
    note: str


class LostPrompt(Dialog[LostEntry | None]):
    """Enter on a reason moves to the note; Enter on the note saves with the reason highlighted."""

    def __init__(self, who: str) -> None:
        super().__init__()
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(plain(t("lost.title", who=self.who)))
            yield Label(t("lost.hint"), classes="dim form-hint")
            yield OptionList(
                *(Option(t(f"vocab.churn_reason.{reason.value}"), id=reason.value) for reason in ChurnReason),
                id="lost-reason",
            )
            yield Input("", id="lost-note", placeholder=t("lost.note"))
            yield Label("", id="lost-error", classes="form-error")

    def on_mount(self) -> None:
        reasons = self.query_one("#lost-reason", OptionList)
        reasons.highlighted = 0
        reasons.focus()

    def on_option_list_option_selected(self, _event: OptionList.OptionSelected) -> None:
        self.query_one("#lost-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reasons = self.query_one("#lost-reason", OptionList)
        if reasons.highlighted is None:
            self.query_one("#lost-error", Label).update(t("lost.pick_reason"))
            reasons.focus()
            return
        reason = reasons.get_option_at_index(reasons.highlighted).id
        self.dismiss(LostEntry(str(reason), event.value))
