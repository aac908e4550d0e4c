"""Recording a gift, with what this person already received and ideas that suit them;
the same form corrects one recorded before."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select

from kequ.domain.gifts import suggestions
from kequ.domain.records import GiftRecord, ProfileView
from kequ.domain.values import amount_text, parse_amount
from kequ.domain.vocab import GiftReaction
from kequ.errors import KequError
from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.days import typed_day
from kequ.ui.widgets.badges import plain

if TYPE_CHECKING:
    from kequ.storage.database import Database


class GiftPrompt(Dialog[bool]):
    CANCELLED = False

    def __init__(self, view: ProfileView, today: date, editing: GiftRecord | None = None) -> None:
        super().__init__()
        self.view = view
        self.today = today
        self.editing = editing

    def compose(self) -> ComposeResult:
        detail = self.view.detail
        gift = self.editing
        others = [g for g in self.view.gifts if gift is None or g.id != gift.id]
        given = "、".join(f"{g.item}（{g.given_on:%Y-%m}）" for g in others) or t("gift.nothing_yet")
        texts = [detail.interests, detail.ford_recreation, detail.ford_family, detail.base.notes]
        ideas = "、".join(suggestions(texts, self.view.gifts))
        who = detail.base.display_name
        with Vertical(classes="prompt"):
            yield Label(plain(t("gift.edit_title" if gift else "gift.title", who=who)))
            yield Label(plain(t("gift.already", items=given)), classes="dim")
            if gift is None:
                yield Label(plain(t("gift.ideas", ideas=ideas)))
            yield Input(gift.item if gift else "", id="g-item", placeholder=t("gift.item"))
            yield Input(amount_text(gift.cost_cents) if gift else "", id="g-cost", placeholder=t("gift.cost"))
            yield Input(gift.occasion if gift else "", id="g-occasion", placeholder=t("gift.occasion"))
            yield Input((gift.given_on if gift else self.today).isoformat(), id="g-day", placeholder=t("gift.day"))
            yield Select(
                [(t(f"vocab.reaction.{r.value}"), r.value) for r in GiftReaction],
                value=gift.reaction if gift else GiftReaction.UNKNOWN.value,
                allow_blank=False,
                prompt=t("gift.reaction"),
                id="g-reaction",
            )
            yield Input(gift.note if gift else "", id="g-note", placeholder=t("gift.note"))
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
            str(self.query_one("#g-reaction", Select).value),
            self.query_one("#g-note", Input).value,
            self.query_one("#g-anyway", Checkbox).value,
        )

    def save(
        self, day: date, item: str, cost: int | None, occasion: str, reaction: str, note: str, anyway: bool
    ) -> None:
        from kequ.services.gifts import add_gift, update_gift

        def refused(message: str) -> None:
            self.query_one("#g-error", Label).update(plain(message))

        gift = self.editing
        customer_id = self.view.detail.base.id

        def change(db: Database) -> None:
            if gift is None:
                add_gift(db, customer_id, day, item, cost, occasion, reaction, note, allow_repeat=anyway)
            else:
                corrected = GiftRecord(gift.id, day, item, cost, occasion, reaction, note)
                update_gift(db, corrected, allow_repeat=anyway)

        self.run_change(
            change,
            group="gift-save",
            done="gift.updated" if gift else "gift.saved",
            then=lambda _: self.dismiss(True),
            on_refusal=refused,
        )
