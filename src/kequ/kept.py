"""What kequ works out from the files it ships with, kept beside them as Python keeps bytecode.

The texts parsed from ``locale/*.toml`` (``kequ.i18n``) and the schema the migrations build
(``kequ.storage.schema_check``) are the same on every start until those files change, and
each took tens of milliseconds of a short command. The answer is written once with
``marshal`` into the folder's ``__pycache__`` (or under ``sys.pycache_prefix``), in a file
named after a stamp of what it was worked out from: an edit, another Python or another
SQLite gives another name, and the older files of that kind are removed. The stamp is kept
with the answer and read back only by the same stamp, so two stamps sharing a name never
mix. Nothing is written where Python may not write bytecode; a missing, unreadable or
damaged file is worked out again.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from contextlib import suppress
from pathlib import Path


def kept_file(folder: Path, kind: str, stamp: str) -> Path:
    """Where the answer of ``kind`` worked out from ``folder``'s files as ``stamp`` says is kept."""
    name = f"{kind}.{sys.implementation.cache_tag}-{zlib.crc32(stamp.encode()):08x}.marshal"
    if sys.pycache_prefix:
        resolved = folder.resolve()
        return Path(sys.pycache_prefix) / resolved.relative_to(resolved.anchor) / name
    return folder / "__pycache__" / name


def read_kept(path: Path, stamp: str) -> object | None:
    """The answer kept at ``path`` for ``stamp``, or None when there is none to be read."""
    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None  # missing, unreadable or damaged: worked out again
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
        return kept[1]
    return None


def keep(path: Path, kind: str, stamp: str, value: object) -> None:
    """Keep ``value`` for ``stamp`` at ``path`` (``kept_file``'s for ``kind``) in place of the older ones."""
    if sys.dont_write_bytecode:
        return
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{kind}.*.marshal"):
            stale.unlink(missing_ok=True)
        partial.write_bytes(marshal.dumps((stamp, value)))
        partial.replace(path)
    except OSError:  # a read-only install, or (Windows) another process reading the file now:
        with suppress(OSError):  # each start works it out instead
            partial.unlink(missing_ok=True)
