"""Recording a gift, with what this person already received and ideas that suit them."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label

from kequ.domain.gifts import suggestions
from kequ.domain.records import ProfileView
from kequ.domain.values import parse_amount
from kequ.errors import KequError
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.days import typed_day
from kequ.ui.widgets.badges import plain


class GiftPrompt(Dialog[bool]):
    CANCELLED = False

    def __init__(self, view: ProfileView, today: date) -> None:
        super().__init__()
        self.view = view
        self.today = today

    def compose(self) -> ComposeResult:
        detail = self.view.detail
        given = "、".join(f"{g.item}（{g.given_on:%Y-%m}）" for g in self.view.gifts) or t("gift.nothing_yet")
        texts = [detail.interests, detail.ford_recreation, detail.ford_family, detail.base.notes]
        ideas = "、".join(suggestions(texts, self.view.gifts))
        with Vertical(classes="prompt"):
            yield Label(plain(t("gift.title", who=detail.base.display_name)))
            yield Label(plain(t("gift.already", items=given)), classes="dim")
            yield Label(plain(t("gift.ideas", ideas=ideas)))
            yield Input("", id="g-item", placeholder=t("gift.item"))
            yield Input("", id="g-cost", placeholder=t("gift.cost"))
            yield Input("", id="g-occasion", placeholder=t("gift.occasion"))
            yield Input(self.today.isoformat(), id="g-day", placeholder=t("gift.day"))
            yield Checkbox(t("gift.anyway"), id="g-anyway")
            yield Label("", id="g-error", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#g-item", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        error = self.query_one("#g-error", Label)
        raw_day = self.query_one("#g-day", Input).value.strip()
        raw_cost = self.query_one("#g-cost", Input).value.strip()
        day, wrong = typed_day(raw_day, self.today, past=True)
        if day is None:
            error.update(plain(wrong))
            return
        try:
            cost = parse_amount(raw_cost) if raw_cost else None
        except KequError as problem:
            error.update(plain(problem.message()))
            return
        self.save(
            day,
            self.query_one("#g-item", Input).value,
            cost,
            self.query_one("#g-occasion", Input).value,
            self.query_one("#g-anyway", Checkbox).value,
        )

    def save(self, day: date, item: str, cost: int | None, occasion: str, anyway: bool) -> None:
        from kequ.services.gifts import add_gift

        def refused(message: str) -> None:
            self.query_one("#g-error", Label).update(plain(message))

        self.run_change(
            lambda db: add_gift(db, self.view.detail.base.id, day, item, cost, occasion, allow_repeat=anyway),
            group="gift-save",
            done="gift.saved",
            then=lambda _: self.dismiss(True),
            on_refusal=refused,
        )
