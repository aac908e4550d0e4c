"""The user's settings, read in plain SQL: Today and every message need them at once."""

from __future__ import annotations

import json
import sqlite3

from kequ.domain.settings import resolve


def stored(conn: sqlite3.Connection) -> dict[str, object]:
    """{key: value} as the table holds them; a value that is not JSON is left out."""
    found: dict[str, object] = {}
    for key, raw in conn.execute("SELECT key, value FROM setting"):
        if not isinstance(raw, str):
            # The JSON column has numeric affinity: SQLite keeps the JSON text 15 as the integer 15.
            found[key] = raw
            continue
        try:
            found[key] = json.loads(raw)
        except ValueError:
            continue  # written by hand: its setting falls back to the default
    return found


def read_settings(conn: sqlite3.Connection) -> dict[str, object]:
    """Every setting's value: the stored one where it is valid, else the default."""
    return resolve(stored(conn))
