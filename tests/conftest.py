"""Every test gets its own database file and a clean environment.

A developer's own KEQU_DB or LANG must never leak into a test run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kequ.i18n import set_language


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("KEQU_DB", raising=False)
    monkeypatch.delenv("KEQU_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kequ.db"


@pytest.fixture
def db(db_path: Path):
    from kequ.db import open_database

    db_path.parent.mkdir(parents=True, exist_ok=True)
    return open_database(str(db_path))


@pytest.fixture
def demo_db(db):
    from kequ.services.demo import fill_demo

    fill_demo(db, DEMO_TODAY)
    return db


# A fixed day keeps the demo (and snapshots) reproducible: a Monday with 冬月 ahead.
DEMO_TODAY = date(2026, 11, 23)
