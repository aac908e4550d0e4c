"""Editing a customer: every field is saved the moment it is valid, errors sit beside it.

There is no "save" button to forget. A text field is saved when it loses focus or Enter
is pressed; a choice is saved when it is picked. A field that does not validate keeps
its text and shows why, and nothing is written until it does.
"""

from __future__ import annotations

import threading

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from kequ.domain.gender import known_gender
from kequ.domain.records import CustomerDetail
from kequ.domain.validation import CHOICE_FIELDS, CONTACT_FIELDS, REQUIRED_CHOICES, check_field
from kequ.domain.vocab import Gender
from kequ.errors import KequError
from kequ.i18n import t
from kequ.ui.base import CANCEL_ID, Dialog
from kequ.ui.widgets.badges import plain

# (field, how it is shown in the form), in the order a salesperson fills them.
TEXT_INPUTS = (
    *CONTACT_FIELDS,
    "tags",
    "ford_family",
    "ford_occupation",
    "ford_recreation",
    "ford_dreams",
    "interests",
    "source",
    "notes",
)
SELECTS = ("tier", "disc", "gender", "relation_type", "ladder", "company_role", "stage")


def current_text(detail: CustomerDetail, field: str) -> str:
    base = detail.base
    if field == "phones":
        return ", ".join(base.phones)
    if field == "tags":
        return ", ".join(base.tags)
    source = base if hasattr(base, field) else detail
    value = getattr(source, field, "")
    return "" if value is None else str(value)


class CustomerForm(Dialog[bool]):
    """Returns True if anything was saved, so the caller knows to reload."""

    # Each field is saved as it is left, so Escape closes rather than cancels.
    BINDINGS = [Binding("escape", "cancel", t("key.close"), id=CANCEL_ID)]

    def __init__(self, detail: CustomerDetail) -> None:
        super().__init__()
        self.detail = detail
        self.saved_any = False
        self.saved: dict[str, str] = {f: current_text(detail, f) for f in (*TEXT_INPUTS, *SELECTS)}
        # The version each save starts from; saves run one after another so each carries
        # the version the previous one left.
        self.version = detail.base.version
        self.saving = threading.Lock()

    def compose(self) -> ComposeResult:
        with Vertical(classes="form"):
            yield Label(plain(t("form.title", who=self.detail.base.display_name)), classes="form-title")
            yield Static(t("form.hint"), classes="dim")
            with VerticalScroll():
                for field in SELECTS:
                    options = [(t(f"vocab.{field}.{m.value}"), m.value) for m in CHOICE_FIELDS.get(field, Gender)]
                    value = self.saved[field] or Select.NULL
                    with Horizontal(classes="form-row"):
                        yield Label(t(f"field.{field}"), classes="form-label")
                        yield Select(
                            options,
                            value=value,
                            allow_blank=field not in REQUIRED_CHOICES,
                            prompt=self._prompt(field),
                            id=f"f-{field}",
                        )
                for field in TEXT_INPUTS:
                    with Horizontal(classes="form-row"):
                        yield Label(t(f"field.{field}"), classes="form-label")
                        with Vertical(classes="form-field"):
                            yield Input(self.saved[field], id=f"f-{field}", placeholder=t(f"field_hint.{field}"))
                            yield Label("", id=f"e-{field}", classes="form-error")

    def _prompt(self, field: str) -> str:
        """未填; for gender not yet said, the guess from the 称呼, to confirm by picking it."""
        base = self.detail.base
        guess = known_gender(base.gender, base.honorific)
        if field == "gender" and guess.guessed:
            return t("form.gender_guess", gender=t(f"vocab.gender.{guess.gender}"))
        return t("form.unknown")

    def _field_of(self, widget_id: str | None) -> str:
        return (widget_id or "")[2:]

    def on_input_changed(self, event: Input.Changed) -> None:
        field = self._field_of(event.input.id)
        error = self.query_one(f"#e-{field}", Label)
        try:
            check_field(field, event.value)
        except KequError as problem:
            error.update(plain(problem.message()))
        else:
            error.update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save_input(event.input)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self._save_input(event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        field = self._field_of(event.select.id)
        value = "" if event.value is Select.NULL else str(event.value)
        if value != self.saved.get(field):
            self.save(field, value)

    def _save_input(self, widget: Input) -> None:
        field = self._field_of(widget.id)
        if widget.value != self.saved.get(field) and not str(self.query_one(f"#e-{field}", Label).render()):
            self.save(field, widget.value)

    @work(thread=True, group="form-save")
    def save(self, field: str, value: str) -> None:
        from kequ.services.customers import update_field
        from kequ.services.profile import customer_detail

        db = self.db
        with self.saving:
            try:
                record = update_field(db, self.detail.base.id, field, value, self.version)
            except KequError as problem:
                if problem.key == "customer.changed_elsewhere":
                    fresh = customer_detail(db, self.detail.base.id)
                    self.app.call_from_thread(self.start_again, fresh, problem.message())
                else:
                    self.app.call_from_thread(self._show_error, field, problem.message())
                return
            self.version = record.version
        self.saved[field] = value
        self.saved_any = True
        self.app.call_from_thread(self.notify, t("form.saved", field=t(f"field.{field}")), timeout=2, markup=False)

    def start_again(self, fresh: CustomerDetail, message: str) -> None:
        """Another window changed this customer: show what is there now, and say so."""
        self.detail = fresh
        self.version = fresh.base.version
        for field in (*TEXT_INPUTS, *SELECTS):
            value = current_text(fresh, field)
            self.saved[field] = value
            if field in SELECTS:
                self.query_one(f"#f-{field}", Select).value = value or Select.NULL
            else:
                self.query_one(f"#f-{field}", Input).value = value
        self.notify(message, severity="warning", timeout=10, markup=False)

    def _show_error(self, field: str, message: str) -> None:
        errors = self.query(f"#e-{field}")
        if errors:
            errors.first(Label).update(plain(message))
        else:
            self.notify(message, severity="error", markup=False)

    def action_cancel(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self._save_input(focused)
        self.dismiss(self.saved_any)
