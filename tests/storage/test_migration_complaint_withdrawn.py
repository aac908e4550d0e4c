"""Schema step 6: complaint is rebuilt to take 'withdrawn'; every complaint with something in
it keeps its id, its data and its steps; the ones an older kequ stored empty on opening go."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kequ.storage.backups import list_backups
from kequ.storage.database import MIGRATIONS_DIR, SCHEMA_VERSION, migrate
from tests.storage.test_migration_life_events import insert_customers

COMPLAINTS = [
    # id, customer, opened_at, status, step, summary, cause, resolution, satisfaction, closed_at
    (1, 1, "2026-10-01 02:00:00.000000", "closed", 9, "外箱破损", "delivery", "补发", 4, "2026-10-05 02:00:00.000000"),
    (2, 1, "2026-11-01 02:00:00.000000", "open", 5, "第二批货外箱破损", None, "", None, None),
    (3, 2, "2026-11-10 02:00:00.000000", "open", 1, "", None, "", None, None),  # x pressed, nothing written
    (4, 2, "2026-11-12 02:00:00.000000", "open", 1, "", None, "", None, None),  # notes at step one only
    (5, 1, "2026-11-15 02:00:00.000000", "open", 1, "", None, "", None, None),  # a step row, wiped empty
    (6, 2, "2026-11-16 02:00:00.000000", "open", 2, "", None, "", None, None),  # moved on to step two
    (7, 2, "2026-11-17 02:00:00.000000", "open", 1, "发票开错", None, "", None, None),  # a summary only
]
STEPS = [
    # id, complaint, step, notes, data, updated_at
    (1, 1, 1, "先肯定", "{}", "2026-10-01 02:00:00.000000"),
    (2, 1, 6, "", '{"asks": "换货"}', "2026-10-02 02:00:00.000000"),
    (3, 2, 4, "感谢客户", "{}", "2026-11-01 03:00:00.000000"),
    (4, 4, 1, "客户来电说外箱坏了", "{}", "2026-11-12 02:00:00.000000"),
    (5, 5, 1, "", "{}", "2026-11-15 02:00:00.000000"),
]
EMPTY = {3, 5}


def version_5_database(path: Path) -> None:
    """A file as version 5 left it: two customers, complaints of every kind, a snoozed line."""
    conn = sqlite3.connect(path)
    for step in sorted(MIGRATIONS_DIR.glob("000[1-5]_*.sql")):
        conn.executescript(step.read_text(encoding="utf-8"))
    insert_customers(conn, ((1, "曾志强"), (2, "王建国")))
    conn.executemany("INSERT INTO complaint VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", COMPLAINTS)
    conn.executemany("INSERT INTO complaint_step VALUES (?, ?, ?, ?, ?, ?)", STEPS)
    touch = (
        "INSERT INTO touchpoint (customer_id, kind, source_key, occurrence, due_date, status, reason, note,"
        " created_at) VALUES (?, 'complaint', ?, '2026-11-10', '2026-11-30', 'snoozed', '', '', '2026-11-10 03:00:00')"
    )
    conn.execute(touch, (2, "complaint:3"))  # the empty one's line on Today, snoozed
    conn.execute(touch, (2, "complaint:4"))  # a kept one's
    conn.execute(touch, (1, "complaint:3"))  # another customer's key that happens to match: not its line
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()


@pytest.fixture
def upgraded(tmp_path: Path) -> Path:
    path = tmp_path / "v5.db"
    version_5_database(path)
    assert SCHEMA_VERSION >= 6
    assert migrate(path) == 5
    return path


def test_every_complaint_with_something_in_it_keeps_its_id_data_and_steps(upgraded: Path) -> None:
    conn = sqlite3.connect(upgraded)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # Step 13 adds each row's sync uid as the last column: the columns before it are checked here.
    complaints = conn.execute("SELECT * FROM complaint ORDER BY id").fetchall()
    assert [row[:-1] for row in complaints] == [row for row in COMPLAINTS if row[0] not in EMPTY]
    steps = conn.execute("SELECT * FROM complaint_step ORDER BY id").fetchall()
    assert [row[:-1] for row in steps] == [row for row in STEPS if row[1] not in EMPTY]
    # No copy left behind, the indexes are back, the file is sound.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {name for name in tables if name.endswith("_v5")}
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'complaint'")}
    assert {"ix_complaint_customer_id", "ix_complaint_status"} <= indexes
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_empty_complaint_goes_with_its_line_on_today_and_nothing_else(upgraded: Path) -> None:
    conn = sqlite3.connect(upgraded)
    assert conn.execute("SELECT id FROM complaint WHERE id IN (3, 5)").fetchall() == []
    assert conn.execute("SELECT customer_id, source_key FROM touchpoint ORDER BY id").fetchall() == [
        (2, "complaint:4"),
        (1, "complaint:3"),
    ]
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 2


def test_the_rebuilt_table_takes_withdrawn_and_keeps_its_rules(upgraded: Path) -> None:
    conn = sqlite3.connect(upgraded)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("UPDATE complaint SET status = 'withdrawn', closed_at = '2026-11-20 02:00:00' WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError, match="ck_status_valid"):
        conn.execute("UPDATE complaint SET status = 'cancelled' WHERE id = 4")
    with pytest.raises(sqlite3.IntegrityError, match="ck_step"):
        conn.execute("UPDATE complaint SET step = 10 WHERE id = 4")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(
            "INSERT INTO complaint (customer_id, opened_at, status, step, summary, resolution)"
            " VALUES (99, '2026-11-20 02:00:00', 'open', 1, '', '')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(
            "INSERT INTO complaint_step (complaint_id, step, notes, data, updated_at) VALUES (3, 1, '', '{}', '')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO complaint_step (complaint_id, step, notes, data, updated_at) VALUES (1, 1, '', '{}', '')"
        )
    # Deleting a complaint still takes its steps along; deleting a customer, their complaints.
    conn.execute("DELETE FROM complaint WHERE id = 1")
    assert conn.execute("SELECT DISTINCT complaint_id FROM complaint_step ORDER BY 1").fetchall() == [(2,), (4,)]
    conn.execute("DELETE FROM customer WHERE id = 2")
    assert conn.execute("SELECT id FROM complaint").fetchall() == [(2,)]
    assert conn.execute("SELECT DISTINCT complaint_id FROM complaint_step").fetchall() == [(2,)]
    conn.commit()


def test_the_old_file_is_backed_up_first_and_migrating_again_changes_nothing(upgraded: Path) -> None:
    (backup,) = [p for p in list_backups(upgraded) if f"before-v{SCHEMA_VERSION}" in p.name]
    kept = sqlite3.connect(backup)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 5
    assert len(kept.execute("SELECT * FROM complaint").fetchall()) == len(COMPLAINTS)
    before = sqlite3.connect(upgraded).execute("SELECT * FROM complaint ORDER BY id").fetchall()
    assert migrate(upgraded) == SCHEMA_VERSION
    assert sqlite3.connect(upgraded).execute("SELECT * FROM complaint ORDER BY id").fetchall() == before
