"""The Review screen (key 6) with Pilot: figures, the bar chart, and the customers behind a figure."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

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
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "近 13 周联系次数" in text
        assert "█" in text
        # The axes: touches up the side from 0, each week's Monday along the bottom.
        axis = next(i for i, line in enumerate(lines) if "└" in line)
        assert lines[axis].strip().startswith("0 └")
        assert lines[axis + 1].split() == ["31", "7", "14", "21", "28", "5", "12", "19", "26", "2", "9", "16", "23"]
        assert lines[axis + 2].split() == ["8月", "9月", "10月", "11月"]
        # Each month sits in the five columns of the first Monday shown of it: 10月 under 5, 11月 under 2.
        days, months = lines[axis + 1], lines[axis + 2]
        start = days.index("31") - 1

        def slot(line: str, label: str) -> int:
            return (cell_len(line[: line.index(label)]) - start) // 5

        assert [slot(months, m) for m in ("8月", "9月", "10月", "11月")] == [0, 1, 5, 9]
        assert slot(days, " 5 ") == 5 and slot(days, " 2 ") == 9
        assert all(len(line.rstrip()) <= 80 for line in lines)
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


def test_review_snapshot_80x24(demo_db, snap_compare) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        await open_with_key(pilot, "6", ReviewScreen)

    assert snap_compare(app, terminal_size=(80, 24), run_before=go)


def test_review_snapshot_160x45(demo_db, snap_compare) -> None:
    app = KequApp(demo_db.path, today=DEMO_TODAY)

    async def go(pilot) -> None:
        await open_with_key(pilot, "6", ReviewScreen)
        app.screen.query_one("#review-figures").move_cursor(row=3)  # 变冷的关键客户
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 45), run_before=go)
