"""Adding a birthday, another yearly date or a life event, solar or lunar, refused if impossible."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from kequ.domain.calendar.lunar import looks_lunar
from kequ.domain.life_events import default_lead, is_one_off, parse_lead, tone_of
from kequ.domain.vocab import DateKind
from kequ.errors import KequError, user_message
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.widgets.badges import plain


def kind_choices() -> list[tuple[str, str]]:
    """Yearly dates first, then the life events, each marked 喜事 or 慰问 so the tone shows."""
    choices = []
    for kind in DateKind:
        name = t(f"vocab.date_kind.{kind.value}")
        tone = tone_of(kind.value)
        choices.append((f"{t(f'life_event.tone.{tone}')} · {name}" if tone else name, kind.value))
    return choices


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


class DatePrompt(Dialog[bool]):
    CANCELLED = False

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.kind = DateKind.BIRTHDAY.value

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(t("life_event.prompt.title"))
            yield Select(kind_choices(), value=self.kind, allow_blank=False, id="d-kind")
            yield Label(t("life_event.prompt.hint"), id="d-hint", classes="dim")
            with Horizontal(classes="form-row"):
                yield Select(
                    [(t("date_prompt.solar"), "solar"), (t("date_prompt.lunar"), "lunar")],
                    value="solar",
                    allow_blank=False,
                    id="d-calendar",
                )
                yield Checkbox(t("date_prompt.leap"), id="d-leap")
            yield Input("", id="d-text", placeholder=t("date_prompt.placeholder"))
            # Each refusal shows under the field it is about.
            yield Label("", id="d-error", classes="form-error")
            yield Input("", id="d-label", placeholder=t("date_prompt.label"))
            with Horizontal(classes="form-row"):
                yield Label(t("date_prompt.lead_label"), classes="form-label")
                yield Input(str(default_lead(self.kind)), id="d-lead", placeholder=t("date_prompt.lead"))
            yield Label(t("date_prompt.lead_hint"), classes="form-hint")
            yield Label("", id="d-lead-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#d-hint", Label).display = False
        self.query_one("#d-text", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """八月十五 or 农历… is a lunar date whatever the calendar switch says: follow the text."""
        if event.input.id == "d-text" and looks_lunar(event.value):
            self.query_one("#d-calendar", Select).value = "lunar"

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "d-kind" or event.value == self.kind:
            return
        before, self.kind = self.kind, str(event.value)
        once = is_one_off(self.kind)
        self.query_one("#d-hint", Label).display = once
        self.query_one("#d-text", Input).placeholder = t(
            "life_event.prompt.placeholder" if once else "date_prompt.placeholder"
        )
        self.query_one("#d-label", Input).placeholder = t("life_event.prompt.label" if once else "date_prompt.label")
        # Follow the kind's usual lead, unless the user has typed their own.
        lead = self.query_one("#d-lead", Input)
        if lead.value.strip() in ("", str(default_lead(before))):
            lead.value = str(default_lead(self.kind))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        lunar = self.query_one("#d-calendar", Select).value == "lunar"
        text = with_leap_mark(
            self.query_one("#d-text", Input).value, lunar and self.query_one("#d-leap", Checkbox).value
        )
        lead = self.query_one("#d-lead", Input).value.strip() or str(default_lead(self.kind))
        lead_error = self.query_one("#d-lead-error", Label)
        try:
            days = parse_lead(lead)
        except KequError as problem:
            lead_error.update(plain(problem.message()))
            return
        lead_error.update("")
        self.save(
            text,
            lunar,
            str(self.query_one("#d-kind", Select).value),
            self.query_one("#d-label", Input).value,
            days,
        )

    @work(thread=True, group="date-save")
    def save(self, text: str, lunar: bool, kind: str, label: str, lead: int) -> None:
        from kequ.services.customers import add_date

        try:
            add_date(self.db, self.customer_id, text, lunar=lunar, kind=kind, label=label, lead_days=lead)
        except (KequError, ValueError) as problem:
            message = user_message(problem)
            if message is None:
                raise
            self.app.call_from_thread(self.query_one("#d-error", Label).update, plain(message))
            return
        self.app.call_from_thread(self.dismiss, True)
