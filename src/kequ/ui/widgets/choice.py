"""A choice inside a form, where Enter saves the form as it does in every box of it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Select


class FormSelect(Select[str]):
    """Space or the arrows open the list; Enter submits the form instead of opening it again."""

    BINDINGS = [Binding("enter", "submit", show=False)]

    class Submitted(Message):
        pass

    def action_submit(self) -> None:
        self.post_message(self.Submitted())
