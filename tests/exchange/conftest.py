"""Fixtures for the import/export tests: files written the way real programs write them.

The ``kequ`` fixture (the real command on the test's database) is the one from the CLI
tests, re-exported here so these tests run the same way.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from tests.cli.conftest import Result, kequ  # noqa: F401 - the fixture, shared

__all__ = ["Result", "count", "excel_csv", "table_dump", "xlsx_file"]


def excel_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "gbk") -> Path:
    """What Excel on Chinese Windows saves as "CSV (逗号分隔)": GBK, CRLF, minimal quoting."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def xlsx_file(path: Path, rows: Sequence[Sequence[object]], title: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def count(db_path: Path, table: str = "customer") -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def table_dump(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the book, exactly as SQLite stores it. Not the search
    indexes (note_*, schema step 9; customer_search, step 11, and its trigram index
    customer_search_*, step 14; newest_contact, step 15): they are derived from the book, their
    triggers write them again as the rows come (``note_texts``, a search and
    tests/storage/test_newest_contact.py compare them); nor sync's bookkeeping (sync_*, step
    13): this laptop's, not the book's. Rows keep their uids."""
    conn = sqlite3.connect(db_path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'note\\_%' ESCAPE '\\'"
                " AND name NOT LIKE 'customer\\_search%' ESCAPE '\\' AND name NOT LIKE 'sync\\_%' ESCAPE '\\'"
                " AND name <> 'newest_contact' ORDER BY name"
            )
        ]
        return {name: _rows(conn, name) for name in names}
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, name: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()


def note_texts(db_path: Path) -> set[tuple[str, int, str]]:
    """What the notes search holds: (source, record id, text), in no order."""
    conn = sqlite3.connect(db_path)
    try:
        return set(conn.execute("SELECT source, ref_id, body FROM note_text"))
    finally:
        conn.close()
