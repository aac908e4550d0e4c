"""Every test gets its own database file, a clean environment and a frozen clock.

A developer's own KEQU_DB or LANG must never leak into a test run, and neither must the
day the suite happens to run on: every test starts at DEMO_TODAY 09:00 local time (the
clock then runs on from there), unless it says otherwise with
``@pytest.mark.frozen_at("2028-02-29T23:59:00")``. A test that moves the clock asks for
the ``frozen_time`` fixture and calls ``frozen_time.move_to(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
import time_machine

from kequ.i18n import set_language
from kequ.storage import clock, db_users

# A fixed day keeps the demo (and snapshots) reproducible: a Monday with 冬月 ahead.
DEMO_TODAY = date(2026, 11, 23)


def local_moment(text: str | datetime) -> datetime:
    """A wall-clock time in this machine's zone, as a salesperson's laptop would read it."""
    moment = datetime.fromisoformat(text) if isinstance(text, str) else text
    return moment if moment.tzinfo else moment.astimezone()


@pytest.fixture(autouse=True)
def frozen_time(request: pytest.FixtureRequest) -> Iterator[time_machine.Coordinates]:
    marker = request.node.get_closest_marker("frozen_at")
    start = local_moment(marker.args[0]) if marker else local_moment(datetime.combine(DEMO_TODAY, time(9, 0)))
    # tick: the clock runs on from there, so timers and "saved at" stamps still move.
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller
    clock.pin(None)
    db_users.release()  # what a test opened is closed, as when a kequ process ends


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
    from kequ.storage.database import open_database

    db_path.parent.mkdir(parents=True, exist_ok=True)
    return open_database(str(db_path))


@pytest.fixture
def demo_db(db):
    from kequ.services.demo import fill_demo

    fill_demo(db, DEMO_TODAY)
    return db
