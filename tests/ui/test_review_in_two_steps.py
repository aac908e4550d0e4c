"""The Review screen shows the period's figures as soon as they are read; the cooling key
customers, read in a worker of their own beside them, fill their row when they come."""

from __future__ import annotations

import threading

from textual.widgets import DataTable

import kequ.services.review as service
from kequ.i18n import t
from kequ.ui.app import KequApp
from kequ.ui.screens.review.review import PeopleScreen, ReviewScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import open_with_key, settle, wait_for_screen


def _cooling_cell(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-figures", DataTable).get_cell("cooling", "value"))


async def _open_review(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    """Today settled, then the key 6: the Review screen as it comes up."""
    return await open_with_key(pilot, "6", ReviewScreen, loaded=False)


def test_the_figures_and_the_cooling_read_apart_make_the_whole_review(demo_db) -> None:
    whole = service.review(demo_db, DEMO_TODAY)
    shown = service.review_figures(demo_db, DEMO_TODAY)
    cold, names = service.cooling_customers(demo_db, DEMO_TODAY)
    assert whole.cooling, "the demo book has cooling key customers"
    assert shown.cooling == []
    assert service.with_cooling(shown, cold, names) == whole


async def test_figures_show_before_the_cooling_customers_are_read(demo_db, db_path, monkeypatch) -> None:
    release = threading.Event()
    read = service.cooling_customers

    def slow_cooling(db, today):  # type: ignore[no-untyped-def]
        assert release.wait(30), "the test never let the cooling read finish"
        return read(db, today)

    monkeypatch.setattr(service, "cooling_customers", slow_cooling)
    app = KequApp(db_path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_review(pilot)
        table = screen.query_one("#review-figures", DataTable)
        for _ in range(200):
            if table.row_count:
                break
            await pilot.pause(0.02)
        # The period's figures are on the screen; the cooling row says it is still reading.
        assert screen.figures == service.review_figures(demo_db, DEMO_TODAY)
        assert sum(week.done_total for week in screen.figures.weeks) > 0
        assert screen.loaded is None
        assert _cooling_cell(screen) == t("today.loading")
        # Enter on the row being read opens nothing.
        table.move_cursor(row=table.get_row_index("cooling"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        release.set()
        await settle(pilot)
        whole = service.review(demo_db, DEMO_TODAY)
        assert screen.loaded == whole
        assert _cooling_cell(screen) == str(len(whole.cooling))
        await pilot.press("enter")
        await wait_for_screen(pilot, PeopleScreen)
        await settle(pilot)
        assert app.screen.loaded == [c.customer_id for c in whole.cooling]


async def test_the_month_key_keeps_the_cooling_and_refresh_reads_it_again(demo_db, db_path, monkeypatch) -> None:
    month = service.review(demo_db, DEMO_TODAY, "month")  # before the reads are counted
    calls: list[object] = []
    read = service.cooling_customers

    def counted(db, today):  # type: ignore[no-untyped-def]
        calls.append(today)
        return read(db, today)

    monkeypatch.setattr(service, "cooling_customers", counted)
    app = KequApp(db_path, today=DEMO_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_review(pilot)
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("n")
        await settle(pilot)
        assert screen.loaded is not None and screen.loaded.span == "month"
        assert screen.loaded == month
        assert len(calls) == 1
        await pilot.press("r")
        await settle(pilot)
        assert len(calls) == 2
        assert screen.loaded == month
