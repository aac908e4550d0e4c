"""The capture line (key ``:`` on every screen): one line in plain Chinese, read as it is typed.

Below the box, what Enter will save: 记一笔：电话 王总 今天 ｜ 下一步：拜访 12月9日（周三）.
When the line can mean two things (two 王总, 周三 said on a Wednesday, 7点) the choices are
listed; one is picked with the arrows and Enter before the line can be saved. On a
profile the customer is that profile's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from kequ.i18n import t
from kequ.ui.base import Dialog
from kequ.ui.styles import css_beside
from kequ.ui.widgets.badges import plain


class CaptureLine(Dialog[bool]):
    """Returns True when something was saved."""

    CANCELLED = False
    DEFAULT_CSS = css_beside(__file__, "capture_line.tcss")

    def __init__(self, today: date, customer_id: int | None = None) -> None:
        super().__init__()
        self.today = today
        self.customer_id = customer_id
        self.reader: Any = None
        self.capture: Any = None
        # Picked by hand: (what, value); kept while the line still offers it.
        self.picked: dict[str, object] = {}
        self.asking: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(t("capture.preview.title"), id="capture-title")
            yield Input(id="capture-input", placeholder=t("capture.preview.placeholder"))
            yield Label("", id="capture-preview")
            yield OptionList(id="capture-choices")
            yield Label(plain(t("capture.preview.hint")), id="capture-hint")

    def on_mount(self) -> None:
        self.query_one("#capture-input", Input).focus()
        self.run_worker(self._read_book, thread=True, group="capture-book")

    def _read_book(self) -> None:
        from kequ.services.capture import line_reader

        self.read_then_show(line_reader, self._ready)

    def _ready(self, reader: Any) -> None:
        self.reader = reader
        if self.customer_id is not None:
            who = reader.names.get(self.customer_id, f"#{self.customer_id}")
            self.query_one("#capture-title", Label).update(plain(t("capture.preview.title_for", who=who)))
        self._reread()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._reread()

    def _reread(self) -> None:
        if self.reader is None:
            return
        text = self.query_one("#capture-input", Input).value
        if not text.strip():
            self.capture = None
            self.query_one("#capture-preview", Label).update("")
            self._show_choices(None)
            return
        from kequ.storage import clock

        now = clock.local_now().time() if self.today == clock.today() else None
        capture = self.reader.read(text, self.today, self.customer_id, now, implied=True)
        self.capture = self._with_picks(capture)
        self._show()

    def _with_picks(self, capture: Any) -> Any:
        customer = self.picked.get("customer")
        if customer in capture.customers and len(capture.customers) > 1:
            capture = replace(capture, customers=(customer,))
        day = self.picked.get("day")
        if day in capture.next_days and len(capture.next_days) > 1:
            capture = replace(capture, next_days=(day,))
        time = self.picked.get("time")
        if time in capture.next_times and len(capture.next_times) > 1:
            capture = replace(capture, next_times=(time,))
        return capture

    def _show(self) -> None:
        from kequ.domain.capture.describe import preview

        capture = self.capture
        self.query_one("#capture-preview", Label).update(Text(preview(capture, self.reader.names)))
        asks = capture.open_questions
        self._show_choices(asks[0] if asks else None)

    def _show_choices(self, what: str | None) -> None:
        from kequ.domain.capture.describe import day_text, questions

        choices = self.query_one("#capture-choices", OptionList)
        if what == self.asking and what is not None:
            return
        self.asking = what
        choices.clear_options()
        choices.set_class(what is not None, "shown")
        hint = "capture.preview.hint" if what is None else "capture.preview.hint_choose"
        self.query_one("#capture-hint", Label).update(plain(t(hint)))
        if what is None:
            return
        capture = self.capture
        choices.add_option(Option(Text(questions(capture, self.reader.names, app=True)[0]), disabled=True))
        if what == "customer":
            for cid in capture.customers:
                choices.add_option(Option(Text(f"#{cid} {self.reader.names.get(cid, '')}"), id=f"customer:{cid}"))
        elif what == "day":
            for day in capture.next_days:
                label = f"{day.isoformat()} {day_text(day, self.today)}"
                choices.add_option(Option(Text(label), id=f"day:{day.isoformat()}"))
        else:
            for time in capture.next_times:
                choices.add_option(Option(Text(time), id=f"time:{time}"))

    def on_key(self, event: events.Key) -> None:
        """↓ from the box goes to the choices, when there are some (no Tab needed)."""
        if event.key == "down" and self.asking is not None and self.query_one("#capture-input", Input).has_focus:
            event.stop()
            self._to_choices()

    def _to_choices(self) -> None:
        choices = self.query_one("#capture-choices", OptionList)
        choices.focus()
        choices.highlighted = 1  # the first choice, under the question

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        what, _, value = (event.option.id or "").partition(":")
        if what == "customer":
            self.picked["customer"] = int(value)
        elif what == "day":
            self.picked["day"] = date.fromisoformat(value)
        elif what == "time":
            self.picked["time"] = value
        self.asking = None
        self._reread()
        if self.capture is not None and self.capture.open_questions:
            self.query_one("#capture-choices", OptionList).focus()
        else:
            self.query_one("#capture-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        capture = self.capture
        if self.reader is None:
            return
        preview_label = self.query_one("#capture-preview", Label)
        if capture is None:  # Enter on an empty line
            preview_label.update(Text(t("capture.preview.empty")))
            return
        if not capture.customers:
            from kequ.domain.capture.describe import nobody_text

            preview_label.update(Text(nobody_text(capture.text, self.reader.book, self.reader.names, app=True)))
            return
        if capture.open_questions:
            self._to_choices()
            return
        from kequ.domain.capture.describe import preview
        from kequ.services.capture import save_capture

        said = preview(capture, self.reader.names)
        self.run_change(
            lambda db: save_capture(db, capture),
            group="capture-save",
            then=lambda _saved: self._saved(said),
            reload=False,
            on_refusal=lambda message: preview_label.update(Text(message)),
        )

    def _saved(self, said: str) -> None:
        self.app.notify(said, title=t("capture.preview.saved"), markup=False)
        self.dismiss(True)
