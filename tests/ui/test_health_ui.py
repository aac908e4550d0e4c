"""Relationship health in the app: the sortable 健康 column on Customers and the 健康 tab
of the profile ("为什么 王总 是 42 分"), with Pilot on real books."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Static, TabbedContent

from kequ.domain.records import NewCustomer
from kequ.i18n import set_language, t
from kequ.services.contacts import log_interaction
from kequ.services.customers import add_customer
from kequ.services.review import health_of, health_scores
from kequ.ui.app import KequApp
from kequ.ui.screens.customers.customers import HEALTH, PADDING, CustomersScreen, column_widths
from tests.conftest import DEMO_TODAY
from tests.ui.helpers import on_profile, open_with_key, screen_lines, settle

TODAY = DEMO_TODAY


def _book(db) -> dict[str, int]:
    """Three customers added long ago: kept up with, faded, never called."""
    kept = add_customer(db, NewCustomer(name="李娜", honorific="李姐", tier="key", city="上海"))
    faded = add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key", city="北京"))
    never = add_customer(db, NewCustomer(name="陈晨", tier="temporary", city="广州"))
    with sqlite3.connect(db.path) as conn:
        conn.execute("UPDATE customer SET created_at = '2024-06-01 04:00:00.000000'")
    for n in range(5, 700, 25):
        log_interaction(db, kept, "call", TODAY - timedelta(days=n))
    for n in range(70, 700, 30):
        log_interaction(db, faded, "call", TODAY - timedelta(days=n))
    return {"kept": kept, "faded": faded, "never": never}


def _order(screen: CustomersScreen) -> list[int]:
    table = screen.query_one("#customers", DataTable)
    return [int(str(key.value)) for key in table.rows]


def _scores_shown(screen: CustomersScreen) -> dict[int, str]:
    table = screen.query_one("#customers", DataTable)
    return {int(str(key.value)): str(table.get_cell(key, HEALTH)) for key in table.rows}


async def test_the_health_column_shows_each_score_and_h_sorts_lowest_first_and_back(db, db_path) -> None:
    who = _book(db)
    scores = health_scores(db, TODAY)
    assert scores[who["never"]] < scores[who["faded"]] < scores[who["kept"]]  # the book is as meant
    app = KequApp(db_path, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_with_key(pilot, "2", CustomersScreen)
        assert _scores_shown(screen) == {cid: str(score) for cid, score in scores.items()}
        assert not screen.health_all  # the page's scores only: a big book is not scored to open the list
        before = _order(screen)
        await pilot.press("escape", "h")  # out of the search box, then sort
        await settle(pilot)
        assert screen.health_all
        assert _order(screen) == [who["never"], who["faded"], who["kept"]]
        assert "按健康度从低到高" in str(screen.query_one("#customers-summary", Static).render())
        await pilot.press("h")
        await settle(pilot)
        assert _order(screen) == before
        assert "按健康度" not in str(screen.query_one("#customers-summary", Static).render())


async def test_clicking_the_health_header_sorts_by_it(db, db_path) -> None:
    who = _book(db)
    app = KequApp(db_path, today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_with_key(pilot, "2", CustomersScreen)
        before = list(screen.columns)
        x = sum(screen.columns[key] + PADDING for key in before[: before.index(HEALTH)]) + 1
        await pilot.click("#customers", offset=(x, 0))
        await settle(pilot)
        assert screen.sort_health
        assert _order(screen)[0] == who["never"]


async def test_at_80_columns_sorting_by_health_shows_the_score_in_place_of_the_city(db, db_path) -> None:
    who = _book(db)
    app = KequApp(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "2", CustomersScreen)
        assert "col.city" in screen.columns and HEALTH not in screen.columns
        await pilot.press("escape", "h")
        await settle(pilot)
        assert HEALTH in screen.columns and "col.city" not in screen.columns
        header = next(line for line in screen_lines(app) if "上次联系" in line)
        assert "健康" in header and "城市" not in header
        lowest = screen.query_one("#customers", DataTable).get_row_at(0)
        assert str(lowest[-1]) == str(health_scores(db, TODAY)[who["never"]])
        assert all(len(line.rstrip()) <= 80 for line in screen_lines(app))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_health_column_fits_its_label_and_takes_the_citys_place_only_when_sorted(lang: str) -> None:
    set_language(lang)
    wide = column_widths()
    assert wide[HEALTH] >= max(3, cell_len(t(HEALTH)))
    for screen in (80, 90, 99):
        widths = column_widths(screen, health_first=True)
        assert HEALTH in widths
        assert sum(widths.values()) + PADDING * len(widths) + 2 <= screen
    assert HEALTH in column_widths(99) and "col.city" in column_widths(99)
    set_language("zh")


async def test_the_profile_says_why_the_score_is_what_it_is_part_by_part_with_the_trend(db, db_path) -> None:
    who = _book(db)
    health, trend = health_of(db, who["faded"], TODAY)
    async with on_profile(db_path, who["faded"], size=(80, 24)) as (app, pilot):
        app.screen.query_one(TabbedContent).active = "tab-health"
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert f"为什么 王总 是 {health.score} 分" in text
        assert f"4 周前 {trend.before} 分 → 今天 {trend.now} 分（下降 {trend.before - trend.now}）" in text
        assert trend.before > trend.now
        for part in health.parts:
            line = next(line for line in text.splitlines() if line.startswith(part.label()))
            assert f"{part.points}/{part.most}" in line
            assert part.explain() in line
        assert "上次联系在 70 天前，节奏 30 天" in text
        assert sum(p.points for p in health.parts) == health.score
