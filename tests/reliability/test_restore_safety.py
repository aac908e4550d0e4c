"""Restore and backups tried as an unlucky and as a hostile user would: real kequ processes,
real crafted SQLite files, real broken copies. Nothing saved is lost, nothing in a file runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kequ.errors import KequError
from kequ.storage import db_users
from kequ.storage.backups import backup_dir, backup_if_due, list_backups, make_backup
from kequ.storage.database import open_database
from tests.reliability.test_damaged_storage import one_clear_line, run


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        conn.close()


def snapshot(filled: Path, tmp_path: Path, name: str = "snap.db") -> Path:
    target = tmp_path / name
    assert run("--db", str(filled), "backup", "-o", str(target)).returncode == 0
    return target


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    db = tmp_path / "k.db"
    assert run("--db", str(db), "demo").returncode == 0
    return db


# ------------------------------------------------------------- 1. restore under an open kequ


HOLD = """
import sys, time
from kequ.storage.database import open_database
open_database(sys.argv[1])
print("open", flush=True)
time.sleep(120)
"""


def test_restore_refuses_while_another_kequ_has_the_book_open(filled: Path, tmp_path: Path) -> None:
    snap = snapshot(filled, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(filled)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = filled.read_bytes()
        line = one_clear_line(run("--db", str(filled), "restore", str(snap)))
        assert str(holder.pid) in line and "关闭" in line
        assert run("--db", str(filled), "restore", str(snap)).returncode == 2
        assert filled.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    # Killed: the operating system dropped its lock, and the restore goes ahead.
    done = run("--db", str(filled), "restore", str(snap))
    assert done.returncode == 0, done.stderr


def test_a_window_whose_file_was_replaced_stops_writing_and_says_so(filled: Path, tmp_path: Path) -> None:
    from kequ.services.customers import update_field

    db = open_database(str(filled))
    (first,) = sqlite3.connect(filled).execute("SELECT min(id) FROM customer").fetchone()
    update_field(db, first, "company", "甲公司")  # the window has written: its connection is open
    other = snapshot(filled, tmp_path)
    os.replace(other, filled)  # replaced behind its back (an older kequ, a file manager)
    with pytest.raises(KequError) as stopped:
        update_field(db, first, "company", "乙公司")
    assert "已被替换" in stopped.value.message()
    company = sqlite3.connect(filled).execute("SELECT company FROM customer WHERE id = ?", (first,)).fetchone()[0]
    assert company == "甲公司"  # the new file is untouched, not half-written


# ------------------------------------------------------------ 2. crafted files run nothing

CRAFTS = {
    "trigger_empties_the_book": [
        "CREATE TRIGGER t AFTER INSERT ON interaction BEGIN DELETE FROM customer; END",
    ],
    "trigger_deletes_the_new_row": [
        "CREATE TRIGGER t AFTER INSERT ON interaction BEGIN DELETE FROM interaction WHERE id = NEW.id; END",
    ],
    "table_replaced_by_a_view": [
        "ALTER TABLE interaction RENAME TO interaction_x",
        "CREATE VIEW interaction AS SELECT * FROM interaction_x",
        "CREATE TRIGGER v INSTEAD OF INSERT ON interaction BEGIN SELECT 1; END",
    ],
    "trigger_writes_escapes": [
        "CREATE TRIGGER t AFTER INSERT ON customer BEGIN "
        "UPDATE customer SET name = char(27) || '[2J' || name WHERE id = NEW.id; END",
    ],
    "only_a_customer_table": [
        *[f"DROP TABLE IF EXISTS {name}" for name in ("interaction",)],
        "PRAGMA foreign_keys = OFF",
    ],
}


def crafted(filled: Path, tmp_path: Path, name: str, statements: list[str]) -> Path:
    evil = snapshot(filled, tmp_path, f"{name}.db")
    conn = sqlite3.connect(evil)
    conn.execute("PRAGMA foreign_keys = OFF")
    if name == "only_a_customer_table":
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if table != "customer" and not table.startswith("sqlite_"):
                # IF EXISTS: dropping an FTS5 table (the notes index) drops its shadow tables too.
                conn.execute(f"DROP TABLE IF EXISTS {table}")
    else:
        for statement in statements:
            conn.execute(statement)
    conn.commit()
    conn.close()
    return evil


@pytest.mark.parametrize("name", list(CRAFTS))
def test_a_crafted_backup_is_refused_and_the_book_is_unchanged(filled: Path, tmp_path: Path, name: str) -> None:
    evil = crafted(filled, tmp_path, name, CRAFTS[name])
    before = count(filled)
    line = one_clear_line(run("--db", str(filled), "restore", str(evil)))
    assert "结构" in line and "已拒绝" in line, line
    assert count(filled) == before
    # Opened directly, the same file is refused as well, and left as it was.
    raw = evil.read_bytes()
    line = one_clear_line(run("--db", str(evil), "log", "1", "--kind", "call"))
    assert "结构" in line or "别的程序" in line, line
    assert evil.read_bytes() == raw


def test_a_bogus_old_file_is_not_migrated_into_an_empty_book(filled: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    conn = sqlite3.connect(bogus)
    conn.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customer (name) VALUES ('x')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    before = count(filled)
    line = one_clear_line(run("--db", str(filled), "restore", str(bogus)))
    assert "结构" in line
    assert count(filled) == before


def dump_like_the_shell(conn: sqlite3.Connection) -> list[str]:
    """``iterdump`` as the sqlite3 shell's .dump writes virtual tables (the notes index): the
    table itself straight into the schema, its shadow tables as tables with their rows, and no
    rows of its own (they are the shadow tables' and could not be replayed)."""
    virtual = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"))
    rows_of = tuple(f'INSERT INTO "{name}" VALUES(' for name in virtual)
    statements = [s for s in conn.iterdump() if not s.startswith(rows_of)]
    if any(s == f"{sql};" for s in statements for sql in virtual.values()):
        # An older iterdump creates the virtual table as a table: take that out, write it as the shell does.
        created = {f"{sql};" for sql in virtual.values()}
        statements = [s for s in statements if s not in created]
        commit = statements.pop()
        into_schema = (
            "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', '{0}', '{0}', 0, '{1}');"
        )
        schema = [into_schema.format(name, sql.replace("'", "''")) for name, sql in virtual.items()]
        statements += ["PRAGMA writable_schema = ON;", *schema, "PRAGMA writable_schema = OFF;", commit]
    return statements


def test_a_book_rebuilt_with_dump_is_recognised_by_its_schema(filled: Path, tmp_path: Path) -> None:
    """`sqlite3 .dump | sqlite3 new.db` is how a damaged file is repaired: it loses only the version."""
    source = sqlite3.connect(snapshot(filled, tmp_path))
    rebuilt_path = tmp_path / "rebuilt.db"
    rebuilt = sqlite3.connect(rebuilt_path)
    rebuilt.executescript("\n".join(dump_like_the_shell(source)))
    rebuilt.close()
    source.close()
    assert sqlite3.connect(rebuilt_path).execute("PRAGMA user_version").fetchone()[0] == 0
    customers = count(rebuilt_path)
    done = run("--db", str(filled), "restore", str(rebuilt_path))
    assert done.returncode == 0, done.stderr
    assert count(filled) == customers
    # Opened directly too: the schema says which version it is.
    opened = run("--db", str(rebuilt_path), "search", "王")
    assert opened.returncode == 0, opened.stderr


# --------------------------------------------------------- 3. a broken backup poisons nothing


def break_copy(path: Path, how: str) -> None:
    if how == "no_header":
        path.write_bytes(os.urandom(4096))
    else:  # cut short, with a hot journal beside it, as a kill during the copy leaves it
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        Path(f"{path}-journal").write_bytes(os.urandom(512))


@pytest.mark.parametrize("how", ["no_header", "malformed_with_journal"])
def test_restore_latest_passes_over_a_broken_newest_copy(filled: Path, how: str) -> None:
    good = make_backup(filled, "manual")
    broken = make_backup(filled, "manual")
    break_copy(broken, how)
    expected = count(good)
    db_users.release()
    sqlite3.connect(filled).execute("DELETE FROM interaction").connection.commit()
    done = run("--db", str(filled), "restore", "--latest")
    assert done.returncode == 0, done.stderr
    assert good.name in done.stdout and broken.name not in done.stdout
    assert count(filled) == expected


def test_a_broken_copy_of_today_does_not_count_as_todays_backup(filled: Path) -> None:
    for copy in list_backups(filled):
        copy.unlink()
    today = make_backup(filled, "daily")
    break_copy(today, "no_header")
    made = backup_if_due(filled)
    assert made is not None and made != today
    assert backup_if_due(filled) is None  # a good one exists now


def test_rotation_never_lets_broken_copies_push_out_good_ones(filled: Path) -> None:
    good = [make_backup(filled, "manual") for _ in range(3)]
    for _ in range(10):
        break_copy(make_backup(filled, "manual"), "no_header")
    make_backup(filled, "manual")  # rotates
    left = set(list_backups(filled))
    assert set(good) <= left


def test_a_copy_left_half_written_by_a_killed_kequ_is_swept_on_the_next_run(filled: Path) -> None:
    folder = backup_dir(filled)
    folder.mkdir(exist_ok=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    leftover = folder / f".{filled.stem}-20261122-101010-000000-daily.db.{dead_pid}.partial"
    leftover.write_bytes(os.urandom(8192))
    restore_leftover = filled.parent / f".kequ-restore-{dead_pid}-abc123.db"
    restore_leftover.write_bytes(os.urandom(8192))
    mine = folder / f".{filled.stem}-20261122-101010-000001-daily.db.{os.getpid()}.partial"
    db_users.register(filled)
    mine.write_bytes(b"being written")
    assert leftover.name not in {p.name for p in list_backups(filled)}
    make_backup(filled, "manual")
    assert not leftover.exists()
    assert mine.exists()  # a living process's copy is its own
    db_users.release()
    snap = list_backups(filled)[-1]
    assert run("--db", str(filled), "restore", str(snap)).returncode == 0
    assert not restore_leftover.exists()


# ----------------------------------------------------------------- 8. restore's own mistakes


def test_restore_of_a_pipe_is_refused_at_once(filled: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    line = one_clear_line(run("--db", str(filled), "restore", str(pipe)))
    assert "不是普通文件" in line


def test_restore_onto_a_linked_database_keeps_the_link(filled: Path, tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    real = synced / "k.db"
    os.replace(filled, real)
    filled.symlink_to(real)
    snap = snapshot(filled, tmp_path)
    sqlite3.connect(real).execute("DELETE FROM interaction").connection.commit()
    done = run("--db", str(filled), "restore", str(snap))
    assert done.returncode == 0, done.stderr
    assert filled.is_symlink() and filled.resolve() == real.resolve()
    assert sqlite3.connect(real).execute("SELECT count(*) FROM interaction").fetchone()[0] > 0


def test_restore_on_a_full_disk_says_so_and_changes_nothing(filled: Path, tmp_path: Path) -> None:
    snap = snapshot(filled, tmp_path)
    before = filled.read_bytes()
    line = one_clear_line(run("--db", str(filled), "restore", str(snap), limit_bytes=64 * 1024))
    assert "磁盘已满" in line
    assert filled.read_bytes() == before
    assert not [p for p in filled.parent.iterdir() if p.name.startswith(".kequ-restore-")]
