"""Which kequ processes have a database open, so that a restore never pulls a file from
under a window that is still writing to it.

Each process that opens a database makes a small file named after its process id in a
hidden folder beside it (``.kequ.db.users/1234``) and holds an exclusive lock on that file
until it exits; the operating system drops the lock when the process ends, however it
ends (kill -9, a power cut), so a file that can be locked belongs to nobody any more.
Locks are ``flock`` on POSIX and ``msvcrt.locking`` on Windows; both are advisory, which
is all kequ needs: only kequ asks.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


_held: dict[Path, int] = {}  # database -> the open, locked descriptor of our own file


def users_dir(db_path: Path) -> Path:
    return db_path.parent / f".{db_path.name}.users"


def _key(db_path: Path) -> Path:
    return Path(os.path.abspath(db_path))


def register(db_path: Path) -> None:
    """Say, for as long as this process lives, that it has ``db_path`` open."""
    key = _key(db_path)
    if key in _held:
        return
    folder = users_dir(key)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(folder / str(os.getpid()), os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return  # a read-only folder: nobody can restore over this file either
    if _try_lock(fd):
        _held[key] = fd
    else:
        os.close(fd)


def release(db_path: Path | None = None) -> None:
    """Let go of one database (or all), as if the process had ended."""
    for key in [_key(db_path)] if db_path is not None else list(_held):
        fd = _held.pop(key, None)
        if fd is None:
            continue
        os.close(fd)
        with contextlib.suppress(OSError):
            (users_dir(key) / str(os.getpid())).unlink()


def other_users(db_path: Path) -> list[int]:
    """The ids of the other processes that have ``db_path`` open; leftovers are swept."""
    folder = users_dir(_key(db_path))
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            fd = os.open(entry, os.O_RDWR)
        except OSError:
            continue
        try:
            if _try_lock(fd):
                stale = True
            else:
                stale = False
                found.append(int(entry.name))
        finally:
            os.close(fd)
        if stale:
            with contextlib.suppress(OSError):
                entry.unlink()
    return sorted(found)


def remove_abandoned(db_path: Path, leftovers: Iterable[tuple[Path, str]]) -> None:
    """Remove temporary copies of ``db_path`` whose writer, the process id in the copy's name,
    no longer has it open: a killed backup's or restore's, never one still being written."""
    from kequ.storage.files import remove_with_sidecars

    living: set[int] | None = None
    for leftover, owner in leftovers:
        if not owner.isdigit():
            continue
        if living is None:
            living = {os.getpid(), *other_users(db_path)}
        if int(owner) not in living:
            remove_with_sidecars(leftover)
