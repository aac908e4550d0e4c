"""Where the data lives: one SQLite file, opened safely, migrated, backed up.

Everything here refuses rather than guesses: a file that is not SQLite, a schema newer
than this app, a folder that does not exist. Nothing in this module ever overwrites or
deletes a database file; only backups are rotated.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kequ.errors import KequError, is_disk_full
from kequ.storage import cipher
from kequ.storage.backups import backup_if_due, make_backup
from kequ.storage.schema_check import recognise
from kequ.storage.sqlite_file import BUSY_TIMEOUT_MS, SQLITE_MAGIC

if TYPE_CHECKING:
    from kequ.domain.calendar.workdays import WorkCalendar

HOLIDAY_FOLDER = "holidays"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def default_db_path() -> Path:
    from kequ.paths import data_dir

    return data_dir() / "kequ.db"


def resolve_db_path(cli_value: str | None = None) -> tuple[Path, bool]:
    """The database to use and whether it is the default one (which we may create)."""
    if cli_value:
        return Path(cli_value).expanduser(), False
    env = os.environ.get("KEQU_DB", "").strip()
    if env:
        return Path(env).expanduser(), False
    return default_db_path(), True


def holiday_dir(db_path: Path) -> Path:
    """Where the user puts newer holiday files: beside the database, in ``holidays/``."""
    return db_path.parent / HOLIDAY_FOLDER


def work_calendar_for(db_path: Path) -> WorkCalendar:
    """The working days as this database's user knows them: packaged years and their own files."""
    from kequ.domain.calendar.holidays import work_calendar

    return work_calendar(holiday_dir(db_path))


# The part of a step that needs FTS5's trigram tokenizer (SQLite 3.34 and later).
_TRIGRAM_PART = re.compile(r"^-- \[trigram index\]$.*?^-- \[end trigram index\]$", re.MULTILINE | re.DOTALL)


@cache
def trigram_available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (notes search's index)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return True


# How the schema check names the tables of the trigram parts (notes, customer search).
_TRIGRAM_TABLES = ("unknown table note_", "unknown table customer_search_fts", "unknown table customer_search_vocab")


def trigram_part(sql: str) -> str:
    """The part of a step that builds the trigram index ('' if it has none)."""
    found = _TRIGRAM_PART.search(sql)
    return found.group(0) if found else ""


def migrations(trigram: bool | None = None) -> list[tuple[int, str]]:
    """The ordered schema steps shipped with the package, as (version, SQL).

    Without the trigram tokenizer (``trigram`` False, or this SQLite lacking it) the index
    part of a step is left out: the book opens, and notes search reads without an index.
    """
    with_index = trigram_available() if trigram is None else trigram
    steps = []
    for entry in MIGRATIONS_DIR.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            sql = entry.read_text(encoding="utf-8")
            steps.append((int(match.group(1)), sql if with_index else _TRIGRAM_PART.sub("", sql)))
    steps.sort()
    if [version for version, _ in steps] != list(range(1, len(steps) + 1)):
        raise RuntimeError("migration files must be numbered 0001, 0002, ... without gaps")
    return steps


SCHEMA_VERSION = len(migrations())


def _index_missing(conn: sqlite3.Connection, problems: list[str]) -> bool:
    """Whether the file is kequ's own but for the notes index, and the index can be built
    here; one whose index this SQLite cannot read is refused with what to do."""
    from kequ.storage.schema_check import recognise

    if not trigram_available():
        if any(problem.startswith(_TRIGRAM_TABLES) for problem in problems):
            raise KequError("storage.needs_trigram", version=sqlite3.sqlite_version)
        return False
    return not recognise(conn, migrations(trigram=False)).problems


def _apply_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit the user saw is on disk, even if the laptop loses power next.
    conn.execute("PRAGMA synchronous = FULL")


def _translate(error: sqlite3.Error, path: Path) -> KequError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return KequError("storage.locked", path=path)
    if "readonly" in text or "read-only" in text:
        return KequError("storage.read_only", path=path)
    # A write cut short by the file-size limit is only "disk I/O error" in the text.
    if "disk is full" in text or "full" in text or is_disk_full(error):
        return KequError("storage.disk_full", path=path)
    if "no such tokenizer" in text or "no such module: fts5" in text:
        return KequError("storage.needs_trigram", version=sqlite3.sqlite_version)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return KequError("storage.corrupt", path=path)
    return KequError("storage.failed", path=path, detail=str(error))


def _prepare_file(path: Path, may_create_folder: bool) -> None:
    folder = path.parent
    if not folder.exists():
        if not may_create_folder:
            raise KequError("storage.no_folder", folder=folder)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not folder.is_dir():
        raise KequError("storage.no_folder", folder=folder)
    if path.is_dir():
        raise KequError("storage.is_folder", path=path)
    if path.exists():
        if path.stat().st_size > 0:
            with path.open("rb") as handle:
                if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC and not cipher.looks_encrypted(path):
                    raise KequError("storage.not_sqlite", path=path)
        if not os.access(path, os.R_OK | os.W_OK):
            raise KequError("storage.read_only", path=path)
        return
    if not os.access(folder, os.W_OK | os.X_OK):
        raise KequError("storage.folder_not_writable", folder=folder)
    # Create the file ourselves so it is private from its first byte.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def migrate(path: Path) -> int:
    """Bring the file to the latest schema; returns the version it had before."""
    steps = migrations()
    latest = steps[-1][0]
    # Look before writing anything: even switching to WAL rewrites the file header.
    conn = cipher.connect(path, isolation_level=None)
    try:
        seen = recognise(conn, steps)
        found = seen.version
        if found > latest:
            raise KequError("storage.too_new", path=path, found=found, supported=latest)
        if seen.foreign:
            # An SQLite file that some other program made: not ours to change.
            raise KequError("storage.not_kequ", path=path)
        index_missing = False
        if seen.problems:
            index_missing = _index_missing(conn, seen.problems)
            if not index_missing:
                raise KequError("storage.bad_schema", path=path, detail=", ".join(seen.problems[:3]))
        if index_missing:
            # Written where SQLite had no trigram tokenizer, opened where it has: build the index now.
            _apply_pragmas(conn)
            for version, sql in migrations():
                if version <= found and (part := trigram_part(sql)):
                    conn.executescript(f"BEGIN IMMEDIATE;\n{part}\nCOMMIT;")
        if seen.rebuilt:
            # Rebuilt with `sqlite3 .dump`: the schema is ours, only its number was lost.
            conn.execute(f"PRAGMA user_version = {found}")
        if found == latest:
            return found
        if found > 0:
            make_backup(path, f"before-v{latest}")
        _apply_pragmas(conn)
        for version, sql in steps:
            if version <= found:
                continue
            # One transaction per step: a failure leaves the previous version intact.
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
        return found
    except cipher.errors() as error:
        if conn.in_transaction:
            conn.rollback()
        raise _translate(error, path) from error
    finally:
        conn.close()


@dataclass
class Database:
    """An opened, migrated database and its SQLAlchemy engine (made on first use)."""

    path: Path
    _engine: object | None = field(default=None, repr=False)

    @property
    def engine(self):
        if self._engine is None:
            self._engine = _make_engine(self.path)
        return self._engine

    @contextmanager
    def session(self) -> Iterator:
        """One session per use case; commits on success, rolls back on error."""
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        engine = self.engine
        if _replaced(self.path):
            # Another kequ restored a backup over this file: writing on would go into the
            # deleted file and vanish at exit.
            raise KequError("storage.replaced", path=self.path)
        with Session(engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except OperationalError as error:
                session.rollback()
                raise _translate(error.orig, self.path) from error  # type: ignore[arg-type]
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection without the ORM (on SQLCipher for an encrypted book), for reads that must be quick."""
        conn = cipher.connect(self.path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
            yield conn
        except cipher.errors() as error:
            raise _translate(error, self.path) from error
        finally:
            conn.close()

    def kept_reader(self) -> sqlite3.Connection:
        """A read-only connection like ``reader``'s that the caller keeps and closes, usable
        from one thread after another (never two at once): for reads repeated quickly, whose
        pages stay in its cache (the Customers search, keystroke after keystroke)."""
        conn = cipher.connect(self.path, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
        except cipher.errors() as error:
            conn.close()
            raise _translate(error, self.path) from error
        return conn

    def is_empty(self) -> bool:
        conn = cipher.connect(self.path)
        try:
            return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0] == 1
        finally:
            conn.close()


_engines: dict[Path, object] = {}
# Which file each engine opened (device, inode): pooled connections stay on that file.
_opened: dict[Path, tuple[int, int] | None] = {}


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _make_engine(path: Path):
    from sqlalchemy import create_engine, event

    key = path.resolve()
    if key not in _engines:
        if cipher.looks_encrypted(key):
            # The same driver and key as every other connection to this book (kequ.storage.cipher).
            engine = create_engine(
                f"sqlite:///{key}",
                module=cipher.driver(),
                creator=lambda: cipher.connect(key, check_same_thread=False),
            )
        else:
            engine = create_engine(f"sqlite:///{key}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            _apply_pragmas(dbapi_conn)

        _engines[key] = engine
        _opened[key] = _identity(key)
    return _engines[key]


def _replaced(path: Path) -> bool:
    """Whether the file at ``path`` is no longer the one this process's engine opened."""
    key = path.resolve()
    return key in _opened and _identity(key) != _opened[key]


# Who else keeps a connection open to a book (the kept agenda): told when its file is replaced,
# since Windows refuses to rename over an open file.
_release_hooks: list[Callable[[Path], None]] = []


def on_release(hook: Callable[[Path], None]) -> None:
    """Have ``hook(path)`` close what it keeps open on ``path`` whenever ``release_engine`` runs."""
    _release_hooks.append(hook)


def release_engine(path: Path) -> None:
    """Close pooled and kept connections to ``path`` (before this process replaces the file)."""
    key = path.resolve()
    for hook in _release_hooks:
        hook(key)
    engine = _engines.pop(key, None)
    _opened.pop(key, None)
    if engine is not None:
        engine.dispose()  # type: ignore[attr-defined]


def open_database(cli_value: str | None = None, *, daily_backup: bool = True) -> Database:
    """Resolve, check, create if allowed, migrate and (once a day) back up the database."""
    path, is_default = resolve_db_path(cli_value)
    _prepare_file(path, may_create_folder=is_default)
    # An encrypted book: its passphrase known and checked before anything is written.
    cipher.unlock(path)
    try:
        migrate(path)
        if daily_backup:
            backup_if_due(path)
    except cipher.errors() as error:
        raise _translate(error, path) from error
    except PermissionError as error:
        raise KequError("storage.folder_not_writable", folder=Path(error.filename or path).parent) from error
    from kequ.storage import db_users

    # A restore in another window now knows this process has the file open.
    db_users.register(path)
    return Database(path)
