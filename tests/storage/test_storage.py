"""The database file: constraints, time zones, permissions, migrations, refusals."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from kequ.errors import KequError
from kequ.storage.backups import list_backups
from kequ.storage.database import SCHEMA_VERSION, migrate, open_database
from kequ.storage.models import Customer, Interaction


def _add(db, **fields) -> int:
    row = Customer(**fields)
    with db.session() as session:
        session.add(row)
        session.flush()
        return row.id


def test_blank_name_is_refused_by_the_schema(db) -> None:
    with pytest.raises(IntegrityError, match="ck_name_not_blank"):
        _add(db, name="   ")


def test_surname_with_honorific_alone_is_a_valid_customer(db) -> None:
    new_id = _add(db, name="王", honorific="王总")
    with db.session() as session:
        assert session.get(Customer, new_id).honorific == "王总"


@pytest.mark.parametrize(("field", "value"), [("tier", "vip"), ("disc", "X"), ("stage", "old")])
def test_unknown_enum_values_are_refused(db, field: str, value: str) -> None:
    with pytest.raises(IntegrityError, match=f"ck_{field}_valid"):
        _add(db, name="李四", **{field: value})


def test_foreign_keys_are_enforced(db) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Interaction(customer_id=999, kind="call", happened_at=datetime.now(UTC)))


def test_datetimes_round_trip_as_aware_utc(db) -> None:
    cid = _add(db, name="张三")
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=beijing)
    with db.session() as session:
        row = Interaction(customer_id=cid, kind="call", happened_at=moment)
        session.add(row)
        session.flush()
        rid = row.id
    with db.session() as session:
        back = session.get(Interaction, rid).happened_at
    assert back.tzinfo is not None and back.utcoffset() == timedelta(0)
    assert back == moment
    assert back.hour == 1  # stored as UTC: 09:30 in Beijing is 01:30 UTC


def test_naive_datetimes_are_refused(db) -> None:
    cid = _add(db, name="张三")
    with pytest.raises(Exception, match="naive datetime refused"), db.session() as session:
        session.add(Interaction(customer_id=cid, kind="call", happened_at=datetime(2026, 3, 1, 9, 30)))


def test_new_file_and_folder_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    db = open_database(None)
    assert db.path.is_relative_to(home)
    assert stat.S_IMODE(db.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.path.parent.stat().st_mode) == 0o700


def test_env_var_picks_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "chosen.db"
    monkeypatch.setenv("KEQU_DB", str(target))
    assert open_database(None).path == target


def test_pragmas_wal_and_foreign_keys(db) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_fresh_migration_matches_the_models(tmp_path: Path) -> None:
    """The shipped SQL steps must build exactly what the models describe."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    migrated = tmp_path / "migrated.db"
    migrated.touch()
    assert migrate(migrated) == 0
    reference = tmp_path / "reference.db"
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{reference}"))

    def schema(path: Path) -> dict[str, str]:
        conn = sqlite3.connect(path)
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
        conn.close()
        return {name: " ".join(sql.split()) for name, sql in rows}

    built = schema(migrated)
    # The notes search (schema step 7) is SQL alone: its table is written by triggers only, and
    # FTS5 tables and triggers have no model. Exactly these, and everything else as the models say.
    notes = {name for name in built if name.startswith("note_")}
    sources = ("customer", "interaction", "complaint", "complaint_step", "visit", "deal")
    triggers = {f"note_{source}_{event}" for source in sources for event in ("insert", "update", "delete")}
    fts = {"note_fts", "note_fts_data", "note_fts_idx", "note_fts_docsize", "note_fts_config", "note_vocab"}
    fts_triggers = {"note_fts_insert", "note_fts_delete", "note_fts_update"}
    assert notes == {"note_text"} | triggers | fts | fts_triggers
    # The customer search (schema step 10) is SQL alone as well: its table is written by its
    # triggers and by kequ.storage.fast_reads.customers, never through a model.
    search = {name for name in built if name.startswith(("customer_search", "ix_customer_search"))}
    search_triggers = {f"customer_search_{event}" for event in ("insert", "update", "delete")}
    # Its trigram index (schema step 14), with the index's own triggers, likewise.
    search_fts = {f"customer_search_fts{part}" for part in ("", "_data", "_idx", "_docsize", "_config")}
    search_fts |= {"customer_search_vocab"} | {
        f"customer_search_fts_{event}" for event in ("insert", "update", "delete")
    }
    assert (
        search
        == {"customer_search", "ix_customer_search_order", "ix_customer_search_stale"} | search_triggers | search_fts
    )
    # Sync's bookkeeping (schema step 13) is SQL alone too: the outbox and its triggers, the
    # state and the conflicts kept for showing. The uid columns are the models'.
    sync = {name for name in built if name.startswith("sync_")}
    synced = ("customer", "important_date", "touchpoint", "interaction", "cadence", "deal", "gift", "complaint")
    synced += ("complaint_step", "trip", "trip_visit", "trip_expense", "setting", "greeting_template")
    sync_triggers = {f"sync_{table}_{event}" for table in synced for event in ("insert", "update", "delete")}
    sync_triggers |= {"sync_customer_gone", "sync_complaint_gone"}
    assert sync == {"sync_state", "sync_outbox", "sync_gone", "sync_conflict"} | sync_triggers
    # The newest contact of each customer and kind (schema step 15): a table its triggers write.
    newest = {name for name in built if name.startswith("newest_contact")}
    assert newest == {"newest_contact"} | {f"newest_contact_{event}" for event in ("insert", "update", "delete")}
    derived = notes | search | sync | newest
    assert {name: sql for name, sql in built.items() if name not in derived} == schema(reference)
    assert sqlite3.connect(migrated).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migrating_again_changes_nothing(db) -> None:
    _add(db, name="王五")
    assert migrate(db.path) == SCHEMA_VERSION
    with db.session() as session:
        assert len(session.exec(select(Customer)).all()) == 1


def test_upgrade_from_an_older_schema_backs_up_first(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """A release adds a step: the old file is backed up, upgraded, and keeps its data."""
    import kequ.storage.database

    _add(db, name="王五")
    shipped = kequ.storage.database.migrations()
    step = "ALTER TABLE customer ADD COLUMN nickname VARCHAR NOT NULL DEFAULT '';"
    monkeypatch.setattr(kequ.storage.database, "migrations", lambda: [*shipped, (len(shipped) + 1, step)])
    assert migrate(db.path) == SCHEMA_VERSION
    backups = [p for p in list_backups(db.path) if f"before-v{SCHEMA_VERSION + 1}" in p.name]
    assert len(backups) == 1
    conn = sqlite3.connect(db.path)
    assert conn.execute("SELECT name, nickname FROM customer").fetchall() == [("王五", "")]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_failed_step_leaves_the_old_version_intact(db, monkeypatch: pytest.MonkeyPatch) -> None:
    import kequ.storage.database

    _add(db, name="王五")
    shipped = kequ.storage.database.migrations()
    broken = "ALTER TABLE customer ADD COLUMN a VARCHAR; ALTER TABLE no_such_table ADD COLUMN b VARCHAR;"
    monkeypatch.setattr(kequ.storage.database, "migrations", lambda: [*shipped, (len(shipped) + 1, broken)])
    with pytest.raises(KequError):
        migrate(db.path)
    conn = sqlite3.connect(db.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [row[1] for row in conn.execute("PRAGMA table_info(customer)")]
    assert "a" not in columns
    assert conn.execute("SELECT name FROM customer").fetchall() == [("王五",)]


def test_an_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(KequError) as caught:
        open_database(str(other))
    assert caught.value.key == "storage.not_kequ"
    assert other.read_bytes() == before


def test_database_from_a_newer_app_is_refused_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(KequError) as caught:
        open_database(str(db_path))
    assert caught.value.key == "storage.too_new"
    assert "升级" in caught.value.message()
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_never_touched(tmp_path: Path) -> None:
    target = tmp_path / "notes.db"
    target.write_text("客户名单\n王总 13800000000\n", encoding="utf-8")
    before = target.read_bytes()
    with pytest.raises(KequError) as caught:
        open_database(str(target))
    assert caught.value.key == "storage.not_sqlite"
    assert target.read_bytes() == before


def test_missing_folder_for_an_explicit_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KequError) as caught:
        open_database(str(tmp_path / "nope" / "kequ.db"))
    assert caught.value.key == "storage.no_folder"
    assert not (tmp_path / "nope").exists()


def test_daily_backup_is_taken_once(db) -> None:
    _add(db, name="赵六")
    open_database(str(db.path))
    open_database(str(db.path))
    daily = [p for p in list_backups(db.path) if p.name.endswith("-daily.db")]
    assert len(daily) == 1
    assert stat.S_IMODE(daily[0].stat().st_mode) == 0o600
    copy = sqlite3.connect(daily[0])
    assert copy.execute("SELECT name FROM customer").fetchall() == [("赵六",)]


def test_dates_stay_dates(db) -> None:
    from kequ.storage.models import Deal

    cid = _add(db, name="孙七")
    with db.session() as session:
        session.add(Deal(customer_id=cid, closed_on=date(2026, 2, 29 - 1)))
    with db.session() as session:
        assert session.exec(select(Deal)).one().closed_on == date(2026, 2, 28)


def test_another_books_copy_is_not_this_books_daily_backup(tmp_path: Path) -> None:
    """kequ-demo.db's copy of today sits beside kequ.db's: it must not stand in for kequ.db's own."""
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer
    from kequ.storage.backups import backup_if_due, list_backups, make_backup

    main = open_database(str(tmp_path / "kequ.db"), daily_backup=False)
    demo = open_database(str(tmp_path / "kequ-demo.db"), daily_backup=False)
    for book in (main, demo):
        add_customer(book, NewCustomer(name="吕布"))
    theirs = make_backup(demo.path, "daily")
    assert list_backups(main.path) == []
    assert theirs in list_backups(demo.path)
    mine = backup_if_due(main.path)
    assert mine is not None and mine.name.startswith("kequ-2") and list_backups(main.path) == [mine]
