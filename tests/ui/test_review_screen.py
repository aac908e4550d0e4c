"""The Review screen (key 6) with Pilot: figures, the bar chart, and the customers behind a figure."""

from __future__ import annotations

from datetime import timedelta

from kequ.domain.records import NewCustomer
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.ui.app import KequApp
from kequ.ui.screens.customers.profile import ProfileScreen
from kequ.ui.screens.review.review import PeopleScreen, ReviewScreen
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import open_with_key, screen_lines, settle, wait_for_screen


def _book(db) -> int:
    cid = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    log_interaction(db, cid, "call", DEMO_TODAY)
    log_interaction(db, cid, "call", DEMO_TODAY - timedelta(days=8))
    return cid


async def test_key_6_opens_the_review_and_enter_opens_the_customers_behind_a_figure(db, db_path) -> None:
    cid = _book(db)
    app = KequApp(db_path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "6", ReviewScreen)
        assert screen.result.done == {"call": 1}
        text = "\n".join(screen_lines(app))
        assert "近 13 周联系次数" in text
        assert "11/23" in text  # this week's label on the axis
        assert "█" in text
        table = screen.query_one("#review-figures")
        assert table.row_count >= 5
        table.move_cursor(row=0)  # 电话 1/…
        await pilot.press("enter")
        await wait_for_screen(pilot, PeopleScreen)
        await settle(pilot)
        assert app.screen.loaded == [cid]
        await pilot.press("enter")
        await wait_for_screen(pilot, ProfileScreen)


async def test_the_month_key_widens_the_period(db, db_path) -> None:
    _book(db)
    app = KequApp(db_path, today=DEMO_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "6", ReviewScreen)
        await pilot.press("n")
        await settle(pilot)
        assert screen.result.span == "month"
        assert screen.result.done == {"call": 2}
