"""A binding's keys as a person reads them: ``question_mark,f1`` → ``? / F1``."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.keys import format_key

_NAMED = {"enter": "Enter", "escape": "Esc", "space": "Space", "tab": "Tab", "delete": "Del", "backspace": "Backspace"}
_FUNCTION_KEY = re.compile(r"f\d{1,2}")


def _one_key(key: str) -> str:
    *modifiers, last = key.split("+")
    if last in _NAMED:
        shown = _NAMED[last]
    elif _FUNCTION_KEY.fullmatch(last):
        shown = last.upper()
    else:
        shown = format_key(last)
        if len(shown) != 1:
            shown = last.replace("_", " ").capitalize()
        elif modifiers:
            shown = shown.upper()
    return "+".join([*(modifier.capitalize() for modifier in modifiers), shown])


def key_label(binding: Binding) -> str:
    """What to press, for help and the palette: ``? / F1``, ``Enter / o``, ``Ctrl+Q``."""
    if binding.key_display:
        return binding.key_display
    return " / ".join(_one_key(key.strip()) for key in binding.key.split(","))
