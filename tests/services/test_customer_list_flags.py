"""The agenda's marks of the Customers list are handed to a worker at every keystroke."""

from __future__ import annotations

from kequ.services.customer_list import Flags


def test_flags_describe_themselves_in_a_line_however_many_customers() -> None:
    """Textual names a worker by the repr of its arguments, on the UI thread: the repr of
    100,000 ids cost 40 ms a keystroke."""
    flags = Flags(owed=frozenset(range(100_000)), risky=frozenset(range(3)))
    assert repr(flags) == "Flags(owed=100000, risky=3)"
    assert flags == Flags(owed=frozenset(range(100_000)), risky=frozenset({0, 1, 2}))  # still compared by value
