"""A book written by an older kequ: the shipped schema steps up to a version, and a customer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kequ.storage.database import MIGRATIONS_DIR


def older_book(path: Path, version: int, steps: list[str] | None = None) -> sqlite3.Connection:
    """The file at ``path`` at schema ``version`` (built by the shipped files, or by ``steps``),
    with customers #1 王芳 (key) and #2 李强 (regular); the open connection is the caller's."""
    conn = sqlite3.connect(path)
    if steps is None:
        files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))[:version]
        steps = [step.read_text(encoding="utf-8") for step in files]
    for sql in steps:
        conn.executescript(sql)
    for cid, name, tier in ((1, "王芳", "key"), (2, "李强", "regular")):
        conn.execute(
            "INSERT INTO customer (id, name, honorific, company, title, phones, wechat, email, city, district,"
            " address, tier, stage, ford_family, ford_occupation, ford_recreation, ford_dreams, interests, tags,"
            " source, churned, churn_reason, notes, search_keys, created_at, updated_at) VALUES (?, ?, '', '',"
            " '', '[]', '', '', '', '', '', ?, 'existing', '', '', '', '', '', '[]', '', 0, '', '', '',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (cid, name, tier),
        )
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    return conn
