"""The app's daily copy of the book starts after the first screen has read what it shows."""

from __future__ import annotations

from pathlib import Path

import kequ.storage.backups as backups
from kequ.storage.database import open_database
from kequ.ui.app import KequApp
from kequ.ui.screens.today.today import TodayScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


async def test_the_daily_backup_waits_for_today_to_be_filled(db_path: Path, monkeypatch) -> None:
    from kequ.services.demo import fill_demo

    db_path.parent.mkdir(parents=True, exist_ok=True)
    fill_demo(open_database(str(db_path), daily_backup=False), DEMO_TODAY)
    assert backups.list_backups(db_path) == []  # today's copy is the app's to make
    seen: list[bool] = []
    real = backups.backup_if_due
    app = KequApp(db_path, today=DEMO_TODAY)

    def spy(path: Path) -> Path | None:
        screen = app.screen
        seen.append(isinstance(screen, TodayScreen) and screen.loaded is not None)
        return real(path)

    monkeypatch.setattr(backups, "backup_if_due", spy)
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(200):
            await settle(pilot)
            if seen and not any(w.is_running for w in app.workers):
                break
    assert seen == [True]  # called once, with the list already on screen
    assert len(backups.list_backups(db_path)) == 1  # and the copy was made
