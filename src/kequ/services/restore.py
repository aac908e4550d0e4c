"""Backing up to a file of one's choice, restoring one, and which automatic copies to keep.

A restore never trusts its input and never loses the current database:

1. the chosen file is copied into the database's folder first (the original is only
   read, so a refused file is left exactly as it was);
2. the copy must be SQLite, pass ``PRAGMA integrity_check``, be a kequ database and have
   a schema no newer than this program's (an older one is migrated, on the copy);
3. the current database is kept in ``backups/`` ("before-restore"): through SQLite's
   backup API when it can be read, as a raw byte copy when it is damaged;
4. only then is the copy fsynced and renamed over the database (``os.replace`` is atomic
   within one folder), and the old WAL and shared-memory files are removed so SQLite
   cannot replay the previous database's journal onto the restored one.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kequ import clock
from kequ.errors import KequError

__all__ = [
    "AUTOMATIC_REASON",
    "RestoreResult",
    "backup_to",
    "restore",
    "rotate",
    "select_backups_to_keep",
]

AUTOMATIC_REASON = "daily"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
# Copies taken by hand or before a risky step (manual, before-import, before-restore,
# before-vN) are fewer and each matters, but they must not pile up for ever either.
KEEP_OTHERS = 10
_TIMEOUT_S = 5.0
# <stem>-YYYYmmdd-HHMMSS-ffffff-<reason>.db, as kequ.db.make_backup names them.
_STAMP = r"-(\d{8})-(\d{6})(?:-(\d{6}))?-([A-Za-z0-9_.-]+?)\.db$"
_BACKUP_NAME = re.compile(_STAMP)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: str
    database: str
    safety_copy: str | None  # where the database that was replaced now lives
    schema_from: int  # the restored file's schema version before any migration
    customers: int


# ------------------------------------------------------------------------ helpers


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk; some systems cannot open a folder for that.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _private_temp(folder: Path, prefix: str) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".db", dir=folder)
    except PermissionError:
        raise KequError("storage.folder_not_writable", folder=folder) from None
    os.close(fd)
    return Path(name)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _stamp() -> str:
    return clock.local_now().strftime("%Y%m%d-%H%M%S-%f")


def _release_engine(path: Path) -> None:
    """Close pooled connections to ``path``: they would keep reading the replaced file."""
    from kequ import db as storage

    engine = storage._engines.pop(path.resolve(), None)
    if engine is not None:
        engine.dispose()  # type: ignore[attr-defined]


# ------------------------------------------------------------------------- backup


def backup_to(db: Any, target: Path) -> Path:
    """A consistent copy of the open database at ``target`` (a file, or a folder to put it in).

    Made with SQLite's backup API, so a write in progress in another window cannot tear
    it; written to a private temporary file beside the target, then renamed into place.
    """
    source = Path(db.path)
    target = Path(target).expanduser()
    if target.is_dir():
        target = target / f"{source.stem}-{_stamp()}.db"
    if target.exists() and target.resolve() == source.resolve():
        raise KequError("io.backup.same_file", path=target)
    folder = target.parent
    if not folder.is_dir():
        raise KequError("io.export.no_folder", folder=folder)
    temp = _private_temp(folder, f".{target.name}.")
    try:
        reader = sqlite3.connect(source, timeout=_TIMEOUT_S)
        writer = sqlite3.connect(temp)
        try:
            reader.backup(writer)
            # A self-contained file: no WAL beside it for whoever opens it next.
            writer.execute("PRAGMA journal_mode = DELETE")
        finally:
            writer.close()
            reader.close()
        _fsync_file(temp)
        os.replace(temp, target)
        _fsync_dir(folder)
    except sqlite3.Error as error:
        _remove_with_sidecars(temp)
        raise KequError("storage.failed", path=source, detail=str(error)) from error
    except BaseException:
        _remove_with_sidecars(temp)
        raise
    return target


# ------------------------------------------------------------------------ restore


def own_backups(db_path: Path) -> list[Path]:
    """This database's copies in backups/, oldest first (not another file's that shares a prefix)."""
    from kequ.db import backup_dir

    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(db_path.stem) + _STAMP)
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())


def _copy_in(source: Path, folder: Path) -> Path:
    """Copy the chosen file (and a WAL beside it, which holds its latest commits) next to the database."""
    temp = _private_temp(folder, ".kequ-restore-")
    try:
        with source.open("rb") as src, temp.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        wal = Path(f"{source}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            shutil.copyfile(wal, f"{temp}-wal")
    except PermissionError:
        _remove_with_sidecars(temp)
        raise KequError("io.restore.unreadable", path=source) from None
    except BaseException:
        _remove_with_sidecars(temp)
        raise
    return temp


def _inspect(copy: Path, shown: Path) -> tuple[int, int]:
    """(schema version, customers) of a candidate, or a KequError saying why it is refused."""
    from kequ.db import SCHEMA_VERSION

    try:
        conn = sqlite3.connect(copy, timeout=_TIMEOUT_S)
    except sqlite3.Error as error:
        raise KequError("io.restore.corrupt", path=shown, detail=str(error)) from None
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise KequError("io.restore.corrupt", path=shown, detail=str(problems[0])[:200])
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise KequError("io.restore.too_new", path=shown, found=version, supported=SCHEMA_VERSION)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version < 1 or "customer" not in tables:
            raise KequError("io.restore.not_kequ", path=shown)
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
        # Leave a single self-contained file: the WAL, if any, is folded in now.
        conn.execute("PRAGMA journal_mode = DELETE")
        return version, customers
    except sqlite3.DatabaseError as error:
        raise KequError("io.restore.corrupt", path=shown, detail=str(error)) from None
    finally:
        conn.close()


def _healthy(path: Path) -> bool:
    """Whether SQLite can read the file through: the backup API copies only such a file."""
    try:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return False
        conn = sqlite3.connect(path, timeout=_TIMEOUT_S)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return False


def _keep_current(db_path: Path) -> str | None:
    """Put the database about to be replaced into backups/, readable or not."""
    from kequ.db import backup_dir, make_backup

    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backup_dir(db_path)
    if _healthy(db_path):
        try:
            return str(make_backup(db_path, "before-restore"))
        except sqlite3.Error:
            # The backup API gave up half way: an empty copy is worth nothing, a raw one is.
            for empty in folder.glob(f"{db_path.stem}-*-before-restore.db"):
                if empty.stat().st_size == 0:
                    empty.unlink(missing_ok=True)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        target = folder / f"{db_path.stem}-{_stamp()}-before-restore-damaged.db"
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out, db_path.open("rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        for suffix in ("-wal", "-shm"):
            side = Path(f"{db_path}{suffix}")
            if side.is_file():
                shutil.copyfile(side, f"{target}{suffix}")
    except OSError as error:
        raise KequError("io.restore.cannot_keep", path=db_path, detail=str(error)) from error
    return str(target)


def restore(db_path: Path, source: Path | None = None, *, latest: bool = False) -> RestoreResult:
    """Replace the database at ``db_path`` with ``source`` (or the newest backup); see above."""
    from kequ.db import SCHEMA_VERSION, backup_dir, migrate

    db_path = Path(db_path).expanduser()
    if latest:
        # A raw copy of a damaged database is evidence, not something to go back to.
        found = [p for p in own_backups(db_path) if not p.stem.endswith("-damaged")]
        if not found:
            raise KequError("io.restore.no_backups", folder=backup_dir(db_path))
        source = found[-1]
    if source is None:
        raise KequError("io.restore.what")
    source = Path(source).expanduser()
    if not source.exists():
        raise KequError("io.file.missing", path=source)
    if source.is_dir():
        raise KequError("io.file.is_folder", path=source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise KequError("io.restore.same_file", path=source)
    folder = db_path.parent
    if not folder.is_dir():
        raise KequError("storage.no_folder", folder=folder)
    if db_path.is_dir():
        raise KequError("storage.is_folder", path=db_path)
    try:
        with source.open("rb") as handle:
            head = handle.read(16)
    except PermissionError:
        raise KequError("io.restore.unreadable", path=source) from None
    if head != b"SQLite format 3\x00":
        raise KequError("io.restore.not_sqlite", path=source)

    copy = _copy_in(source, folder)
    try:
        version, customers = _inspect(copy, source)
        if version < SCHEMA_VERSION:
            migrate(copy)
            # migrate() kept a "before" copy of our temporary file; the original is untouched.
            for stray in backup_dir(copy).glob(f"{copy.stem}-*.db"):
                _remove_with_sidecars(stray)
        _remove_sidecars(copy)
        _fsync_file(copy)
        safety = _keep_current(db_path)
        _release_engine(db_path)
        os.replace(copy, db_path)
        # The old journal belongs to the old file; replayed onto this one it would corrupt it.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        _fsync_dir(folder)
    except BaseException:
        _remove_with_sidecars(copy)
        raise
    os.chmod(db_path, 0o600)
    return RestoreResult(str(source), str(db_path), safety, version, customers)


def _remove_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ----------------------------------------------------------------------- rotation


def select_backups_to_keep(
    names: Iterable[str],
    today: date,
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    others: int = KEEP_OTHERS,
) -> set[str]:
    """Which backup file names to keep; pure, so the policy is tested without files.

    Automatic ("daily") copies: the newest of each of the ``daily`` most recent days that
    have one, then, among the older ones, the newest of each of the ``weekly`` most
    recent ISO weeks. Days without a copy (a holiday without opening kequ) cost nothing.
    Other copies: the ``others`` newest. A name that is not a kequ backup name, or
    dated after ``today`` (a clock that was wrong), is always kept: never delete what
    cannot be placed.
    """
    keep: set[str] = set()
    automatic: list[tuple[datetime, str]] = []
    rest: list[tuple[datetime, str]] = []
    for name in names:
        match = _BACKUP_NAME.search(name)
        if match is None:
            keep.add(name)
            continue
        try:
            moment = datetime.strptime(match.group(1) + match.group(2) + (match.group(3) or "0"), "%Y%m%d%H%M%S%f")
        except ValueError:
            keep.add(name)
            continue
        if moment.date() > today:
            keep.add(name)
        elif match.group(4) == AUTOMATIC_REASON:
            automatic.append((moment, name))
        else:
            rest.append((moment, name))
    automatic.sort(reverse=True)
    days: set[date] = set()
    older: list[tuple[datetime, str]] = []
    for moment, name in automatic:
        if moment.date() in days:
            older.append((moment, name))
        elif len(days) < daily:
            days.add(moment.date())
            keep.add(name)
        else:
            older.append((moment, name))
    weeks: set[tuple[int, int]] = set()
    for moment, name in older:  # newest first, so the first of each week is its newest
        week = moment.isocalendar()[:2]
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(name)
    rest.sort(reverse=True)
    keep.update(name for _, name in rest[:others])
    return keep


def rotate(folder: Path, stem: str, today: date | None = None) -> list[Path]:
    """Delete the backups of database ``stem`` in ``folder`` that the policy drops."""
    pattern = re.compile(re.escape(stem) + _STAMP)
    names = [p.name for p in folder.iterdir() if pattern.fullmatch(p.name)] if folder.is_dir() else []
    keep = select_backups_to_keep(names, today or clock.today())
    removed = []
    for name in names:
        if name not in keep:
            _remove_with_sidecars(folder / name)
            removed.append(folder / name)
    return removed
