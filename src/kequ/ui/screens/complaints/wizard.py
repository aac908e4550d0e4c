"""The nine steps of handling a complaint, one screen at a time, every word saved as it is typed.

A customer without an open complaint sees a blank one that is not stored: the first thing
written stores it, and leaving without writing anything leaves the book as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Input, Label, OptionList, ProgressBar, Static, TextArea

from kequ.domain import complaints as wizard
from kequ.domain.complaints import LAST_STEP, STEP_FIELDS, STEPS, ComplaintError
from kequ.domain.gender import refer
from kequ.domain.vocab import ComplaintStatus
from kequ.errors import KequError
from kequ.i18n import t
from kequ.storage import clock
from kequ.ui.base import KequScreen
from kequ.ui.dialogs.prompts import ConfirmPrompt
from kequ.ui.screens.complaints.close_dialog import CloseComplaintDialog
from kequ.ui.screens.complaints.texts import booked_message, problem_text
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import disc_badge, plain
from kequ.ui.widgets.footer import KequFooter

if TYPE_CHECKING:
    from kequ.services.complaints import ClosedComplaint, ComplaintRef, ComplaintView

# Long enough that a burst of typing is one write, short enough that closing the
# terminal right after a sentence loses nothing a person would notice.
SAVE_DELAY = 0.4

# Below this width the guidance sits above the writing area instead of beside it.
WIDE_LAYOUT = 130

# Below this the step rail goes: the header still says which step this is.
RAIL_MIN_WIDTH = 90

PendingKey = tuple[str, int, str]  # (what, step, field): ("notes", 5, ""), ("field", 7, "deadline")


def step_mark(step: int, state: wizard.WizardState) -> tuple[str, str]:
    """A step's marker and style: ✓ done, ▶ on screen, ○ may be opened, · not yet."""
    if step == state.current:
        return "▶", "bold"
    if step < state.reached or (not state.is_open and step <= state.reached):
        return "✓", ""
    if step <= state.limit:
        return "○", ""
    return "·", "dim"


def step_strip(state: wizard.WizardState) -> Text:
    """The step rail in one line, for a screen too narrow for the rail: every step's
    number and marker, and the title of the one on screen."""
    strip = Text(no_wrap=True, overflow="ellipsis")
    for step in STEPS:
        marker, style = step_mark(step, state)
        if step > 1:
            strip.append("  ")
        if step == state.current:
            strip.append(f" {marker} {step}. {t(wizard.step_key(step, 'title'))} ", style="bold reverse")
        else:
            strip.append(f"{marker}{step}", style="green" if marker == "✓" else style)
    return strip


def rail_prompt(step: int, state: wizard.WizardState) -> Table:
    """One entry of the step rail: ✓ done, ▶ on screen, ○ may be opened, · not yet."""
    title = t(wizard.step_key(step, "title"))
    marker, style = step_mark(step, state)
    # A grid so that a long (English) title wraps under itself, not under the marker.
    entry = Table.grid()
    entry.add_column(no_wrap=True)
    entry.add_column(ratio=1, overflow="fold")
    entry.add_row(Text(f"{marker} {step}. ", style=style), Text(title, style=style))
    return entry


def example_lines(step: int, part: str, bullet: str, bullet_style: str, gender: str | None = None) -> Group:
    """The "say" or "avoid" examples under their heading, each wrapped under its own bullet."""
    heading = "complaint.label.say" if part == "say" else "complaint.label.avoid"
    # A grid, not one Text: a sentence without spaces would wrap away from its bullet.
    lines = Table.grid(padding=(0, 0))
    lines.add_column(width=cell_len(bullet), no_wrap=True)
    lines.add_column(ratio=1, overflow="fold")
    for line in t(wizard.step_key(step, part)).strip().splitlines():
        if line.strip():
            lines.add_row(Text(bullet, style=bullet_style), Text(refer(line.strip(), gender)))
    return Group(Text(t(heading), style=f"bold {bullet_style}"), lines)


class ComplaintWizard(KequScreen[bool]):
    """One complaint, step by step. Dismissed with True when anything was written.

    ``complaint_id`` stays None while a new complaint holds nothing: the first write stores it.
    """

    DEFAULT_CSS = css_beside(__file__, "complaint_wizard.tcss")

    # The step keys take priority: the notes box would otherwise keep ctrl+arrows and
    # page keys for moving its cursor, and these must work while the user is writing.
    BINDINGS = [
        Binding(
            "ctrl+right,pagedown",
            "next_step",
            t("complaint_ui.key.next"),
            id="complaint.next",
            key_display="^→/PgDn",
            priority=True,
        ),
        Binding(
            "ctrl+left,pageup",
            "previous_step",
            t("complaint_ui.key.previous"),
            id="complaint.previous",
            key_display="^←/PgUp",
            priority=True,
        ),
        # ctrl+k deletes to the end of the line in text boxes; ctrl+l is free in all of them.
        Binding("ctrl+l", "close_complaint", t("complaint_ui.key.close"), id="complaint.close", key_display="^L"),
        # ctrl+w deletes a word in text boxes; ctrl+t is free in all of them. Rarely needed,
        # so not in the footer, which at 80 columns would lose help to it: help (?) and the
        # palette (撤销, chexiao, withdraw) list it.
        Binding(
            "ctrl+t",
            "withdraw_complaint",
            t("complaint_ui.key.withdraw"),
            id="complaint.withdraw",
            key_display="^T",
            show=False,
        ),
        Binding("escape", "leave", t("complaint_ui.key.leave"), id="complaint.leave"),
    ]

    def __init__(
        self,
        customer_id: int | None = None,
        complaint_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        if customer_id is None and complaint_id is None:
            raise ValueError("ComplaintWizard needs a customer_id or a complaint_id")
        self.customer_id = customer_id
        self.complaint_id = complaint_id
        self.today = today or clock.today()
        self.view: ComplaintView | None = None
        self.state: wizard.WizardState | None = None
        self.summary = ""
        self.changed = False
        self._pending: dict[PendingKey, str] = {}
        self._pending_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._save_timer: Timer | None = None
        self._field_ids: dict[str, tuple[int, str]] = {}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cw-head"):
            yield Static(t("complaint_ui.loading"), id="cw-who")
            yield Static("", id="cw-step-of")
            yield ProgressBar(total=LAST_STEP, show_eta=False, show_percentage=False, id="cw-progress")
            yield Static("", id="cw-reached")
        with Horizontal(id="cw-summary-row"):
            yield Label(t("complaint_ui.summary_label"), id="cw-summary-label")
            yield Input(placeholder=t("complaint_ui.summary_placeholder"), id="cw-summary", compact=True)
            yield Static("", id="cw-age")
        yield Static("", id="cw-steps")
        yield Static("", id="cw-banner")
        with Horizontal(id="cw-body"):
            yield OptionList(*(Text(f"  {step}. {t(wizard.step_key(step, 'title'))}") for step in STEPS), id="cw-rail")
            with Vertical(id="cw-main"):
                with VerticalScroll(id="cw-guide"):
                    yield Static("", id="cw-step-title")
                    yield Static("", id="cw-why")
                    with Vertical(id="cw-lists"):
                        yield Static("", id="cw-say")
                        yield Static("", id="cw-avoid")
                    yield Static("", id="cw-tip")
                with Vertical(id="cw-work"):
                    for step, names in STEP_FIELDS.items():
                        with Vertical(id=f"cw-fields-{step}", classes="cw-fields"):
                            for name in names:
                                input_id = f"cw-f-{step}-{name}"
                                self._field_ids[input_id] = (step, name)
                                placeholder = t(f"complaint_ui.hint.{name}", example=self.today.isoformat())
                                with Horizontal(classes="cw-field-row"):
                                    yield Label(t(wizard.field_key(name)), classes="cw-field-label")
                                    with Vertical(classes="cw-field-box"):
                                        yield Input(placeholder=placeholder, id=input_id, compact=True)
                                        yield Label("", id=f"cw-e-{step}-{name}", classes="cw-error")
                    with Horizontal(id="cw-notes-head"):
                        yield Label(t("complaint.label.notes"), id="cw-notes-label")
                        yield Static("", id="cw-save-status")
                    yield TextArea(
                        "",
                        id="cw-notes",
                        soft_wrap=True,
                        show_line_numbers=False,
                        highlight_cursor_line=False,
                        placeholder=t("complaint_ui.notes_placeholder"),
                    )
        yield KequFooter()

    def on_mount(self) -> None:
        self.title = t("complaint.title")
        for group in self.query(".cw-fields"):
            group.display = False
        self._fit(self.size.width)
        self.load()

    def on_resize(self) -> None:
        self._fit(self.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width < WIDE_LAYOUT, "-narrow")
        self.set_class(width < RAIL_MIN_WIDTH, "-no-rail")

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="complaint-load")
    def load(self) -> None:
        from kequ.services import complaints as service

        db = self.db
        try:
            if self.complaint_id is not None:
                view = service.load(db, self.complaint_id)
            else:
                assert self.customer_id is not None
                view = service.open_or_resume(db, self.customer_id, self.today)
        except KequError as problem:
            self.app.call_from_thread(self._load_failed, problem.message())
            return
        self.app.call_from_thread(self._show, view)

    def _load_failed(self, message: str) -> None:
        self.query_one("#cw-who", Static).update(plain(message, "bold red"))
        self.notify(message, severity="error", markup=False)

    def _show(self, view: ComplaintView) -> None:
        fresh = self.view is None
        self.view = view
        self.complaint_id = view.id
        self.customer_id = view.customer_id
        current = self.state.current if self.state is not None else view.state.current
        self.state = view.state if view.state.current == current else replace(view.state, current=current)
        self.summary = view.summary
        self.sub_title = view.customer_name

        who = plain(view.customer_name, "bold")
        who.append("  ")
        who.append_text(disc_badge(view.customer_disc))
        self.query_one("#cw-who", Static).update(who)
        summary = self.query_one("#cw-summary", Input)
        summary.value = view.summary
        summary.disabled = not view.is_open
        for input_id, (step, name) in self._field_ids.items():
            field = self.query_one(f"#{input_id}", Input)
            field.value = self.state.field_at(step, name)
            field.disabled = not view.is_open
            self._set_error(step, name, "")
        notes = self.query_one("#cw-notes", TextArea)
        notes.read_only = not view.is_open
        notes.placeholder = t("complaint_ui.notes_placeholder") if view.is_open else ""
        self.set_class(not view.is_open, "-closed")
        self._show_dates()
        self._render_step()
        if fresh:
            if view.is_open:
                notes.focus()
            else:
                self.query_one("#cw-rail", OptionList).focus()

    def _show_dates(self) -> None:
        view = self.view
        assert view is not None
        withdrawn = view.status == ComplaintStatus.WITHDRAWN.value
        if view.closed_on is None:
            days = max(0, (self.today - view.opened_on).days)
            age = t("complaint_ui.opened", day=view.opened_on.isoformat(), days=days)
        else:
            age = t(
                "complaint_ui.withdrawn_took" if withdrawn else "complaint_ui.took",
                opened=view.opened_on.isoformat(),
                closed=view.closed_on.isoformat(),
                days=(view.closed_on - view.opened_on).days,
            )
        self.query_one("#cw-age", Static).update(plain(age))
        banner = Text()
        if withdrawn:
            day = view.closed_on.isoformat() if view.closed_on else ""
            banner.append(t("complaint_ui.withdrawn_banner", day=day), "bold")
        elif not view.is_open:
            satisfaction = (
                f"{view.satisfaction} {t(wizard.satisfaction_key(view.satisfaction))}" if view.satisfaction else "—"
            )
            cause = t(wizard.cause_key(view.cause)) if view.cause else "—"
            day = view.closed_on.isoformat() if view.closed_on else ""
            banner.append(t("complaint_ui.closed_banner", day=day, satisfaction=satisfaction, cause=cause), "bold")
            banner.append("\n" + t("complaint_ui.resolution"), "bold")
            banner.append_text(plain(view.resolution))
        self.query_one("#cw-banner", Static).update(banner)

    def _render_step(self) -> None:
        state = self.state
        view = self.view
        if state is None or view is None:
            return
        step = state.current
        self.query_one("#cw-step-of", Static).update(Text(t("complaint.step_of", step=step, total=LAST_STEP), "bold"))
        self.query_one("#cw-progress", ProgressBar).update(progress=state.reached)
        self.query_one("#cw-reached", Static).update(f"{state.reached}/{LAST_STEP}")

        self.query_one("#cw-step-title", Static).update(Text(f"{step}. {t(wizard.step_key(step, 'title'))}"))
        gender = view.customer_gender  # the guide's TA as 他 or 她 for this customer
        self.query_one("#cw-why", Static).update(Text(refer(t(wizard.step_key(step, "why")), gender)))
        self.query_one("#cw-say", Static).update(example_lines(step, "say", "• ", "green", gender))
        self.query_one("#cw-avoid", Static).update(example_lines(step, "avoid", "✗ ", "red", gender))
        tip = self.query_one("#cw-tip", Static)
        tip_key = wizard.disc_tip_key(step, view.customer_disc)
        tip.display = tip_key is not None
        if tip_key is not None:
            line = disc_badge(view.customer_disc)
            line.append(" ")
            line.append(refer(t(tip_key), gender))
            tip.border_title = t("complaint.label.disc_tip")
            tip.update(line)
        self.query_one("#cw-guide", VerticalScroll).scroll_home(animate=False)

        focused = self.focused
        for fields_step in STEP_FIELDS:
            group = self.query_one(f"#cw-fields-{fields_step}", Vertical)
            group.display = fields_step == step
        # Without the rail (80 columns) the writing area keeps room for its fields and a
        # few lines of notes, and the guide above it has the rest.
        self.query_one("#cw-work", Vertical).set_class(step in STEP_FIELDS, "-with-fields")
        notes = self.query_one("#cw-notes", TextArea)
        if isinstance(focused, Input) and focused.id in self._field_ids and self._field_ids[focused.id][0] != step:
            notes.focus()
        text = state.notes_at(step)
        if notes.text != text:
            notes.load_text(text)
        self._render_rail()

    def _render_rail(self) -> None:
        state = self.state
        if state is None:
            return
        self.query_one("#cw-steps", Static).update(step_strip(state))
        rail = self.query_one("#cw-rail", OptionList)
        for index, step in enumerate(STEPS):
            rail.replace_option_prompt_at_index(index, rail_prompt(step, state))
        if rail.highlighted != state.current - 1:
            rail.highlighted = state.current - 1

    # ------------------------------------------------------------------ editing

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "cw-notes":
            self._take_notes(event.text_area.text)

    def _take_notes(self, text: str) -> None:
        state = self.state
        # load_text reports a change too; only what differs from the state was typed.
        if state is None or not state.is_open or text == state.notes_at(state.current):
            return
        try:
            self.state = wizard.edit_notes(state, state.current, text)
        except ComplaintError as problem:
            self.notify(problem_text(problem), severity="error", markup=False)
            return
        self._queue(("notes", state.current, ""), text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "cw-summary":
            if self.state is not None and self.state.is_open and event.value != self.summary:
                self.summary = event.value
                self._queue(("summary", 0, ""), event.value)
        elif event.input.id in self._field_ids:
            self._take_field(*self._field_ids[event.input.id], event.value)

    def _take_field(self, step: int, name: str, value: str) -> None:
        state = self.state
        if state is None or not state.is_open:
            return
        try:
            cleaned = wizard.check_field(step, name, value)
        except ComplaintError as problem:
            # A half-typed or wrong date stays in the box with the reason beside it; the
            # last good value stays stored until this one is fixed.
            self._set_error(step, name, problem_text(problem))
            return
        self._set_error(step, name, "")
        if cleaned == state.field_at(step, name):
            return
        try:
            self.state = wizard.set_field(state, step, name, value)
        except ComplaintError as problem:
            self._set_error(step, name, problem_text(problem))
            return
        self._queue(("field", step, name), value)

    def _set_error(self, step: int, name: str, message: str) -> None:
        label = self.query_one(f"#cw-e-{step}-{name}", Label)
        # Text, not plain(): the reason must wrap, not be cut at the edge.
        label.update(Text(message))
        label.set_class(bool(message), "-shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._flush()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Leaving a box is a natural pause: no need to wait for the timer.
        self._flush()

    def _capture(self) -> None:
        """Take what the boxes hold now, in case a change message is still on its way."""
        if self.state is None or not self.state.is_open:
            return
        try:
            self._take_notes(self.query_one("#cw-notes", TextArea).text)
            summary = self.query_one("#cw-summary", Input).value
            for input_id, (step, name) in self._field_ids.items():
                if step == self.state.current:
                    self._take_field(step, name, self.query_one(f"#{input_id}", Input).value)
        except NoMatches:
            return
        if summary != self.summary:
            self.summary = summary
            self._queue(("summary", 0, ""), summary)

    # ------------------------------------------------------------------ saving

    def _queue(self, key: PendingKey, value: str) -> None:
        with self._pending_lock:
            self._pending[key] = value
        self.changed = True
        self._status(t("complaint_ui.saving"))
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._flush)

    def _flush(self) -> None:
        """Write what is pending, off the main thread."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._pending:
            self._write_pending()

    def flush_now(self) -> list[str]:
        """Write what is pending before returning: on leaving, closing, unmounting."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        problems = self._write()
        if self.is_attached:
            self._written(problems)  # the status line says "saved", not "saving…"
        else:
            for problem in problems:
                self.app.notify(problem, severity="error", markup=False)
        return problems

    @work(thread=True, group="complaint-save")
    def _write_pending(self) -> None:
        problems = self._write()
        # Reported after the lock is released: the main thread may be waiting for it in
        # flush_now, and call_from_thread waits for the main thread.
        self.app.call_from_thread(self._written, problems)

    def _write(self) -> list[str]:
        from kequ.services import complaints as service

        problems: list[str] = []
        with self._write_lock:
            with self._pending_lock:
                batch = list(self._pending.items())
                self._pending.clear()
            if not batch or self.view is None:
                return problems
            db = self.db
            for (what, step, name), value in batch:
                # A new complaint is stored by the first write that puts something in it;
                # the writes after it go to the id that write returns.
                ref: ComplaintRef = self.view.ref if self.complaint_id is None else self.complaint_id
                try:
                    if what == "notes":
                        stored = service.save_notes(db, ref, step, value)
                    elif what == "field":
                        stored = service.save_field(db, ref, step, name, value)
                    elif what == "summary":
                        stored = service.set_summary(db, ref, value)
                    else:  # "move"
                        stored = service.move_to(db, ref, step).id
                except KequError as problem:
                    problems.append(problem.message())
                    continue
                if stored is not None:
                    self.complaint_id = stored
        return problems

    def _written(self, problems: list[str]) -> None:
        if not self.is_attached:
            return
        if self.view is not None and self.view.id != self.complaint_id:
            # Stored by its first write: the close dialog and withdrawing name it by its id.
            self.view = replace(self.view, id=self.complaint_id)
        if problems:
            self._status(t("complaint_ui.not_saved", problem=problems[-1]), error=True)
            for problem in problems:
                self.notify(problem, severity="error", markup=False)
        elif not self._pending:
            self._status(t("complaint_ui.saved", time=clock.local_now().strftime("%H:%M:%S")))

    def _status(self, message: str, error: bool = False) -> None:
        with suppress(NoMatches):
            self.query_one("#cw-save-status", Static).update(plain(message, "bold red" if error else ""))

    def on_unmount(self) -> None:
        # Quitting the app from here: whatever is still pending goes to disk first.
        self.flush_now()

    # ------------------------------------------------------------------ moving

    def _move(self, transition: Callable[[wizard.WizardState], wizard.WizardState]) -> None:
        if self.state is None:
            return
        self._capture()
        old = self.state
        try:
            new = transition(old)
        except ComplaintError as problem:
            self.notify(problem_text(problem), severity="warning", markup=False)
            self._render_rail()
            return
        self.state = new
        if new.is_open and new.reached > old.reached:
            with self._pending_lock:
                self._pending[("move", new.reached, "")] = ""
            self.changed = True
        self._flush()
        self._render_step()

    class AfterTyping(Message):
        """Runs an action once the focused box has taken every key typed before it.

        The step keys are priority bindings, handled as soon as they arrive, while the
        letters typed just before them may still wait in the box's queue (an IME commits
        a whole phrase at once). Sent through that box's queue, the action runs after
        them, so the text is saved with the step it was typed on.
        """

        def __init__(self, action: Callable[[], None]) -> None:
            super().__init__()
            self.action = action

    def after_typing(self, action: Callable[[], None]) -> None:
        focused = self.focused
        if focused is None:
            action()
        else:
            focused.post_message(self.AfterTyping(action))

    def on_complaint_wizard_after_typing(self, message: AfterTyping) -> None:
        message.stop()
        message.action()

    def action_next_step(self) -> None:
        self.after_typing(lambda: self._move(wizard.forward))

    def action_previous_step(self) -> None:
        self.after_typing(lambda: self._move(wizard.back))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        rail = event.option_list
        # Only the user's own arrow keys move the wizard; a highlight set by the screen,
        # or one already overtaken by the next key, is ignored.
        if self.state is None or not rail.has_focus or event.option_index != rail.highlighted:
            return
        step = event.option_index + 1
        if step != self.state.current:
            self._move(lambda state: wizard.goto(state, step))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.state is not None and self.state.is_open:
            self.query_one("#cw-notes", TextArea).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_complaint" and (self.state is None or not self.state.is_open):
            return None
        if action == "withdraw_complaint" and (self.state is None or not self.state.is_open or self.view is None):
            return None
        return True

    def action_leave(self) -> None:
        self.after_typing(self._leave)

    def _leave(self) -> None:
        from kequ.services import complaints as service

        self._capture()
        problems = self.flush_now()
        if not problems and self._holds_nothing() and self.complaint_id is not None:
            # Written and then wiped, or stored empty by an older kequ: nothing to keep.
            try:
                if service.discard_if_blank(self.db, self.complaint_id):
                    self.changed = True
            except KequError as problem:
                self.notify(problem.message(), severity="error", markup=False)
        self.dismiss(self.changed)

    def _holds_nothing(self) -> bool:
        return self.state is not None and self.state.is_blank and not self.summary

    def action_close_complaint(self) -> None:
        self.after_typing(self._open_close_dialog)

    def _open_close_dialog(self) -> None:
        if self.view is None or self.state is None or not self.state.is_open:
            return
        self._capture()
        # Notes can't be written once it is closed: everything typed goes in first.
        if self.flush_now():
            return
        self.app.push_screen(
            CloseComplaintDialog(replace(self.view, summary=self.summary), self.today), self._after_close
        )

    def action_withdraw_complaint(self) -> None:
        self.after_typing(self._ask_withdraw)

    def _ask_withdraw(self) -> None:
        view = self.view
        if view is None or self.state is None or not self.state.is_open:
            return
        self._capture()
        if self.flush_now():
            return
        if self.complaint_id is None:
            self.notify(t("complaint_ui.withdraw_nothing"), markup=False)
            return
        question = t("complaint_ui.withdraw_question", who=view.customer_name)
        self.app.push_screen(ConfirmPrompt(question), self._withdraw_if_sure)

    def _withdraw_if_sure(self, sure: bool | None) -> None:
        from kequ.services import complaints as service

        complaint_id = self.complaint_id
        if not sure or complaint_id is None:
            return
        self.run_change(
            lambda db: service.withdraw(db, complaint_id, today=self.today),
            group="complaint-withdraw",
            then=self._after_withdraw,
            reload=False,
        )

    def _after_withdraw(self, view: ComplaintView) -> None:
        self.changed = True
        self._show(view)
        self.query_one("#cw-rail", OptionList).focus()
        self.notify(t("complaint_ui.withdrawn"), markup=False)

    def _after_close(self, result: ClosedComplaint | None) -> None:
        if result is None:
            return
        self.changed = True
        self._show(result.complaint)
        self.query_one("#cw-rail", OptionList).focus()
        self.notify(booked_message(result.followups), markup=False, timeout=8)
