"""Today puts the first screen's rows in the table first and the rest one frame later: the
list it ends with is the list it showed before, whatever happens in between."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

import kequ.ui.screens.today.today as today_module
from kequ.ui.app import KequApp
from kequ.ui.screens.today.today import TodayScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import settle


def _rows(table: DataTable) -> list[tuple[str, str]]:
    return [
        (str(table.coordinate_to_cell_key((i, 0)).row_key.value), " ".join(map(str, table.get_row_at(i))))
        for i in range(table.row_count)
    ]


async def _shown(db, monkeypatch: pytest.MonkeyPatch, first: int) -> tuple[list[tuple[str, str]], int, list[int]]:
    """The rows after Today settles, the cursor's row, and how many rows the table held each
    time the rest came."""
    monkeypatch.setattr(today_module, "FIRST_ROWS", first)
    before_rest: list[int] = []
    real = TodayScreen.put_rest

    def spy(self: TodayScreen, rows, shown: int) -> None:  # type: ignore[no-untyped-def]
        before_rest.append(self.query_one("#agenda", DataTable).row_count)
        real(self, rows, shown)

    monkeypatch.setattr(TodayScreen, "put_rest", spy)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#agenda", DataTable)
        return _rows(table), table.cursor_row, before_rest


async def test_the_rows_after_the_first_screen_come_later_and_the_list_is_the_same(demo_db, monkeypatch) -> None:
    whole, cursor, rests = await _shown(demo_db, monkeypatch, 10_000)
    assert rests == [] or rests == [len(whole)]  # everything in the first frame
    assert len(whole) > 8
    split, split_cursor, split_rests = await _shown(demo_db, monkeypatch, 4)
    assert split_rests == [4]  # four rows first, the rest a frame later
    assert split == whole and split_cursor == cursor


@asynccontextmanager
async def _four_rows_first(db, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[TodayScreen, Pilot[None]]]:
    """Today settled with its first screen cut to four rows: yields (screen, pilot)."""
    monkeypatch.setattr(today_module, "FIRST_ROWS", 4)
    app = KequApp(db.path, today=DEMO_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        yield screen, pilot


async def test_a_list_shown_again_before_its_rest_came_holds_each_row_once(demo_db, monkeypatch) -> None:
    whole, _, _ = await _shown(demo_db, monkeypatch, 10_000)
    async with _four_rows_first(demo_db, monkeypatch) as (screen, pilot):
        screen.show(screen.loaded)
        assert screen.filling
        screen.show(screen.loaded)  # the first show's rest is still to come: it must not be added
        await settle(pilot)
        assert _rows(screen.query_one("#agenda", DataTable)) == whole


async def test_with_the_cursor_further_down_the_list_is_rebuilt_at_once(demo_db, monkeypatch) -> None:
    whole, _, _ = await _shown(demo_db, monkeypatch, 10_000)
    async with _four_rows_first(demo_db, monkeypatch) as (screen, _pilot):
        table = screen.query_one("#agenda", DataTable)
        row = next(i for i in range(6, table.row_count) if screen.actionable(_rows(table)[i][0]))
        table.move_cursor(row=row)
        screen.show(screen.loaded)  # as after done or snooze
        assert not screen.filling and _rows(table) == whole
        assert table.cursor_row == row
