"""Copies of the database: made, checked, listed, rotated.

A copy is a backup only once it is whole: it is written under a hidden temporary name,
checked and then renamed, and whatever lists, counts or restores copies looks again, since
an older kequ, a kill or a full disk may have left a broken file with a good name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from kequ.errors import KequError
from kequ.storage import cipher, clock, db_users
from kequ.storage.files import fsync_folder, remove_with_sidecars
from kequ.storage.sqlite_file import SQLITE_MAGIC

AUTOMATIC_REASON = "daily"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
# Copies taken by hand or before a risky step (manual, before-import, before-restore,
# before-vN) are fewer and each matters, but they must not pile up for ever either.
KEEP_OTHERS = 10


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


# <stem>-YYYYmmdd-HHMMSS-ffffff-<reason>.db: the stamp sorts the copies of one database in time.
BACKUP_STAMP = r"-(\d{8})-(\d{6})(?:-(\d{6}))?-([A-Za-z0-9_.-]+?)\.db$"
# A copy being written: hidden, named after the process writing it, never counted as a backup.
PARTIAL_SUFFIX = ".partial"
BACKUP_NAME = re.compile(BACKUP_STAMP)


def backup_name_pattern(stem: str) -> re.Pattern[str]:
    """This database's copies only: ``kequ-demo-…`` is not a copy of ``kequ.db``."""
    return re.compile(re.escape(stem) + BACKUP_STAMP)


def make_backup(path: Path, reason: str) -> Path:
    """A consistent, checked copy via SQLite's backup API, beside the database, kept private.

    The copy is written under a hidden temporary name, checked with ``integrity_check``
    and only then renamed: a kill or a full disk half way leaves no file that looks like
    a backup, so ``restore --latest`` and the rotation never take a broken one for good.
    """
    folder = backup_dir(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    sweep_partials(path)
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}-{reason}.db"
    partial = folder / f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}"
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    db_users.register(path)  # our partial copy is ours while we live
    try:
        source = cipher.connect(path)
        # An encrypted book's copy is encrypted too, with the same key: never a plain copy.
        dest = cipher.connect(partial, like=path)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            problems = dest.execute("PRAGMA integrity_check").fetchall()
        finally:
            dest.close()
            source.close()
        if problems != [("ok",)]:
            raise KequError("storage.backup_bad", path=path, detail=str(problems[0][0])[:200])
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, target)
        fsync_folder(folder)
    except BaseException:
        remove_with_sidecars(partial)
        raise
    rotate(folder, path.stem)
    return target


def sweep_partials(path: Path) -> None:
    """Remove copies that a killed kequ left half-written (never one still being written)."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return
    leftovers = folder.glob(f".{path.stem}-*{PARTIAL_SUFFIX}")
    db_users.remove_abandoned(path, ((p, p.name[: -len(PARTIAL_SUFFIX)].rpartition(".")[2]) for p in leftovers))


def list_backups(path: Path) -> list[Path]:
    """This database's backups, oldest first, whole or not (see ``looks_complete``)."""
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    pattern = backup_name_pattern(path.stem)
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())


def looks_complete(path: Path) -> bool:
    """A cheap look at a copy: SQLite's header, as long as the header says, no hot journal.

    A kill or a full disk during a copy by an older kequ left files that fail exactly
    this; ``integrity_check`` is kept for the one copy about to be restored. An encrypted
    copy's header is encrypted too: it must be whole pages and have no hot journal.
    """
    try:
        if Path(f"{path}-journal").is_file() and Path(f"{path}-journal").stat().st_size > 0:
            return False
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if header[:16] != SQLITE_MAGIC and cipher.current() is not None and cipher.looks_encrypted(path):
        # Told from random bytes only by its key: counted while this process has the
        # passphrase (an encrypted book's), and read through before any restore (healthy).
        return size >= 4096 and size % 4096 == 0
    if len(header) < 100 or header[:16] != SQLITE_MAGIC:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is valid only when written by the same change (bytes 24 and 92).
    if pages and header[24:28] == header[92:96]:
        return size == pages * page_size
    return size > 0 and size % page_size == 0


def backup_if_due(path: Path) -> Path | None:
    """The once-a-day copy, taken the first time the database is opened each day."""
    today = clock.today().strftime("%Y%m%d")
    done = any(f"-{today}-" in p.name and looks_complete(p) for p in list_backups(path))
    if done or _is_empty(path):
        return None
    return make_backup(path, "daily")


def _is_empty(path: Path) -> bool:
    conn = cipher.connect(path)
    try:
        return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0] == 1
    finally:
        conn.close()


def healthy(path: Path) -> bool:
    """Whether SQLite can read the file through: the backup API copies only such a file.

    An encrypted one is read with the process's key: one it cannot open is not healthy.
    """
    try:
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_MAGIC and not cipher.looks_encrypted(path):
                return False
        conn = cipher.connect(path)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except (*cipher.errors(), OSError, KequError):
        return False


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
        match = BACKUP_NAME.search(name)
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
    pattern = backup_name_pattern(stem)
    # A copy broken by a kill or a full disk (an older kequ left such files) is not counted,
    # so it can never push a good copy out; it is left for a person to look at.
    found = folder.iterdir() if folder.is_dir() else iter(())
    names = [p.name for p in found if pattern.fullmatch(p.name) and looks_complete(p)]
    keep = select_backups_to_keep(names, today or clock.today())
    removed = []
    for name in names:
        if name not in keep:
            remove_with_sidecars(folder / name)
            removed.append(folder / name)
    return removed
