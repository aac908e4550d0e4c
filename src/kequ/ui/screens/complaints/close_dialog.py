"""Closing a complaint: the resolution, how satisfied the customer is, the cause, and the calls booked after."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from kequ.domain import complaints as wizard
from kequ.domain.complaints import DEFAULT_FOLLOWUPS, FOLLOWUP_KINDS, ComplaintError
from kequ.domain.vocab import ComplaintCause
from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import Dialog
from kequ.ui.screens.complaints.texts import followup_list, problem_text
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain

if TYPE_CHECKING:
    from kequ.services.complaints import ClosedComplaint, ComplaintView, FollowupBooking


class CloseComplaintDialog(Dialog["ClosedComplaint | None"]):
    """How it ended, how happy the customer is, why it happened, and when to follow up."""

    # Compact one-line widgets so the whole form, the dates and the buttons fit 30 rows.
    DEFAULT_CSS = css_beside(__file__, "close_complaint_dialog.tcss")

    def __init__(self, complaint: ComplaintView, today: date | None = None) -> None:
        super().__init__()
        self.complaint = complaint
        self.today = today or clock.today()
        self.busy = False
        self._booking: FollowupBooking | None = None

    def compose(self) -> ComposeResult:
        kinds = [(t(f"vocab.kind.{kind}"), kind) for kind in FOLLOWUP_KINDS]
        with VerticalScroll():
            yield Label(plain(t("complaint_ui.dialog.title", who=self.complaint.customer_name)), id="close-title")
            yield Static(plain(self.complaint.summary), id="close-summary")
            with Horizontal(classes="close-row"):
                yield Label(t("complaint.label.resolution"), classes="close-label")
                yield Input(
                    placeholder=t("complaint_ui.dialog.resolution_placeholder"), id="close-resolution", compact=True
                )
            with Horizontal(classes="close-row"):
                yield Label(t("complaint.label.satisfaction"), classes="close-label")
                yield Select(
                    [(f"{n} {t(wizard.satisfaction_key(n))}", n) for n in wizard.SATISFACTION_RANGE],
                    prompt=t("complaint_ui.dialog.choose"),
                    id="close-satisfaction",
                    compact=True,
                )
            with Horizontal(classes="close-row"):
                yield Label(t("complaint.label.cause"), classes="close-label")
                yield Select(
                    [(t(wizard.cause_key(c.value)), c.value) for c in ComplaintCause],
                    value=self.complaint.cause or Select.NULL,
                    prompt=t("complaint_ui.dialog.choose"),
                    id="close-cause",
                    compact=True,
                )
            yield Label(t("complaint.label.followups"), classes="close-row")
            yield Static(t("complaint.followup.hint"), id="close-hint")
            for index, planned in enumerate(DEFAULT_FOLLOWUPS):
                with Horizontal(classes="close-followup"):
                    yield Label(t("complaint_ui.dialog.followup", n=index + 1), classes="close-label")
                    yield Input(str(planned.days_after), restrict=r"[0-9]{0,3}", id=f"close-days-{index}", compact=True)
                    yield Label(t("complaint_ui.dialog.days_after"), classes="close-after")
                    yield Select(kinds, value=planned.kind, allow_blank=False, id=f"close-kind-{index}", compact=True)
            yield Static("", id="close-dates")
            yield Label("", id="close-error")
            with Horizontal(id="close-buttons"):
                yield Button(t("complaint_ui.key.confirm"), variant="primary", id="close-confirm", compact=True)
                yield Button(t("key.cancel"), id="close-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close-resolution", Input).focus()
        self._preview()

    def plan(self) -> list[tuple[int, str]]:
        """The follow-ups as entered; a row without days is left out."""
        plan: list[tuple[int, str]] = []
        for index in range(len(DEFAULT_FOLLOWUPS)):
            days = self.query_one(f"#close-days-{index}", Input).value.strip()
            kind = self.query_one(f"#close-kind-{index}", Select).value
            if days:
                plan.append((int(days), str(kind)))
        return plan

    @property
    def booking(self) -> FollowupBooking:
        """Where follow-ups land (working days this customer has free): read once, shown as booked."""
        if self._booking is None:
            from kequ.services import complaints as service

            self._booking = service.followup_booking(self.db, self.complaint.customer_id, self.today)
        return self._booking

    def _preview(self) -> bool:
        dates = self.query_one("#close-dates", Static)
        try:
            planned = self.booking.dates(self.plan())
        except ComplaintError as problem:
            dates.update(Text(problem_text(problem), "red"))
            return False
        if planned:
            dates.update(Text(t("complaint_ui.dialog.dates", dates=followup_list(planned))))
        else:
            dates.update(Text(t("complaint_ui.dialog.no_dates")))
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        if (event.input.id or "").startswith("close-days-"):
            self._preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        if (event.select.id or "").startswith("close-kind-"):
            self._preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "close-confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def _error(self, message: str) -> None:
        self.busy = False
        self.query_one("#close-confirm", Button).disabled = False
        self.query_one("#close-error", Label).update(Text(message))

    def action_confirm(self) -> None:
        if self.busy:
            return
        if not self._preview():
            self._error(str(self.query_one("#close-dates", Static).render()))
            return
        satisfaction = self.query_one("#close-satisfaction", Select).value
        cause = self.query_one("#close-cause", Select).value
        if not isinstance(satisfaction, int):
            self._error(t("complaint_ui.dialog.need_satisfaction"))
            return
        if not isinstance(cause, str):
            self._error(t("complaint_ui.dialog.need_cause"))
            return
        self.busy = True
        self.query_one("#close-confirm", Button).disabled = True
        self.query_one("#close-error", Label).update(t("complaint_ui.dialog.busy"))
        self.close_complaint(self.query_one("#close-resolution", Input).value, satisfaction, cause, self.plan())

    def close_complaint(self, resolution: str, satisfaction: int, cause: str, plan: list[tuple[int, str]]) -> None:
        from kequ.services import complaints as service

        self.run_change(
            lambda db: service.close(db, self.complaint.ref, resolution, satisfaction, cause, plan, today=self.today),
            group="complaint-close",
            then=self._done,
            on_refusal=self._error,
        )

    def _done(self, result: ClosedComplaint) -> None:
        # Not dismiss itself: call_from_thread would try to await what dismiss returns.
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
