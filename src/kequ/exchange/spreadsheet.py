"""A cell a spreadsheet will not run."""

from __future__ import annotations


def neutralise(value: str) -> str:
    """A text a spreadsheet would run as a formula gets a leading ' (OWASP CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
