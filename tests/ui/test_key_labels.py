"""Keys shown as a person reads them, in help and the palette."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from kequ.ui.widgets.keys import key_label


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("question_mark,f1", "? / F1"),
        ("enter,o", "Enter / o"),
        ("ctrl+q", "Ctrl+Q"),
        ("n,escape", "n / Esc"),
        ("shift+tab", "Shift+Tab"),
        ("d", "d"),
    ],
)
def test_keys_read_as_printed_on_the_keyboard(keys: str, shown: str) -> None:
    assert key_label(Binding(keys, "noop", "x")) == shown


def test_a_key_display_given_by_the_binding_wins() -> None:
    assert key_label(Binding("question_mark", "help", "x", key_display="?")) == "?"


def test_help_shows_question_mark_and_f1_as_keys_not_names() -> None:
    from rich.console import Console

    from kequ.ui.app import KequApp
    from kequ.ui.screens.help.help import key_table

    console = Console(record=True, width=120)
    console.print(key_table("keys", [b for b in KequApp.BINDINGS if isinstance(b, Binding)]))
    shown = console.export_text()
    assert "? / F1" in shown
    assert "Ctrl+Q" in shown
    assert "question_mark" not in shown
