"""What many tests share: a refusal the user can fix, named by its catalogue key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from kequ.i18n import t


@contextmanager
def _refusal(key: str) -> Iterator[Any]:
    with pytest.raises(Exception) as caught:  # KequError, ComplaintError, DateInputError: all carry a key
        yield caught
    error = caught.value
    assert getattr(error, "key", None) == key, repr(error)
    for lang in ("zh", "en"):
        text = t(error.key, lang, **getattr(error, "params", {}))
        assert text != error.key and "{" not in text


def refused(key: str, call: Callable[..., object] | None = None, *args: object, **kw: object) -> Any:
    """``refused(key, f, x)`` runs ``f(x)``, which must be refused with ``key``, and returns the
    error; ``with refused(key):`` does the same for a block. Either way the message must read
    in both languages with every placeholder filled."""
    if call is None:
        return _refusal(key)
    manager: AbstractContextManager[Any] = _refusal(key)
    with manager as caught:
        call(*args, **kw)
    return caught.value


def stored(path: object, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Rows read with a connection of their own: what is on disk, as another program sees it."""
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def orm_loaded_after(db_path: object, setup: str, read: str) -> list[str]:
    """Which of SQLAlchemy, SQLModel and pydantic a fresh process has loaded after ``setup``
    (imports) and ``read`` (an expression on ``db``, the book at ``db_path``, that must give
    something): a read meant to spare a screen the ORM's import must leave the list empty."""
    import subprocess
    import sys

    code = (
        f"import sys; from datetime import date; from pathlib import Path; {setup}; "
        f"from kequ.storage.database import Database; db = Database(Path({str(db_path)!r})); "
        f"assert {read}; print(','.join(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [name for name in done.stdout.strip().split(",") if name]
