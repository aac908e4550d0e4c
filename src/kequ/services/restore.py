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
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kequ.errors import KequError, is_disk_full
from kequ.storage import cipher, clock
from kequ.storage.backups import backup_dir, healthy, list_backups, looks_complete, make_backup
from kequ.storage.database import release_engine
from kequ.storage.files import remove_sidecars, remove_with_sidecars, replacing
from kequ.storage.sqlite_file import SQLITE_MAGIC

__all__ = ["RestoreResult", "backup_to", "restore"]

RESTORE_PREFIX = ".kequ-restore-"


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: str
    database: str
    safety_copy: str | None  # where the database that was replaced now lives
    schema_from: int  # the restored file's schema version before any migration
    customers: int


# ------------------------------------------------------------------------ helpers


def _private_temp(folder: Path, prefix: str) -> Path:
    """A hidden file named after this process, so that the next run knows a leftover."""
    try:
        fd, name = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}-", suffix=".db", dir=folder)
    except PermissionError:
        raise KequError("storage.folder_not_writable", folder=folder) from None
    os.close(fd)
    return Path(name)


def sweep_restore_leftovers(db_path: Path) -> None:
    """Full-size copies that a killed restore left beside the database (none still in use)."""
    from kequ.storage import db_users

    leftovers = db_path.parent.glob(f"{RESTORE_PREFIX}*.db")
    db_users.remove_abandoned(db_path, ((p, p.name[len(RESTORE_PREFIX) :].partition("-")[0]) for p in leftovers))


def _stamp() -> str:
    return clock.local_now().strftime("%Y%m%d-%H%M%S-%f")


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
        with replacing(target, temp):
            reader = cipher.connect(source)
            # An encrypted book's copy is encrypted with the same key.
            writer = cipher.connect(temp, like=source)
            try:
                reader.backup(writer)
                # A self-contained file: no WAL beside it for whoever opens it next.
                writer.execute("PRAGMA journal_mode = DELETE")
            finally:
                writer.close()
                reader.close()
    except cipher.errors() as error:
        raise KequError("storage.failed", path=source, detail=str(error)) from error
    return target


# ------------------------------------------------------------------------ restore


def _copy_in(source: Path, folder: Path) -> Path:
    """Copy the chosen file (and a WAL beside it, which holds its latest commits) next to the database."""
    temp = _private_temp(folder, RESTORE_PREFIX)
    try:
        with source.open("rb") as src, temp.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        wal = Path(f"{source}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            shutil.copyfile(wal, f"{temp}-wal")
    except PermissionError:
        remove_with_sidecars(temp)
        raise KequError("io.restore.unreadable", path=source) from None
    except BaseException:
        remove_with_sidecars(temp)
        raise
    return temp


def _inspect(copy: Path, shown: Path) -> tuple[int, int]:
    """(schema version, customers) of a candidate, or a KequError saying why it is refused.

    Its schema must be kequ's, object for object: a trigger or a view in a crafted file
    would run inside every later write (see ``kequ.storage.schema_check``).
    """
    from kequ.storage.database import SCHEMA_VERSION, migrations
    from kequ.storage.schema_check import recognise

    try:
        conn = cipher.connect(copy)
    except cipher.errors() as error:
        raise KequError("io.restore.corrupt", path=shown, detail=str(error)) from None
    try:
        if cipher.looks_encrypted(copy):
            _check_key(conn, shown)
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise KequError("io.restore.corrupt", path=shown, detail=str(problems[0])[:200])
        seen = recognise(conn, migrations())
        if seen.version > SCHEMA_VERSION:
            raise KequError("io.restore.too_new", path=shown, found=seen.version, supported=SCHEMA_VERSION)
        if seen.foreign or seen.version < 1:
            raise KequError("io.restore.not_kequ", path=shown)
        if seen.problems:
            raise KequError("io.restore.bad_schema", path=shown, detail=", ".join(seen.problems[:3]))
        if seen.rebuilt:
            conn.execute(f"PRAGMA user_version = {seen.version}")
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
        # Leave a single self-contained file: the WAL, if any, is folded in now.
        conn.execute("PRAGMA journal_mode = DELETE")
        return seen.version, customers
    except cipher.errors() as error:
        raise KequError("io.restore.corrupt", path=shown, detail=str(error)) from None
    finally:
        conn.close()


def _check_key(conn: Any, shown: Path) -> None:
    """An encrypted file that this book's passphrase does not open: said as such, not as damage."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except cipher.errors() as error:
        if "not a database" in str(error).lower():
            raise KequError("io.restore.wrong_passphrase", path=shown) from None
        raise


def _keep_current(db_path: Path) -> str | None:
    """Put the database about to be replaced into backups/, readable or not."""

    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    folder = backup_dir(db_path)
    if healthy(db_path):
        try:
            return str(make_backup(db_path, "before-restore"))
        except cipher.errors():
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


def _newest_good_backup(db_path: Path) -> Path:
    """The newest copy SQLite reads through; broken copies left by an older kequ are passed over."""

    # A raw copy of a damaged database is evidence, not something to go back to.
    found = [p for p in list_backups(db_path) if not p.stem.endswith("-damaged")]
    for candidate in reversed(found):
        if looks_complete(candidate) and healthy(candidate):
            return candidate
    raise KequError("io.restore.no_backups", folder=backup_dir(db_path))


def _refuse_if_in_use(db_path: Path) -> None:
    from kequ.storage import db_users

    users = db_users.other_users(db_path)
    if users:
        raise KequError("io.restore.in_use", path=db_path, pid=users[0])


def restore(db_path: Path, source: Path | None = None, *, latest: bool = False) -> RestoreResult:
    """Replace the database at ``db_path`` with ``source`` (or the newest backup); see above."""
    from kequ.storage import db_users

    db_path = Path(db_path).expanduser()
    _refuse_if_in_use(db_path)
    # Our own copy in the folder is ours while we run; a killed restore's is swept.
    db_users.register(db_path)
    sweep_restore_leftovers(db_path)
    if latest:
        source = _newest_good_backup(db_path)
    if source is None:
        raise KequError("io.restore.what")
    source = Path(source).expanduser()
    if not source.exists():
        raise KequError("io.file.missing", path=source)
    if source.is_dir():
        raise KequError("io.file.is_folder", path=source)
    if not source.is_file():
        # A pipe or a device: reading one could wait for ever.
        raise KequError("io.restore.not_regular", path=source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise KequError("io.restore.same_file", path=source)
    # A database reached through a link (a synced folder, say) stays a link: the file it
    # points to is the one replaced.
    real = Path(os.path.realpath(db_path))
    folder = real.parent
    if not folder.is_dir():
        raise KequError("storage.no_folder", folder=folder)
    if real.is_dir():
        raise KequError("storage.is_folder", path=db_path)
    try:
        with source.open("rb") as handle:
            head = handle.read(16)
    except PermissionError:
        raise KequError("io.restore.unreadable", path=source) from None
    if head != SQLITE_MAGIC and not cipher.looks_encrypted(source):
        raise KequError("io.restore.not_sqlite", path=source)
    try:
        return _replace(real, db_path, source)
    except (OSError, *cipher.errors(), KequError) as error:
        if is_disk_full(error):
            raise KequError("io.restore.disk_full", path=db_path) from error
        raise


def _replace(real: Path, db_path: Path, source: Path) -> RestoreResult:
    from kequ.storage.database import SCHEMA_VERSION, migrate

    copy = _copy_in(source, real.parent)
    with replacing(real, copy):
        version, customers = _inspect(copy, source)
        if version < SCHEMA_VERSION:
            migrate(copy)
            # migrate() kept a "before" copy of our temporary file; the original is untouched.
            for stray in backup_dir(copy).glob(f"{copy.stem}-*.db"):
                remove_with_sidecars(stray)
        remove_sidecars(copy)
        safety = _keep_current(db_path)
        release_engine(real)
    os.chmod(real, 0o600)
    return RestoreResult(str(source), str(db_path), safety, version, customers)
