"""Schema step 3: important_date is rebuilt for life events and keeps every row it had."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.storage.backups import list_backups
from kequ.storage.database import MIGRATIONS_DIR, SCHEMA_VERSION, migrate

DATES = [
    # id, customer, kind, label, month, day, lunar, leap, year, lead
    (1, 1, "birthday", "", 6, 12, 1, 1, None, 0),
    (2, 1, "anniversary", "结婚", 10, 1, 0, 0, 2008, 3),
    (3, 2, "other", "公司周年", 2, 29, 0, 0, None, 7),
    (4, 2, "birthday", "", 8, 30, 1, 0, 1975, 0),
]


def insert_customers(conn: sqlite3.Connection, people: tuple[tuple[int, str], ...]) -> None:
    """(id, name) customers with every other column as version 1 stores it: for any older file."""
    for cid, name in people:
        conn.execute(
            "INSERT INTO customer (id, name, honorific, company, title, phones, wechat, email, city, district,"
            " address, tier, stage, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags,"
            " source, churned, churn_reason, notes, search_keys, created_at, updated_at) VALUES (?, ?, '', '', '',"
            " '[]', '', '', '', '', '', 'key', 'existing', '', '', '', '', '', '[]', '', 0, '', '', '',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (cid, name),
        )


def version_2_database(path: Path) -> None:
    """A file exactly as the released version 2 left it, with customers, dates and touches."""
    conn = sqlite3.connect(path)
    for step in ("0001_initial.sql", "0002_trips.sql"):
        conn.executescript((MIGRATIONS_DIR / step).read_text(encoding="utf-8"))
    insert_customers(conn, ((1, "曾志强"), (2, "王建国")))
    conn.executemany("INSERT INTO important_date VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", DATES)
    # A handled birthday: its key names the date's id, which the rebuild must keep.
    conn.execute(
        "INSERT INTO touchpoint (customer_id, kind, source_key, occurrence, due_date, status, reason, note,"
        " created_at) VALUES (1, 'message', 'date:1', '2026-07-24', '2026-07-24', 'done', '', '',"
        " '2026-07-24 08:00:00')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


@pytest.fixture
def upgraded(tmp_path: Path) -> Path:
    path = tmp_path / "v2.db"
    version_2_database(path)
    assert SCHEMA_VERSION >= 3
    assert migrate(path) == 2
    return path


def test_a_version_2_database_keeps_every_date_with_its_id(upgraded: Path) -> None:
    conn = sqlite3.connect(upgraded)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # Step 13 adds each row's sync uid as the last column: the columns before it are checked here.
    assert [row[:-1] for row in conn.execute("SELECT * FROM important_date ORDER BY id")] == DATES
    assert conn.execute("SELECT source_key, status FROM touchpoint").fetchall() == [("date:1", "done")]
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 2
    # No copy left behind, the index is back, and the file is sound.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "important_date_v2" not in tables
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'important_date'")}
    assert "ix_important_date_customer_id" in indexes
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_old_file_is_backed_up_first(upgraded: Path) -> None:
    backups = [p for p in list_backups(upgraded) if f"before-v{SCHEMA_VERSION}" in p.name]
    assert len(backups) == 1
    kept = sqlite3.connect(backups[0])
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 2
    assert len(kept.execute("SELECT * FROM important_date").fetchall()) == len(DATES)


def test_the_rebuilt_table_takes_life_events_and_keeps_its_rules(upgraded: Path) -> None:
    conn = sqlite3.connect(upgraded)
    conn.execute("PRAGMA foreign_keys = ON")
    insert = "INSERT INTO important_date (customer_id, kind, label, month, day, lunar, leap, year, lead_days)"
    conn.execute(f"{insert} VALUES (1, 'wedding', '女儿出嫁', 12, 5, 0, 0, 2026, 5)")
    with pytest.raises(sqlite3.IntegrityError, match="ck_one_off_has_year"):
        conn.execute(f"{insert} VALUES (1, 'illness', '', 3, 1, 0, 0, NULL, 0)")
    with pytest.raises(sqlite3.IntegrityError, match="ck_kind_valid"):
        conn.execute(f"{insert} VALUES (1, 'divorce', '', 3, 1, 0, 0, 2026, 0)")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(f"{insert} VALUES (99, 'baby', '', 3, 1, 0, 0, 2026, 0)")
    # Deleting a customer still takes their dates along.
    conn.execute("DELETE FROM customer WHERE id = 2")
    assert conn.execute("SELECT DISTINCT customer_id FROM important_date").fetchall() == [(1,)]
    conn.commit()


def test_migrating_again_changes_nothing(upgraded: Path) -> None:
    before = sqlite3.connect(upgraded).execute("SELECT * FROM important_date ORDER BY id").fetchall()
    assert migrate(upgraded) == SCHEMA_VERSION
    assert sqlite3.connect(upgraded).execute("SELECT * FROM important_date ORDER BY id").fetchall() == before
