"""联系节奏: one customer's own days between calls and between visits.

An empty box goes back to the tier's rhythm (what the hint says it is), 0 switches that
rhythm off for this customer. Saved with ctrl+s or Enter; a number that does not fit is
said under the boxes and nothing is stored.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from kequ.domain.rhythms import RHYTHM_KINDS, CustomerRhythm, parse_days
from kequ.errors import KequError
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.widgets.badges import plain


class RhythmPrompt(Dialog[bool]):
    """Returns True when the rhythm was saved."""

    CANCELLED = False

    BINDINGS = [Binding("ctrl+s", "save", t("settings_ui.key.save"), id="rhythm.save")]

    def __init__(self, rhythm: CustomerRhythm, who: str) -> None:
        super().__init__()
        self.rhythm = rhythm
        self.who = who

    def compose(self) -> ComposeResult:
        rhythm = self.rhythm
        with Vertical(classes="form compact"):
            yield Static(plain(t("rhythm.dialog.title", name=self.who)), classes="form-title")
            for kind in RHYTHM_KINDS:
                own = str(rhythm.own[kind]) if rhythm.is_own(kind) else ""
                box = Input(own, id=f"rhythm-{kind}", placeholder=str(rhythm.tier_days.get(kind, 0)), compact=True)
                label = Label(t(f"rhythm.dialog.{kind}"), classes="form-label")
                yield Horizontal(label, box, classes="form-row")
            tier = t(f"vocab.tier.{rhythm.tier}")
            days = rhythm.tier_days
            yield Static(
                t("rhythm.dialog.hint", tier=tier, call=days.get("call", 0), visit=days.get("visit", 0)),
                classes="form-hint",
            )
            yield Static("", id="form-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one(f"#rhythm-{RHYTHM_KINDS[0]}", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        wanted: dict[str, object | None] = {}
        for kind in RHYTHM_KINDS:
            typed = self.query_one(f"#rhythm-{kind}", Input).value.strip()
            try:
                wanted[kind] = parse_days(typed, kind) if typed else None
            except KequError as problem:
                self.error(problem.message())
                self.query_one(f"#rhythm-{kind}", Input).focus()
                return
        from kequ.services.rhythms import set_customer_rhythm

        customer_id = self.rhythm.customer_id
        self.run_change(
            lambda db: set_customer_rhythm(db, customer_id, wanted),
            group="rhythm-save",
            then=lambda _: self.dismiss(True),
            on_refusal=self.error,
            reload=False,
        )

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(plain(message))
