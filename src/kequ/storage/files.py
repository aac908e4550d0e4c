"""Writing files so that a kill or a power cut leaves the old file or the new one, never half.

A file is written under a temporary name in the same folder, flushed to the disk, then
renamed over the target (atomic within one folder on every system kequ runs on), and the
folder itself is flushed so that the rename survives a power cut too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from kequ.errors import KequError
from kequ.storage import clock

SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
# A hidden temporary file this old was left by a kill or a power cut: nobody writes one that long.
LEFTOVER_AGE = timedelta(hours=1)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    # Windows cannot open a folder for this; there the rename is durable once it returns.
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


def remove_sidecars(path: Path) -> None:
    for suffix in SQLITE_SIDECARS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_with_sidecars(path: Path) -> None:
    path.unlink(missing_ok=True)
    remove_sidecars(path)


@contextmanager
def replacing(target: Path, temp: Path) -> Iterator[None]:
    """Write the database ``temp`` (beside ``target``) in the block; it then goes to the
    disk and is renamed over ``target``, or, if the block fails, is removed with its sidecars.

    The replaced file's WAL and shared memory are removed as well: they belong to the old
    file, and replayed onto the new one they would corrupt it.
    """
    try:
        yield
        fsync_file(temp)
        os.replace(temp, target)
        remove_sidecars(target)
        fsync_folder(target.parent)
    except BaseException:
        remove_with_sidecars(temp)
        raise


def write_private(path: Path, writer: Callable[[IO[bytes]], None]) -> Path:
    """Write ``path`` readable by its owner only, all or nothing."""
    path = Path(path).expanduser()
    folder = path.parent
    if path.is_dir():
        raise KequError("io.export.is_folder", path=path)
    if not folder.is_dir():
        raise KequError("io.export.no_folder", folder=folder)
    import tempfile  # here, not at the top: it costs the first frame 3 ms

    sweep_leftovers(folder, f".{path.name}.")
    try:
        # mkstemp creates the file 0600 from its first byte.
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise KequError("io.export.not_writable", folder=folder) from None
    try:
        with os.fdopen(fd, "wb") as out:
            writer(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
        fsync_folder(folder)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def sweep_leftovers(folder: Path, prefix: str) -> None:
    """Remove the hidden copies a killed write left in ``folder`` (full-size, and invisible)."""
    oldest = clock.now() - LEFTOVER_AGE
    for leftover in folder.glob(f"{prefix}*.tmp"):
        try:
            if datetime.fromtimestamp(leftover.stat().st_mtime, UTC) < oldest:
                leftover.unlink()
        except OSError:
            continue
