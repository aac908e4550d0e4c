"""Schema step 4: customer.gender is added; every customer stays, with nothing said about gender."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.storage.database import MIGRATIONS_DIR, migrate


def test_a_version_3_database_gets_an_empty_gender_and_the_check(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path)
    for step in ("0001_initial.sql", "0002_trips.sql", "0003_life_events.sql"):
        conn.executescript((MIGRATIONS_DIR / step).read_text(encoding="utf-8"))
    conn.execute(
        "INSERT INTO customer (id, name, honorific, company, title, phones, wechat, email, city, district,"
        " address, tier, stage, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags,"
        " source, churned, churn_reason, notes, search_keys, created_at, updated_at) VALUES (1, '孙丽', '孙姐', '',"
        " '', '[]', '', '', '', '', '', 'key', 'existing', '', '', '', '', '', '[]', '', 0, '', '', '',"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    assert migrate(path) == 3
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name, honorific, gender FROM customer").fetchall() == [("孙丽", "孙姐", None)]
    conn.execute("UPDATE customer SET gender = 'female'")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE customer SET gender = '女'")  # the stored words are female / male only
    conn.close()
