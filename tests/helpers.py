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
