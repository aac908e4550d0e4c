"""Random Unicode through add → show → export → import: kept as given, shown literally.

Control characters are the one deliberate change: they are stripped when text comes in,
because an escape sequence in a name could otherwise drive the user's terminal.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from kequ.domain.records import NewCustomer
from kequ.domain.validation import MAX_NAME, clean_text
from kequ.exchange.export import export_to_file
from kequ.exchange.imports.run import import_file
from kequ.services.customers import add_customer, list_customers
from kequ.storage.database import open_database

# Everything Unicode has, weighted towards what breaks terminals and parsers.
NASTY = st.sampled_from(
    [
        "[red]",
        "[/]",
        "[link=https://x]y[/link]",
        "\x1b[31m",
        "\x1b]52;c;aGk=\x07",
        "\x00",
        "\u202e",
        "{x}",
        "😀",
        "\r\n",
    ]
)
texts = st.lists(st.one_of(st.text(min_size=1, max_size=8), NASTY), min_size=1, max_size=6).map("".join)


def shown(value: str) -> str:
    console = Console(record=True, width=400, color_system=None, force_terminal=False)
    console.print(Text(value), end="")
    return console.export_text()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=texts.map(lambda text: text[:MAX_NAME]), honorific=texts, notes=texts)
def test_random_text_round_trips_and_is_shown_literally(name: str, honorific: str, notes: str) -> None:
    clean_name = clean_text(name, MAX_NAME, "name")
    if not clean_name:  # an empty name is refused; that case has its own tests
        return
    with tempfile.TemporaryDirectory() as folder:
        first = open_database(str(Path(folder) / "a.db"))
        cid = add_customer(first, NewCustomer(name=name, honorific=honorific[:MAX_NAME], notes=notes))
        stored = next(c for c in list_customers(first) if c.id == cid)
        assert stored.name == clean_name
        assert all(ord(ch) >= 32 or ch in "\n\t" for ch in stored.notes)
        assert "\x1b" not in stored.name + stored.honorific + stored.notes
        # Shown literally: Rich prints the text itself, markup and all.
        assert shown(stored.name) == stored.name

        dump = Path(folder) / "all.json"
        export_to_file(first, "json", dump, date(2026, 11, 23))
        second = open_database(str(Path(folder) / "b.db"))
        import_file(second, dump)
        again = next(c for c in list_customers(second) if c.id == cid)
        assert (again.name, again.honorific, again.notes) == (stored.name, stored.honorific, stored.notes)
