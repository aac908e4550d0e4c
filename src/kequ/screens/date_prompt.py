"""Adding a birthday or another yearly date, solar or lunar, refused if impossible."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select

from kequ.errors import KequError, user_message
from kequ.i18n import t
from kequ.vocab import DateKind
from kequ.widgets.badges import plain


def with_leap_mark(text: str, leap: bool) -> str:
    """The 闰月 box adds the mark the parser knows, unless the text already has one."""
    text = text.strip()
    if not leap or "闰" in text or "L" in text.upper():
        return text
    parts = text.split("-")
    if len(parts) == 3:  # YYYY-MM-DD
        return f"{parts[0]}-L{parts[1]}-{parts[2]}"
    if len(parts) == 2:
        return f"L{text}"
    return f"闰{text}"


class DatePrompt(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="date.cancel")]

    def __init__(self, db_path: Path, customer_id: int) -> None:
        super().__init__()
        self.db_path = db_path
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(t("date_prompt.title"))
            yield Select(
                [(t(f"vocab.date_kind.{k.value}"), k.value) for k in DateKind],
                value="birthday",
                allow_blank=False,
                id="d-kind",
            )
            with Horizontal(classes="form-row"):
                yield Select(
                    [(t("date_prompt.solar"), "solar"), (t("date_prompt.lunar"), "lunar")],
                    value="solar",
                    allow_blank=False,
                    id="d-calendar",
                )
                yield Checkbox(t("date_prompt.leap"), id="d-leap")
            yield Input("", id="d-text", placeholder=t("date_prompt.placeholder"))
            yield Input("", id="d-label", placeholder=t("date_prompt.label"))
            yield Input("0", id="d-lead", placeholder=t("date_prompt.lead"))
            yield Label("", id="d-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#d-text", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        lunar = self.query_one("#d-calendar", Select).value == "lunar"
        text = with_leap_mark(
            self.query_one("#d-text", Input).value, lunar and self.query_one("#d-leap", Checkbox).value
        )
        lead = self.query_one("#d-lead", Input).value.strip() or "0"
        if not lead.isdigit():
            self.query_one("#d-error", Label).update(plain(t("input.bad_days", value=lead)))
            return
        self.save(
            text,
            lunar,
            str(self.query_one("#d-kind", Select).value),
            self.query_one("#d-label", Input).value,
            int(lead),
        )

    @work(thread=True, group="date-save")
    def save(self, text: str, lunar: bool, kind: str, label: str, lead: int) -> None:
        from kequ.db import Database
        from kequ.services.customers import add_date

        try:
            add_date(
                Database(self.db_path), self.customer_id, text, lunar=lunar, kind=kind, label=label, lead_days=lead
            )
        except (KequError, ValueError) as problem:
            message = user_message(problem)
            if message is None:
                raise
            self.app.call_from_thread(self.query_one("#d-error", Label).update, plain(message))
            return
        self.app.call_from_thread(self.dismiss, True)

    def action_cancel(self) -> None:
        self.dismiss(False)
