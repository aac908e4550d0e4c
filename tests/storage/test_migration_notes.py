"""Schema step 7: what was written before is searchable at once; a book without the trigram
index (made where SQLite lacked it) gets it where SQLite has it, and the other way round is a
clear refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import kequ.storage.database as database
from kequ.errors import KequError
from kequ.storage.database import MIGRATIONS_DIR, SCHEMA_VERSION, migrate, migrations
from kequ.storage.fast_reads.notes import has_index, search_notes
from tests.storage.older_book import older_book

# The schema step that adds the notes index.
NOTES_STEP = int(next(MIGRATIONS_DIR.glob("*_notes_search.sql")).name[:4])


def _hits(path: Path, *terms: str) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return [(hit.name, hit.source) for hit in search_notes(conn, list(terms))]
    finally:
        conn.close()


def test_a_book_from_before_the_notes_index_is_indexed_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    conn = older_book(path, NOTES_STEP - 1)
    conn.execute("UPDATE customer SET notes = '老乡，江西人' WHERE id = 1")
    conn.executemany(
        "INSERT INTO interaction (customer_id, kind, happened_at, notes, outcome) VALUES (?, 'call', ?, ?, ?)",
        [
            (1, "2026-10-01 02:00:00", "催交货", ""),
            (2, "2026-10-02 02:00:00", "", "答应签框架协议"),
            (2, "2026-10-03 02:00:00", "", ""),
        ],
    )
    conn.execute(
        "INSERT INTO complaint (id, customer_id, opened_at, status, step, summary, resolution)"
        " VALUES (1, 2, '2026-10-05 02:00:00', 'open', 6, '外箱破损', '')"
    )
    conn.execute(
        "INSERT INTO complaint_step (complaint_id, step, notes, data, updated_at)"
        " VALUES (1, 6, '客户很着急', '{\"asks\": \"三天内补发\"}', '2026-10-06 02:00:00')"
    )
    conn.execute(
        "INSERT INTO complaint_step (complaint_id, step, notes, data, updated_at)"
        " VALUES (1, 5, '', 'not json', '2026-10-06')"
    )
    conn.commit()
    conn.close()
    assert migrate(path) == NOTES_STEP - 1
    assert _hits(path, "交货") == [("王芳", "interaction")]
    assert _hits(path, "框架协议") == [("李强", "interaction")]
    assert _hits(path, "江西") == [("王芳", "customer")]
    assert _hits(path, "补发") == [("李强", "complaint_step")]
    assert _hits(path, "破损") == [("李强", "complaint")]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM note_text").fetchone() == (
        5,
    )  # none for the empty contact, nor the empty step whose data is not JSON
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
    assert migrate(path) == SCHEMA_VERSION  # and again changes nothing


def test_a_book_made_without_the_trigram_tokenizer_gets_its_index_where_there_is_one(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    conn = older_book(path, SCHEMA_VERSION, [sql for _version, sql in migrations(trigram=False)])
    conn.execute("UPDATE customer SET notes = '按时交货' WHERE id = 2")
    conn.commit()
    assert not has_index(conn)
    conn.close()
    assert migrate(path) == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    assert has_index(conn)
    conn.close()
    assert _hits(path, "交货") == [("李强", "customer")]


def test_a_book_with_the_index_where_sqlite_has_no_trigram_is_refused_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "indexed.db"
    older_book(path, SCHEMA_VERSION).close()
    monkeypatch.setattr(database, "trigram_available", lambda: False)
    with pytest.raises(KequError) as refused:
        migrate(path)
    message = refused.value.message()
    assert "SQLite 3.34" in message and sqlite3.sqlite_version in message
