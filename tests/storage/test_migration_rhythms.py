"""Schema step 6: a tier's call and visit rhythms become settings; a customer's own stay, one per kind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.storage.database import migrate
from kequ.storage.fast_reads.agenda import read_rules
from kequ.storage.fast_reads.settings import read_settings
from tests.storage.older_book import older_book


def test_a_version_5_book_keeps_every_rhythm_it_had(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    conn = older_book(path, 5)
    conn.executemany(
        "INSERT INTO cadence (customer_id, tier, kind, interval_days) VALUES (?, ?, ?, ?)",
        [
            (None, "regular", "call", 60),  # a tier's rhythm, as an older version kept it
            (None, "potential", "visit", 120),
            (None, "key", "message", 7),  # not a call or visit: stays a tier row
            (1, None, "call", 10),
            (1, None, "call", 14),  # the same customer and kind twice: the newest wins
            (2, None, "visit", 0),
        ],
    )
    conn.execute("INSERT INTO setting (key, value) VALUES ('rhythm.potential.visit', 100)")  # the user's word stays
    conn.commit()
    conn.close()
    assert migrate(path) == 5
    conn = sqlite3.connect(path)
    settings = read_settings(conn)
    assert settings["rhythm.regular.call"] == 60
    assert settings["rhythm.potential.visit"] == 100
    assert settings["rhythm.key.call"] == 30  # never set: the playbook's
    rows = conn.execute("SELECT customer_id, tier, kind, interval_days FROM cadence ORDER BY id").fetchall()
    assert rows == [(None, "key", "message", 7), (1, None, "call", 14), (2, None, "visit", 0)]
    rules = read_rules(conn)
    assert rules.cadences["regular"]["call"] == 60 and rules.cadences["key"]["message"] == 7
    assert rules.overrides == {1: {"call": 14}, 2: {"visit": 0}}
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO cadence (customer_id, kind, interval_days) VALUES (1, 'call', 5)")
    conn.close()
