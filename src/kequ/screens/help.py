"""帮助: the keys of the screen you came from, and of the whole app."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from kequ.i18n import t


def key_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    for binding in bindings:
        if binding.description:
            # The id is what keys.toml uses to remap this key.
            table.add_row(
                Text(binding.key_display or binding.key, style="bold"),
                Text(binding.description),
                Text(binding.id or "", style="dim"),
            )
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", t("key.close"), id="help.close")]

    def __init__(self, behind: Screen[object]) -> None:
        super().__init__()
        self.behind = behind

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="help"):
            yield Static(Text(t("help.title"), style="bold"))
            yield Static(key_table(t("help.this_screen"), list(self.behind.BINDINGS)))  # type: ignore[arg-type]
            yield Static(key_table(t("help.everywhere"), list(self.app.BINDINGS)))  # type: ignore[arg-type]
            yield Static(Text(t("help.palette")))

    def action_close(self) -> None:
        self.dismiss(None)
