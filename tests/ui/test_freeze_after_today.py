"""A large book's agenda, once Today has read it, is moved out of the cycle collector's
sight (KequApp.freeze_what_is_read); a small book's is left alone."""

from __future__ import annotations

import gc

import pytest

from kequ.ui import app as app_module
from kequ.ui.app import KequApp
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


@pytest.mark.parametrize("freeze_at", [1, 1_000_000])
async def test_todays_agenda_is_frozen_once_read_in_a_large_book_only(demo_db, monkeypatch, freeze_at) -> None:
    monkeypatch.setattr(app_module, "FREEZE_AT", freeze_at)
    gc.unfreeze()
    app = KequApp(demo_db.path, today=DEMO_TODAY)
    asked: list[bool] = []
    real = app.freeze_what_is_read

    def spy() -> None:
        real()
        asked.append(True)

    monkeypatch.setattr(app, "freeze_what_is_read", spy)
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            assert app.screen.loaded  # type: ignore[attr-defined]
            # It comes with the day's backup, once the first screen has read.
            for _ in range(200):
                if asked:
                    break
                await pilot.pause(0.02)
            else:
                raise AssertionError("the app never got to freezing")
            assert (gc.get_freeze_count() > 0) == (freeze_at == 1)
    finally:
        gc.unfreeze()
