"""Adding a customer: the few things needed to start; the rest is filled on the profile."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from kequ.domain.records import NewCustomer
from kequ.domain.vocab import Stage, Tier
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.widgets.badges import plain
from kequ.ui.widgets.choice import FormSelect


class NewCustomerPrompt(Dialog[int | None]):
    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(t("new_customer.title"))
            yield Input("", id="n-name", placeholder=t("field.name") + "：" + t("field_hint.name"))
            yield Input("", id="n-honorific", placeholder=t("field.honorific") + "：" + t("field_hint.honorific"))
            yield Input("", id="n-company", placeholder=t("field.company"))
            yield Input("", id="n-phone", placeholder=t("field.phones"))
            tiers = [(t(f"vocab.tier.{m.value}"), m.value) for m in Tier]
            yield FormSelect(tiers, value=Tier.REGULAR.value, allow_blank=False, id="n-tier")
            # Someone added by hand is usually met before they buy: a prospect, not 老客户.
            stages = [(t(f"vocab.stage.{m.value}"), m.value) for m in Stage]
            yield FormSelect(stages, value=Stage.PROSPECT.value, allow_blank=False, id="n-stage")
            yield Label(t("new_customer.hint"), classes="dim")
            yield Label("", id="n-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#n-name", Input).focus()

    @on(Input.Submitted)
    @on(FormSelect.Submitted)
    def submitted(self) -> None:
        phone = self.query_one("#n-phone", Input).value.strip()
        data = NewCustomer(
            name=self.query_one("#n-name", Input).value,
            honorific=self.query_one("#n-honorific", Input).value,
            company=self.query_one("#n-company", Input).value,
            phones=(phone,) if phone else (),
            tier=str(self.query_one("#n-tier", Select).value),
            stage=str(self.query_one("#n-stage", Select).value),
        )
        self.save(data)

    def save(self, data: NewCustomer) -> None:
        from kequ.services.customers import add_customer

        def refused(message: str) -> None:
            self.query_one("#n-error", Label).update(plain(message))

        self.run_change(lambda db: add_customer(db, data), group="new-customer", then=self.dismiss, on_refusal=refused)
