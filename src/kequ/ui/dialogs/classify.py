"""性格测评: a few questions about what the salesperson has observed, a type with reasons.

The suggestion is only saved when the user accepts it; they may pick another type.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from kequ.domain.disc import QUESTIONS, Classification, classify
from kequ.domain.gender import refer
from kequ.i18n import language, t
from kequ.ui.base import Dialog
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, plain


class ClassifyPrompt(Dialog[str | None]):
    """Returns the type saved, or None if nothing changed."""

    DEFAULT_CSS = css_beside(__file__, "classify_prompt.tcss")

    def __init__(self, customer_id: int, who: str, gender: str | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.who = who
        self.gender = gender  # known or guessed: the questions say 他/她, TA when unknown
        self.result: Classification = classify({})

    def compose(self) -> ComposeResult:
        lang = language()
        with Vertical(classes="form"):
            yield Label(plain(t("classify.title", who=self.who)), classes="form-title")
            yield Static(t("classify.hint"), classes="dim")
            with VerticalScroll():
                for question in QUESTIONS:
                    options = [(answer.label(lang), answer.key) for answer in question.answers]
                    yield Label(refer(question.prompt(lang), self.gender))
                    yield Select(options, prompt=t("classify.not_sure"), id=f"q-{question.key}")
                yield Static("", id="classify-result")
            with Horizontal(classes="buttons"):
                yield Button(t("classify.accept"), id="accept", variant="primary", disabled=True)
                for disc in ("D", "I", "S", "C"):
                    yield Button(t(f"vocab.disc.{disc}"), id=f"pick-{disc}")

    def on_mount(self) -> None:
        self.update_result()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.update_result()

    def answers(self) -> dict[str, str]:
        chosen = {}
        for question in QUESTIONS:
            value = self.query_one(f"#q-{question.key}", Select).value
            if value is not Select.NULL:
                chosen[question.key] = str(value)
        return chosen

    def update_result(self) -> None:
        self.result = classify(self.answers())
        text = Text()
        if self.result.type is not None:
            text.append(t("classify.suggests") + " ")
            text.append_text(disc_badge(self.result.type))
            text.append("\n")
        for line in self.result.reason_lines(language()):
            text.append(f"· {line}\n")
        self.query_one("#classify-result", Static).update(text)
        self.query_one("#accept", Button).disabled = self.result.type is None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "accept" and self.result.type is not None:
            self.save(str(self.result.type))
        elif event.button.id and event.button.id.startswith("pick-"):
            self.save(event.button.id.removeprefix("pick-"))

    def save(self, disc: str) -> None:
        from kequ.services.customers import update_field

        self.run_change(
            lambda db: update_field(db, self.customer_id, "disc", disc),
            group="classify-save",
            then=lambda _: self.dismiss(disc),
        )
