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
    assert "磁盘已满" in line and "没有保存" in line and "I/O" not in line
    conn = sqlite3.connect(filled)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == customers


def _backups(db: Path) -> list[Path]:
    folder = db.parent / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_read_on_a_full_disk_still_answers_when_only_the_daily_backup_fails(filled: Path) -> None:
    assert _backups(filled) == []  # the demo went into an empty database: no copy yet today
    # 32 KB: enough to read the database, too little for a 250 KB copy of it.
    result = run("--db", str(filled), "today", limit_bytes=32 * 1024)
    assert result.returncode == 0, result.stderr
    assert "待跟进" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "自动备份没有做成" in lines[0] and "磁盘已满" in lines[0] and "没有保存" not in lines[0]
    assert _backups(filled) == []  # no half-written copy left to pass for today's


def test_a_read_that_cannot_start_on_a_full_disk_does_not_claim_a_lost_change(filled: Path) -> None:
    # 16 KB: not even room for SQLite's 32 KB shared-memory index of the open database.
    line = one_clear_line(run("--db", str(filled), "today", limit_bytes=16 * 1024))
    assert "磁盘已满" in line and "没有保存" not in line and "修改" not in line


def test_an_export_on_a_full_disk_says_so_and_leaves_no_partial_file(filled: Path, tmp_path: Path) -> None:
    assert run("--db", str(filled), "backup").returncode == 0  # only the export's own file is tested
    target = tmp_path / "out" / "customers.json"
    target.parent.mkdir()
    result = run("--db", str(filled), "export", "--format", "json", "-o", str(target), limit_bytes=32 * 1024)
    assert result.returncode == 2
    line = one_clear_line(result)
    assert "磁盘已满" in line and "没有写成" in line and "内部错误" not in line
    assert list(target.parent.iterdir()) == []  # neither the file nor its half-written temporary
    assert run("--db", str(filled), "export", "--format", "json", "-o", str(target)).returncode == 0
    assert target.stat().st_size > 32 * 1024  # so the limit was what stopped it


def test_an_import_past_the_file_size_limit_says_the_disk_is_full(filled: Path, tmp_path: Path) -> None:
    assert run("--db", str(filled), "backup").returncode == 0
    source = tmp_path / "customers.csv"
    rows = "".join(f"客户{n},公司{n},{'备注' * 50}\n" for n in range(3000))
    source.write_text("姓名,公司,备注\n" + rows, encoding="utf-8")
    customers = sqlite3.connect(filled).execute("SELECT count(*) FROM customer").fetchone()[0]
    # Room for the copy taken before an import, not for 3,000 customers after it.
    limit = filled.stat().st_size + 64 * 1024
    result = run("--db", str(filled), "import", str(source), limit_bytes=limit)
    assert result.returncode == 2
    line = one_clear_line(result)
    assert "磁盘已满" in line and "I/O" not in line
    assert sqlite3.connect(filled).execute("SELECT count(*) FROM customer").fetchone()[0] == customers


@pytest.mark.parametrize("name", ["ENOSPC", "EDQUOT", "EFBIG"])
def test_no_space_a_full_quota_and_the_file_size_limit_all_read_as_a_full_disk(name: str) -> None:
    import errno

    from kequ.errors import KequError, is_disk_full

    code = getattr(errno, name, None)
    if code is None:
        pytest.skip(f"{name} does not exist here")
    try:
        try:
            raise OSError(code, os.strerror(code))
        except OSError as low:
            raise KequError("storage.failed", path="x", detail="?") from low
    except KequError as wrapped:
        assert is_disk_full(wrapped)
    assert not is_disk_full(OSError(errno.EACCES, "denied"))
