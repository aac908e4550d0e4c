"""帮助: the keys of the screen you came from, and of the whole app."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static, TabbedContent, TabPane

from kequ.i18n import language, t
from kequ.ui.widgets.keys import key_label


def key_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    for binding in bindings:
        if binding.description:
            # The id is what keys.toml uses to remap this key.
            table.add_row(
                Text(key_label(binding), style="bold"),
                Text(binding.description),
                Text(binding.id or "", style="dim"),
            )
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of this screen and the app, and the whole playbook, searchable."""

    BINDINGS = [Binding("escape", "close", t("key.close"), id="help.close")]

    def __init__(self, behind: Screen[object]) -> None:
        super().__init__()
        self.behind = behind

    def compose(self) -> ComposeResult:
        with Vertical(classes="help"), TabbedContent():
            with TabPane(t("playbook.tab_keys"), id="help-keys"), VerticalScroll():
                yield Static(Text(t("help.title"), style="bold"))
                yield Static(key_table(t("help.this_screen"), list(self.behind.BINDINGS)))  # type: ignore[arg-type]
                yield Static(key_table(t("help.everywhere"), list(self.app.BINDINGS)))  # type: ignore[arg-type]
                yield Static(Text(t("help.palette")))
            with TabPane(t("playbook.tab_playbook"), id="help-playbook"):
                yield Input(placeholder=t("playbook.search"), id="playbook-search")
                with VerticalScroll():
                    yield Static("", id="playbook-text")

    def on_mount(self) -> None:
        self.show_playbook("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_playbook(event.value)

    def show_playbook(self, query: str) -> None:
        from kequ.domain.playbook import sections

        text = Text()
        group = ""
        found = [s for s in sections(language()) if s.matches(query)]
        for section in found:
            if section.group != group:
                group = section.group
                text.append(f"\n{group}\n", style="bold reverse")
            text.append(f"{section.title}\n", style="bold")
            text.append(f"{section.body}\n\n")
        if not found:
            text.append(t("playbook.nothing", query=query))
        self.query_one("#playbook-text", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
