"""Writing files so that a kill or a power cut leaves the old file or the new one, never half.

A file is written under a temporary name in the same folder, flushed to the disk, then
renamed over the target (atomic within one folder on every system kequ runs on), and the
folder itself is flushed so that the rename survives a power cut too.
"""

from __future__ import annotations

import os
from pathlib import Path

SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


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
