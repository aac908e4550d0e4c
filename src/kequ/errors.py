"""The one exception type a user may see: it carries a translation key, not a sentence."""

from __future__ import annotations

import errno
from collections.abc import Iterator

from kequ.i18n import t

# What the system says when a write does not fit: no space, over the user's quota, or
# over the file-size limit (ulimit -f). To the user all three are "the disk is full".
_FULL_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EFBIG) if code is not None
)
_SQLITE_FULL = 13
# SQLite reports ENOSPC as SQLITE_FULL but a write cut short by the file-size limit
# (EFBIG) only as one of these I/O errors ("disk I/O error"); a connection without extended
# result codes says just IOERR.
_SQLITE_WRITE_ERRORS = frozenset({10, 778, 1546, 4874})  # IOERR, IOERR_WRITE, IOERR_TRUNCATE, IOERR_SHMSIZE


class KequError(Exception):
    """Something the user can fix. ``key`` names the text in the catalogue."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


def user_message(problem: BaseException) -> str | None:
    """The sentence for a refusal that carries a catalogue key (KequError, DateInputError)."""
    key = getattr(problem, "key", None)
    if not isinstance(key, str):
        return None
    return t(key, **getattr(problem, "params", {}))


def _causes(problem: BaseException) -> Iterator[BaseException]:
    """The error and what it was raised from, the driver's own error of an ORM one included."""
    seen: set[int] = set()
    current: BaseException | None = problem
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__ or current.__context__


def _file_size_limited() -> bool:
    try:
        import resource
    except ImportError:  # Windows has no ulimit -f
        return False
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return soft != resource.RLIM_INFINITY


def is_disk_full(problem: BaseException) -> bool:
    """Whether a write failed for want of space (or of the file-size limit), however raised."""
    for cause in _causes(problem):
        if isinstance(cause, OSError) and cause.errno in _FULL_ERRNOS:
            return True
        if getattr(cause, "key", None) == "storage.disk_full":
            return True
        code = getattr(cause, "sqlite_errorcode", None)
        if code == _SQLITE_FULL or (code in _SQLITE_WRITE_ERRORS and _file_size_limited()):
            return True
    return False
