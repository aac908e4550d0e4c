"""Damaged files and a full disk: one clear line, and the damaged file is never overwritten."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

KEQU = str(Path(sys.executable).parent / "kequ")


def run(*args: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # pragma: no cover - runs in the child
        if limit_bytes is not None:
            # Past the limit a write fails with EFBIG instead of killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([KEQU, *args], capture_output=True, text=True, timeout=60, preexec_fn=limit)


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    db = tmp_path / "kequ.db"
    assert run("--db", str(db), "demo").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def test_a_truncated_database_is_reported_and_left_alone(filled: Path) -> None:
    data = filled.read_bytes()
    filled.write_bytes(data[: len(data) // 3])
    before = filled.read_bytes()
    line = one_clear_line(run("--db", str(filled), "today"))
    assert "损坏" in line and "kequ restore" in line
    assert filled.read_bytes() == before


def test_garbage_with_an_sqlite_header_is_reported_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "kequ.db"
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    before = db.read_bytes()
    one_clear_line(run("--db", str(db), "today"))
    assert db.read_bytes() == before


def test_a_full_disk_refuses_the_write_and_keeps_what_was_saved(filled: Path) -> None:
    assert run("--db", str(filled), "backup").returncode == 0  # today's copy exists: only the write is tested
    customers = sqlite3.connect(filled).execute("SELECT count(*) FROM customer").fetchone()[0]
    huge = "备注" * 15_000  # 90 KB: under the 128 KB limit of one command-line argument
    # No file may grow past 32 KB: the write-ahead log fills up at once.
    result = run("--db", str(filled), "add", "郑多多", "--note", huge, limit_bytes=32 * 1024)
    line = one_clear_line(result)
    assert "磁盘已满" in line or "disk" in line.lower()
    conn = sqlite3.connect(filled)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == customers
