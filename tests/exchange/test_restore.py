"""Backups to a file, restores that refuse bad input untouched, and the rotation policy."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kequ.domain.records import NewCustomer
from kequ.errors import KequError
from kequ.services.customers import add_customer, list_customers
from kequ.services.restore import backup_to, restore
from kequ.storage.backups import list_backups, rotate, select_backups_to_keep
from kequ.storage.database import SCHEMA_VERSION, Database, open_database
from tests.exchange.conftest import count, table_dump


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    """Hidden files a restore left behind (the folder of who has which database open is kept)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith(".users"))


@pytest.fixture
def saved(db, tmp_path: Path) -> Path:
    """A good backup holding two customers, taken before the database changes."""
    add_customer(db, NewCustomer(name="王建国"))
    add_customer(db, NewCustomer(name="李娜"))
    return backup_to(db, tmp_path / "两位客户.db")


# -------------------------------------------------------------------------- backup


def test_backup_to_a_file_is_private_complete_and_self_contained(db, tmp_path: Path) -> None:
    add_customer(db, NewCustomer(name="王建国"))
    target = backup_to(db, tmp_path / "copy.db")
    assert target.stat().st_mode & 0o777 == 0o600
    assert not Path(f"{target}-wal").exists()
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert table_dump(target) == table_dump(db.path)
    assert _leftovers(tmp_path) == []


def test_backup_to_a_folder_names_the_file(db, tmp_path: Path) -> None:
    folder = tmp_path / "u盘"
    folder.mkdir()
    target = backup_to(db, folder)
    assert target.parent == folder and target.name.startswith("kequ-") and target.suffix == ".db"


def test_backup_to_refuses_the_database_itself_and_missing_folders(db, tmp_path: Path) -> None:
    with pytest.raises(KequError) as itself:
        backup_to(db, db.path)
    assert itself.value.key == "io.backup.same_file"
    with pytest.raises(KequError) as missing:
        backup_to(db, tmp_path / "nope" / "copy.db")
    assert missing.value.key == "io.export.no_folder"


# ------------------------------------------------------------------------- restore


def test_restore_keeps_the_current_database_as_a_backup_first(db, saved: Path) -> None:
    add_customer(db, NewCustomer(name="后来的客户"))
    current = table_dump(db.path)
    source_before = _digest(saved)

    result = restore(db.path, saved)

    assert result.customers == 2 and result.schema_from == SCHEMA_VERSION
    assert [c.name for c in list_customers(Database(db.path))] == ["王建国", "李娜"]
    assert result.safety_copy is not None and "before-restore" in result.safety_copy
    assert table_dump(Path(result.safety_copy)) == current  # nothing of the replaced state is lost
    assert _digest(saved) == source_before  # the chosen file is only read
    assert db.path.stat().st_mode & 0o777 == 0o600
    assert _leftovers(db.path.parent) == []


def test_the_open_database_object_sees_the_restored_data(db, saved: Path) -> None:
    add_customer(db, NewCustomer(name="后来的客户"))
    assert len(list_customers(db)) == 3  # the engine and its pooled connection exist now
    restore(db.path, saved)
    assert len(list_customers(db)) == 2
    assert len(list_customers(open_database(str(db.path)))) == 2


def test_a_stale_wal_of_the_old_database_is_not_replayed(db, saved: Path) -> None:
    add_customer(db, NewCustomer(name="后来的客户"))
    wal = Path(f"{db.path}-wal")
    # Keep a reader open so the WAL is not checkpointed away before the restore.
    holder = sqlite3.connect(db.path)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM customer").fetchone()
    try:
        assert wal.exists()
        restore(db.path, saved)
    finally:
        holder.close()
    assert count(db.path) == 2
    assert sqlite3.connect(db.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"name,city\r\nwang,suzhou\r\n", "io.restore.not_sqlite"),
        (b"", "io.restore.not_sqlite"),
        (b"SQLite format 3\x00" + bytes(range(256)) * 20, "io.restore.corrupt"),
    ],
)
def test_garbage_is_refused_and_nothing_is_touched(db, saved: Path, tmp_path: Path, content: bytes, key: str) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    current = _digest(db.path)
    backups = list_backups(db.path)

    with pytest.raises(KequError) as refused:
        restore(db.path, bad)

    assert refused.value.key == key
    assert bad.read_bytes() == content
    assert _digest(db.path) == current
    assert list_backups(db.path) == backups  # not even a safety copy: nothing was about to change
    assert _leftovers(db.path.parent) == []


def test_a_truncated_backup_is_refused(db, saved: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.db"
    data = saved.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(KequError) as refused:
        restore(db.path, cut)
    assert refused.value.key == "io.restore.corrupt"
    assert count(db.path) == 2


def test_a_newer_schema_and_a_foreign_database_are_refused(db, saved: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    newer.write_bytes(saved.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(KequError) as too_new:
        restore(db.path, newer)
    assert too_new.value.key == "io.restore.too_new"

    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(KequError) as not_ours:
        restore(db.path, foreign)
    assert not_ours.value.key == "io.restore.not_kequ"


def test_a_damaged_current_database_is_copied_raw_before_being_replaced(db, saved: Path) -> None:
    damaged = b"SQLite format 3\x00" + b"\xde\xad" * 3000
    Path(db.path).write_bytes(damaged)
    for suffix in ("-wal", "-shm"):
        Path(f"{db.path}{suffix}").unlink(missing_ok=True)

    result = restore(db.path, saved)

    assert count(db.path) == 2
    kept = Path(result.safety_copy or "")
    assert kept.name.endswith("-before-restore-damaged.db") and kept.read_bytes() == damaged
    assert all(p.stat().st_size > 0 for p in list_backups(db.path))  # no empty copy left behind
    assert kept.stat().st_mode & 0o777 == 0o600


def test_restore_latest_takes_the_newest_backup(db, saved: Path) -> None:
    from kequ.storage.backups import make_backup

    make_backup(db.path, "manual")  # two customers
    add_customer(db, NewCustomer(name="后来的客户"))
    result = restore(db.path, latest=True)
    assert result.customers == 2 and "manual" in result.restored_from
    again = restore(db.path, latest=True)  # the newest is now the copy taken before that restore
    assert again.customers == 3


def test_restore_needs_something_to_restore(db, tmp_path: Path) -> None:
    with pytest.raises(KequError) as nothing:
        restore(db.path, latest=True)
    assert nothing.value.key == "io.restore.no_backups"
    with pytest.raises(KequError) as missing:
        restore(db.path, tmp_path / "nope.db")
    assert missing.value.key == "io.file.missing"
    with pytest.raises(KequError) as itself:
        restore(db.path, db.path)
    assert itself.value.key == "io.restore.same_file"


def test_restore_into_a_new_place_creates_the_database(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "kequ.db"
    target.parent.mkdir()
    result = restore(target, saved)
    assert result.safety_copy is None and count(target) == 2


# ------------------------------------------------------------------------ rotation


def _name(moment: datetime, reason: str = "daily", stem: str = "kequ") -> str:
    return f"{stem}-{moment:%Y%m%d-%H%M%S-%f}-{reason}.db"


def test_seven_daily_and_four_weekly_automatic_backups_are_kept() -> None:
    today = date(2026, 11, 23)
    names = [_name(datetime(2026, 11, 23, 9) - timedelta(days=n)) for n in range(60)]
    keep = select_backups_to_keep(names, today)
    kept_days = sorted((datetime.strptime(n[5:13], "%Y%m%d").date() for n in keep), reverse=True)
    assert kept_days[:7] == [today - timedelta(days=n) for n in range(7)]
    weekly = kept_days[7:]
    assert len(weekly) == 4
    assert len({d.isocalendar()[:2] for d in weekly}) == 4  # one per week
    assert all(d < today - timedelta(days=6) for d in weekly)


def test_several_copies_a_day_keep_the_newest_of_the_day() -> None:
    today = date(2026, 11, 23)
    morning, evening = datetime(2026, 11, 23, 8), datetime(2026, 11, 23, 20)
    keep = select_backups_to_keep([_name(morning), _name(evening)], today)
    assert keep == {_name(evening)} | (keep & {_name(morning)})
    assert _name(evening) in keep


def test_manual_and_safety_copies_keep_the_ten_newest() -> None:
    today = date(2026, 11, 23)
    reasons = ["manual", "before-import", "before-restore", "before-v2", "before-restore-damaged"]
    names = [_name(datetime(2026, 1, 1) + timedelta(hours=n), reasons[n % 5]) for n in range(25)]
    keep = select_backups_to_keep(names, today)
    assert keep == set(sorted(names)[-10:])


def test_foreign_and_future_names_are_never_deleted() -> None:
    today = date(2026, 11, 23)
    odd = ["notes.txt", "kequ-old.db", "kequ-20260230-101010-000000-daily.db"]
    future = _name(datetime(2027, 1, 1))
    assert select_backups_to_keep([*odd, future], today) == {*odd, future}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=400), st.sampled_from(["daily", "manual", "before-import"])),
        max_size=80,
    )
)
def test_rotation_keeps_a_bounded_subset_with_the_newest(entries: list[tuple[int, str]]) -> None:
    today = date(2026, 11, 23)
    names = {_name(datetime(2026, 11, 23, 12) - timedelta(hours=7 * h), reason) for h, reason in entries}
    keep = select_backups_to_keep(names, today)
    assert keep <= names
    daily = sorted(n for n in names if n.endswith("-daily.db"))
    assert len([n for n in keep if n.endswith("-daily.db")]) <= 11
    if daily:
        assert daily[-1] in keep
    assert len([n for n in keep if not n.endswith("-daily.db")]) <= 10


def _tiny_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_rotate_deletes_only_this_databases_dropped_copies(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    today = date(2026, 11, 23)
    mine = [_name(datetime(2026, 11, 23, 9) - timedelta(days=n)) for n in range(40)]
    theirs = [_name(datetime(2026, 11, 23, 9) - timedelta(days=n), stem="kequ-demo") for n in range(40)]
    whole = _tiny_database(tmp_path / "tiny.db")
    for name in mine + theirs:
        (folder / name).write_bytes(whole)
    removed = rotate(folder, "kequ", today)
    left = {p.name for p in folder.iterdir()}
    assert len(removed) == 40 - 11
    assert set(theirs) <= left  # another database's copies share the prefix, not the policy
    assert len(left & set(mine)) == 11
