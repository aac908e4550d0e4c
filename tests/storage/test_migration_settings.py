"""Schema step 5: the setting table takes the keys `kequ config` shows, and keeps every value."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kequ.storage.database import MIGRATIONS_DIR, SCHEMA_VERSION, migrate
from kequ.storage.fast_reads.agenda import read_rules


def version_3_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    for step in ("0001_initial.sql", "0002_trips.sql", "0003_life_events.sql"):
        conn.executescript((MIGRATIONS_DIR / step).read_text(encoding="utf-8"))
    conn.executemany(
        "INSERT INTO setting (key, value) VALUES (?, ?)",
        [("festivals.greet", '["spring_festival"]'), ("festivals.tiers", '["regular"]'), ("something.else", "1")],
    )
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def test_the_festival_choices_keep_their_values_under_their_new_keys(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    version_3_database(path)
    assert migrate(path) == 3
    conn = sqlite3.connect(path)
    rows = dict(conn.execute("SELECT key, value FROM setting").fetchall())
    assert rows == {"festivals": '["spring_festival"]', "festival_tiers": '["regular"]', "something.else": 1}
    rules = read_rules(conn)
    assert rules.festival_keys == {"spring_festival"} and rules.festival_tiers == {"regular"}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert migrate(path) == SCHEMA_VERSION  # and again changes nothing
